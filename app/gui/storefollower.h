#pragma once

// View ▸ Follow: while it is on, the open store is looked at twice a second for events that
// another process has committed (StoreSession::pollForNewEvents); the window shows them when
// the session says the store grew. A look waits while the session is busy, so that following
// never queues work behind a replay or an index build.

#include <QObject>
#include <QTimer>

class QAction;
class StoreSession;

class StoreFollower : public QObject
{
    Q_OBJECT

public:
    static constexpr int IntervalMs = 500;

    StoreFollower(StoreSession *session, QObject *parent);

    QAction *action() const { return m_action; } // checkable; remembered by the window
    bool isFollowing() const;
    // Following only means something while a store is open.
    void setStoreOpen(bool open);

private:
    void look();

    StoreSession *m_session;
    QAction *m_action;
    QTimer m_timer;
    bool m_storeOpen = false;
};

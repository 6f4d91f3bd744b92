#pragma once

// The replay of the selected stream as the session folds it, on the replay bar: the
// versions folded so far (the slider reaches further as parts arrive), a version asked for
// before the replay has got there (--at, a click on the timeline), the latest state once it
// has loaded unless the user moved meanwhile, the stream's stored snapshots, and the dialog
// that compares one with the replay.

#include "core/event.h"
#include "replay/projection.h"

#include <QObject>
#include <QPointer>
#include <QVector>

#include <functional>

class QWidget;
class ReplayBar;
class SnapshotCompareDialog;
class StoreSession;
class TimelineView;

class ReplayFollower : public QObject
{
    Q_OBJECT

public:
    // window: the parent of the comparison dialog.
    ReplayFollower(StoreSession *session, ReplayBar *bar, TimelineView *timeline, QWidget *window);

    // A new stream to follow (empty: none); hasSnapshots: the store keeps snapshots.
    void follow(const QString &stream, bool hasSnapshots);
    void close(); // the store went
    void replayTo(qint64 version);
    // The stream's replay is loaded again (the projection changed): the bar stays at the
    // event it shows, or at the end when it was there.
    void reload(const QString &stream, bool hasSnapshots, const Projection &projection);
    // The same when the store grew: the loaded replay folds only the new events.
    void extend(const QString &stream, bool hasSnapshots, const Projection &projection);
    bool hasVersions() const { return !m_versions.isEmpty(); }

signals:
    // The bar shows another stream or range: the playhead is where it now stands.
    void playheadMoved(qint64 ms);

private:
    void restart(const QString &stream, bool hasSnapshots, const std::function<void()> &load);
    void onExtended(const QString &stream, const QVector<qint64> &versions,
                    const QVector<qint64> &times);
    void onLoaded(const QString &stream, const QVector<qint64> &versions,
                  const QVector<qint64> &times);
    void compare(const StoredSnapshot &snapshot);

    StoreSession *m_session;
    ReplayBar *m_bar;
    TimelineView *m_timeline;
    QWidget *m_window;
    QPointer<SnapshotCompareDialog> m_compareDialog;
    QString m_stream;
    bool m_hasSnapshots = false;
    QVector<qint64> m_versions; // of the events the replay has folded so far
    bool m_complete = false;    // it has folded the whole stream
    bool m_moved = false;       // the user moved the replay while it loaded
    qint64 m_pendingVersion = -1;
};

#pragma once

// The window's questions about the whole store (issue #15): the payload search over the
// events table. Each question runs on the session's question worker (StoreSession::ask) with
// progress and cancel, and what it finds is shown in the table and marked on the timeline.

#include <QObject>

class EventsPane;
class PayloadSearchBar;
class QMainWindow;
class StoreSession;
class TimelineView;

class StoreTools : public QObject
{
    Q_OBJECT

public:
    // The most events a search shows; the bar says when there may be more.
    static constexpr int MaxMatches = 10000;
    static inline const QString SearchMarks = QStringLiteral("search");

    StoreTools(QMainWindow *window, StoreSession *session, EventsPane *events,
               TimelineView *timeline);

    PayloadSearchBar *searchBar() const { return m_searchBar; }

    // The table's filter changed (and dropped the matches): the search runs again over it.
    void tableFilterChanged();
    void closeStore(); // no search, no marks

private:
    void search();
    void clearSearch();
    void onProgress(int job, qint64 done, qint64 total);
    void onStopped(int job, const QString &message);

    StoreSession *m_session;
    EventsPane *m_events;
    TimelineView *m_timeline;
    PayloadSearchBar *m_searchBar;
    bool m_searchActive = false; // a search is shown or running
};

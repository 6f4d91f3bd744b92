#pragma once

// The centre's lower half: the filter bar (with the table's count) over the table of events,
// and the table's selection as the timeline and the replay move it; the event the replay
// stands on stays selected when the table's filters change. The table's rows are read
// on the session's worker; an event whose row is not loaded is found by a seek of the table
// (one count and one page), answered later.

#include <QWidget>

#include <optional>

struct Event;
struct EventFilter;
class EventFilterBar;
class EventTableModel;
class QModelIndex;
class QTableView;
class QVariant;
class StoreSession;

class EventsPane : public QWidget
{
    Q_OBJECT

public:
    explicit EventsPane(QWidget *parent = nullptr);

    EventTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    EventFilterBar *filterBar() const { return m_filterBar; }

    // The session whose open store the table reads; nullptr empties it (and forgets a seek).
    void setSession(StoreSession *session);
    // True when the table waits for no read.
    bool isSettled() const;
    // The table's filter; the reloaded table selects the followed event again (the replay has
    // not moved, so no new state would bring it back).
    void setFilter(const EventFilter &filter);
    // Selects the event the replay stands on, quietly (selectPosition(…, Quiet)), and again
    // after each setFilter; -1: the replay stands before the first event, no row is selected.
    void followReplay(qint64 position);
    void stopFollowing(); // another stream: its replay has not said where it stands yet

    // How selecting a row is announced: Quiet follows the replay without moving it back.
    enum class Announce { Quiet, Selection };
    // Selects and scrolls to the event at position, at once when its row is loaded, else once
    // the seek has found it; only the latest such call is carried out. Quiet emits
    // eventFollowed, and when the table's filters hide the event no other row stays
    // highlighted as if it were it; Selection emits eventSelected, or hiddenByFilters.
    void selectPosition(qint64 position, Announce announce);
    void clearSelection(); // quietly, and a selectPosition not yet carried out is dropped

signals:
    void eventSelected(const Event &event); // by the user, or selectPosition(…, Selection)
    void eventFollowed(const Event &event); // selectPosition(…, Quiet)
    void hiddenByFilters(qint64 position);  // selectPosition(…, Selection)
    void settled();                         // the table's last read has been answered

private:
    void onRowFound(int row, const QVariant &position);
    void showRow(int row, qint64 position, Announce announce); // row -1: not in the table
    void scrollTo(const QModelIndex &index);

    struct PendingSelection
    {
        qint64 position;
        Announce announce;
    };

    EventTableModel *m_model;
    QTableView *m_view;
    EventFilterBar *m_filterBar;
    std::optional<PendingSelection> m_pending; // the latest seek, unanswered
    qint64 m_followed = -1;                    // the event the replay stands on; -1 none
};

#pragma once

// The centre's lower half: the filter bar over the table of events, and the table's
// selection as the timeline and the replay move it.

#include <QWidget>

struct Event;
class EventFilterBar;
class EventTableModel;
class QTableView;

class EventsPane : public QWidget
{
    Q_OBJECT

public:
    explicit EventsPane(QWidget *parent = nullptr);

    EventTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    EventFilterBar *filterBar() const { return m_filterBar; }

    // How selecting a row is announced: Quiet follows the replay without moving it back.
    enum class Announce { Quiet, Selection };
    // Selects and scrolls to the event at position; -1 when the table's filters hide it
    // (then, when Quiet, no other row stays highlighted as if it were it).
    int selectPosition(qint64 position, Announce announce);
    void clearSelection(); // quietly

signals:
    void eventSelected(const Event &event); // by the user, or selectPosition(…, Selection)

private:
    EventTableModel *m_model;
    QTableView *m_view;
    EventFilterBar *m_filterBar;
};

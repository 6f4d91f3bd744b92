#pragma once

// The window's questions about the replayed aggregate: "History of this field" (which events
// changed a field of the State tree, in a dock, with the changes marked on the stream's
// timeline lane and on the replay bar). The answers are worked out on the session's
// questions' worker (StoreSession::ask), with progress and cancel.

#include "query/fieldhistory.h"
#include "query/predicate.h"

#include <QObject>
#include <QPointer>

class FieldHistoryPanel;
class QDockWidget;
class QMainWindow;
class ReplayBar;
class StateView;
class StoreSession;
class TimelineView;

class AggregateTools : public QObject
{
    Q_OBJECT

public:
    struct Parts
    {
        StoreSession *session;
        StateView *state;
        ReplayBar *bar;
        TimelineView *timeline;
    };

    // Adds its docks to the window (hidden until asked for).
    AggregateTools(QMainWindow *window, const Parts &parts);

    // The replayed stream changed (empty: none): answers about the last one go.
    void setStream(const QString &stream);
    void showFieldHistory(const QueryPath &path, const QString &displayPath);

    QDockWidget *historyDock() const { return m_historyDock; }
    FieldHistoryPanel *historyPanel() const { return m_history; }

private:
    struct History
    {
        QVector<FieldChange> changes; // the first FieldHistoryPanel::MaxRows
        qint64 total = 0;
    };
    void showHistory(const History &history);
    void clearMarks();

    Parts m_parts;
    FieldHistoryPanel *m_history;
    QDockWidget *m_historyDock;
    QString m_stream;
    bool m_historyPending = false;
};

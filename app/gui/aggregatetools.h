#pragma once

// The window's questions about the replayed aggregate (issue #14): a field's history (from
// the State tree's context menu, in a dock, marked on the timeline and the replay bar), two
// cursors and the diff of their states (pin A, move B; B may be another stream), bisect (the
// first event after which a predicate holds), streams side by side at the replay's time,
// and the projection file the replay folds with.
// Every answer is a StoreSession::ask() question: it runs on the questions' worker with
// progress and cancel, and the window goes on answering meanwhile.

#include "projectionfile.h"
#include "query/sidebysidefolds.h"
#include "query/statediff.h"
#include "replay/replayengine.h"
#include "session/storesession.h"

#include <QObject>
#include <QPointer>

#include "bisectdialog.h"
class FieldHistoryPanel;
class QAction;
class QDockWidget;
class QLabel;
class QMainWindow;
class QMenu;
class ReplayBar;
class ReplayFollower;
class SideBySideView;
class StateDiffView;
class StateView;
class TimelineView;

class AggregateTools : public QObject
{
    Q_OBJECT

public:
    struct Parts
    {
        StoreSession *session;
        StateView *stateView;
        ReplayBar *replayBar;
        TimelineView *timeline;
        ReplayFollower *replay;
    };
    AggregateTools(QMainWindow *window, const Parts &parts);

    // The replayed stream (empty: none); its findings go when it does.
    void setStream(const QString &stream);
    const Projection &projection() const { return m_projection->projection(); }
    ProjectionFile *projectionFile() const { return m_projection; }

    // Replay menu entries: Pin A, Diff A ↔ B, Bisect…, and the Projection submenu.
    QList<QAction *> replayActions() const;
    QMenu *projectionMenu() const { return m_projectionMenu; }

    // The State tree's context menu at a row (for the tree, and tests); the field is the
    // row's path of keys and indexes in the tree.
    QMenu *fieldMenu(const QModelIndex &index, QWidget *parent);
    void showHistory(const QueryPath &path);
    void pinA();
    void showDiff();
    void showBisect();
    void showSideBySide();

    FieldHistoryPanel *historyPanel() const { return m_history; }
    StateDiffView *diffView() const { return m_diff; }
    BisectDialog *bisectDialog() const { return m_bisect; }
    SideBySideView *sideBySideView() const { return m_sideBySide; }
    QAction *pinAction() const { return m_pin; }

signals:
    // The projection is another: the replay folds again with it.
    void projectionChanged();
    void replayRequested(qint64 version); // of the replayed stream

private:
    void onState(const ReplayState &state);
    void requestDiff();
    void requestSideBySide();
    void clearFindings();
    // Shows and raises a dock; when it was hidden, gives it room beside the others.
    void showDock(QDockWidget *dock);
    void resetFolds();
    void onProgress(StoreSession::Job job, qint64 done);
    void onFailed(StoreSession::Job job, const QString &message);
    void loadProjection();

    QMainWindow *m_window;
    Parts m_parts;
    ProjectionFile *m_projection;
    FieldHistoryPanel *m_history;
    QDockWidget *m_historyDock;
    StateDiffView *m_diff;
    QDockWidget *m_diffDock;
    SideBySideView *m_sideBySide;
    QDockWidget *m_sideBySideDock;
    QAction *m_sideBySideAction;
    qint64 m_cursorMs = NoTime; // the replay bar's time, which drives the side by side
    // The side by side's columns, moved with the cursor on the questions' worker.
    std::shared_ptr<SideBySideFolds> m_folds;
    QPointer<BisectDialog> m_bisect;
    QLabel *m_projectionLabel;
    QAction *m_pin;
    QAction *m_diffAction;
    QAction *m_bisectAction;
    QMenu *m_projectionMenu;
    QString m_stream;
    QString m_historyStream;            // whose history the panel shows
    std::optional<ReplayState> m_state; // the replay's current one
    std::optional<DiffSide> m_a;
};

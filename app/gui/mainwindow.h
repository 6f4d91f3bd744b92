#pragma once

// Eventscope's main window: docks and wiring. The streams list, the events table, the
// timeline, the replay bar, the state view, the inspector and the charts all follow one
// selection (store, stream, event, replay position); store work runs in a StoreSession on a
// worker thread, the lists' pages too (KeysetPagedModel): the window reads no store itself.
// The window's parts each have their own class: StoreOpener (opening, reconnecting),
// NewStoreJobs (import, demo store), StreamsPane and EventsPane (the lists and their filters),
// ChartsFeed (what the charts show), ReplayFollower (the replay bar and snapshots),
// SkippedNote (what the views leave out), MainMenus and BusyIndicator; what they show is
// worked out by functions in views/ with tests of their own.

#include "aggregatetools.h"
#include "appsettings.h"
#include "core/event.h"
#include "eventfilterbar.h"
#include "eventspane.h"
#include "replayfollower.h"
#include "session/storesession.h"
#include "storefollower.h"
#include "storeopener.h"
#include "streamspane.h"
#include "typepalette.h"

#include <QMainWindow>

class ActivityCharts;
class BusyIndicator;
class ChartsFeed;
class EventInspector;
class EventTableModel;
class NewStoreJobs;
class SkippedNote;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;
class ReplayBar;
class StateView;
class StoreTools;
class StreamListModel;
class TimelineView;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const QString &settingsFile = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    // mapSpec empty: the mapping remembered for the store, else detection. table: of several
    // event tables, this one.
    void openStore(const QString &store, const QString &mapSpec = {}, const QString &table = {})
    {
        m_opener->openStore(store, mapSpec, table);
    }
    // File ▸ Import… without its file dialogs: imports input into a new store at output off
    // the GUI thread (with a progress dialog that can cancel), then opens it and reports.
    void importFile(const QString &input, const QString &output);
    void selectStream(const QString &stream);
    // In the selected stream, once its replay has got there.
    void replayTo(qint64 version) { m_replay->replayTo(version); }

    // True when nothing is loading or computing: what the screenshot mode and tests wait for.
    bool isSettled() const;
    QString storeName() const { return m_opener->storeName(); } // never holds a password
    // The store open, being opened, or the last that failed to open; password included.
    StoreLocation location() const { return m_opener->location(); }
    // Whether a failure to open asks the user what next (Retry, Map Columns…) in a message
    // box. Off by default offscreen, where the screenshot mode and tests read storeFailed.
    void setFailureMessages(bool show) { m_opener->setFailureMessages(show); }
    QString selectedStream() const { return m_stream; }

    // For tests and the screenshot mode.
    QLineEdit *streamFilter() const { return m_streams->filterEdit(); }
    QTableView *streamView() const { return m_streams->view(); }
    QTableView *eventView() const { return m_events->view(); }
    StreamListModel *streamModel() const { return m_streams->model(); }
    EventTableModel *eventModel() const { return m_events->model(); }
    TimelineView *timeline() const { return m_timeline; }
    ReplayBar *replayBar() const { return m_replayBar; }
    StateView *stateView() const { return m_stateView; }
    QString statusStoreText() const; // what the status bar says of the open store
    EventInspector *inspector() const { return m_inspector; }
    ActivityCharts *charts() const { return m_charts; }
    StoreSession *session() const { return m_session; }
    AggregateTools *aggregateTools() const { return m_tools; }
    EventFilter eventFilter() const { return m_events->filterBar()->filter(); }
    StoreTools *storeTools() const { return m_storeTools; }

signals:
    void settled();
    void storeOpened();
    void storeFailed(const QString &message);
    void connectionLost(const QString &message); // a PostgreSQL store while browsing

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createDocks();

    void onOpened(const StoreSummary &summary);
    // The exact summary after an inexact one, which may have missed rare types and, from a
    // sample, the first and last times.
    void onSummaryCompleted(const StoreSummary &summary);
    // View ▸ Follow found new events: counts, lists, lanes, charts and the replay take them in.
    void onStoreGrew(const StoreSummary &summary);
    void showTimeRange(const StoreSummary &summary);
    void updateTypes(const QMap<QString, qint64> &before); // m_summary's types after these
    void onFailed(StoreSession::Job job, const StoreError &error);
    // In the status bar, and a lost connection offers to reconnect.
    void showFailure(const StoreError &error);
    void onCancelled(StoreSession::Job job);
    void showStream(const QString &stream); // empty: the whole store
    void onEventSelected(const Event &event);
    void onStateReady(const ReplayState &state);
    void onLanesReady(const QVector<StreamColumns> &lanes);
    void onTimelineEventClicked(const QString &stream, qint64 position, qint64 version);
    void onChartRangeSelected(qint64 fromMs, qint64 toMs);
    void onPlayheadChanged(qint64 ms);

    void applyEventFilter();
    void requestLanes();
    void updateStatus();
    void checkSettled();
    void closeStore();

    AppSettings m_settings;
    StoreSession *m_session;
    StoreOpener *m_opener;
    NewStoreJobs *m_jobs;
    bool m_storeOpen = false;
    StoreSummary m_summary;
    TypePalette m_palette;
    QString m_stream;

    StreamsPane *m_streams;
    EventsPane *m_events;
    QSplitter *m_splitter;
    TimelineView *m_timeline;
    ReplayBar *m_replayBar;
    ReplayFollower *m_replay;
    StoreFollower *m_follower;
    StateView *m_stateView;
    EventInspector *m_inspector;
    ActivityCharts *m_charts;
    ChartsFeed *m_feed;
    QLabel *m_statusStore;
    SkippedNote *m_skippedNote; // what is left out of the views, and why
    BusyIndicator *m_busy;
    AggregateTools *m_tools;  // history, diff, bisect, projection
    StoreTools *m_storeTools; // the questions about the whole store
};

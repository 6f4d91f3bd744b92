#pragma once

// Eventscope's main window: docks and wiring. The streams list, the events table, the
// timeline, the replay bar, the state view, the inspector and the charts all follow one
// selection (store, stream, event, replay position); store work runs in a StoreSession on a
// worker thread, the lazily paged lists query a GUI-thread EventStore of their own. Opening
// stores is a StoreOpener's job, writing new ones (import, demo) a NewStoreJobs'.

#include "appsettings.h"
#include "core/event.h"
#include "session/storesession.h"
#include "storeopener.h"
#include "typepalette.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

#include <memory>

class ActivityCharts;
class BusyIndicator;
class EventFilterBar;
class EventInspector;
class EventStore;
class EventTableModel;
class NewStoreJobs;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;
class ReplayBar;
class SnapshotCompareDialog;
class StateView;
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
    void replayTo(qint64 version); // in the selected stream, once its replay is loaded

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
    QLineEdit *streamFilter() const { return m_streamFilter; }
    QTableView *streamView() const { return m_streamView; }
    QTableView *eventView() const { return m_eventView; }
    StreamListModel *streamModel() const { return m_streamModel; }
    EventTableModel *eventModel() const { return m_eventModel; }
    TimelineView *timeline() const { return m_timeline; }
    ReplayBar *replayBar() const { return m_replayBar; }
    StateView *stateView() const { return m_stateView; }
    EventInspector *inspector() const { return m_inspector; }
    ActivityCharts *charts() const { return m_charts; }
    StoreSession *session() const { return m_session; }
    EventFilter eventFilter() const;

signals:
    void settled();
    void storeOpened();
    void storeFailed(const QString &message);
    void connectionLost(const QString &message); // a PostgreSQL store while browsing

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createDocks();
    void restoreLayout();
    void openDemo();

    void onOpened(const StoreSummary &summary);
    // The exact summary after an inexact one, which may have missed rare types and, from a
    // sample, the first and last times.
    void onSummaryCompleted(const StoreSummary &summary);
    void showTimeRange(const StoreSummary &summary);
    void onFailed(const QString &what, const QString &message);
    void onCancelled(const QString &what);
    void onStreamSelectionChanged();
    void showStream(const QString &stream); // empty: the whole store
    void showBusiestUser();                 // the demo's opening view
    void onEventSelectionChanged();
    void onReplayExtended(const QString &stream, const QVector<qint64> &versions,
                          const QVector<qint64> &times);
    void onReplayLoaded(const QString &stream, const QVector<qint64> &versions,
                        const QVector<qint64> &times);
    void onStateReady(const ReplayState &state);
    void onLanesReady(const QVector<StreamColumns> &lanes);
    void onBucketsReady(const QVector<Bucket> &buckets, BucketSize size);
    void onTimelineEventClicked(const QString &stream, qint64 position, qint64 version);
    void onVisibleRangeChanged();
    void onChartRangeSelected(qint64 fromMs, qint64 toMs);
    void onPlayheadChanged(qint64 ms);
    void compareSnapshot(const StoredSnapshot &snapshot);

    void applyEventFilter();
    void requestLanes();
    void requestBuckets();
    void requestClickCount();
    void updateClickMenu();
    void updateStatus();
    void updateSkippedNote();
    void showVisibleBuckets();
    void scrollEventsTo(const QModelIndex &index);
    void followReplayedEvent();
    void checkSettled();
    void closeStore();

    AppSettings m_settings;
    StoreSession *m_session;
    StoreOpener *m_opener;
    NewStoreJobs *m_jobs;
    std::unique_ptr<EventStore> m_store; // GUI thread, for the paged lists
    StoreSummary m_summary;
    TypePalette m_palette;
    QString m_stream;
    qint64 m_streamWithoutVersion = 0; // of m_stream, as replaySkipped() counted them
    qint64 m_replayedPosition = -1;    // the event the replay stands on; -1 none
    QVector<qint64> m_replayVersions; // of the events the replay has folded so far
    bool m_replayComplete = false;    // it has folded the whole stream
    bool m_replayMoved = false;       // the user moved the replay while it loaded
    qint64 m_pendingVersion = -1;     // --at / replayTo before the replay has got there
    QVector<Bucket> m_buckets;
    BucketSize m_bucketSize = BucketSize::Day;

    StreamListModel *m_streamModel;
    EventTableModel *m_eventModel;
    QLineEdit *m_streamFilter;
    QTimer m_filterDelay;
    QTimer m_rangeDelay;
    QTableView *m_streamView;
    QTableView *m_eventView;
    EventFilterBar *m_filterBar;
    QSplitter *m_splitter;
    TimelineView *m_timeline;
    ReplayBar *m_replayBar;
    StateView *m_stateView;
    EventInspector *m_inspector;
    ActivityCharts *m_charts;
    QPointer<SnapshotCompareDialog> m_compareDialog;
    QLabel *m_statusStore;
    QLabel *m_skippedNote; // what is left out of the views, and why
    BusyIndicator *m_busy;
    QMenu *m_viewMenu;
    QMenu *m_clickMenu;
};

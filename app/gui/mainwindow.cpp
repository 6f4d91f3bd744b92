#include "mainwindow.h"

#include "activitycharts.h"
#include "busyindicator.h"
#include "drawablerange.h"
#include "elidedtext.h"
#include "eventfilterbar.h"
#include "eventinspector.h"
#include "eventtablemodel.h"
#include "helpdialogs.h"
#include "icons.h"
#include "index/eventindex.h"
#include "newstorejobs.h"
#include "replaybar.h"
#include "snapshotcomparedialog.h"
#include "stateview.h"
#include "store/eventstore.h"
#include "store/postgresconnection.h"
#include "storestatus.h"
#include "streamlistmodel.h"
#include "timelinelanes.h"
#include "timelineview.h"
#include "visiblebuckets.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMimeData>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr int TimelineLanes = 8;

QString number(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

MainWindow::MainWindow(const QString &settingsFile, QWidget *parent)
    : QMainWindow(parent), m_settings(settingsFile)
{
    setWindowIcon(Icons::icon(Icons::App));
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    m_session = new StoreSession(this);
    m_opener = new StoreOpener(this, &m_settings, m_session);
    connect(m_opener, &StoreOpener::opening, this, [this](const StoreLocation &location) {
        closeStore();
        setWindowTitle(tr("%1 — Eventscope").arg(m_opener->shortName()));
        m_statusStore->setText(tr("Opening %1…").arg(location.displayName()));
    });
    connect(m_opener, &StoreOpener::closed, this, [this](const QString &status) {
        closeStore();
        setWindowTitle(tr("Eventscope"));
        m_statusStore->setText(status);
    });
    connect(m_opener, &StoreOpener::failed, this, &MainWindow::storeFailed);
    connect(m_opener, &StoreOpener::connectionLost, this, &MainWindow::connectionLost);
    m_jobs = new NewStoreJobs(this, m_opener);
    connect(m_session, &StoreSession::opened, this, &MainWindow::onOpened);
    connect(m_session, &StoreSession::summaryCompleted, this, &MainWindow::onSummaryCompleted);
    connect(m_session, &StoreSession::indexProgress, this, [this](qint64 done, qint64 total) {
        m_busy->setProgress(done, total);
        m_busy->setText(tr("Indexing %1 of %2 events").arg(number(done), number(total)));
    });
    connect(m_session, &StoreSession::indexReady, this,
            [this](const std::shared_ptr<const EventIndex> &index) {
                if (m_store)
                    m_store->attachIndex(index);
            });
    connect(m_session, &StoreSession::indexUnavailable, this, [this](const QString &reason) {
        statusBar()->showMessage(
            tr("Charts and the stream filter query the store directly (%1)").arg(reason), 8000);
    });
    connect(m_session, &StoreSession::failed, this, &MainWindow::onFailed);
    connect(m_session, &StoreSession::cancelled, this, &MainWindow::onCancelled);
    connect(m_session, &StoreSession::replayExtended, this, &MainWindow::onReplayExtended);
    connect(m_session, &StoreSession::replayLoaded, this, &MainWindow::onReplayLoaded);
    connect(m_session, &StoreSession::replaySkipped, this,
            [this](const QString &stream, qint64 eventsWithoutVersion) {
                if (stream != m_stream)
                    return;
                m_streamWithoutVersion = eventsWithoutVersion;
                updateSkippedNote();
            });
    connect(m_session, &StoreSession::stateReady, this, &MainWindow::onStateReady);
    connect(m_session, &StoreSession::lanesReady, this, &MainWindow::onLanesReady);
    connect(m_session, &StoreSession::bucketsReady, this, &MainWindow::onBucketsReady);
    connect(m_session, &StoreSession::idle, this, &MainWindow::checkSettled);
    connect(m_session, &StoreSession::replayProgress, this, [this](qint64 n) {
        m_busy->setText(tr("Replaying %1: %2 events").arg(elidedName(m_stream), number(n)));
    });
    connect(m_session, &StoreSession::snapshotsReady, this,
            [this](const QString &stream, const QVector<StoredSnapshot> &snapshots) {
                if (stream != m_stream)
                    return;
                m_replayBar->setSnapshots(snapshots);
                m_timeline->setSnapshots(stream, snapshots);
            });
    connect(m_session, &StoreSession::comparisonReady, this, [this](const SnapshotComparison &c) {
        if (m_compareDialog)
            m_compareDialog->setComparison(c);
    });
    connect(m_session, &StoreSession::failed, this,
            [this](const QString &what, const QString &message) {
                if (what == u"compare" && m_compareDialog)
                    m_compareDialog->showError(message);
            });

    // Centre: the timeline above the events table.
    m_timeline = new TimelineView(this);
    m_timeline->setObjectName(u"timeline"_s);
    m_eventModel = new EventTableModel(this);
    connect(m_eventModel, &EventTableModel::errorOccurred, this,
            [this](const QString &message) { onFailed(u"events"_s, message); });
    m_eventView = new QTableView(this);
    m_eventView->setObjectName(u"events"_s);
    m_eventView->setModel(m_eventModel);
    m_eventView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_eventView->setAlternatingRowColors(true);
    m_eventView->setWordWrap(false);
    m_eventView->verticalHeader()->hide();
    m_eventView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_eventView->horizontalHeader()->setStretchLastSection(true);
    m_eventView->horizontalHeader()->setHighlightSections(false);
    const int digit = fontMetrics().horizontalAdvance(u'0');
    for (const auto &[columnIndex, chars] :
         {std::pair{EventTableModel::PositionColumn, 9}, std::pair{EventTableModel::TimeColumn, 26},
          std::pair{EventTableModel::StreamColumn, 14},
          std::pair{EventTableModel::VersionColumn, 8}, std::pair{EventTableModel::TypeColumn, 16}})
        m_eventView->setColumnWidth(columnIndex, digit * chars);

    m_filterBar = new EventFilterBar(this);
    connect(m_filterBar, &EventFilterBar::filterChanged, this, &MainWindow::applyEventFilter);
    auto *eventsPane = new QWidget(this);
    auto *eventsLayout = new QVBoxLayout(eventsPane);
    eventsLayout->setContentsMargins(0, 0, 0, 0);
    eventsLayout->setSpacing(0);
    eventsLayout->addWidget(m_filterBar);
    eventsLayout->addWidget(m_eventView, 1);

    m_replayBar = new ReplayBar(this);
    m_replayBar->setObjectName(u"replayBar"_s);
    auto *timelinePane = new QWidget(this);
    auto *timelineLayout = new QVBoxLayout(timelinePane);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->setSpacing(0);
    timelineLayout->addWidget(m_timeline, 1);
    timelineLayout->addWidget(m_replayBar);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(u"centralSplitter"_s);
    m_splitter->addWidget(timelinePane);
    m_splitter->addWidget(eventsPane);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    setCentralWidget(m_splitter);

    createDocks();
    createActions();

    // Status bar: what is open, and what is being worked on (with a way to stop it).
    m_statusStore = new QLabel(this);
    statusBar()->addWidget(m_statusStore, 1);
    m_skippedNote = new QLabel(this);
    m_skippedNote->setObjectName(u"skippedNote"_s);
    m_skippedNote->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_skippedNote);
    m_busy = new BusyIndicator(statusBar());
    connect(m_busy, &BusyIndicator::cancelRequested, m_session, &StoreSession::cancel);
    connect(m_session, &StoreSession::busyChanged, m_busy, &BusyIndicator::setBusy);
    connect(m_jobs, &NewStoreJobs::busyChanged, m_busy, &BusyIndicator::setBusy);

    connect(m_streamView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onStreamSelectionChanged);
    connect(m_eventView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onEventSelectionChanged);
    connect(m_replayBar, &ReplayBar::indexChanged, m_session, &StoreSession::requestState);
    connect(m_replayBar, &ReplayBar::indexChanged, this, [this] { m_replayMoved = true; });
    connect(m_replayBar, &ReplayBar::playheadChanged, this, &MainWindow::onPlayheadChanged);
    connect(m_replayBar, &ReplayBar::compareRequested, this, &MainWindow::compareSnapshot);
    connect(m_timeline, &TimelineView::eventClicked, this, &MainWindow::onTimelineEventClicked);
    connect(m_timeline, &TimelineView::snapshotClicked, this,
            [this](const QString &stream, qint64 version) {
                if (stream == m_stream)
                    replayTo(version);
            });
    connect(m_timeline, &TimelineView::visibleRangeChanged, this, [this] { m_rangeDelay.start(); });
    connect(m_charts, &ActivityCharts::rangeSelected, this, &MainWindow::onChartRangeSelected);
    // Queued: the menu is rebuilt, and an action must not be deleted in its own signal.
    connect(m_charts, &ActivityCharts::clickTypesChanged, this, &MainWindow::updateClickMenu,
            Qt::QueuedConnection);
    connect(m_charts, &ActivityCharts::clickTypesChanged, this, &MainWindow::requestClickCount);
    connect(m_session, &StoreSession::countedUpTo, m_charts, &ActivityCharts::setClickCount);

    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(200);
    m_filterDelay.callOnTimeout(this, [this] {
        m_streamModel->setFilter(m_streamFilter->text());
        checkSettled();
    });
    m_rangeDelay.setSingleShot(true);
    m_rangeDelay.setInterval(200);
    m_rangeDelay.callOnTimeout(this, &MainWindow::onVisibleRangeChanged);

    setWindowTitle(tr("Eventscope"));
    resize(1400, 900);
    restoreLayout();
}

MainWindow::~MainWindow()
{
    // The models hold the GUI-thread store: let them go before it does.
    m_streamModel->setStore(nullptr);
    m_eventModel->setStore(nullptr);
}

void MainWindow::createDocks()
{
    m_streamModel = new StreamListModel(this);
    connect(m_streamModel, &StreamListModel::errorOccurred, this,
            [this](const QString &message) { onFailed(u"streams"_s, message); });
    m_streamFilter = new QLineEdit(this);
    m_streamFilter->setObjectName(u"streamFilter"_s);
    m_streamFilter->setPlaceholderText(tr("Filter streams"));
    m_streamFilter->setClearButtonEnabled(true);
    connect(m_streamFilter, &QLineEdit::textChanged, this, [this] { m_filterDelay.start(); });
    m_streamView = new QTableView(this);
    m_streamView->setObjectName(u"streams"_s);
    m_streamView->setModel(m_streamModel);
    m_streamView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_streamView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_streamView->setSortingEnabled(true);
    m_streamView->sortByColumn(0, Qt::AscendingOrder);
    m_streamView->verticalHeader()->hide();
    m_streamView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_streamView->horizontalHeader()->setStretchLastSection(true);
    m_streamView->setWordWrap(false);
    const int digit = fontMetrics().horizontalAdvance(u'0');
    m_streamView->setColumnWidth(StreamListModel::StreamColumn, digit * 14);
    m_streamView->setColumnWidth(StreamListModel::EventsColumn, digit * 8);
    auto *streamsPane = new QWidget(this);
    auto *streamsLayout = new QVBoxLayout(streamsPane);
    streamsLayout->setContentsMargins(4, 4, 4, 4);
    streamsLayout->addWidget(m_streamFilter);
    streamsLayout->addWidget(m_streamView, 1);

    m_stateView = new StateView(this);
    m_inspector = new EventInspector(this);
    m_charts = new ActivityCharts(this);
    m_charts->setObjectName(u"charts"_s);

    const auto dock = [this](const QString &name, const QString &title, QWidget *widget,
                             Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };
    dock(u"streamsDock"_s, tr("Streams"), streamsPane, Qt::LeftDockWidgetArea);
    QDockWidget *state = dock(u"stateDock"_s, tr("State"), m_stateView, Qt::RightDockWidgetArea);
    QDockWidget *inspector =
        dock(u"inspectorDock"_s, tr("Inspector"), m_inspector, Qt::RightDockWidgetArea);
    QDockWidget *streams = findChild<QDockWidget *>(u"streamsDock"_s);
    QDockWidget *charts = dock(u"chartsDock"_s, tr("Charts"), m_charts, Qt::BottomDockWidgetArea);
    splitDockWidget(state, inspector, Qt::Vertical);
    resizeDocks({streams, state}, {300, 430}, Qt::Horizontal);
    resizeDocks({charts, state, inspector}, {300, 420, 260}, Qt::Vertical);
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = m_opener->openAction();
    file->addAction(open);
    file->addMenu(m_opener->recentMenu());
    QAction *demo = file->addAction(Icons::icon(Icons::Demo), tr("Open &Demo Store"), this,
                                    &MainWindow::openDemo);
    demo->setShortcut(u"Ctrl+Shift+D"_s);
    file->addAction(m_opener->connectAction());
    QAction *import = file->addAction(tr("&Import…"), m_jobs, &NewStoreJobs::showImportDialog);
    import->setObjectName(u"importAction"_s);
    import->setShortcut(u"Ctrl+I"_s);
    import->setStatusTip(tr("Import events from JSON Lines, KurrentDB Atom pages or CSV into a "
                            "new store"));
    file->addSeparator();
    file->addActions({m_opener->mapAction(), m_opener->tableAction(), m_opener->reloadAction()});
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *zoomIn = m_viewMenu->addAction(Icons::icon(Icons::ZoomIn), tr("Zoom &In"), m_timeline,
                                            &TimelineView::zoomIn);
    zoomIn->setShortcut(QKeySequence::ZoomIn);
    QAction *zoomOut = m_viewMenu->addAction(Icons::icon(Icons::ZoomOut), tr("Zoom &Out"),
                                             m_timeline, &TimelineView::zoomOut);
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    QAction *zoomReset = m_viewMenu->addAction(Icons::icon(Icons::ZoomReset), tr("&Reset Zoom"),
                                               m_timeline, &TimelineView::resetZoom);
    zoomReset->setShortcut(u"Ctrl+0"_s);
    QAction *filterVisible =
        m_viewMenu->addAction(tr("Filter Events to the &Visible Range"), this, [this] {
            const TimeScale scale = m_timeline->scale();
            onChartRangeSelected(scale.startMs, scale.endMs);
        });
    filterVisible->setShortcut(u"Ctrl+T"_s);
    m_clickMenu = m_viewMenu->addMenu(tr("&Click Types"));
    m_clickMenu->setObjectName(u"clickTypesMenu"_s);
    m_clickMenu->setToolTip(tr("The event types the clicks chart counts"));
    m_viewMenu->addSeparator();
    QAction *findStream = m_viewMenu->addAction(tr("&Find Stream"), this, [this] {
        m_streamFilter->setFocus();
        m_streamFilter->selectAll();
    });
    findStream->setShortcut(QKeySequence::Find);
    QAction *allStreams = m_viewMenu->addAction(tr("&Whole Store"), this, [this] {
        // The selected stream may be filtered out of the list, which then has no
        // selection to clear: the window leaves it all the same.
        m_streamView->clearSelection();
        showStream(QString());
    });
    allStreams->setShortcut(u"Ctrl+Shift+A"_s);
    m_viewMenu->addSeparator();
    const auto docks = findChildren<QDockWidget *>();
    for (QDockWidget *d : docks)
        m_viewMenu->addAction(d->toggleViewAction());

    QMenu *replay = menuBar()->addMenu(tr("&Replay"));
    const auto replayAction = [&](Icons::Name icon, const QString &text, const QString &keys,
                                  void (ReplayBar::*slot)()) {
        QAction *a = replay->addAction(Icons::icon(icon), text, m_replayBar, slot);
        a->setShortcut(QKeySequence(keys));
        return a;
    };
    QAction *play =
        replayAction(Icons::Play, tr("&Play / Pause"), u"Ctrl+Space"_s, &ReplayBar::togglePlay);
    // Alt, not Ctrl: Ctrl+arrows and Ctrl+Home/End move by word and to the ends in text
    // fields and tables, and a shortcut that works from anywhere must not take them.
    replayAction(Icons::StepBack, tr("Step &Back"), u"Alt+Left"_s, &ReplayBar::stepBack);
    replayAction(Icons::StepForward, tr("Step &Forward"), u"Alt+Right"_s, &ReplayBar::stepForward);
    replayAction(Icons::JumpStart, tr("Jump to &Start"), u"Alt+Home"_s, &ReplayBar::jumpToStart);
    replayAction(Icons::JumpEnd, tr("Jump to &End"), u"Alt+End"_s, &ReplayBar::jumpToEnd);
    replay->addSeparator();
    QAction *focusSlider = replay->addAction(tr("Focus the &Slider"), this,
                                             [this] { m_replayBar->slider()->setFocus(); });
    focusSlider->setShortcut(u"Ctrl+R"_s);
    QAction *cancel = replay->addAction(Icons::icon(Icons::Cancel), tr("&Cancel Work"), m_session,
                                        &StoreSession::cancel);
    cancel->setShortcut(u"Esc"_s);
    replay->addSeparator();
    replay->addAction(m_replayBar->compareAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard Shortcuts"), this,
                                    [this] { HelpDialogs::showShortcuts(this); });
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(Icons::icon(Icons::App), tr("&About Eventscope"), this,
                    [this] { HelpDialogs::showAbout(this); });

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(u"mainToolBar"_s);
    tools->setMovable(false);
    tools->addActions({open, demo, m_opener->reloadAction()});
    tools->addSeparator();
    tools->addActions({zoomIn, zoomOut, zoomReset});
    tools->addSeparator();
    tools->addAction(play);
}

void MainWindow::restoreLayout()
{
    restoreGeometry(m_settings.windowGeometry());
    restoreState(m_settings.windowState());
    m_splitter->restoreState(m_settings.splitterState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setWindowState(saveState());
    m_settings.setSplitterState(m_splitter->saveState());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.constFirst().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.constFirst().isLocalFile()) {
        m_opener->openStore(urls.constFirst().toLocalFile());
        event->acceptProposedAction();
    }
}

void MainWindow::importFile(const QString &input, const QString &output)
{
    m_jobs->importFile(input, output);
}

void MainWindow::openDemo()
{
    // Once it has opened (and only if it is still what opens), the demo shows a replay.
    const QString demo = StoreLocation::parse(AppSettings::demoStorePath()).toString(false);
    auto tour = std::make_shared<QMetaObject::Connection>();
    auto failure = std::make_shared<QMetaObject::Connection>();
    const auto done = [tour, failure] {
        disconnect(*tour);
        disconnect(*failure);
    };
    *tour = connect(this, &MainWindow::storeOpened, this, [this, demo, done] {
        done();
        if (m_opener->storeName() == demo)
            showBusiestUser();
    });
    *failure = connect(this, &MainWindow::storeFailed, this, done);
    m_jobs->openDemo();
}

void MainWindow::showBusiestUser()
{
    if (!m_store)
        return;
    StreamQuery query;
    query.filter = u"user-"_s;
    query.order = StreamQuery::Order::MostEvents;
    query.limit = 1;
    const auto streams = m_store->streams(query);
    if (!streams || streams->isEmpty())
        return;
    const StreamInfo &busiest = streams->constFirst();
    selectStream(busiest.stream);
    replayTo(busiest.firstVersion + (busiest.lastVersion - busiest.firstVersion) / 2);
}

// Every view state that belongs to a store goes with it: a stream filter typed for the
// last store would show the next one's list empty, its stream would title the charts.
void MainWindow::closeStore()
{
    m_streamModel->setStore(nullptr);
    m_eventModel->setStore(nullptr);
    m_store.reset();
    m_filterDelay.stop();
    {
        const QSignalBlocker block(m_streamFilter);
        m_streamFilter->clear();
    }
    m_streamModel->setFilter(QString());
    m_filterBar->reset();
    m_stream.clear();
    m_replayedPosition = -1;
    m_streamWithoutVersion = 0;
    updateSkippedNote();
    m_pendingVersion = -1;
    m_charts->setTitleSuffix(QString());
    m_replayVersions.clear();
    m_buckets.clear();
    m_timeline->setLanes({});
    m_timeline->setOverview({}, 0, 0);
    m_timeline->setSnapshots({}, {});
    m_replayBar->clear();
    m_stateView->showMessage(tr("Select a stream to replay its state."));
    m_inspector->clear();
    m_charts->setBuckets({}, EventStore::bucketMs(BucketSize::Day));
}

void MainWindow::onOpened(const StoreSummary &summary)
{
    QString error;
    m_store = EventStore::open(m_opener->location(), m_opener->options(), &error);
    if (!m_store) {
        m_opener->fail(error);
        return;
    }
    m_summary = summary;
    m_opener->accept(summary);
    setWindowTitle(tr("%1 (%2 layout) — Eventscope").arg(m_opener->shortName(), summary.layoutId));
    updateStatus();
    // A store read from a private copy, not in place, says so until the next message.
    if (const QString notice = m_store->readNotice(); !notice.isEmpty())
        statusBar()->showMessage(notice);

    m_palette = TypePalette(summary.typeCounts.keys());
    m_timeline->setPalette(m_palette);
    m_charts->setPalette(m_palette);
    m_charts->setClickTypes({});
    m_charts->setTitleSuffix(tr("whole store"));
    showTimeRange(summary);
    if (const auto range = drawableRange(summary.firstTimeMs, summary.lastTimeMs))
        m_timeline->setOverview(summary.density, range->fromMs, range->toMs);
    m_streamModel->setStore(m_store.get());
    m_eventModel->setStore(m_store.get());
    m_filterBar->setTypes(summary.typeCounts, m_palette);
    applyEventFilter();
    // The worker answers in order: the charts' buckets are one aggregation, the lanes read
    // every event of the busiest streams, so the charts go first.
    requestBuckets();
    requestLanes();
    emit storeOpened();
}

void MainWindow::showTimeRange(const StoreSummary &summary)
{
    const auto range = drawableRange(summary.firstTimeMs, summary.lastTimeMs);
    if (!range)
        return;
    const TimeRange shown = withMargin(*range);
    m_timeline->setFullRange(shown.fromMs, shown.toMs);
    m_timeline->resetZoom();
    m_replayBar->setTimeRange(range->fromMs, range->toMs);
    onPlayheadChanged(m_replayBar->playheadMs());
}

void MainWindow::onSummaryCompleted(const StoreSummary &summary)
{
    const StoreSummary quick = std::exchange(m_summary, summary);
    updateStatus();
    if (summary.firstTimeMs != quick.firstTimeMs || summary.lastTimeMs != quick.lastTimeMs)
        showTimeRange(summary);
    if (summary.typeCounts.keys() != quick.typeCounts.keys()) {
        m_palette = TypePalette(summary.typeCounts.keys());
        m_timeline->setPalette(m_palette);
        m_charts->setPalette(m_palette);
    }
    m_filterBar->updateTypes(summary.typeCounts, m_palette);
}

void MainWindow::onFailed(const QString &what, const QString &message)
{
    if (what == u"open") {
        m_opener->fail(message);
        return;
    }
    if (what == u"count")
        m_charts->clickCountFailed(); // also when cancelled: no count is coming
    if (message.contains(u"cancelled"_s)) {
        statusBar()->showMessage(tr("Cancelled"), 4000);
        if (what == u"replay")
            m_stateView->showMessage(tr("Replay of %1 cancelled. Select the stream again to "
                                        "replay it.")
                                         .arg(elidedName(m_stream)));
        return;
    }
    if (what == u"replay")
        m_stateView->showMessage(message);
    statusBar()->showMessage(message, 10000);
    if (PostgresConnection::isConnectionLost(message))
        m_opener->offerReconnect(message);
}

void MainWindow::onCancelled(const QString &what)
{
    statusBar()->showMessage(tr("Cancelled"), 4000);
    if (what == u"open") {
        m_opener->cancel();
    } else if (what == u"indexing") {
        statusBar()->showMessage(
            tr("Indexing cancelled: charts and the stream filter query the store directly"), 8000);
    } else if (what == u"replay") {
        m_stateView->showMessage(tr("Replay of %1 cancelled. Select the stream again to replay it.")
                                     .arg(elidedName(m_stream)));
    }
}

void MainWindow::updateStatus()
{
    if (!m_store)
        return;
    m_statusStore->setText(storeStatusText(m_summary, m_opener->location().displayName()));
    updateSkippedNote();
}

// What the window leaves out, and why, as the CLI says it: events without a valid time are on
// no timeline or chart; events of the replayed stream without a version are not replayed.
void MainWindow::updateSkippedNote()
{
    QStringList notes;
    if (m_store && m_summary.eventsWithoutTime > 0)
        notes << tr("%1 event(s) have no valid time (NULL, or not a date such as 2026-02-30) "
                    "and are on no timeline or chart")
                     .arg(number(m_summary.eventsWithoutTime));
    if (m_store && m_streamWithoutVersion > 0)
        notes << tr("%1 event(s) of %2 have no version (NULL, or the lowest 64-bit integer) and "
                    "are not replayed")
                     .arg(number(m_streamWithoutVersion), elidedName(m_stream));
    else if (m_store && m_streamWithoutVersion < 0)
        notes << tr("The events of %1 without a version could not be counted")
                     .arg(elidedName(m_stream));
    m_skippedNote->setText(notes.join(u" · "_s));
    m_skippedNote->setVisible(!notes.isEmpty());
}

// Which types the clicks chart counts: by default those with "click" in their name.
void MainWindow::updateClickMenu()
{
    m_clickMenu->clear();
    const QStringList counted = m_charts->clickTypes();
    for (const QString &type : m_palette.types()) {
        QAction *a = m_clickMenu->addAction(elidedName(type));
        a->setData(type);
        a->setCheckable(true);
        a->setChecked(counted.contains(type));
        connect(a, &QAction::toggled, this, [this] {
            QStringList types;
            const auto actions = m_clickMenu->actions();
            for (QAction *action : actions) {
                if (action->isChecked())
                    types << action->data().toString();
            }
            m_charts->setClickTypes(types);
        });
    }
    m_clickMenu->setEnabled(!m_palette.types().isEmpty());
}

EventFilter MainWindow::eventFilter() const
{
    return m_filterBar->filter();
}

void MainWindow::applyEventFilter()
{
    EventFilter filter = m_filterBar->filter();
    filter.stream = m_filterBar->selectedStreamOnly() ? m_stream : QString();
    m_eventModel->setFilter(filter);
    // The reloaded table has lost its selection; the replay has not moved, so no new state
    // would bring it back (a stream of one event cannot move at all).
    followReplayedEvent();
}

void MainWindow::onStreamSelectionChanged()
{
    const QModelIndexList rows = m_streamView->selectionModel()->selectedRows();
    const QString stream =
        rows.isEmpty() ? QString() : rows.constFirst().data(StreamListModel::StreamRole).toString();
    showStream(stream);
}

void MainWindow::showStream(const QString &stream)
{
    if (stream == m_stream)
        return;
    m_stream = stream;
    m_replayedPosition = -1;
    m_streamWithoutVersion = 0;
    updateSkippedNote();
    m_replayVersions.clear();
    m_replayComplete = false;
    m_timeline->setSnapshots({}, {});
    applyEventFilter();
    requestLanes();
    requestBuckets();
    requestClickCount();
    if (stream.isEmpty()) {
        m_session->closeReplay();
        m_stateView->showMessage(tr("Select a stream to replay its state."));
        m_replayBar->setTimeRange(m_summary.firstTimeMs, m_summary.lastTimeMs);
        onPlayheadChanged(m_replayBar->playheadMs());
        m_charts->setTitleSuffix(tr("whole store"));
        return;
    }
    m_charts->setTitleSuffix(tr("stream %1").arg(elidedName(stream)));
    m_stateView->showMessage(tr("Replaying %1…").arg(elidedName(stream)));
    m_session->loadReplay(stream, Projection());
}

void MainWindow::selectStream(const QString &stream)
{
    if (stream.isEmpty()) {
        m_streamView->clearSelection();
        return;
    }
    int row = m_streamModel->rowOfStream(stream);
    while (row < 0 && m_streamModel->canFetchMore({})) {
        m_streamModel->fetchMore({});
        row = m_streamModel->rowOfStream(stream);
    }
    if (row < 0) {
        statusBar()->showMessage(tr("No stream named %1").arg(elidedName(stream)), 8000);
        return;
    }
    const QModelIndex index = m_streamModel->index(row, 0);
    m_streamView->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                      QItemSelectionModel::Rows);
    m_streamView->setCurrentIndex(index);
    // After the first layout, so that the view knows its height.
    QTimer::singleShot(0, m_streamView, [this, index] {
        m_streamView->scrollTo(index, QAbstractItemView::PositionAtCenter);
    });
}

void MainWindow::replayTo(qint64 version)
{
    // While the replay loads, a version it has not folded yet waits for it.
    if (m_replayVersions.isEmpty() ||
        (!m_replayComplete && version > m_replayVersions.constLast())) {
        m_pendingVersion = version;
        return;
    }
    m_pendingVersion = -1;
    const auto it = std::upper_bound(m_replayVersions.cbegin(), m_replayVersions.cend(), version);
    m_replayBar->setIndex(qint64(it - m_replayVersions.cbegin()) - 1);
}

// The replay shows the state at the end of its first part at once; the slider reaches further
// as the rest is folded, and any state it has reached is answered between the parts.
void MainWindow::onReplayExtended(const QString &stream, const QVector<qint64> &versions,
                                  const QVector<qint64> &times)
{
    if (stream != m_stream || versions.isEmpty())
        return;
    if (!m_replayVersions.isEmpty()) {
        m_replayVersions += versions;
        m_replayBar->appendEvents(versions, times);
    } else {
        m_replayVersions = versions;
        m_replayComplete = false;
        m_replayMoved = false;
        m_replayBar->setStream(stream, versions, times);
        m_session->requestState(m_replayBar->index());
        onPlayheadChanged(m_replayBar->playheadMs());
    }
    if (m_pendingVersion >= 0)
        replayTo(m_pendingVersion);
}

void MainWindow::onReplayLoaded(const QString &stream, const QVector<qint64> &versions,
                                const QVector<qint64> &times)
{
    if (stream != m_stream)
        return;
    if (m_replayVersions.size() != versions.size()) { // the parts did not all arrive
        m_replayVersions = versions;
        m_replayBar->setStream(stream, versions, times);
        m_session->requestState(m_replayBar->index());
    }
    m_replayComplete = true;
    if (m_pendingVersion >= 0)
        replayTo(m_pendingVersion);
    else if (!m_replayMoved)
        m_replayBar->jumpToEnd(); // the latest state, as a replay that loaded at once shows
    if (m_summary.hasSnapshots)
        m_session->requestSnapshots(stream);
    onPlayheadChanged(m_replayBar->playheadMs());
}

// The dialog stays open beside the window, so that snapshots can be compared one after another.
void MainWindow::compareSnapshot(const StoredSnapshot &snapshot)
{
    if (!m_compareDialog) {
        m_compareDialog = new SnapshotCompareDialog(this);
        m_compareDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_compareDialog->showPending(snapshot);
    m_compareDialog->show();
    m_compareDialog->raise();
    m_session->requestComparison(snapshot);
}

void MainWindow::onStateReady(const ReplayState &state)
{
    if (state.stream != m_stream)
        return;
    m_stateView->setState(state);
    m_replayedPosition = state.index >= 0 ? state.position : -1;
    m_timeline->setSelectedEvent(m_replayedPosition);
    followReplayedEvent();
}

// The event the replay stands on is the one to inspect. A table of the replayed stream pages
// forward to it (a few keyset pages); a table of all streams pages forward to it as well, at
// most EventTableModel's seek limit: the table follows the replay wherever its filters let it.
void MainWindow::followReplayedEvent()
{
    if (m_replayedPosition < 0)
        return;
    const int row = m_eventModel->rowOfPosition(m_replayedPosition, true);
    if (row < 0) {
        // Hidden by the table's filters: no other row stays highlighted as if it were it.
        const QSignalBlocker block(m_eventView->selectionModel());
        m_eventView->selectionModel()->clearSelection();
        m_eventView->viewport()->update();
    } else {
        const QModelIndex index = m_eventModel->index(row, 0);
        {
            const QSignalBlocker block(m_eventView->selectionModel());
            m_eventView->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
        }
        m_eventView->viewport()->update();
        scrollEventsTo(index);
        m_inspector->setEvent(m_eventModel->event(row));
    }
}

void MainWindow::onPlayheadChanged(qint64 ms)
{
    m_timeline->setPlayhead(ms);
    m_charts->setPlayhead(ms);
    requestClickCount();
}

void MainWindow::onEventSelectionChanged()
{
    const QModelIndexList rows = m_eventView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return;
    const Event &event = m_eventModel->event(rows.constFirst().row());
    m_inspector->setEvent(event);
    m_timeline->setSelectedEvent(event.position);
    // An event of the replayed stream moves the replay there.
    if (event.stream == m_stream && !m_replayVersions.isEmpty())
        replayTo(event.version);
}

void MainWindow::onTimelineEventClicked(const QString &stream, qint64 position, qint64 version)
{
    // An event of another lane's stream selects that stream, as the list would, and replays
    // it to the event; the table (and its "Selected stream only") follows the replay.
    if (!m_stream.isEmpty() && stream != m_stream) {
        if (stream.contains(m_streamModel->filter(), Qt::CaseInsensitive)) {
            selectStream(stream);
        } else {
            m_streamView->clearSelection(); // filtered out of the list
            showStream(stream);
        }
        replayTo(version);
        return;
    }
    const int row = m_eventModel->rowOfPosition(position, true);
    if (row < 0) {
        statusBar()->showMessage(tr("Event %1 is hidden by the table's filters").arg(position),
                                 6000);
        return;
    }
    const QModelIndex index = m_eventModel->index(row, 0);
    m_eventView->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                     QItemSelectionModel::Rows);
    scrollEventsTo(index);
}

// After the view has laid out rows a fetch has just added; until then it scrolls to stale
// geometry.
void MainWindow::scrollEventsTo(const QModelIndex &index)
{
    QTimer::singleShot(0, m_eventView, [this, target = QPersistentModelIndex(index)] {
        if (target.isValid())
            m_eventView->scrollTo(target, QAbstractItemView::PositionAtCenter);
    });
}

void MainWindow::requestLanes()
{
    if (m_store)
        m_session->requestLanes(m_stream, TimelineLanes);
}

void MainWindow::onLanesReady(const QVector<StreamColumns> &columns)
{
    m_timeline->setLanes(timelineLanes(columns, m_palette.types()));
}

void MainWindow::requestBuckets()
{
    if (!m_store || m_summary.firstTimeMs == NoTime)
        return;
    m_bucketSize = bucketSizeFor(m_timeline->scale().spanMs());
    BucketFilter filter;
    filter.stream = m_stream;
    m_session->requestBuckets(m_bucketSize, filter);
}

// The charts' "N clicks up to T", counted exactly on the worker for the charts' scope and
// click types; every request replaces the one before, so a moving playhead is counted once
// it rests.
void MainWindow::requestClickCount()
{
    m_charts->forgetClickCount();
    const qint64 ms = m_charts->playhead();
    if (m_store && ms != NoTime)
        m_session->requestCountUpTo(m_stream, m_charts->clickTypes(), ms);
}

void MainWindow::onBucketsReady(const QVector<Bucket> &buckets, BucketSize size)
{
    m_buckets = buckets;
    m_bucketSize = size;
    showVisibleBuckets();
}

// Only the buckets in the timeline's visible range: the charts follow its zoom. What came
// before the range is summed per type, so that running click counts start at the beginning.
void MainWindow::showVisibleBuckets()
{
    const TimeScale scale = m_timeline->scale();
    const qint64 width = EventStore::bucketMs(m_bucketSize);
    const VisibleBuckets visible = visibleBuckets(m_buckets, width, scale.startMs, scale.endMs);
    m_charts->setBuckets(visible.buckets, width, visible.earlier);
}

void MainWindow::onVisibleRangeChanged()
{
    if (bucketSizeFor(m_timeline->scale().spanMs()) != m_bucketSize)
        requestBuckets();
    else
        showVisibleBuckets();
    checkSettled();
}

void MainWindow::onChartRangeSelected(qint64 fromMs, qint64 toMs)
{
    m_filterBar->setTimeRange(fromMs, toMs);
    m_timeline->setVisibleRange(fromMs, toMs);
}

void MainWindow::checkSettled()
{
    if (isSettled())
        emit settled();
}

bool MainWindow::isSettled() const
{
    return m_session->isIdle() && !m_filterDelay.isActive() && !m_rangeDelay.isActive();
}

#include "mainwindow.h"

#include "activitycharts.h"
#include "columnmappingdialog.h"
#include "connectdialog.h"
#include "decoding/timecodec.h"
#include "elidedtext.h"
#include "eventinspector.h"
#include "eventtablemodel.h"
#include "icons.h"
#include "importreportbox.h"
#include "index/eventindex.h"
#include "replaybar.h"
#include "snapshotcomparedialog.h"
#include "stateview.h"
#include "store/eventstore.h"
#include "streamlistmodel.h"
#include "timelineview.h"
#include "writers/demogenerator.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QtConcurrent>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr int TimelineLanes = 8;
constexpr int ProgressSteps = 1000; // of the status bar's bar, for a job that reports progress

QString number(qint64 n)
{
    return QLocale().toString(n);
}

QString shortTime(qint64 ms)
{
    return ms == NoTime ? QString() : TimeCodec::format(ms).left(16).replace(u'T', u' ');
}

// The store's time range as the window lays it out: a missing end is the other end (a store
// whose last time does not parse still has its first), ends out of order are swapped, and
// both are kept where the timeline's math works. False when the store has no time at all.
bool drawableRange(qint64 first, qint64 last, qint64 *from, qint64 *to)
{
    if (first == NoTime && last == NoTime)
        return false;
    if (first == NoTime)
        first = last;
    if (last == NoTime)
        last = first;
    *from = TimeScale::clampTime(qMin(first, last));
    *to = TimeScale::clampTime(qMax(first, last));
    return true;
}

// The bucket that gives a readable chart for a visible span: a few hundred bars at most.
BucketSize bucketFor(qint64 spanMs)
{
    if (spanMs <= 12 * 3600000LL)
        return BucketSize::Minute;
    if (spanMs <= 21 * 86400000LL)
        return BucketSize::Hour;
    if (spanMs <= 400 * 86400000LL)
        return BucketSize::Day;
    return BucketSize::Week;
}

} // namespace

MainWindow::MainWindow(const QString &settingsFile, QWidget *parent)
    : QMainWindow(parent), m_settings(settingsFile),
      m_failureMessages(QGuiApplication::platformName() != u"offscreen")
{
    setWindowIcon(Icons::icon(Icons::App));
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    m_session = new StoreSession(this);
    connect(m_session, &StoreSession::opened, this, &MainWindow::onOpened);
    connect(m_session, &StoreSession::summaryCompleted, this, &MainWindow::onSummaryCompleted);
    connect(m_session, &StoreSession::progress, this,
            [this](StoreSession::Job job, qint64 done, qint64 total) {
                if (job == StoreSession::Job::Index) {
                    m_busyBar->setRange(0, ProgressSteps);
                    m_busyBar->setValue(total > 0 ? int(qMin(done, total) * ProgressSteps / total)
                                                  : 0);
                    m_busyLabel->setText(
                        tr("Indexing %1 of %2 events").arg(number(done), number(total)));
                } else if (job == StoreSession::Job::Replay) {
                    m_busyLabel->setText(
                        tr("Replaying %1: %2 events").arg(elidedName(m_stream), number(done)));
                }
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
    connect(m_session, &StoreSession::busyChanged, this, &MainWindow::onBusyChanged);
    connect(m_session, &StoreSession::replayExtended, this, &MainWindow::onReplayExtended);
    connect(m_session, &StoreSession::replayLoaded, this, &MainWindow::onReplayLoaded);
    connect(m_session, &StoreSession::stateReady, this, &MainWindow::onStateReady);
    connect(m_session, &StoreSession::lanesReady, this, &MainWindow::onLanesReady);
    connect(m_session, &StoreSession::bucketsReady, this, &MainWindow::onBucketsReady);
    connect(m_session, &StoreSession::idle, this, &MainWindow::checkSettled);
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
            [this](StoreSession::Job job, const StoreError &error) {
                if (job == StoreSession::Job::Compare && m_compareDialog)
                    m_compareDialog->showError(error.message);
            });

    // Centre: the timeline above the events table.
    m_timeline = new TimelineView(this);
    m_timeline->setObjectName(u"timeline"_s);
    m_eventModel = new EventTableModel(this);
    connect(m_eventModel, &EventTableModel::errorOccurred, this, &MainWindow::onListFailed);
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

    m_typeButton = new QToolButton(this);
    m_typeButton->setText(tr("Types"));
    m_typeButton->setPopupMode(QToolButton::InstantPopup);
    m_typeButton->setMenu(new QMenu(m_typeButton));
    m_typeButton->setToolTip(tr("Show only some event types"));
    m_timeChip = new QToolButton(this);
    m_timeChip->setToolTip(tr("Clear the time filter"));
    m_timeChip->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_timeChip->setIcon(Icons::icon(Icons::Cancel));
    m_timeChip->hide();
    connect(m_timeChip, &QToolButton::clicked, this, [this] {
        m_filter.fromTimeMs = m_filter.toTimeMs = NoTime;
        applyEventFilter();
    });
    m_selectedOnly = new QCheckBox(tr("Selected stream only"), this);
    m_selectedOnly->setChecked(true);
    connect(m_selectedOnly, &QCheckBox::toggled, this, &MainWindow::applyEventFilter);
    auto *eventsBar = new QHBoxLayout;
    eventsBar->setContentsMargins(4, 2, 4, 2);
    eventsBar->addWidget(new QLabel(tr("Events"), this));
    eventsBar->addWidget(m_typeButton);
    eventsBar->addWidget(m_timeChip);
    eventsBar->addStretch(1);
    eventsBar->addWidget(m_selectedOnly);
    auto *eventsPane = new QWidget(this);
    auto *eventsLayout = new QVBoxLayout(eventsPane);
    eventsLayout->setContentsMargins(0, 0, 0, 0);
    eventsLayout->setSpacing(0);
    eventsLayout->addLayout(eventsBar);
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
    m_busyLabel = new QLabel(this);
    m_busyBar = new QProgressBar(this);
    m_busyBar->setRange(0, 0);
    m_busyBar->setMaximumWidth(120);
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setIcon(Icons::icon(Icons::Cancel));
    m_cancelButton->setToolTip(tr("Cancel (Esc)"));
    m_cancelButton->setAutoRaise(true);
    connect(m_cancelButton, &QToolButton::clicked, m_session, &StoreSession::cancel);
    statusBar()->addWidget(m_statusStore, 1);
    statusBar()->addPermanentWidget(m_busyLabel);
    statusBar()->addPermanentWidget(m_busyBar);
    statusBar()->addPermanentWidget(m_cancelButton);
    onBusyChanged(false, {});

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
    updateRecentMenu();
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
    connect(m_streamModel, &StreamListModel::errorOccurred, this, &MainWindow::onListFailed);
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
    QAction *open =
        file->addAction(Icons::icon(Icons::Open), tr("&Open…"), this, &MainWindow::showOpenDialog);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    QAction *demo = file->addAction(Icons::icon(Icons::Demo), tr("Open &Demo Store"), this,
                                    &MainWindow::openDemo);
    demo->setShortcut(u"Ctrl+Shift+D"_s);
    QAction *connectPg = file->addAction(Icons::icon(Icons::Connect), tr("Connect to &PostgreSQL…"),
                                         this, &MainWindow::showConnectDialog);
    connectPg->setObjectName(u"connectPostgresAction"_s);
    connectPg->setShortcut(u"Ctrl+Shift+O"_s);
    connectPg->setStatusTip(tr("Open an event store in a PostgreSQL database"));
    QAction *import = file->addAction(tr("&Import…"), this, &MainWindow::showImportDialog);
    import->setObjectName(u"importAction"_s);
    import->setShortcut(u"Ctrl+I"_s);
    import->setStatusTip(tr("Import events from JSON Lines, KurrentDB Atom pages or CSV into a "
                            "new store"));
    file->addSeparator();
    m_mapAction = file->addAction(tr("&Map Columns…"), this, [this] { offerMapping(QString()); });
    m_mapAction->setShortcut(u"Ctrl+M"_s);
    m_mapAction->setEnabled(false);
    m_tableAction = file->addAction(tr("Choose Events &Table…"), this, &MainWindow::chooseTable);
    m_tableAction->setObjectName(u"chooseTableAction"_s);
    m_tableAction->setShortcut(u"Ctrl+Shift+T"_s);
    m_tableAction->setStatusTip(tr("Read another of the store's event tables"));
    m_tableAction->setEnabled(false);
    m_reloadAction =
        file->addAction(Icons::icon(Icons::Reload), tr("Re&load"), this, &MainWindow::reload);
    m_reloadAction->setShortcut(QKeySequence::Refresh);
    m_reloadAction->setEnabled(false);
    m_reloadAction->setObjectName(u"reloadAction"_s);
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
    QAction *keys = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(Icons::icon(Icons::App), tr("&About Eventscope"), this, &MainWindow::showAbout);

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName(u"mainToolBar"_s);
    tools->setMovable(false);
    tools->addActions({open, demo, m_reloadAction});
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
        openStore(urls.constFirst().toLocalFile());
        event->acceptProposedAction();
    }
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList stores = m_settings.recentStores();
    for (int i = 0; i < stores.size(); ++i) {
        const QString store = stores.at(i);
        QAction *a = m_recentMenu->addAction(u"&%1 %2"_s.arg(i + 1).arg(store), this,
                                             [this, store] { openStore(store); });
        a->setToolTip(store);
    }
    m_recentMenu->setEnabled(!stores.isEmpty());
}

void MainWindow::showOpenDialog()
{
    const QString dir = m_location.kind() == StoreLocation::Kind::Sqlite
                            ? QFileInfo(m_location.path()).absolutePath()
                            : QString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Event Store"), dir,
        tr("SQLite event stores (*.db *.sqlite *.sqlite3 *.db3);;All files (*)"));
    if (!path.isEmpty())
        openStore(path);
}

void MainWindow::showConnectDialog()
{
    ConnectDialog dialog(this);
    const PostgresConnectionSettings last = m_settings.postgresConnection();
    dialog.setConnection(last.host, last.port, last.database, last.user, last.schema);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const StoreLocation location = dialog.location();
    m_settings.setPostgresConnection({location.host(), location.port(), location.database(),
                                      location.user(), location.schema()});
    openLocation(location);
}

void MainWindow::showImportDialog()
{
    const QString input = QFileDialog::getOpenFileName(
        this, tr("Import Events"), QString(),
        tr("Event files (*.jsonl *.ndjson *.json *.csv);;JSON Lines (*.jsonl *.ndjson);;"
           "KurrentDB Atom pages (*.json);;CSV (*.csv);;All files (*)"));
    if (input.isEmpty())
        return;
    // Next to the input, under a name that is free: imports never overwrite (the writer
    // refuses to), so the dialog need not ask.
    const QFileInfo info(input);
    QString suggested = info.dir().filePath(info.completeBaseName() + u".db"_s);
    for (int n = 2; QFileInfo::exists(suggested); ++n)
        suggested = info.dir().filePath(u"%1-%2.db"_s.arg(info.completeBaseName()).arg(n));
    const QString output = QFileDialog::getSaveFileName(this, tr("Save the Imported Store"),
                                                        suggested, tr("SQLite event stores (*.db)"),
                                                        nullptr, QFileDialog::DontConfirmOverwrite);
    if (!output.isEmpty())
        importFile(input, output);
}

namespace {

// Shared by the import's worker and the GUI, which polls it: no object crosses threads.
struct ImportProgress
{
    std::atomic_bool cancel = false;
    std::atomic<qint64> done = 0;
    std::atomic<qint64> total = 0;
};

struct ImportOutcome
{
    bool ok = false;
    bool cancelled = false; // a failure because the import was cancelled
    QString error;
    EventImporter::Report report;
};

} // namespace

void MainWindow::importFile(const QString &input, const QString &output)
{
    auto progress = std::make_shared<ImportProgress>();
    auto *dialog = new QProgressDialog(tr("Importing %1…").arg(QFileInfo(input).fileName()),
                                       tr("Cancel"), 0, 1000, this);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(500);
    // Cancel, closing the dialog, or the window going away: nobody would open the store.
    connect(dialog, &QProgressDialog::canceled, this, [progress] { progress->cancel = true; });
    connect(dialog, &QObject::destroyed, [progress] { progress->cancel = true; });
    auto *poll = new QTimer(dialog);
    poll->callOnTimeout(dialog, [dialog, progress] {
        if (progress->total > 0)
            dialog->setValue(int(progress->done * 1000 / progress->total));
    });
    poll->start(100);

    auto *watcher = new QFutureWatcher<ImportOutcome>(this);
    connect(watcher, &QFutureWatcher<ImportOutcome>::finished, this,
            [this, watcher, dialog, input, output] {
                const ImportOutcome outcome = watcher->result();
                watcher->deleteLater();
                dialog->deleteLater();
                QMessageBox *box = nullptr;
                if (outcome.ok) {
                    openStore(output);
                    box = new ImportReportBox(input, output, outcome.report, this);
                } else if (outcome.cancelled) {
                    statusBar()->showMessage(tr("Import cancelled"), 4000);
                } else {
                    box = new QMessageBox(QMessageBox::Warning, tr("Import"), outcome.error,
                                          QMessageBox::Close, this);
                }
                if (box) {
                    box->setAttribute(Qt::WA_DeleteOnClose);
                    box->open(); // not exec(): the store opens behind it
                }
            });
    watcher->setFuture(QtConcurrent::run([input, output, progress] {
        JobControl job;
        job.cancel = &progress->cancel;
        job.progress = [progress](qint64 done, qint64 total) {
            progress->done = done;
            progress->total = total;
        };
        ImportOutcome outcome;
        outcome.ok = EventImporter::import(input, output, &outcome.report, &outcome.error, job);
        outcome.cancelled = !outcome.ok && job.cancelled();
        return outcome;
    }));
}

void MainWindow::openDemo()
{
    const QString path = AppSettings::demoStorePath();
    // Once it has opened (and only if it is still what opens), the demo shows a replay.
    auto tour = std::make_shared<QMetaObject::Connection>();
    auto failure = std::make_shared<QMetaObject::Connection>();
    const auto done = [tour, failure] {
        disconnect(*tour);
        disconnect(*failure);
    };
    *tour = connect(this, &MainWindow::storeOpened, this, [this, path, done] {
        done();
        if (m_storeName == StoreLocation::parse(path).toString(false))
            showBusiestUser();
    });
    *failure = connect(this, &MainWindow::storeFailed, this, done);
    if (QFileInfo::exists(path)) {
        openStore(path);
        return;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    onBusyChanged(true, tr("Writing the demo store"));
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
        const QString error = watcher->result();
        watcher->deleteLater();
        onBusyChanged(false, {});
        if (error.isEmpty())
            openStore(path);
        else
            QMessageBox::warning(this, tr("Demo store"), error);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        QString error;
        DemoGenerator::generate(path, DemoGenerator::Options(), &error);
        return error;
    }));
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

void MainWindow::reload()
{
    if (!m_storeName.isEmpty())
        openLocation(m_location, m_mapSpec);
}

void MainWindow::openStore(const QString &store, const QString &mapSpec, const QString &table)
{
    const StoreLocation location = StoreLocation::parse(store);
    if (!table.isEmpty())
        m_tables.insert(location.toString(false), table);
    openLocation(location, mapSpec);
}

void MainWindow::openLocation(StoreLocation location, const QString &mapSpec)
{
    if (!location.isValid()) {
        m_location = location;
        m_storeName.clear();
        onOpenFailed({StoreError::Kind::NotAStore, location.errorString()});
        return;
    }
    if (location.kind() == StoreLocation::Kind::Postgres) {
        // A password belongs to a role of a server, whichever database or schema.
        const QString key =
            location.user() + u'@' + location.host() + u':' + QString::number(location.port());
        if (!location.password().isEmpty())
            m_passwords.insert(key, location.password());
        else
            location.setPassword(m_passwords.value(key));
    }
    closeStore();
    m_reconnectOffered = false;
    m_location = location;
    m_storeName = location.toString(false);
    m_mapSpec = mapSpec.isEmpty() ? m_settings.mapping(m_storeName) : mapSpec;
    setWindowTitle(tr("%1 — Eventscope").arg(shortStoreName()));
    m_statusStore->setText(tr("Opening %1…").arg(location.displayName()));
    m_session->open(location, StoreOpenOptions{m_mapSpec, m_tables.value(m_storeName)});
}

QString MainWindow::shortStoreName() const
{
    if (m_location.kind() == StoreLocation::Kind::Postgres)
        return tr("%1 on %2").arg(m_location.database(), m_location.host());
    return QFileInfo(m_storeName).fileName();
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
    {
        const QSignalBlocker block(m_selectedOnly);
        m_selectedOnly->setChecked(true);
    }
    m_stream.clear();
    m_pendingVersion = -1;
    m_charts->setTitleSuffix(QString());
    m_replayVersions.clear();
    m_buckets.clear();
    m_filter = EventFilter();
    m_timeline->setLanes({});
    m_timeline->setOverview({}, 0, 0);
    m_timeline->setSnapshots({}, {});
    m_replayBar->clear();
    m_stateView->showMessage(tr("Select a stream to replay its state."));
    m_inspector->clear();
    m_charts->setBuckets({}, EventStore::bucketMs(BucketSize::Day));
    m_reloadAction->setEnabled(false);
    m_mapAction->setEnabled(false);
    m_tableAction->setEnabled(false);
}

void MainWindow::onOpened(const StoreSummary &summary)
{
    StoreError error;
    m_store = EventStore::open(m_location, StoreOpenOptions{m_mapSpec, m_tables.value(m_storeName)},
                               &error);
    if (!m_store) {
        onOpenFailed(error);
        return;
    }
    m_summary = summary;
    m_settings.addRecentStore(m_storeName);
    if (!m_mapSpec.isEmpty())
        m_settings.setMapping(m_storeName, m_mapSpec);
    updateRecentMenu();
    m_reloadAction->setEnabled(true);
    m_mapAction->setEnabled(true);
    m_tableAction->setEnabled(summary.matches.size() > 1);
    setWindowTitle(tr("%1 (%2 layout) — Eventscope").arg(shortStoreName(), summary.layoutId));
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
    if (qint64 from = 0, to = 0; drawableRange(summary.firstTimeMs, summary.lastTimeMs, &from, &to))
        m_timeline->setOverview(summary.density, from, to);
    m_streamModel->setStore(m_store.get());
    m_eventModel->setStore(m_store.get());
    updateTypeMenu();
    applyEventFilter();
    // The worker answers in order: the charts' buckets are one aggregation, the lanes read
    // every event of the busiest streams, so the charts go first.
    requestBuckets();
    requestLanes();
    emit storeOpened();
}

void MainWindow::showTimeRange(const StoreSummary &summary)
{
    qint64 from = 0, to = 0;
    if (!drawableRange(summary.firstTimeMs, summary.lastTimeMs, &from, &to))
        return;
    // A little room on both sides, so that the first and last marks are not cut.
    const qint64 margin = qMax<qint64>(1000, (to - from) / 50);
    m_timeline->setFullRange(from - margin, to + margin);
    m_timeline->resetZoom();
    m_replayBar->setTimeRange(from, to);
    onPlayheadChanged(m_replayBar->playheadMs());
}

void MainWindow::onSummaryCompleted(const StoreSummary &summary)
{
    const StoreSummary quick = std::exchange(m_summary, summary);
    updateStatus();
    if (summary.firstTimeMs != quick.firstTimeMs || summary.lastTimeMs != quick.lastTimeMs)
        showTimeRange(summary);
    const QStringList types = summary.typeCounts.keys();
    if (types != quick.typeCounts.keys()) {
        // A new palette and menu for the types the quick summary missed; the ones the user
        // has unticked meanwhile stay unticked.
        QStringList unticked;
        const auto actions = m_typeButton->menu()->actions();
        for (const QAction *action : actions) {
            if (!action->isChecked())
                unticked << action->data().toString();
        }
        m_palette = TypePalette(types);
        m_timeline->setPalette(m_palette);
        m_charts->setPalette(m_palette);
        updateTypeMenu();
        const auto relabelled = m_typeButton->menu()->actions();
        for (QAction *action : relabelled) {
            if (unticked.contains(action->data().toString()))
                action->setChecked(false);
        }
        return;
    }
    // Relabelled, not rebuilt: the types the user has unticked meanwhile stay unticked.
    const auto actions = m_typeButton->menu()->actions();
    for (QAction *action : actions) {
        const QString type = action->data().toString();
        action->setText(
            u"%1 (%2)"_s.arg(elidedName(type), number(summary.typeCounts.value(type))));
    }
}

void MainWindow::onFailed(StoreSession::Job job, const StoreError &error)
{
    if (job == StoreSession::Job::Open) {
        onOpenFailed(error);
        return;
    }
    if (job == StoreSession::Job::CountUpTo)
        m_charts->clickCountFailed(); // no count is coming
    if (job == StoreSession::Job::Replay)
        m_stateView->showMessage(error.message);
    showFailure(error);
}

// The lists read the window's own store: its last error says what kind of failure it was.
void MainWindow::onListFailed(const QString &message)
{
    showFailure({m_store ? m_store->lastError().kind : StoreError::Kind::Sql, message});
}

void MainWindow::showFailure(const StoreError &error)
{
    statusBar()->showMessage(error.message, 10000);
    if (error.kind == StoreError::Kind::ConnectionLost)
        offerReconnect(error.message);
}

void MainWindow::onOpenFailed(const StoreError &error)
{
    // m_location stays: it is what Retry and Map Columns open again, with the password
    // typed in this session.
    const StoreLocation location = m_location;
    const QString store = m_storeName;
    const QString mapSpec = m_mapSpec;
    closeStore();
    m_storeName.clear();
    setWindowTitle(tr("Eventscope"));
    m_statusStore->setText(store.isEmpty() ? tr("Could not open the store")
                                           : tr("Could not open %1").arg(store));
    // A file that has gone is no use offering again; a server that is down may be back.
    if (location.kind() == StoreLocation::Kind::Sqlite && !QFileInfo::exists(store) &&
        m_settings.recentStores().contains(store)) {
        m_settings.removeRecentStore(store);
        updateRecentMenu();
    }
    emit storeFailed(error.message);
    if (!isVisible() || !m_failureMessages)
        return; // the screenshot mode and tests read storeFailed
    QMessageBox box(QMessageBox::Warning, tr("Cannot open the store"), error.message,
                    QMessageBox::NoButton, this);
    QPushButton *map = error.mappingMayHelp()
                           ? box.addButton(tr("Map Columns…"), QMessageBox::AcceptRole)
                           : nullptr;
    QPushButton *retry = location.isValid() ? box.addButton(QMessageBox::Retry) : nullptr;
    QPushButton *other = box.addButton(tr("Open Another…"), QMessageBox::ActionRole);
    box.addButton(QMessageBox::Close);
    box.exec();
    if (map && box.clickedButton() == static_cast<QAbstractButton *>(map)) {
        m_storeName = store;
        offerMapping(error.message);
    } else if (retry && box.clickedButton() == static_cast<QAbstractButton *>(retry)) {
        openLocation(location, mapSpec);
    } else if (box.clickedButton() == static_cast<QAbstractButton *>(other)) {
        showOpenDialog();
    }
}

// Every part of the window that reads the store fails at once when the server goes away;
// one question is enough.
void MainWindow::offerReconnect(const QString &message)
{
    if (m_reconnectOffered)
        return;
    m_reconnectOffered = true;
    emit connectionLost(message);
    if (!isVisible() || !m_failureMessages)
        return;
    QMessageBox box(QMessageBox::Warning, tr("Connection lost"), message,
                    QMessageBox::Retry | QMessageBox::Close, this);
    box.setInformativeText(tr("Retry reconnects and reloads the store."));
    if (box.exec() == QMessageBox::Retry)
        reload();
}

void MainWindow::onCancelled(StoreSession::Job job)
{
    statusBar()->showMessage(tr("Cancelled"), 4000);
    if (job == StoreSession::Job::CountUpTo) {
        m_charts->clickCountFailed(); // no count is coming
    } else if (job == StoreSession::Job::Open) {
        const QString store = m_storeName;
        closeStore();
        m_storeName.clear();
        setWindowTitle(tr("Eventscope"));
        m_statusStore->setText(tr("Opening %1 was cancelled").arg(store));
    } else if (job == StoreSession::Job::Index) {
        statusBar()->showMessage(
            tr("Indexing cancelled: charts and the stream filter query the store directly"), 8000);
    } else if (job == StoreSession::Job::Replay) {
        m_stateView->showMessage(tr("Replay of %1 cancelled. Select the stream again to replay it.")
                                     .arg(elidedName(m_stream)));
    }
}

void MainWindow::offerMapping(const QString &problem)
{
    StoreError error;
    const auto catalog = EventStore::catalog(m_location, &error);
    if (!catalog) {
        QMessageBox::warning(this, tr("Map Columns"), error.message);
        return;
    }
    ColumnMappingDialog dialog(
        shortStoreName(), problem.isEmpty() ? tr("Choose the columns Eventscope reads.") : problem,
        *catalog, this);
    if (dialog.exec() == QDialog::Accepted)
        openLocation(m_location, dialog.spec());
}

void MainWindow::onBusyChanged(bool busy, const QString &what)
{
    m_busyBar->setRange(0, 0); // until a job reports its progress
    m_busyLabel->setText(what);
    m_busyLabel->setVisible(busy);
    m_busyBar->setVisible(busy);
    m_cancelButton->setVisible(busy);
}

void MainWindow::updateStatus()
{
    if (!m_store)
        return;
    QString table = m_summary.table;
    if (m_summary.matches.size() > 1)
        table = tr("%1 (1 of %2 event tables, Ctrl+Shift+T to choose)")
                    .arg(m_summary.table)
                    .arg(m_summary.matches.size());
    // A quick summary's figures say what they are until the exact counts arrive.
    const QString events =
        m_summary.exact ? number(m_summary.events) : tr("≤ %1").arg(number(m_summary.events));
    const QString streams = m_summary.streams < 0 ? tr("counting") : number(m_summary.streams);
    m_statusStore->setText(tr("%1 events · %2 streams · %3 – %4 · %5 · %6 %7")
                               .arg(events, streams, shortTime(m_summary.firstTimeMs),
                                    shortTime(m_summary.lastTimeMs), m_location.displayName(),
                                    m_summary.layoutTitle, table));
}

void MainWindow::chooseTable()
{
    if (m_summary.matches.size() < 2)
        return;
    QStringList items;
    int current = 0;
    for (const LayoutMatch &m : std::as_const(m_summary.matches)) {
        if (m.table == m_summary.table && m.id == m_summary.layoutId)
            current = int(items.size());
        items << tr("%1 — %2").arg(m.table, m.title);
    }
    bool ok = false;
    const QString picked = QInputDialog::getItem(
        this, tr("Choose Events Table"), tr("This store holds events in several tables. Read:"),
        items, current, false, &ok);
    if (!ok)
        return;
    const int index = int(items.indexOf(picked));
    if (index < 0 || index == current)
        return;
    m_tables.insert(m_storeName, m_summary.matches.at(index).table);
    openLocation(m_location, m_mapSpec);
}

void MainWindow::updateTypeMenu()
{
    QMenu *menu = m_typeButton->menu();
    menu->clear();
    for (auto it = m_summary.typeCounts.cbegin(); it != m_summary.typeCounts.cend(); ++it) {
        QPixmap swatch(12, 12);
        swatch.fill(m_palette.color(it.key()));
        const QString count = it.value() < 0 ? tr("counting") : number(it.value());
        QAction *a = menu->addAction(QIcon(swatch), u"%1 (%2)"_s.arg(elidedName(it.key()), count));
        a->setCheckable(true);
        a->setChecked(true);
        a->setData(it.key());
        connect(a, &QAction::toggled, this, [this, a](bool checked) {
            QStringList types;
            const auto actions = m_typeButton->menu()->actions();
            for (QAction *action : actions) {
                if (action->isChecked())
                    types << action->data().toString();
            }
            if (!checked && types.isEmpty()) {
                a->setChecked(true); // at least one type stays shown
                return;
            }
            m_filter.types = types.size() == actions.size() ? QStringList() : types;
            applyEventFilter();
        });
    }
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

void MainWindow::applyEventFilter()
{
    EventFilter filter = m_filter;
    filter.stream = m_selectedOnly->isChecked() ? m_stream : QString();
    m_typeButton->setText(m_filter.types.isEmpty()
                              ? tr("All types")
                              : tr("%n type(s)", nullptr, int(m_filter.types.size())));
    updateTimeChip();
    m_eventModel->setFilter(filter);
}

void MainWindow::updateTimeChip()
{
    const bool timed = m_filter.fromTimeMs != NoTime;
    m_timeChip->setVisible(timed);
    if (timed)
        m_timeChip->setText(
            tr("%1 – %2").arg(shortTime(m_filter.fromTimeMs), shortTime(m_filter.toTimeMs)));
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
    m_timeline->setSelectedEvent(state.index >= 0 ? state.position : -1);
    // The event the replay stands on is the one to inspect. A table of the replayed stream
    // pages forward to it (a few keyset pages); a table of all streams only looks at what it
    // has, so that scrubbing never loads a large part of the store.
    // A table of all streams pages forward to it as well, at most EventTableModel's seek
    // limit: the table follows the replay wherever its filters let it.
    const int row = state.index >= 0 ? m_eventModel->rowOfPosition(state.position, true) : -1;
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
    QHash<QString, quint16> typeIndex;
    const QStringList types = m_palette.types();
    for (int i = 0; i < types.size(); ++i)
        typeIndex.insert(types.at(i), quint16(i));
    QVector<TimelineLane> lanes;
    for (const StreamColumns &c : columns) {
        TimelineLane lane;
        lane.stream = c.stream;
        lane.times = c.times;
        lane.versions = c.versions;
        lane.positions = c.positions;
        lane.types.reserve(c.types.size());
        for (const QString &type : c.types)
            lane.types << typeIndex.value(type);
        lanes << lane;
    }
    m_timeline->setLanes(lanes);
}

void MainWindow::requestBuckets()
{
    if (!m_store || m_summary.firstTimeMs == NoTime)
        return;
    m_bucketSize = bucketFor(m_timeline->scale().spanMs());
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
    QVector<Bucket> visible;
    QMap<QString, qint64> earlier;
    for (const Bucket &b : std::as_const(m_buckets)) {
        if (b.startMs + width <= scale.startMs) {
            for (auto it = b.byType.cbegin(); it != b.byType.cend(); ++it)
                earlier[it.key()] += it.value();
        } else if (b.startMs < scale.endMs) {
            visible << b;
        }
    }
    m_charts->setBuckets(visible, width, earlier);
}

void MainWindow::onVisibleRangeChanged()
{
    if (bucketFor(m_timeline->scale().spanMs()) != m_bucketSize)
        requestBuckets();
    else
        showVisibleBuckets();
    checkSettled();
}

void MainWindow::onChartRangeSelected(qint64 fromMs, qint64 toMs)
{
    m_filter.fromTimeMs = fromMs;
    m_filter.toTimeMs = toMs;
    applyEventFilter();
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

void MainWindow::showShortcuts()
{
    QString rows;
    const auto add = [&rows](const QString &keys, const QString &what) {
        rows +=
            u"<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>"_s.arg(keys, what);
    };
    add(QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText), tr("Open a store"));
    add(u"Ctrl+Shift+D"_s, tr("Open the demo store"));
    add(u"Ctrl+Shift+O"_s, tr("Connect to a PostgreSQL store"));
    add(u"Ctrl+I"_s, tr("Import events into a new store"));
    add(QKeySequence(QKeySequence::Refresh).toString(QKeySequence::NativeText),
        tr("Reload the store"));
    add(u"Ctrl+M"_s, tr("Map the store's columns"));
    add(u"Ctrl+Shift+T"_s, tr("Choose another of the store's event tables"));
    add(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText), tr("Filter streams"));
    add(u"Ctrl+Shift+A"_s, tr("Whole store (no stream selected)"));
    add(u"Ctrl++ / Ctrl+− / Ctrl+0"_s, tr("Zoom the timeline in, out, reset"));
    add(tr("Ctrl+wheel, + / −"), tr("Zoom the timeline about the mouse"));
    add(tr("Wheel, drag"), tr("Pan the timeline"));
    add(tr("Shift+drag"), tr("Zoom the timeline to a range"));
    add(tr("Drag on the activity chart"), tr("Filter the events to a time range"));
    add(u"Ctrl+R"_s, tr("Focus the replay slider"));
    add(u"Ctrl+Shift+S"_s, tr("Compare a stored snapshot with the replay"));
    add(tr("Left / Right, Home / End"), tr("Step, jump (slider focused)"));
    add(tr("Space"), tr("Play / pause (slider focused)"));
    add(u"Ctrl+Space, Alt+Left/Right, Alt+Home/End"_s, tr("Play, step, jump from anywhere"));
    add(u"Esc"_s, tr("Cancel long work"));
    add(QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText),
        tr("Copy a value in the inspector"));
    QMessageBox::information(this, tr("Keyboard Shortcuts"), u"<table>"_s + rows + u"</table>"_s);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Eventscope"),
        tr("<h3>Eventscope %1</h3><p>Explore event-sourced data: streams, events, "
           "a timeline, and the state of any aggregate at any point of its "
           "history.</p><p>Stores are opened read-only.</p><p>Built with Qt %2.</p>")
            .arg(QStringLiteral(EVENTSCOPE_VERSION), QString::fromLatin1(qVersion())));
}

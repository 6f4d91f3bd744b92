#include "mainwindow.h"

#include "activitycharts.h"
#include "busyindicator.h"
#include "chartsfeed.h"
#include "demotour.h"
#include "drawablerange.h"
#include "elidedtext.h"
#include "eventinspector.h"
#include "eventtablemodel.h"
#include "icons.h"
#include "mainmenus.h"
#include "newstorejobs.h"
#include "payloadsearchbar.h"
#include "replaybar.h"
#include "skippednote.h"
#include "stateview.h"
#include "store/eventstore.h"
#include "storestatus.h"
#include "storetools.h"
#include "streamlistmodel.h"
#include "timelinelanes.h"
#include "timelineview.h"
#include "windowlayout.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QLocale>
#include <QStatusBar>

#include <utility>

using namespace Qt::StringLiterals;

namespace {
constexpr int TimelineLanes = 8;
} // namespace

MainWindow::MainWindow(const QString &settingsFile, QWidget *parent)
    : QMainWindow(parent), m_settings(settingsFile)
{
    setWindowIcon(Icons::icon(Icons::App));
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
    connect(m_session, &StoreSession::indexUnavailable, this, [this](const QString &reason) {
        statusBar()->showMessage(
            tr("Charts and the stream filter query the store directly (%1)").arg(reason), 8000);
    });
    connect(m_session, &StoreSession::failed, this, &MainWindow::onFailed);
    connect(m_session, &StoreSession::cancelled, this, &MainWindow::onCancelled);
    connect(m_session, &StoreSession::stateReady, this, &MainWindow::onStateReady);
    connect(m_session, &StoreSession::lanesReady, this, &MainWindow::onLanesReady);
    connect(m_session, &StoreSession::idle, this, &MainWindow::checkSettled);

    // Centre: the timeline above the events table.
    m_timeline = new TimelineView(this);
    m_timeline->setObjectName(u"timeline"_s);
    m_events = new EventsPane(this);
    connect(m_events->model(), &EventTableModel::errorOccurred, this, &MainWindow::showFailure);
    connect(m_events->filterBar(), &EventFilterBar::filterChanged, this,
            &MainWindow::applyEventFilter);
    connect(m_events, &EventsPane::eventSelected, this, &MainWindow::onEventSelected);
    connect(m_events, &EventsPane::eventFollowed, this,
            [this](const Event &event) { m_inspector->setEvent(event); });
    connect(m_events, &EventsPane::hiddenByFilters, this, [this](qint64 position) {
        statusBar()->showMessage(tr("Event %1 is hidden by the table's filters").arg(position),
                                 6000);
    });
    connect(m_events, &EventsPane::settled, this, &MainWindow::checkSettled);

    m_replayBar = new ReplayBar(this);
    m_replayBar->setObjectName(u"replayBar"_s);
    m_storeTools = new StoreTools(this, m_session, m_events, m_timeline);
    m_splitter = WindowLayout::addCentre(this, {m_timeline, m_replayBar},
                                         {m_storeTools->searchBar(), m_events});

    createDocks();
    m_feed = new ChartsFeed(m_session, m_timeline, m_charts, this);
    m_follower = new StoreFollower(m_session, this);
    m_follower->action()->setChecked(m_settings.followNewEvents());
    connect(m_follower->action(), &QAction::toggled, this,
            [this](bool on) { m_settings.setFollowNewEvents(on); });
    connect(m_feed, &ChartsFeed::rangeShown, this, &MainWindow::checkSettled);
    auto *menus = new MainMenus(this, {m_opener, m_jobs, m_session, m_streams, m_timeline,
                                       m_replayBar, m_feed, m_follower, m_storeTools});
    connect(m_storeTools, &StoreTools::eventRequested, this,
            [this](const QString &stream, qint64 position) {
                // The problem's stream is selected, as the list would, and its event in the table.
                selectStream(stream);
                showStream(stream);
                m_events->selectPosition(position, EventsPane::Announce::Selection);
            });
    connect(m_storeTools, &StoreTools::exported, this, [this](const QString &path, qint64 events) {
        statusBar()->showMessage(tr("%1 events exported to %2").arg(events).arg(path), 8000);
    });
    connect(m_storeTools, &StoreTools::exportFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_storeTools, &StoreTools::sliceFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_storeTools, &StoreTools::openRequested, this,
            [this](const QString &path) { openStore(path); });
    auto *tour = new DemoTour(m_session, m_opener, m_jobs, this);
    connect(menus, &MainMenus::demoRequested, tour, &DemoTour::openDemo);
    connect(this, &MainWindow::storeOpened, tour, &DemoTour::storeOpened);
    connect(this, &MainWindow::storeFailed, tour, &DemoTour::storeFailed);
    connect(tour, &DemoTour::streamChosen, this, [this](const QString &stream, qint64 version) {
        selectStream(stream);
        replayTo(version);
    });
    connect(menus, &MainMenus::visibleRangeFilterRequested, this, [this] {
        const TimeScale scale = m_timeline->scale();
        onChartRangeSelected(scale.startMs, scale.endMs);
    });
    connect(menus, &MainMenus::wholeStoreRequested, this, [this] {
        // The selected stream may be filtered out of the list, which then has no
        // selection to clear: the window leaves it all the same.
        m_streams->clearSelection();
        showStream(QString());
    });

    // Status bar: what is open, and what is being worked on (with a way to stop it).
    m_statusStore = new QLabel(this);
    statusBar()->addWidget(m_statusStore, 1);
    m_skippedNote = new SkippedNote(m_session, this);
    statusBar()->addWidget(m_skippedNote);
    m_busy = new BusyIndicator(statusBar(), m_session);
    connect(m_jobs, &NewStoreJobs::busyChanged, m_busy, &BusyIndicator::setBusy);

    m_replay = new ReplayFollower(m_session, m_replayBar, m_timeline, this);
    connect(m_session, &StoreSession::storeGrew, this, &MainWindow::onStoreGrew);
    connect(m_replay, &ReplayFollower::playheadMoved, this, &MainWindow::onPlayheadChanged);
    m_tools = new AggregateTools(this, {m_session, m_stateView, m_replayBar, m_timeline, m_replay});
    menus->addReplayTools(m_tools->replayActions(), m_tools->projectionMenu());
    connect(m_tools, &AggregateTools::replayRequested, m_replay, &ReplayFollower::replayTo);
    connect(m_tools, &AggregateTools::projectionChanged, this, [this] {
        if (m_stream.isEmpty())
            return;
        m_stateView->showMessage(tr("Folding %1 again…").arg(elidedName(m_stream)));
        m_replay->reload(m_stream, m_summary.hasSnapshots, m_tools->projection());
    });
    connect(m_replayBar, &ReplayBar::playheadChanged, this, &MainWindow::onPlayheadChanged);
    connect(m_timeline, &TimelineView::eventClicked, this, &MainWindow::onTimelineEventClicked);
    connect(m_timeline, &TimelineView::snapshotClicked, this,
            [this](const QString &stream, qint64 version) {
                if (stream == m_stream)
                    m_replay->replayTo(version);
            });
    connect(m_charts, &ActivityCharts::rangeSelected, this, &MainWindow::onChartRangeSelected);

    setWindowTitle(tr("Eventscope"));
    resize(1400, 900);
    WindowLayout::restore(this, m_splitter, m_settings);
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    m_streams = new StreamsPane(this);
    connect(m_streams->model(), &StreamListModel::errorOccurred, this, &MainWindow::showFailure);
    connect(m_streams, &StreamsPane::streamSelected, this, &MainWindow::showStream);
    connect(m_streams, &StreamsPane::streamNotFound, this, [this](const QString &stream) {
        statusBar()->showMessage(tr("No stream named %1").arg(elidedName(stream)), 8000);
    });
    connect(m_streams, &StreamsPane::settled, this, &MainWindow::checkSettled);

    m_stateView = new StateView(this);
    m_inspector = new EventInspector(this);
    m_charts = new ActivityCharts(this);
    m_charts->setObjectName(u"charts"_s);
    WindowLayout::addDocks(this, {m_streams, m_stateView, m_inspector, m_charts}, m_settings);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    WindowLayout::save(this, m_splitter, m_settings);
    event->accept();
}

void MainWindow::importFile(const QString &input, const QString &output)
{
    m_jobs->importFile(input, output);
}

// Every view state that belongs to a store goes with it: a stream filter typed for the
// last store would show the next one's list empty, its stream would title the charts.
void MainWindow::closeStore()
{
    m_storeOpen = false;
    m_follower->setStoreOpen(false);
    m_streams->setSession(nullptr);
    m_events->setSession(nullptr);
    m_streams->clearFilter();
    m_events->filterBar()->reset();
    m_stream.clear();
    m_skippedNote->clear();
    m_feed->close();
    m_replay->close();
    m_tools->setStream({});
    m_timeline->setLanes({});
    m_timeline->setOverview({}, 0, 0);
    m_stateView->showMessage(tr("Select a stream to replay its state."));
    m_inspector->clear();
    m_storeTools->closeStore();
}

void MainWindow::onOpened(const StoreSummary &summary)
{
    m_storeOpen = true;
    m_summary = summary;
    m_opener->accept(summary);
    m_storeTools->storeOpened(summary.firstTimeMs, summary.lastTimeMs);
    setWindowTitle(tr("%1 (%2 layout) — Eventscope").arg(m_opener->shortName(), summary.layoutId));
    updateStatus();
    // A store read from a private copy, not in place, says so until the next message.
    m_session->readStore<QString>(
        this, {}, [](EventStore &store) { return store.readNotice(); },
        [this, store = m_opener->storeName()](const std::optional<QString> &notice,
                                              const StoreError &) {
            if (store == m_opener->storeName() && notice && !notice->isEmpty())
                statusBar()->showMessage(*notice);
        });

    m_palette = TypePalette(summary.typeCounts.keys());
    m_timeline->setPalette(m_palette);
    m_feed->open(summary, m_palette);
    showTimeRange(summary);
    if (const auto range = drawableRange(summary.firstTimeMs, summary.lastTimeMs))
        m_timeline->setOverview(summary.density, range->fromMs, range->toMs);
    m_streams->setSession(m_session);
    m_events->setSession(m_session);
    m_events->filterBar()->setTypes(summary.typeCounts, m_palette);
    applyEventFilter();
    // The worker answers in order: the charts' buckets are one aggregation, the lanes read
    // every event of the busiest streams, so the charts go first.
    m_feed->requestBuckets();
    requestLanes();
    m_follower->setStoreOpen(true);
    emit storeOpened();
}

void MainWindow::onStoreGrew(const StoreSummary &summary)
{
    const qint64 added = summary.events - m_summary.events;
    const StoreSummary before = std::exchange(m_summary, summary);
    updateStatus();
    // The view stays where the user put it: only the ends move.
    if (const auto range = drawableRange(summary.firstTimeMs, summary.lastTimeMs);
        range &&
        (summary.firstTimeMs != before.firstTimeMs || summary.lastTimeMs != before.lastTimeMs)) {
        const TimeRange shown = withMargin(*range);
        m_timeline->setFullRange(shown.fromMs, shown.toMs);
        if (!m_replayBar->isStreamMode()) {
            m_replayBar->setTimeRange(range->fromMs, range->toMs);
            onPlayheadChanged(m_replayBar->playheadMs()); // the counts up to it
        }
    }
    updateTypes(before.typeCounts);
    m_streams->model()->refresh();
    m_events->model()->refresh();
    m_feed->requestBuckets();
    requestLanes();
    if (!m_stream.isEmpty())
        m_replay->extend(m_stream, m_summary.hasSnapshots, m_tools->projection());
    if (added > 0)
        statusBar()->showMessage(added == 1 ? tr("1 new event")
                                            : tr("%1 new events").arg(QLocale().toString(added)),
                                 4000);
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
    updateTypes(quick.typeCounts);
}

void MainWindow::updateTypes(const QMap<QString, qint64> &before)
{
    const QMap<QString, qint64> &types = m_summary.typeCounts;
    if (types.keys() != before.keys()) { // a new type (or one gone): colours for all
        m_palette = TypePalette(types.keys());
        m_timeline->setPalette(m_palette);
        m_feed->setPalette(m_palette);
    }
    m_events->filterBar()->updateTypes(types, m_palette);
}

void MainWindow::onFailed(StoreSession::Job job, const StoreError &error)
{
    if (job == StoreSession::Job::Open) {
        m_opener->fail(error);
        return;
    }
    if (job == StoreSession::Job::CountUpTo)
        m_charts->clickCountFailed(); // no count is coming
    if (job == StoreSession::Job::Replay)
        m_stateView->showMessage(error.message);
    showFailure(error);
}

void MainWindow::showFailure(const StoreError &error)
{
    statusBar()->showMessage(error.message, 10000);
    if (error.kind == StoreError::Kind::ConnectionLost)
        m_opener->offerReconnect(error.message);
}

void MainWindow::onCancelled(StoreSession::Job job)
{
    statusBar()->showMessage(tr("Cancelled"), 4000);
    if (job == StoreSession::Job::CountUpTo) {
        m_charts->clickCountFailed(); // no count is coming
    } else if (job == StoreSession::Job::Open) {
        m_opener->cancel();
    } else if (job == StoreSession::Job::Index) {
        statusBar()->showMessage(
            tr("Indexing cancelled: charts and the stream filter query the store directly"), 8000);
    } else if (job == StoreSession::Job::Replay) {
        m_stateView->showMessage(tr("Replay of %1 cancelled. Select the stream again to replay it.")
                                     .arg(elidedName(m_stream)));
    }
}

void MainWindow::updateStatus()
{
    if (!m_storeOpen)
        return;
    m_statusStore->setText(storeStatusText(m_summary, m_opener->location().displayName()));
    m_skippedNote->setEventsWithoutTime(m_summary.eventsWithoutTime);
}

QString MainWindow::statusStoreText() const
{
    return m_statusStore->text();
}

void MainWindow::applyEventFilter()
{
    EventFilter filter = m_events->filterBar()->filter();
    filter.stream = m_events->filterBar()->selectedStreamOnly() ? m_stream : QString();
    m_events->setFilter(filter);
    m_storeTools->tableFilterChanged();
}

void MainWindow::showStream(const QString &stream)
{
    if (stream == m_stream)
        return;
    m_stream = stream;
    m_events->stopFollowing();
    m_skippedNote->follow(stream);
    m_replay->follow(stream, m_summary.hasSnapshots);
    m_tools->setStream(stream);
    applyEventFilter();
    requestLanes();
    m_feed->setStream(stream);
    if (stream.isEmpty()) {
        m_session->closeReplay();
        m_stateView->showMessage(tr("Select a stream to replay its state."));
        m_replayBar->setTimeRange(m_summary.firstTimeMs, m_summary.lastTimeMs);
        onPlayheadChanged(m_replayBar->playheadMs());
        return;
    }
    m_stateView->showMessage(tr("Replaying %1…").arg(elidedName(stream)));
    m_session->loadReplay(stream, m_tools->projection());
}

void MainWindow::selectStream(const QString &stream)
{
    m_streams->selectStream(stream);
}

void MainWindow::onStateReady(const ReplayState &state)
{
    if (state.stream != m_stream)
        return;
    m_stateView->setState(state);
    m_timeline->setSelectedEvent(state.index >= 0 ? state.position : -1);
    // The event the replay stands on is the one to inspect (eventFollowed): the table follows
    // the replay wherever its filters let it, a seek where the row is not loaded.
    m_events->followReplay(state.index >= 0 ? state.position : -1);
}

void MainWindow::onPlayheadChanged(qint64 ms)
{
    m_timeline->setPlayhead(ms);
    m_feed->setPlayhead(ms);
}

void MainWindow::onEventSelected(const Event &event)
{
    m_inspector->setEvent(event);
    m_timeline->setSelectedEvent(event.position);
    // An event of the replayed stream moves the replay there.
    if (event.stream == m_stream && m_replay->hasVersions())
        m_replay->replayTo(event.version);
}

void MainWindow::onTimelineEventClicked(const QString &stream, qint64 position, qint64 version)
{
    // An event of another lane's stream selects that stream, as the list would, and replays
    // it to the event; the table (and its "Selected stream only") follows the replay.
    if (!m_stream.isEmpty() && stream != m_stream) {
        if (stream.contains(m_streams->model()->filter(), Qt::CaseInsensitive)) {
            selectStream(stream);
        } else {
            m_streams->clearSelection(); // filtered out of the list
            showStream(stream);
        }
        m_replay->replayTo(version);
        return;
    }
    m_events->selectPosition(position, EventsPane::Announce::Selection);
}

void MainWindow::requestLanes()
{
    if (m_storeOpen)
        m_session->requestLanes(m_stream, TimelineLanes);
}

void MainWindow::onLanesReady(const QVector<StreamColumns> &columns)
{
    m_timeline->setLanes(timelineLanes(columns, m_palette.types()));
}

void MainWindow::onChartRangeSelected(qint64 fromMs, qint64 toMs)
{
    m_events->filterBar()->setTimeRange(fromMs, toMs);
    m_timeline->setVisibleRange(fromMs, toMs);
}

void MainWindow::checkSettled()
{
    if (isSettled())
        emit settled();
}

bool MainWindow::isSettled() const
{
    return m_session->isIdle() && m_streams->isSettled() && m_events->isSettled() &&
           !m_feed->isWaiting();
}

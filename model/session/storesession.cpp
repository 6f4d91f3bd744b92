#include "session/storesession.h"

#include "index/eventindex.h"
#include "index/eventindexbuilder.h"
#include "store/eventstore.h"
#include "store/sqlitestreamreader.h"
#include "store/statementinterrupter.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr int LanePage = 5000;

// The events of one stream that have a time, as the timeline draws them. Over the C API where
// the store allows (a third of the time at millions of events: no QVariant per column, no
// payload, one QString per type name); else in pages of events.
std::optional<StreamColumns> readLane(EventStore &store, const QString &stream,
                                      const std::atomic_bool &cancel, QString *error)
{
    StreamColumns lane;
    lane.stream = stream;
    const auto add = [&lane](qint64 timeMs, const QString &type, qint64 version, qint64 position) {
        if (timeMs == NoTime)
            return;
        lane.times << timeMs;
        lane.types << type;
        lane.versions << version;
        lane.positions << position;
    };
    const auto cancelled = [&] {
        *error = u"loading the timeline cancelled"_s;
        return std::nullopt;
    };
    qint64 after = std::numeric_limits<qint64>::min();
    if (const auto reader = store.streamReader(stream, after)) {
        // A stream has a few types: a short list, looked up without a string per row.
        std::vector<std::pair<std::string, QString>> typeNames;
        for (qint64 rows = 1;; ++rows) {
            switch (reader->next()) {
            case SqliteStreamReader::Step::Done:
                return lane;
            case SqliteStreamReader::Step::Failed:
                *error = u"%1: reading stream %2 failed: %3"_s.arg(store.location().displayName(),
                                                                   stream, reader->errorString());
                return std::nullopt;
            case SqliteStreamReader::Step::Row:
                break;
            }
            const std::string_view type = reader->type();
            auto name = std::find_if(typeNames.begin(), typeNames.end(),
                                     [type](const auto &known) { return known.first == type; });
            if (name == typeNames.end())
                name = typeNames.insert(
                    typeNames.end(),
                    {std::string(type), QString::fromUtf8(type.data(), qsizetype(type.size()))});
            add(reader->timeMs(), name->second, reader->version(), reader->position());
            if (rows % LanePage == 0 && cancel)
                return cancelled();
        }
    }
    for (;;) {
        if (cancel)
            return cancelled();
        const auto page = store.streamEvents(stream, after, LanePage);
        if (!page) {
            *error = store.errorString();
            return std::nullopt;
        }
        for (const Event &e : *page)
            add(e.timeMs, e.type, e.version, e.position);
        if (page->size() < LanePage)
            return lane;
        after = page->constLast().version;
    }
}

} // namespace

// The worker's state: touched only on the worker thread.
class StoreSessionWorker : public QObject
{
public:
    std::unique_ptr<EventStore> store;
    std::unique_ptr<ReplayEngine> replay;
    // A state request past what the replay has folded, answered when the pass gets there.
    struct PendingState
    {
        StoreSession::Ticket ticket;
        qint64 index;
        quint64 replayGeneration;
    };
    std::optional<PendingState> pendingState;
    std::optional<QVector<StreamInfo>> busiest; // of the open store, asked once: a full scan
};

StoreSession::StoreSession(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<StoreSummary>();
    qRegisterMetaType<std::shared_ptr<const EventIndex>>();
    qRegisterMetaType<ReplayState>();
    qRegisterMetaType<QVector<Bucket>>();
    qRegisterMetaType<QVector<StreamColumns>>();
    qRegisterMetaType<BucketSize>();
    qRegisterMetaType<QVector<StoredSnapshot>>();
    qRegisterMetaType<SnapshotComparison>();
    m_thread.setObjectName(u"eventscope-store"_s);
    m_worker = new StoreSessionWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

StoreSession::~StoreSession()
{
    for (auto &flag : m_cancel) {
        if (flag)
            *flag = true;
    }
    // The store and engine must be destroyed on the thread that opened them.
    post([worker = m_worker] {
        worker->replay.reset();
        worker->store.reset();
    });
    m_thread.quit();
    m_thread.wait();
}

StoreSession::Ticket StoreSession::issue(Job job)
{
    if (m_cancel[job])
        *m_cancel[job] = true; // the previous request of this kind is obsolete
    m_cancel[job] = std::make_shared<std::atomic_bool>(false);
    m_waiting[job] = true;
    return {++m_generation[job], m_cancel[job]};
}

void StoreSession::invalidate(Job job)
{
    issue(job);
    m_waiting[job] = false; // nothing will answer
}

bool StoreSession::isCurrent(Job job, quint64 generation) const
{
    return m_generation[job].load() == generation;
}

bool StoreSession::accept(Job job, quint64 generation)
{
    if (!isCurrent(job, generation))
        return false;
    m_waiting[job] = false;
    return true;
}

void StoreSession::settle(Job job)
{
    m_waiting[job] = false;
    if (isIdle())
        emit idle();
}

void StoreSession::reportFailure(const Ticket &ticket, const QString &what, const QString &error)
{
    if (*ticket.cancel)
        emit cancelled(what);
    else
        emit failed(what, error);
}

bool StoreSession::isIdle() const
{
    return m_reads == 0 &&
           std::none_of(std::begin(m_waiting), std::end(m_waiting), [](bool w) { return w; });
}

void StoreSession::runOnStore(QObject *context, std::function<bool()> wanted,
                              std::function<std::function<void()>(EventStore *)> work)
{
    ++m_reads;
    post([this, worker = m_worker, context = QPointer<QObject>(context),
          wanted = std::move(wanted), work = std::move(work)] {
        // Skipped when the asker no longer wants it (a list whose filter changed meanwhile):
        // a count or a LIKE over millions of rows for nobody.
        std::function<void()> answer;
        if (!wanted || wanted())
            answer = work(worker->store.get());
        QMetaObject::invokeMethod(this, [this, context, answer] {
            --m_reads;
            if (answer && context)
                answer();
            if (isIdle())
                emit idle();
        });
    });
}

void StoreSession::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_worker, std::move(work), Qt::QueuedConnection);
}

void StoreSession::cancel()
{
    for (Job job : {OpenJob, IndexJob, LanesJob, ReplayJob}) {
        if (m_cancel[job])
            *m_cancel[job] = true;
    }
    // The flags stop loops between statements; a statement already running in the database
    // (a count over millions of rows) is stopped there.
    QMutexLocker lock(&m_interrupterMutex);
    if (m_interrupter)
        m_interrupter->interrupt();
}

void StoreSession::setInterrupter(std::shared_ptr<StatementInterrupter> interrupter)
{
    QMutexLocker lock(&m_interrupterMutex);
    m_interrupter = std::move(interrupter);
}

void StoreSession::open(const StoreLocation &location, const StoreOpenOptions &options)
{
    // A new store makes every pending answer about the old one stale.
    for (Job job : {BucketsJob, LanesJob, ReplayJob, StateJob, SnapshotsJob})
        invalidate(job);
    const Ticket ticket = issue(OpenJob);
    const Ticket indexTicket = issue(IndexJob);
    emit busyChanged(true, u"Opening %1"_s.arg(location.displayName()));
    post([this, worker = m_worker, location, options, ticket, indexTicket] {
        worker->replay.reset();
        worker->store.reset();
        worker->busiest.reset();
        QString error;
        setInterrupter(nullptr);
        worker->store = EventStore::open(location, options, &error);
        if (worker->store)
            setInterrupter(worker->store->interrupter());
        std::optional<StoreSummary> summary;
        if (worker->store) {
            JobControl job;
            job.cancel = ticket.cancel.get();
            summary = worker->store->quickSummary(job);
            if (!summary)
                error = worker->store->errorString();
        }
        const bool indexing = summary.has_value();
        QMetaObject::invokeMethod(this, [this, ticket, summary, error, indexing] {
            if (!accept(OpenJob, ticket.generation))
                return;
            if (indexing)
                emit busyChanged(true, u"Indexing the events"_s);
            else if (!summary || summary->exact)
                emit busyChanged(false, {});
            if (summary)
                emit opened(*summary);
            else
                reportFailure(ticket, u"open"_s, error);
            if (summary && !summary->exact && !indexing)
                countExactly(ticket);
            else
                settle(OpenJob);
        });
        if (indexing)
            buildIndex(ticket, indexTicket, !summary->exact);
        else
            QMetaObject::invokeMethod(this, [this] { settle(IndexJob); });
    });
}

// On the worker, before what the window asks for when it opens (lanes, buckets), so that
// those are answered from the index rather than by scans of the store.
void StoreSession::buildIndex(const Ticket &openTicket, const Ticket &ticket, bool countsPending)
{
    JobControl job;
    job.cancel = ticket.cancel.get();
    QElapsedTimer sinceReport; // invalid until the first report, which is passed on at once
    job.progress = [this, &sinceReport, generation = ticket.generation](qint64 done, qint64 total) {
        if (sinceReport.isValid() && sinceReport.elapsed() < ProgressIntervalMs)
            return;
        sinceReport.start();
        QMetaObject::invokeMethod(this, [this, generation, done, total] {
            if (isCurrent(IndexJob, generation))
                emit indexProgress(done, total);
        });
    };
    QString error;
    EventStore &store = *m_worker->store;
    const auto index = EventIndexBuilder::build(store, job, &error);
    std::optional<StoreSummary> summary;
    if (index) {
        store.attachIndex(index);
        summary = store.summary(); // exact, from the index
    }
    QMetaObject::invokeMethod(this,
                              [this, openTicket, ticket, index, summary, error, countsPending] {
                                  if (!accept(IndexJob, ticket.generation))
                                      return;
                                  emit busyChanged(false, {});
                                  if (index) {
                                      emit indexReady(index);
                                      if (countsPending && summary)
                                          emit summaryCompleted(*summary);
                                  } else if (*ticket.cancel) {
                                      emit cancelled(u"indexing"_s);
                                  } else {
                                      emit indexUnavailable(error);
                                      if (countsPending)
                                          countExactly(openTicket);
                                  }
                                  settle(IndexJob);
                              });
}

// Posted after what the window asked for when it opened (lanes, buckets), so that the scans
// of the exact counts do not hold the first paint back.
void StoreSession::countExactly(const Ticket &ticket)
{
    m_waiting[OpenJob] = true;
    post([this, worker = m_worker, ticket] {
        if (!isCurrent(OpenJob, ticket.generation))
            return; // another store is being opened
        JobControl job;
        job.cancel = ticket.cancel.get();
        const auto summary = worker->store ? worker->store->summary(job) : std::nullopt;
        const QString error = summary         ? QString()
                              : worker->store ? worker->store->errorString()
                                              : u"no store is open"_s;
        QMetaObject::invokeMethod(this, [this, ticket, summary, error] {
            if (!accept(OpenJob, ticket.generation))
                return;
            emit busyChanged(false, {});
            if (summary)
                emit summaryCompleted(*summary);
            else
                reportFailure(ticket, u"counting"_s, error);
            settle(OpenJob);
        });
    });
}

void StoreSession::requestBuckets(BucketSize size, const BucketFilter &filter)
{
    const Ticket ticket = issue(BucketsJob);
    post([this, worker = m_worker, size, filter, ticket] {
        if (!isCurrent(BucketsJob, ticket.generation))
            return; // a newer request will answer
        const auto buckets = worker->store ? worker->store->buckets(size, filter) : std::nullopt;
        const QString error = buckets         ? QString()
                              : worker->store ? worker->store->errorString()
                                              : u"no store is open"_s;
        QMetaObject::invokeMethod(this, [this, ticket, buckets, size, error] {
            if (!accept(BucketsJob, ticket.generation))
                return;
            if (buckets)
                emit bucketsReady(*buckets, size);
            else
                emit failed(u"buckets"_s, error);
            settle(BucketsJob);
        });
    });
}

void StoreSession::requestCountUpTo(const QString &stream, const QStringList &types, qint64 ms)
{
    const Ticket ticket = issue(CountJob);
    post([this, worker = m_worker, stream, types, ms, ticket] {
        if (!isCurrent(CountJob, ticket.generation))
            return; // a newer request will answer
        const auto count =
            worker->store ? worker->store->countUpTo(stream, types, ms) : std::nullopt;
        const QString error = count           ? QString()
                              : worker->store ? worker->store->errorString()
                                              : u"no store is open"_s;
        QMetaObject::invokeMethod(this, [this, ticket, count, ms, error] {
            if (!accept(CountJob, ticket.generation))
                return;
            if (count)
                emit countedUpTo(ms, *count);
            else
                emit failed(u"count"_s, error);
            settle(CountJob);
        });
    });
}

void StoreSession::requestLanes(const QString &first, int count)
{
    const Ticket ticket = issue(LanesJob);
    post([this, worker = m_worker, first, count, ticket] {
        if (!isCurrent(LanesJob, ticket.generation))
            return; // a newer request will answer
        QVector<StreamColumns> lanes;
        QString error = worker->store ? QString() : u"no store is open"_s;
        QStringList streams;
        if (!first.isEmpty())
            streams << first;
        if (error.isEmpty() && !worker->busiest) {
            StreamQuery query;
            query.order = StreamQuery::Order::MostEvents;
            query.limit = count;
            worker->busiest = worker->store->streams(query);
            if (!worker->busiest)
                error = worker->store->errorString();
        }
        for (const StreamInfo &info : worker->busiest.value_or(QVector<StreamInfo>())) {
            if (streams.size() < count && !streams.contains(info.stream))
                streams << info.stream;
        }
        // The index holds every event's time, type, version and position: one pass over it
        // where the store would read millions of rows again.
        const auto index = error.isEmpty() ? worker->store->index() : nullptr;
        if (index && index->servesStreams()) {
            lanes = index->lanes(streams);
        } else {
            for (const QString &stream : streams) {
                if (!error.isEmpty())
                    break;
                if (auto lane = readLane(*worker->store, stream, *ticket.cancel, &error))
                    lanes << *lane;
            }
        }
        QMetaObject::invokeMethod(this, [this, ticket, lanes, error] {
            if (!accept(LanesJob, ticket.generation))
                return;
            if (error.isEmpty())
                emit lanesReady(lanes);
            else
                reportFailure(ticket, u"timeline"_s, error);
            settle(LanesJob);
        });
    });
}

void StoreSession::loadReplay(const QString &stream, const Projection &projection)
{
    for (Job job : {StateJob, SnapshotsJob})
        invalidate(job);
    const Ticket ticket = issue(ReplayJob);
    emit busyChanged(true, u"Replaying %1"_s.arg(stream));
    post([this, worker = m_worker, stream, projection, ticket] {
        if (!isCurrent(ReplayJob, ticket.generation))
            return; // a newer request will answer
        worker->replay.reset();
        if (!worker->store)
            return;
        worker->replay = std::make_unique<ReplayEngine>(*worker->store, stream, projection);
        foldReplayPart(ticket, stream, FirstReplayPart);
    });
}

void StoreSession::foldReplayPart(const Ticket &ticket, const QString &stream, qint64 events)
{
    StoreSessionWorker *worker = m_worker;
    if (!isCurrent(ReplayJob, ticket.generation) || !worker->replay)
        return; // replaced or closed: whoever did that answers
    ReplayEngine &engine = *worker->replay;
    JobControl job;
    job.cancel = ticket.cancel.get();
    QElapsedTimer timer;
    timer.start();
    const qint64 before = engine.eventCount();
    const bool ok = engine.loadMore(events, job);
    const qint64 elapsedMs = timer.elapsed();
    const bool done = ok && engine.isLoaded();
    const QString error = ok ? QString() : engine.errorString();
    const QVector<qint64> versions = ok ? engine.versions().mid(before) : QVector<qint64>();
    const QVector<qint64> times = ok ? engine.times().mid(before) : QVector<qint64>();
    // Whole vectors share the engine's, which no longer grow once it is loaded.
    const QVector<qint64> allVersions = done ? engine.versions() : QVector<qint64>();
    const QVector<qint64> allTimes = done ? engine.times() : QVector<qint64>();
    const qint64 loaded = engine.eventCount();
    const qint64 skipped = done ? worker->store->eventsWithoutVersion(stream).value_or(-1) : 0;
    if (!ok)
        worker->replay.reset();
    QMetaObject::invokeMethod(this, [this, ticket, stream, ok, done, loaded, versions, times,
                                     allVersions, allTimes, error, skipped] {
        if (!isCurrent(ReplayJob, ticket.generation))
            return;
        if (ok) {
            emit replayProgress(loaded);
            emit replayExtended(stream, versions, times);
        }
        if (ok && !done)
            return;
        accept(ReplayJob, ticket.generation);
        emit busyChanged(false, {});
        if (ok) {
            emit replaySkipped(stream, skipped);
            emit replayLoaded(stream, allVersions, allTimes);
        }
        else
            reportFailure(ticket, u"replay"_s, error);
        settle(ReplayJob);
    });
    if (const auto pending = worker->pendingState) {
        if (!worker->replay || worker->replay->isLoaded() ||
            pending->index < worker->replay->eventCount()) {
            worker->pendingState.reset();
            answerState(pending->ticket, pending->index, pending->replayGeneration);
        }
    }
    if (ok && !done) {
        const qint64 next = qBound<qint64>(
            FirstReplayPart, events * ReplayPartMs / qMax<qint64>(1, elapsedMs), qint64(1) << 20);
        post([this, ticket, stream, next] { foldReplayPart(ticket, stream, next); });
    }
}

void StoreSession::closeReplay()
{
    for (Job job : {ReplayJob, StateJob, SnapshotsJob})
        invalidate(job);
    post([worker = m_worker] { worker->replay.reset(); });
    if (isIdle())
        emit idle();
}

void StoreSession::requestState(qint64 index)
{
    const Ticket ticket = issue(StateJob);
    const quint64 replayGeneration = m_generation[ReplayJob].load();
    post([this, index, ticket, replayGeneration] { answerState(ticket, index, replayGeneration); });
}

void StoreSession::answerState(const Ticket &ticket, qint64 index, quint64 replayGeneration)
{
    StoreSessionWorker *worker = m_worker;
    // Skipped while the slider has moved on: only the latest position is computed.
    if (!isCurrent(StateJob, ticket.generation))
        return;
    std::optional<ReplayState> state;
    QString error = u"no stream is being replayed"_s;
    if (worker->replay && isCurrent(ReplayJob, replayGeneration)) {
        if (!worker->replay->isLoaded() && index >= worker->replay->eventCount()) {
            worker->pendingState =
                StoreSessionWorker::PendingState{ticket, index, replayGeneration};
            return;
        }
        state = worker->replay->stateAtIndex(index);
        error = state ? QString() : worker->replay->errorString();
    }
    QMetaObject::invokeMethod(this, [this, ticket, state, error] {
        if (!accept(StateJob, ticket.generation))
            return;
        if (state)
            emit stateReady(*state);
        else
            emit failed(u"state"_s, error);
        settle(StateJob);
    });
}

void StoreSession::requestSnapshots(const QString &stream)
{
    const Ticket ticket = issue(SnapshotsJob);
    post([this, worker = m_worker, stream, ticket] {
        if (!isCurrent(SnapshotsJob, ticket.generation))
            return; // a newer request will answer
        const auto snapshots = worker->store ? worker->store->snapshots(stream) : std::nullopt;
        const QString error = snapshots       ? QString()
                              : worker->store ? worker->store->errorString()
                                              : u"no store is open"_s;
        QMetaObject::invokeMethod(this, [this, ticket, stream, snapshots, error] {
            if (!accept(SnapshotsJob, ticket.generation))
                return;
            if (snapshots)
                emit snapshotsReady(stream, *snapshots);
            else
                emit failed(u"snapshots"_s, error);
            settle(SnapshotsJob);
        });
    });
}

void StoreSession::requestComparison(const StoredSnapshot &snapshot)
{
    const Ticket ticket = issue(CompareJob);
    const quint64 replayGeneration = m_generation[ReplayJob].load();
    post([this, worker = m_worker, snapshot, ticket, replayGeneration] {
        if (!isCurrent(CompareJob, ticket.generation))
            return; // a newer request will answer
        std::optional<SnapshotComparison> comparison;
        // The state is folded by the replay the window shows, so both read alike. A replay
        // closed or replaced since the request answers with an error, so that the request
        // never waits for nothing.
        QString error = u"no replay of %1 is loaded"_s.arg(snapshot.stream);
        if (worker->replay && isCurrent(ReplayJob, replayGeneration) &&
            worker->replay->stream() == snapshot.stream)
            comparison = SnapshotComparison::compare(snapshot, *worker->replay);
        QMetaObject::invokeMethod(this, [this, ticket, comparison, error] {
            if (!accept(CompareJob, ticket.generation))
                return;
            if (comparison)
                emit comparisonReady(*comparison);
            else
                emit failed(u"compare"_s, error);
            settle(CompareJob);
        });
    });
}

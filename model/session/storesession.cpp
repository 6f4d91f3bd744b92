#include "session/storesession.h"

#include "index/eventindex.h"
#include "index/eventindexbuilder.h"
#include "index/lanereader.h"
#include "store/eventstore.h"
#include "store/statementinterrupter.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <iterator>
#include <utility>

using namespace Qt::StringLiterals;

// The worker's state: touched only on the worker thread.
class StoreSessionWorker : public QObject
{
public:
    std::unique_ptr<EventStore> store;
    std::unique_ptr<LaneReader> lanes; // of the open store
    std::unique_ptr<ReplayEngine> replay;
    quint64 replayId = 0;  // the Replay request that replay answers
    quint64 storeOpen = 0; // the questions' worker: the session's open() its store is of
    // While the index is built in parts, only the lists' reads are answered between them: the
    // rest (lanes, buckets, replay) waits to be answered from the index rather than by scans.
    bool indexing = false;
};

namespace {

// What the Index job found: the index, or why there is none.
struct IndexOutcome
{
    std::shared_ptr<const EventIndex> index;
    std::optional<StoreSummary> summary; // exact, from the index
    QString unavailable;
};

// One part of a replay's first pass.
struct ReplayPart
{
    QString stream;
    qint64 loaded = 0;
    QVector<qint64> versions; // of the events the part added
    QVector<qint64> times;
    bool done = false;
    QVector<qint64> allVersions; // when done
    QVector<qint64> allTimes;
    qint64 withoutVersion = 0; // when done: EventStore::eventsWithoutVersion, -1 when unknown
};

} // namespace

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
    qRegisterMetaType<StoreError>();
    qRegisterMetaType<StoreSession::Job>();
    m_thread.setObjectName(u"eventscope-store"_s);
    m_worker = new StoreSessionWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    m_questionThread.setObjectName(u"eventscope-questions"_s);
    m_questionWorker = new StoreSessionWorker;
    m_questionWorker->moveToThread(&m_questionThread);
    connect(&m_questionThread, &QThread::finished, m_questionWorker, &QObject::deleteLater);
    m_questionThread.start();
}

StoreSession::~StoreSession()
{
    for (Pending &pending : m_jobs) {
        if (pending.cancel)
            *pending.cancel = true;
    }
    // The store and engine must be destroyed on the thread that opened them.
    for (StoreSessionWorker *worker : {m_worker, m_questionWorker}) {
        post(worker, [worker] {
            worker->replay.reset();
            worker->lanes.reset();
            worker->store.reset();
        });
    }
    {
        // A question's statement still running in the database stops there.
        QMutexLocker lock(&m_interrupterMutex);
        if (m_questionInterrupter)
            m_questionInterrupter->interrupt();
    }
    for (QThread *thread : {&m_thread, &m_questionThread}) {
        thread->quit();
        thread->wait();
    }
}

template<typename Result>
void StoreSession::run(Job job, const QString &busy, Work<Result> work, Deliver<Result> deliver)
{
    Pending &pending = m_jobs[int(job)];
    if (replaces(job)) {
        if (pending.cancel)
            *pending.cancel = true; // the previous request of this kind is obsolete
        pending.cancel = std::make_shared<std::atomic_bool>(false);
        ++pending.id;
        pending.waiting = 1;
    } else {
        if (!pending.cancel)
            pending.cancel = std::make_shared<std::atomic_bool>(false);
        ++pending.waiting;
    }
    pending.busy = busy;
    const quint64 id = pending.id;
    updateBusy();
    post(&workerFor(job), [this, job, id, cancel = pending.cancel, work = std::move(work),
                           deliver = std::move(deliver)] { step(job, id, cancel, work, deliver); });
}

// On the worker: one run of the work, its answer posted back.
template<typename Result>
void StoreSession::step(Job job, quint64 id, std::shared_ptr<std::atomic_bool> cancel,
                        Work<Result> work, Deliver<Result> deliver)
{
    if (m_jobs[int(job)].id.load() != id)
        return; // a newer request of the kind answers
    if (workerFor(job).indexing && job != Job::Index && job != Job::Read && job != Job::Open) {
        post(&workerFor(job),
             [this, job, id, cancel, work, deliver] { step(job, id, cancel, work, deliver); });
        return;
    }
    JobControl control;
    control.cancel = cancel.get();
    QElapsedTimer sinceReport; // invalid until the first report, which is passed on at once
    control.progress = [this, job, id, &sinceReport](qint64 done, qint64 total) {
        if (sinceReport.isValid() && sinceReport.elapsed() < ProgressIntervalMs)
            return;
        sinceReport.start();
        QMetaObject::invokeMethod(this, [this, job, id, done, total] {
            if (isCurrent(job, id))
                emit progress(job, done, total);
        });
    };
    Step<Result> answer = work(workerFor(job), control);
    const bool again =
        answer.kind == Step<Result>::Kind::Part || answer.kind == Step<Result>::Kind::Later;
    if (answer.kind != Step<Result>::Kind::Later) {
        QMetaObject::invokeMethod(this, [this, job, id, cancel, answer, deliver] {
            if (!isCurrent(job, id))
                return;
            if (answer.result) {
                deliver(*answer.result);
                if (answer.kind == Step<Result>::Kind::Part)
                    return;
            } else {
                if (job == Job::Index)
                    m_indexing = false;
                if (*cancel || answer.error.isCancelled())
                    emit cancelled(job);
                else
                    emit failed(job, answer.error);
            }
            settle(job);
        });
    }
    if (again)
        post(&workerFor(job),
             [this, job, id, cancel, work, deliver] { step(job, id, cancel, work, deliver); });
}

StoreSessionWorker &StoreSession::workerFor(Job job) const
{
    return isQuestion(job) ? *m_questionWorker : *m_worker;
}

bool StoreSession::isCurrent(Job job, quint64 id) const
{
    return m_jobs[int(job)].id.load() == id;
}

void StoreSession::settle(Job job)
{
    Pending &pending = m_jobs[int(job)];
    --pending.waiting;
    updateBusy();
    if (isIdle())
        emit idle();
}

void StoreSession::invalidate(Job job)
{
    Pending &pending = m_jobs[int(job)];
    if (pending.cancel)
        *pending.cancel = true;
    pending.cancel.reset();
    ++pending.id;
    pending.waiting = 0; // nothing will answer
}

void StoreSession::updateBusy()
{
    const auto busy = std::find_if(std::begin(m_jobs), std::end(m_jobs), [](const Pending &p) {
        return p.waiting > 0 && !p.busy.isEmpty();
    });
    const QString what = busy == std::end(m_jobs) ? QString() : busy->busy;
    if (what == m_busyShown)
        return;
    m_busyShown = what;
    emit busyChanged(!what.isEmpty(), what);
}

bool StoreSession::isIdle() const
{
    return std::none_of(std::begin(m_jobs), std::end(m_jobs),
                        [](const Pending &p) { return p.waiting > 0; });
}

StoreError StoreSession::noStore()
{
    return {StoreError::Kind::NotFound, u"no store is open"_s};
}

void StoreSession::runRead(QObject *context, std::function<bool()> wanted,
                           std::function<std::function<void()>(EventStore *)> work)
{
    using Answer = std::function<void()>;
    run<Answer>(
        Job::Read, {},
        [wanted = std::move(wanted), work = std::move(work)](StoreSessionWorker &worker,
                                                             const JobControl &) {
            // Skipped when the asker no longer wants it (a list whose filter changed
            // meanwhile): a count or a LIKE over millions of rows for nobody.
            return Step<Answer>::done(!wanted || wanted() ? work(worker.store.get()) : Answer());
        },
        [context = QPointer<QObject>(context)](const Answer &answer) {
            if (answer && context)
                answer();
        });
}

void StoreSession::post(std::function<void()> work)
{
    post(m_worker, std::move(work));
}

void StoreSession::post(StoreSessionWorker *worker, std::function<void()> work)
{
    QMetaObject::invokeMethod(worker, std::move(work), Qt::QueuedConnection);
}

void StoreSession::cancel()
{
    for (Job job : {Job::Open, Job::Index, Job::Summary, Job::Lanes, Job::Replay}) {
        if (const auto &flag = m_jobs[int(job)].cancel)
            *flag = true;
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
    // A new store makes every pending answer about the old one stale; the lists drop theirs.
    for (int job = 0; job < JobCount; ++job) {
        if (replaces(Job(job)))
            invalidate(Job(job));
    }
    m_indexing = false;
    m_location = location;
    m_options = options;
    ++m_opens;
    {
        QMutexLocker lock(&m_interrupterMutex);
        if (m_questionInterrupter)
            m_questionInterrupter->interrupt();
    }
    run<StoreSummary>(
        Job::Open, u"Opening %1"_s.arg(location.displayName()),
        [this, location, options](StoreSessionWorker &worker, const JobControl &job) {
            worker.replay.reset();
            worker.lanes.reset();
            worker.store.reset();
            worker.indexing = false;
            setInterrupter(nullptr);
            StoreError error;
            worker.store = EventStore::open(location, options, &error);
            if (!worker.store)
                return Step<StoreSummary>::failed(error);
            setInterrupter(worker.store->interrupter());
            worker.lanes = std::make_unique<LaneReader>(*worker.store);
            return Step<StoreSummary>::of(worker.store->quickSummary(job),
                                          worker.store->lastError());
        },
        [this](const StoreSummary &summary) {
            // Posted before what the window asks for when it sees the store (lanes, buckets),
            // so that those are answered from the index rather than by scans of the store.
            startIndex(!summary.exact);
            emit opened(summary);
        });
}

void StoreSession::startIndex(bool countsPending)
{
    // The build between the work's runs: the lists' reads asked meanwhile are answered
    // between its parts rather than after the whole scan.
    auto build = std::make_shared<std::unique_ptr<EventIndexBuild>>();
    m_indexing = true;
    run<IndexOutcome>(
        Job::Index, u"Indexing the events"_s,
        [build](StoreSessionWorker &worker, const JobControl &job) {
            if (!worker.store)
                return Step<IndexOutcome>::failed(noStore());
            IndexOutcome outcome;
            if (!*build) {
                *build = EventIndexBuild::start(*worker.store, &outcome.unavailable);
                if (!*build)
                    return Step<IndexOutcome>::done(outcome);
                worker.indexing = true;
            }
            const auto state = (*build)->advance(*worker.store, job, IndexPartPositions);
            if (state == EventIndexBuild::State::Running)
                return Step<IndexOutcome>::later();
            worker.indexing = false;
            switch (state) {
            case EventIndexBuild::State::Running:
                break;
            case EventIndexBuild::State::Failed:
                if (job.cancelled())
                    return Step<IndexOutcome>::failed(StoreError::cancelled());
                outcome.unavailable = (*build)->errorString();
                break;
            case EventIndexBuild::State::Done:
                outcome.index = (*build)->finish(&outcome.unavailable);
                break;
            }
            build->reset();
            if (outcome.index) {
                worker.store->attachIndex(outcome.index);
                outcome.summary = worker.store->summary(); // exact, from the index
            }
            return Step<IndexOutcome>::done(outcome);
        },
        [this, countsPending](const IndexOutcome &outcome) {
            m_indexing = false;
            if (outcome.index) {
                emit indexReady(outcome.index);
                if (countsPending && outcome.summary)
                    emit summaryCompleted(*outcome.summary);
                return;
            }
            emit indexUnavailable(outcome.unavailable);
            if (countsPending)
                startExactSummary();
        });
}

// Posted after what the window asked for when it opened (lanes, buckets), so that the scans
// of the exact counts do not hold the first paint back.
void StoreSession::startExactSummary()
{
    run<StoreSummary>(
        Job::Summary, u"Counting the events"_s,
        [](StoreSessionWorker &worker, const JobControl &job) {
            if (!worker.store)
                return Step<StoreSummary>::failed(noStore());
            return Step<StoreSummary>::of(worker.store->summary(job), worker.store->lastError());
        },
        [this](const StoreSummary &summary) { emit summaryCompleted(summary); });
}

void StoreSession::requestBuckets(BucketSize size, const BucketFilter &filter)
{
    run<QVector<Bucket>>(
        Job::Buckets, {},
        [size, filter](StoreSessionWorker &worker, const JobControl &) {
            if (!worker.store)
                return Step<QVector<Bucket>>::failed(noStore());
            return Step<QVector<Bucket>>::of(worker.store->buckets(size, filter),
                                             worker.store->lastError());
        },
        [this, size](const QVector<Bucket> &buckets) { emit bucketsReady(buckets, size); });
}

void StoreSession::requestCountUpTo(const QString &stream, const QStringList &types, qint64 ms)
{
    run<qint64>(
        Job::CountUpTo, {},
        [stream, types, ms](StoreSessionWorker &worker, const JobControl &) {
            if (!worker.store)
                return Step<qint64>::failed(noStore());
            return Step<qint64>::of(worker.store->countUpTo(stream, types, ms),
                                    worker.store->lastError());
        },
        [this, ms](qint64 count) { emit countedUpTo(ms, count); });
}

void StoreSession::requestLanes(const QString &first, int count)
{
    run<QVector<StreamColumns>>(
        Job::Lanes, {},
        [first, count](StoreSessionWorker &worker, const JobControl &job) {
            if (!worker.lanes)
                return Step<QVector<StreamColumns>>::failed(noStore());
            return Step<QVector<StreamColumns>>::of(worker.lanes->read(first, count, job),
                                                    worker.lanes->lastError());
        },
        [this](const QVector<StreamColumns> &lanes) { emit lanesReady(lanes); });
}

void StoreSession::loadReplay(const QString &stream, const Projection &projection)
{
    replay(stream, projection, false);
}

void StoreSession::extendReplay(const QString &stream, const Projection &projection)
{
    replay(stream, projection, true);
}

void StoreSession::replay(const QString &stream, const Projection &projection, bool extend)
{
    for (Job job : {Job::State, Job::Snapshots, Job::Compare})
        invalidate(job);
    // The id run() gives the request, which tells its first part from the rest and its engine
    // from an earlier replay's.
    const quint64 id = m_jobs[int(Job::Replay)].id.load() + 1;
    // The part's size, and how many events earlier parts reported: the work's own state
    // between its runs.
    auto events = std::make_shared<qint64>(FirstReplayPart);
    auto reported = std::make_shared<qint64>(0);
    run<ReplayPart>(
        Job::Replay, u"Replaying %1"_s.arg(stream),
        [stream, projection, extend, id, events, reported](StoreSessionWorker &worker,
                                                           const JobControl &job) {
            if (worker.replayId != id) { // the first part: a new engine, or the loaded one
                worker.replayId = id;
                const bool goOn = extend && worker.replay && worker.replay->isLoaded() &&
                                  worker.replay->stream() == stream;
                if (!goOn || !worker.replay->continuePastEnd()) {
                    worker.replay.reset();
                    if (!worker.store)
                        return Step<ReplayPart>::failed(noStore());
                    worker.replay =
                        std::make_unique<ReplayEngine>(*worker.store, stream, projection);
                }
            }
            ReplayEngine &engine = *worker.replay;
            QElapsedTimer timer;
            timer.start();
            if (!engine.loadMore(*events, job)) {
                const StoreError error = engine.lastError();
                worker.replay.reset();
                return Step<ReplayPart>::failed(error);
            }
            job.report(engine.eventCount(), -1);
            ReplayPart part;
            part.stream = stream;
            part.loaded = engine.eventCount();
            part.versions = engine.versions().mid(*reported);
            part.times = engine.times().mid(*reported);
            *reported = engine.eventCount();
            part.done = engine.isLoaded();
            if (part.done) {
                // Whole vectors share the engine's, which no longer grow once it is loaded.
                part.allVersions = engine.versions();
                part.allTimes = engine.times();
                part.withoutVersion = worker.store->eventsWithoutVersion(stream).value_or(-1);
                return Step<ReplayPart>::done(part);
            }
            *events = qBound<qint64>(FirstReplayPart,
                                     *events * ReplayPartMs / qMax<qint64>(1, timer.elapsed()),
                                     qint64(1) << 20);
            return Step<ReplayPart>::part(part);
        },
        [this](const ReplayPart &part) {
            emit replayExtended(part.stream, part.versions, part.times);
            if (part.done) {
                emit replaySkipped(part.stream, part.withoutVersion);
                emit replayLoaded(part.stream, part.allVersions, part.allTimes);
            }
        });
}

void StoreSession::pollForNewEvents()
{
    run<std::optional<StoreSummary>>(
        Job::Follow, {},
        [location = m_location, options = m_options](StoreSessionWorker &worker,
                                                     const JobControl &job) {
            using Outcome = Step<std::optional<StoreSummary>>;
            if (!worker.store)
                return Outcome::failed(noStore());
            const bool firstLook = !worker.store->watchesChanges();
            const std::optional<bool> changed = worker.store->hasChanged();
            if (!changed && !worker.store->needsReopen())
                return Outcome::failed(worker.store->lastError());
            if (changed == false && !firstLook)
                return Outcome::done(std::nullopt);
            const std::shared_ptr<const EventIndex> index = worker.store->index();
            // A connection that cannot see commits is opened again when there are some (or
            // when a read failed for the -wal and -shm it read by going away).
            const bool reopen = changed != false && worker.store->needsReopen();
            if (reopen) {
                StoreError error;
                auto reopened = EventStore::open(location, options, &error);
                if (!reopened)
                    return Outcome::failed(error);
                // A loaded replay has no statement open: it goes on reading the store again.
                if (worker.replay && worker.replay->isLoaded())
                    worker.replay->rebind(*reopened);
                else
                    worker.replay.reset();
                worker.lanes.reset();
                worker.store = std::move(reopened);
                worker.store->hasChanged(); // where the store is now
                worker.lanes = std::make_unique<LaneReader>(*worker.store);
            }
            if (index) {
                QString why;
                auto grown = EventIndexBuilder::extend(index, *worker.store, job, &why);
                if (!grown && job.cancelled())
                    return Outcome::failed(StoreError::cancelled());
                if (!grown) {
                    // Not by appends alone: no replay goes on from what it folded before.
                    worker.replay.reset();
                    grown = EventIndexBuilder::build(*worker.store, job, &why);
                }
                if (!grown)
                    return Outcome::failed({StoreError::Kind::Sql, why});
                worker.store->attachIndex(grown);
                if (grown == index && !reopen)
                    return Outcome::done(std::nullopt);
            }
            auto summary = worker.store->summary(job);
            if (!summary)
                return Outcome::failed(worker.store->lastError());
            return Outcome::done(std::optional<StoreSummary>(std::move(*summary)));
        },
        [this](const std::optional<StoreSummary> &summary) {
            if (summary) {
                for (Job job : {Job::Replay, Job::State, Job::Snapshots, Job::Compare})
                    invalidate(job);
                ++m_opens; // the questions' store is opened again, to see the new events
                emit storeGrew(*summary);
            }
        });
}

void StoreSession::closeReplay()
{
    for (Job job : {Job::Replay, Job::State, Job::Snapshots, Job::Compare})
        invalidate(job);
    post([worker = m_worker] { worker->replay.reset(); });
    updateBusy();
    if (isIdle())
        emit idle();
}

void StoreSession::requestState(qint64 index)
{
    const quint64 replayId = m_jobs[int(Job::Replay)].id.load();
    run<ReplayState>(
        Job::State, {},
        [index, replayId](StoreSessionWorker &worker, const JobControl &) {
            if (!worker.replay || worker.replayId != replayId)
                return Step<ReplayState>::failed(
                    {StoreError::Kind::NotFound, u"no stream is being replayed"_s});
            // A state past what the first pass has folded waits until the pass reaches it.
            if (!worker.replay->isLoaded() && index >= worker.replay->eventCount())
                return Step<ReplayState>::later();
            return Step<ReplayState>::of(worker.replay->stateAtIndex(index),
                                         worker.replay->lastError());
        },
        [this](const ReplayState &state) { emit stateReady(state); });
}

void StoreSession::requestSnapshots(const QString &stream)
{
    run<QVector<StoredSnapshot>>(
        Job::Snapshots, {},
        [stream](StoreSessionWorker &worker, const JobControl &) {
            if (!worker.store)
                return Step<QVector<StoredSnapshot>>::failed(noStore());
            return Step<QVector<StoredSnapshot>>::of(worker.store->snapshots(stream),
                                                     worker.store->lastError());
        },
        [this, stream](const QVector<StoredSnapshot> &snapshots) {
            emit snapshotsReady(stream, snapshots);
        });
}

void StoreSession::requestComparison(const StoredSnapshot &snapshot)
{
    const quint64 replayId = m_jobs[int(Job::Replay)].id.load();
    run<SnapshotComparison>(
        Job::Compare, {},
        [snapshot, replayId](StoreSessionWorker &worker, const JobControl &) {
            // The state is folded by the replay the window shows, so both read alike. A replay
            // closed or replaced since the request answers with an error, so that the request
            // never waits for nothing.
            if (!worker.replay || worker.replayId != replayId ||
                worker.replay->stream() != snapshot.stream)
                return Step<SnapshotComparison>::failed(
                    {StoreError::Kind::NotFound,
                     u"no replay of %1 is loaded"_s.arg(snapshot.stream)});
            return Step<SnapshotComparison>::done(
                SnapshotComparison::compare(snapshot, *worker.replay));
        },
        [this](const SnapshotComparison &comparison) { emit comparisonReady(comparison); });
}

void StoreSession::runQuestion(
    Job job, const QString &busy,
    std::function<std::function<void()>(EventStore &, const JobControl &, StoreError *)> work)
{
    Q_ASSERT(isQuestion(job));
    using Answer = std::function<void()>;
    if (m_opens == 0) {
        // Answered like every request, through the scheduler, so that failed() comes later.
        run<Answer>(
            job, busy,
            [](StoreSessionWorker &, const JobControl &) {
                return Step<Answer>::failed(noStore());
            },
            [](const Answer &) {});
        return;
    }
    run<Answer>(
        job, busy,
        [this, work = std::move(work), location = m_location, options = m_options,
         opens = m_opens](StoreSessionWorker &worker, const JobControl &control) {
            if (control.cancelled())
                return Step<Answer>::failed(StoreError::cancelled());
            if (!worker.store || worker.storeOpen != opens) {
                // The questions' own connection, opened on first use and again after each
                // open(): a connection belongs to the thread that opened it.
                setQuestionInterrupter(nullptr);
                worker.store.reset();
                StoreError error;
                worker.store = EventStore::open(location, options, &error);
                if (!worker.store)
                    return Step<Answer>::failed(error);
                worker.storeOpen = opens;
                setQuestionInterrupter(worker.store->interrupter());
            }
            StoreError error;
            Answer answer = work(*worker.store, control, &error);
            if (answer)
                return Step<Answer>::done(std::move(answer));
            if (control.cancelled())
                error = StoreError::cancelled();
            return Step<Answer>::failed(error);
        },
        [](const Answer &answer) { answer(); });
}

void StoreSession::cancelQuestion(Job job)
{
    Q_ASSERT(isQuestion(job));
    if (const auto &flag = m_jobs[int(job)].cancel)
        *flag = true;
    QMutexLocker lock(&m_interrupterMutex);
    if (m_questionInterrupter)
        m_questionInterrupter->interrupt();
}

void StoreSession::setQuestionInterrupter(std::shared_ptr<StatementInterrupter> interrupter)
{
    QMutexLocker lock(&m_interrupterMutex);
    m_questionInterrupter = std::move(interrupter);
}

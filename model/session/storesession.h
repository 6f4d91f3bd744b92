#pragma once

// The window's handle on a store's long work. A worker thread opens its own EventStore on the
// same location (a QSqlDatabase connection cannot move between threads) and runs summaries,
// the in-memory index, bucket counts, lane loading, replay and snapshot comparisons there, so
// the window never waits on the database.
// Every request goes through one scheduler, run(): it gets the id of the latest request of its
// kind (an answer to a request that a newer one replaced is dropped, and the replaced request
// is cancelled), runs on the worker with a cancel flag and a progress callback, and always
// answers: with its result signal, failed(job, error), or cancelled(job). Replay state
// requests are coalesced: while the slider moves, only the latest position is computed. A
// replay's first pass runs in parts of about 50 ms, so that the states of the events it has
// folded are answered between them (a state further on waits until the pass reaches it), and
// so is everything else.

#include "core/event.h"
#include "core/storeerror.h"
#include "index/eventindex.h"
#include "replay/projection.h"
#include "replay/replayengine.h"
#include "replay/snapshotcomparison.h"
#include "store/eventstore.h"
#include "store/storelocation.h"

#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class StatementInterrupter;
class StoreSessionWorker;

class StoreSession : public QObject
{
    Q_OBJECT

public:
    // The kinds of request. A request replaces the one of its kind before it, except for Read,
    // where every request answers.
    enum class Job {
        Open,    // the store and its quick summary
        Index,   // the in-memory index, right after Open
        Summary, // the exact summary after an inexact one, when no index counts it
        Buckets,
        CountUpTo,
        Lanes,
        Replay,
        State,
        Snapshots,
        Compare,
        Follow, // a look for events committed since the last (pollForNewEvents)
        // The questions (ask()): each kind replaces the one before it of its kind.
        History,
        Diff,
        Bisect,
        States, // several streams' states at one time (side by side)
        Search,
        Check,
        Schema,
        ReadModel,
        Export,
        Slice,
        Read, // the lists' reads (readStore)
    };
    Q_ENUM(Job)

    explicit StoreSession(QObject *parent = nullptr);
    ~StoreSession() override;

    // Each answers with the signal of the same name, or failed(job, error), or cancelled(job).
    void open(const StoreLocation &location, const StoreOpenOptions &options);
    void requestBuckets(BucketSize size, const BucketFilter &filter);
    // EventStore::countUpTo; while the playhead moves, only the latest request is counted.
    void requestCountUpTo(const QString &stream, const QStringList &types, qint64 ms);
    // The stream `first` (if any) and then the busiest streams, `count` lanes in all.
    void requestLanes(const QString &first, int count);
    void loadReplay(const QString &stream, const Projection &projection);
    // The replayed stream grew (storeGrew): the loaded replay folds only the new events, as
    // parts of a replay that report every version from the first; a replay of another
    // stream, or none loaded, is loaded as loadReplay() would. The projection is the one the
    // loaded replay folds with.
    void extendReplay(const QString &stream, const Projection &projection);
    // View ▸ Follow: whether another process has committed events since the last look (the
    // first look after an open takes any since the index was built). If so, the index is
    // extended by the new events (or built again when the store changed otherwise) and
    // storeGrew() answers with the summary; a store read in a way that cannot see commits (an
    // immutable file, a private copy) is opened again behind the window's back for it. Nothing
    // new: no signal.
    void pollForNewEvents();
    void requestState(qint64 index);
    // The snapshots the library stored for a stream (none when its layout keeps none).
    void requestSnapshots(const QString &stream);
    // A stored snapshot of the replayed stream against the replay's state at its version.
    void requestComparison(const StoredSnapshot &snapshot);
    // Drops the replay: its pending answers (replay, states, snapshots, comparison) never come.
    void closeReplay();
    // Cancels the running open, index, count, lanes or replay load.
    void cancel();

    // The lists' reads (pages, counts, seeks): `read` runs on the worker with its store, in
    // turn with every other request, unless `wanted` (if given) says by then that its asker has
    // moved on;
    // `deliver` gets the answer (or the store's error, or NotFound "no store is open") here,
    // unless `context` is gone. The asker drops stale answers itself, and a new store does
    // not drop them. `read` and `wanted` must capture only values: they run on the worker.
    template<typename Result>
    void readStore(QObject *context, std::function<bool()> wanted,
                   std::function<std::optional<Result>(EventStore &)> read,
                   std::function<void(const std::optional<Result> &, const StoreError &)> deliver)
    {
        runRead(context, std::move(wanted),
                [read = std::move(read), deliver = std::move(deliver)](EventStore *store) {
                    std::optional<Result> result;
                    StoreError error = noStore();
                    if (store) {
                        result = read(*store);
                        error = result ? StoreError() : store->lastError();
                    }
                    return std::function<void()>(
                        [deliver, result, error] { deliver(result, error); });
                });
    }

    // A question about the store (a field's history, a diff, a bisect, a search, a check, a
    // schema survey, a read model, an export or a slice): `work` runs on a thread of its own,
    // with a store of its own opened on the open store's location and options, so that the
    // lists, the charts and the replay are answered meanwhile. It gets the job's cancel flag
    // and progress (progress(job, ...)); it returns its answer, or nullopt with *error set.
    // `deliver` gets the answer here unless `context` is gone or a newer question of the kind
    // was asked; a failure is failed(job, error), a cancel cancelled(job). `job` must be a
    // question's kind (History to Slice). `work` must capture only values.
    template<typename Result>
    void
    ask(Job job, const QString &busy, QObject *context,
        std::function<std::optional<Result>(EventStore &, const JobControl &, StoreError *)> work,
        std::function<void(const Result &)> deliver)
    {
        runQuestion(job, busy,
                    [work = std::move(work), deliver = std::move(deliver),
                     context = QPointer<QObject>(context)](
                        EventStore &store, const JobControl &control, StoreError *error) {
                        std::optional<Result> result = work(store, control, error);
                        if (!result)
                            return std::function<void()>();
                        return std::function<void()>([deliver, context, result] {
                            if (context)
                                deliver(*result);
                        });
                    });
    }
    // Cancels the running question of the kind (its answer is then cancelled(job)).
    void cancelQuestion(Job job);

    // True when no request is waiting for its answer.
    bool isIdle() const;
    // True from open() until the index answers (indexReady, indexUnavailable, or a failure or
    // cancel of Job::Index), false already in the handlers of that answer: a read the index will
    // answer can wait for it, and one asked by those handlers does not.
    bool isIndexing() const { return m_indexing; }

signals:
    void opened(const StoreSummary &summary);
    // After opened(), the worker indexes the events (EventIndexBuilder) before
    // it answers anything else, reporting progress; then indexReady() with the index, which
    // the worker's store already answers from, or indexUnavailable() saying why not (the
    // store is then queried as it is), or cancelled(Job::Index).
    void indexReady(const std::shared_ptr<const EventIndex> &index);
    void indexUnavailable(const QString &reason);
    // After opened() with an inexact summary (a large store): the exact one.
    void summaryCompleted(const StoreSummary &summary);
    // pollForNewEvents() found new events: the exact summary that counts them. The lists, the
    // lanes, the charts and the next question read them from now on; a replay that was loaded
    // is closed (the window loads it again).
    void storeGrew(const StoreSummary &summary);
    void bucketsReady(const QVector<Bucket> &buckets, BucketSize size);
    void countedUpTo(qint64 ms, qint64 count);
    void lanesReady(const QVector<StreamColumns> &lanes);
    // After each part of the first pass, the versions and times of the events it added (the
    // first part's start at the stream's first event); states up to them can be asked for.
    void replayExtended(const QString &stream, const QVector<qint64> &versions,
                        const QVector<qint64> &times);
    // The whole stream is folded: all its versions and times.
    void replayLoaded(const QString &stream, const QVector<qint64> &versions,
                      const QVector<qint64> &times);
    // Before replayLoaded(): how many events of the stream the replay leaves out for want of
    // a version (EventStore::eventsWithoutVersion), -1 when they could not be counted.
    void replaySkipped(const QString &stream, qint64 eventsWithoutVersion);
    void stateReady(const ReplayState &state);
    void snapshotsReady(const QString &stream, const QVector<StoredSnapshot> &snapshots);
    void comparisonReady(const SnapshotComparison &comparison);
    // A long job's progress: Index counts events of a total, Replay the events folded so far
    // (total -1: not known).
    void progress(StoreSession::Job job, qint64 done, qint64 total);
    void failed(StoreSession::Job job, const StoreError &error);
    void cancelled(StoreSession::Job job); // by cancel(), not failed

    // What the session is busy with, for a busy indicator: the first of the waiting open,
    // index, summary and replay jobs; false when none waits.
    void busyChanged(bool busy, const QString &what);
    void idle(); // the last outstanding answer has arrived

private:
    static constexpr int JobCount = int(Job::Read) + 1;
    static constexpr int ProgressIntervalMs = 100;
    // A replay's first part is small, so that the first state shows at once; later parts
    // take about PartMs each.
    static constexpr qint64 FirstReplayPart = 4096;
    static constexpr qint64 ReplayPartMs = 50;
    // The positions of one part of the index's scan on the worker: about 50 ms of rows.
    static constexpr qint64 IndexPartPositions = 131072;

    void replay(const QString &stream, const Projection &projection, bool extend);

    // What one run of a job's work on the worker gives.
    template<typename Result> struct Step
    {
        enum class Kind { Done, Part, Later, Failed };
        Kind kind;
        std::optional<Result> result;
        StoreError error;

        static Step done(Result r) { return {Kind::Done, std::move(r), {}}; }
        // Delivered now; the work runs again behind what was asked meanwhile.
        static Step part(Result r) { return {Kind::Part, std::move(r), {}}; }
        // Nothing yet; the work runs again behind what was asked meanwhile.
        static Step later() { return {Kind::Later, std::nullopt, {}}; }
        static Step failed(StoreError e) { return {Kind::Failed, std::nullopt, std::move(e)}; }
        // The result, or the failure when there is none.
        static Step of(std::optional<Result> r, const StoreError &e)
        {
            return r ? done(std::move(*r)) : failed(e);
        }
    };
    template<typename Result>
    using Work = std::function<Step<Result>(StoreSessionWorker &, const JobControl &)>;
    template<typename Result> using Deliver = std::function<void(const Result &)>;

    // The one way a request runs: a new id for the job (the previous request of its kind is
    // cancelled and its answer dropped), `work` on the worker until it is done or fails, and
    // `deliver` on this thread for each result that is still the latest of its kind. A busy
    // job (busy not empty) shows in busyChanged() until it answers.
    template<typename Result>
    void run(Job job, const QString &busy, Work<Result> work, Deliver<Result> deliver);
    template<typename Result>
    void step(Job job, quint64 id, std::shared_ptr<std::atomic_bool> cancel, Work<Result> work,
              Deliver<Result> deliver);
    // readStore() without its types: `work` returns what to run on this thread.
    void runRead(QObject *context, std::function<bool()> wanted,
                 std::function<std::function<void()>(EventStore *)> work);
    static StoreError noStore();
    // ask() without its types: `work` returns what to run on this thread, or an empty
    // function with *error set.
    void runQuestion(
        Job job, const QString &busy,
        std::function<std::function<void()>(EventStore &, const JobControl &, StoreError *)> work);
    static bool isQuestion(Job job) { return job >= Job::History && job <= Job::Slice; }
    // The worker a job runs on: the questions' own, or the store's.
    StoreSessionWorker &workerFor(Job job) const;
    // False for the jobs where every request answers.
    static bool replaces(Job job) { return job != Job::Read; }
    // On this thread: true when the id is still the latest request of the job.
    bool isCurrent(Job job, quint64 id) const;
    // The job no longer waits; busyChanged() and idle() say what that changes.
    void settle(Job job);
    // Makes the pending answer of the job stale, without a new request.
    void invalidate(Job job);
    void updateBusy();
    void post(std::function<void()> work);
    void post(StoreSessionWorker *worker, std::function<void()> work);
    // Any thread: the interrupter of the worker's open store.
    void setInterrupter(std::shared_ptr<StatementInterrupter> interrupter);
    void setQuestionInterrupter(std::shared_ptr<StatementInterrupter> interrupter);

    void startIndex(bool countsPending);
    void startExactSummary();

    struct Pending
    {
        // The latest request; for a job where every request answers, the requests since the
        // job was last invalidated.
        std::atomic<quint64> id{0};
        std::shared_ptr<std::atomic_bool> cancel;
        int waiting = 0; // requests not answered yet
        QString busy;
    };
    QThread m_thread;
    StoreSessionWorker *m_worker = nullptr; // lives in m_thread
    QThread m_questionThread;
    StoreSessionWorker *m_questionWorker = nullptr; // lives in m_questionThread
    // What the questions' store opens: the location and options of the latest open(), and a
    // count of opens, by which the questions' worker knows its store is another's.
    StoreLocation m_location;
    StoreOpenOptions m_options;
    quint64 m_opens = 0;
    Pending m_jobs[JobCount];
    bool m_indexing = false; // see isIndexing()
    QString m_busyShown;     // what busyChanged() last said; empty when not busy
    QMutex m_interrupterMutex;
    std::shared_ptr<StatementInterrupter> m_interrupter;
    std::shared_ptr<StatementInterrupter> m_questionInterrupter; // of the questions' store
};

Q_DECLARE_METATYPE(StoreSummary)
Q_DECLARE_METATYPE(ReplayState)
Q_DECLARE_METATYPE(StreamColumns)
Q_DECLARE_METATYPE(StoredSnapshot)
Q_DECLARE_METATYPE(SnapshotComparison)
Q_DECLARE_METATYPE(std::shared_ptr<const EventIndex>)

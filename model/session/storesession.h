#pragma once

// The window's handle on a store's long work. A worker thread opens its own EventStore on the
// same location (a QSqlDatabase connection cannot move between threads) and runs summaries,
// the in-memory index, bucket counts, lane loading, replay and snapshot comparisons there, so
// the window never waits on the database.
// Every request carries a generation: an answer to a request that a newer one replaced is
// dropped, and a replaced long job is cancelled. Replay state requests are coalesced: while
// the slider moves, only the latest position is computed. A replay's first pass runs in parts
// of about 50 ms, so that the states of the events it has folded are answered between them (a
// state further on waits until the pass reaches it), and so is everything else.

#include "core/event.h"
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
#include <memory>

class StatementInterrupter;
class StoreSessionWorker;

class StoreSession : public QObject
{
    Q_OBJECT

public:
    explicit StoreSession(QObject *parent = nullptr);
    ~StoreSession() override;

    // Each answers with the signal of the same name, or failed(what, message).
    void open(const StoreLocation &location, const StoreOpenOptions &options);
    void requestBuckets(BucketSize size, const BucketFilter &filter);
    // EventStore::countUpTo; while the playhead moves, only the latest request is counted.
    void requestCountUpTo(const QString &stream, const QStringList &types, qint64 ms);
    // The stream `first` (if any) and then the busiest streams, `count` lanes in all.
    void requestLanes(const QString &first, int count);
    void loadReplay(const QString &stream, const Projection &projection);
    void requestState(qint64 index);
    // The snapshots the library stored for a stream (none when its layout keeps none).
    void requestSnapshots(const QString &stream);
    // A stored snapshot of the replayed stream against the replay's state at its version.
    void requestComparison(const StoredSnapshot &snapshot);
    void closeReplay();
    // Cancels the running summary, index, lanes or replay load.
    void cancel();

    // The lists' reads (KeysetPagedModel pages, counts, seeks): `read` runs on the worker with
    // its store, in turn with every other request, unless `wanted` (if given) says by then that
    // its asker has moved on; `deliver` gets the answer (or the store's error, or "no store is open") on
    // the GUI thread, unless `context` is gone. The asker drops stale answers itself, so no
    // generation is kept here. `read` must capture only values: it runs on the worker.
    template <typename Result>
    void readStore(QObject *context, std::function<bool()> wanted,
                   std::function<std::optional<Result>(EventStore &)> read,
                   std::function<void(const std::optional<Result> &, const QString &)> deliver)
    {
        runOnStore(context, std::move(wanted),
                   [read = std::move(read), deliver = std::move(deliver)](EventStore *store) {
                       std::optional<Result> result;
                       QString error = QStringLiteral("no store is open");
                       if (store) {
                           result = read(*store);
                           error = result ? QString() : store->errorString();
                       }
                       return std::function<void()>(
                           [deliver, result, error] { deliver(result, error); });
                   });
    }

    // True when no request is waiting for its answer.
    bool isIdle() const;

signals:
    void opened(const StoreSummary &summary);
    // After opened(), the worker indexes the events (EventIndexBuilder) before
    // it answers anything else, reporting progress; then indexReady() with the index, which
    // the worker's store already answers from, or indexUnavailable() saying why not (the
    // store is then queried as it is), or cancelled("indexing").
    void indexProgress(qint64 done, qint64 total);
    void indexReady(const std::shared_ptr<const EventIndex> &index);
    void indexUnavailable(const QString &reason);
    // After opened() with an inexact summary (a large store): the exact one.
    void summaryCompleted(const StoreSummary &summary);
    void bucketsReady(const QVector<Bucket> &buckets, BucketSize size);
    void countedUpTo(qint64 ms, qint64 count);
    void lanesReady(const QVector<StreamColumns> &lanes);
    void replayProgress(qint64 eventsLoaded);
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
    void failed(const QString &what, const QString &message);
    void cancelled(const QString &what); // by cancel(), not failed

    void busyChanged(bool busy, const QString &what);
    void idle(); // the last outstanding answer has arrived

private:
    friend class StoreSessionWorker; // keeps a state request's ticket until it is answered
    enum Job {
        OpenJob,
        IndexJob,
        BucketsJob,
        CountJob,
        LanesJob,
        ReplayJob,
        StateJob,
        SnapshotsJob,
        CompareJob,
        JobCount
    };
    struct Ticket
    {
        quint64 generation;
        std::shared_ptr<std::atomic_bool> cancel;
    };
    Ticket issue(Job job);
    static constexpr int ProgressIntervalMs = 100;
    // A replay's first part is small, so that the first state shows at once; later parts
    // take about PartMs each.
    static constexpr qint64 FirstReplayPart = 4096;
    static constexpr qint64 ReplayPartMs = 50;

    void buildIndex(const Ticket &openTicket, const Ticket &ticket, bool countsPending);
    void countExactly(const Ticket &ticket);
    // On the worker: folds one part of the replay, then posts the next behind what was asked
    // meanwhile.
    void foldReplayPart(const Ticket &ticket, const QString &stream, qint64 events);
    // On the worker: the state at the index, answered now, or when the replay's first pass
    // reaches it.
    void answerState(const Ticket &ticket, qint64 index, quint64 replayGeneration);
    // Makes every pending answer of the kind stale, without a new request.
    void invalidate(Job job);
    bool isCurrent(Job job, quint64 generation) const;
    // On the GUI thread, for an answer: true (and the job is no longer waiting) when the
    // answer belongs to the latest request of its kind.
    bool accept(Job job, quint64 generation);
    void settle(Job job);
    // A failed answer: cancelled when cancel() stopped it, else failed.
    void reportFailure(const Ticket &ticket, const QString &what, const QString &error);
    void post(std::function<void()> work);
    // readStore() without its types: `work` returns what to run on the GUI thread.
    void runOnStore(QObject *context, std::function<bool()> wanted,
                    std::function<std::function<void()>(EventStore *)> work);
    // Any thread: the interrupter of the worker's open store.
    void setInterrupter(std::shared_ptr<StatementInterrupter> interrupter);

    QThread m_thread;
    StoreSessionWorker *m_worker = nullptr; // lives in m_thread
    std::atomic<quint64> m_generation[JobCount] = {};
    std::shared_ptr<std::atomic_bool> m_cancel[JobCount];
    bool m_waiting[JobCount] = {};
    int m_reads = 0; // readStore() requests not answered yet
    QMutex m_interrupterMutex;
    std::shared_ptr<StatementInterrupter> m_interrupter;
};

Q_DECLARE_METATYPE(StoreSummary)
Q_DECLARE_METATYPE(ReplayState)
Q_DECLARE_METATYPE(StreamColumns)
Q_DECLARE_METATYPE(StoredSnapshot)
Q_DECLARE_METATYPE(SnapshotComparison)
Q_DECLARE_METATYPE(std::shared_ptr<const EventIndex>)

#pragma once

// Rebuilds one stream's state at any point of its history by folding its events in version
// order through a Projection. The first pass folds the stream once, keeping a compact index
// (version, time, position per event) and a checkpoint of the state every K events; any point
// it has passed is then at most K event applications away from a checkpoint (or from the
// previous answer, when stepping forward). The first pass may run in parts (loadMore,
// loadPastVersion), and every state up to where it stands can be asked for meanwhile, so that
// an answer early in a long stream does not wait for the rest. Checkpoint memory is bounded:
// when it outgrows the budget, every other checkpoint is dropped and K doubles.

#include "core/event.h"
#include "core/jobcontrol.h"
#include "core/storeerror.h"
#include "replay/jsondiff.h"
#include "replay/projection.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QVector>

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

class EventStore;
class PostgresStreamReader;
class SqliteStreamReader;

struct ReplayState
{
    QString stream;
    qint64 index = -1; // of the last applied event in the stream; -1 before the first
    qint64 version = 0;
    qint64 position = 0;
    qint64 timeMs = NoTime;
    QString type;
    QJsonObject state;
    QMap<QString, qint64> eventCounts;
    QVector<JsonChange> changed; // what the last applied event changed

    qint64 eventsApplied() const { return index + 1; }
};

// One event the first pass has just folded, as a FoldObserver sees it.
struct FoldedEvent
{
    qint64 index = 0; // in the stream, from 0
    qint64 version = 0;
    qint64 position = 0;
    qint64 timeMs = NoTime;
    std::string_view type; // UTF-8, valid during the call
};

// The state the first pass has folded so far, as a FoldObserver sees it after each event:
// only what it asks for is read out of the fold's own form (JsonMergeTree or QJsonObject).
class FoldedState
{
public:
    virtual ~FoldedState() = default;
    // Whether the last event may have changed the value at `keys` (object keys from the
    // root); false only when it provably did not.
    virtual bool touched(const QStringList &keys) const = 0;
    // The value at `keys`; Undefined when absent.
    virtual QJsonValue valueAt(const QStringList &keys) const = 0;
};

// Called after each event of the first pass; returning false stops the pass after that event,
// as the end of a loadMore() part does (a later load call goes on from there).
using FoldObserver = std::function<bool(const FoldedEvent &, const FoldedState &)>;

class ReplayEngine
{
public:
    struct Options
    {
        int checkpointInterval = 256;
        qint64 checkpointBudgetBytes = 256ll * 1024 * 1024;
        int fetchChunk = 2000;
    };

    ReplayEngine(EventStore &store, const QString &stream, const Projection &projection,
                 const Options &options);
    ReplayEngine(EventStore &store, const QString &stream, const Projection &projection = {});

    ~ReplayEngine();
    ReplayEngine(const ReplayEngine &) = delete;
    ReplayEngine &operator=(const ReplayEngine &) = delete;

    // The first pass, or what is left of it. False with errorString() on failure or cancel,
    // after which the engine is empty again.
    bool load(const JobControl &job = {});
    // The first pass in parts: folds at most maxEvents more events.
    bool loadMore(qint64 maxEvents, const JobControl &job = {});
    // The stream grew since it was loaded: the next load calls fold the events after the last
    // one folded, from its state, instead of the whole stream again. Events before it are
    // taken as they were (stores append); false with errorString() when that state cannot
    // be had, after which the engine is empty.
    bool continuePastEnd();
    // A store opened again on the same data (a connection that could not see new commits):
    // the engine reads it from now on. Only between load calls, when no statement is open.
    void rebind(EventStore &store) { m_store = &store; }
    // Folds until an event past `version` is folded, or the stream ends: what
    // stateAtVersion(version) needs.
    bool loadPastVersion(qint64 version, const JobControl &job = {});
    // Watches every event the first pass folds from now on: questions about each state of a
    // stream (a field's history, the first state where a condition holds) are answered in
    // the one pass that a replay takes anyway.
    void setFoldObserver(FoldObserver observer) { m_observer = std::move(observer); }
    // The last load call ended because the observer asked it to.
    bool stoppedByObserver() const { return m_observerStopped; }
    // The whole stream is folded.
    bool isLoaded() const { return m_loaded; }
    QString stream() const { return m_stream; }
    // The last failure: its kind, and its message (errorString()).
    const StoreError &lastError() const { return m_error; }
    QString errorString() const { return m_error.message; }

    // The events folded so far (all of them once loaded).
    qint64 eventCount() const { return m_versions.size(); }
    const QVector<qint64> &versions() const { return m_versions; }
    const QVector<qint64> &times() const { return m_times; }
    const QVector<qint64> &positions() const { return m_positions; }

    // index -1 is the empty state before the first event; an index not folded yet is an error.
    std::optional<ReplayState> stateAtIndex(qint64 index);
    // The state after the last event whose version is <= version. A version below the first
    // gives the empty state; one above the last is an error, as is one the first pass has not
    // passed yet.
    std::optional<ReplayState> stateAtVersion(qint64 version);
    // The state after the last event whose time is <= timeMs; once loaded (times need not
    // follow the versions).
    std::optional<ReplayState> stateAtTime(qint64 timeMs);

    int checkpointInterval() const { return m_interval; }
    int checkpointCount() const { return m_checkpoints.size(); }
    qint64 checkpointBytes() const { return m_checkpointBytes; }
    qint64 applicationsForLastAnswer() const { return m_lastApplications; }

private:
    struct Checkpoint
    {
        qint64 index = -1;
        QJsonObject state;
        QMap<QString, qint64> counts;
        qint64 bytes = 0;
    };

    struct Pass;
    struct Stop
    {
        qint64 events;       // at most this many more
        qint64 afterVersion; // once a version above it is folded
    };

    void clear();
    // The first pass, from where it stands, up to `stop` or the end of the stream.
    bool fold(const Stop &stop, const JobControl &job);
    bool fail(const StoreError &error);
    bool cancelled();
    bool finishLoad();
    // The default merge over rows stepped through a C API (sqlite3's or libpq's), with the
    // state in a JsonMergeTree; the same checkpoints as the generic pass. Each part reads with
    // statements of its own, from where the last part stopped (fold()), so that the
    // connection is free between parts; this folds one statement's rows.
    template<typename Reader>
    bool foldMerged(std::unique_ptr<Reader> reader, const Stop &stop, const JobControl &job);
    bool foldGeneric(const Stop &stop, const JobControl &job);
    // For stateAtIndex() with the default merge on SQLite: the events after `state` up to
    // index `upTo` folded as the fast first pass folds them (the C API reader, a merge tree
    // seeded with the state), several times faster than the generic fold over a long gap from
    // a checkpoint. False with m_error.
    bool foldGapMerged(ReplayState &state, qint64 upTo);
    // The gap from a checkpoint beyond which foldGapMerged() pays for its statement and tree.
    static constexpr qint64 MergedGapEvents = 32;
    void appendEvent(qint64 version, qint64 timeMs, qint64 position);
    bool requireLoaded();
    bool addCheckpoint(ReplayState &state);
    // Keeps a checkpoint of the state that `compactJson` holds and hands that state, compact,
    // to `compact`; false, with errorString(), when the text does not parse back.
    bool addCheckpoint(qint64 index, const QByteArray &compactJson,
                       const QMap<QString, qint64> &counts, QJsonObject *compact);
    void thinCheckpoints();
    void applyEvent(ReplayState &state, const Event &event) const;

    EventStore *m_store;
    QString m_stream;
    Projection m_projection;
    Options m_options;
    int m_interval = 256;
    bool m_loaded = false;
    std::unique_ptr<Pass> m_pass; // the first pass's fold while it runs
    StoreError m_error;
    QVector<qint64> m_versions;
    QVector<qint64> m_times;
    QVector<qint64> m_positions;
    bool m_timesSorted = true;
    QVector<Checkpoint> m_checkpoints; // by index, ascending; first is the empty state
    qint64 m_checkpointBytes = 0;
    FoldObserver m_observer;
    bool m_observerStopped = false;
    std::optional<ReplayState> m_cursor; // the last answer, to step forward from
    qint64 m_lastApplications = 0;
};

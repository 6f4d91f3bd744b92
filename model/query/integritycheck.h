#pragma once

// Is the store sound? Reads every event (or one stream's) twice, each time as one streamed
// read that holds one event at a time (and, for a whole SQLite store, the times below):
//  1. in position order, as `events` reads them: each event alone (no stream, no type, no
//     time, a payload that is not valid in the encoding its layout declares);
//  2. in stream, version, position order, reading positions, versions and times only: each
//     event against the one before it in its stream (versions skipped or repeated, time
//     going backwards).
// Problems are handed on as they are found: those of the first read in position order, then
// those of the second in stream and version order. Both reads see one state of the store (a
// snapshot, EventStore::beginSnapshot). Checking a whole SQLite store of up to
// MaxKeptTimes positions, the first read keeps each event's time by position for the second,
// which then reads the (stream, version) index alone: reading the times there visits the
// table in stream order, a random read per event (30 s of a 35 s check of ten million events).

#include "core/jobcontrol.h"
#include "store/storelayout.h"

#include <QMap>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

class EventStore;
struct Event;

struct IntegrityProblem
{
    enum class Kind {
        VersionGap,
        DuplicateVersion,
        TimeBackwards,
        UnparseableData,
        MissingTime,
        MissingType,
        MissingStream,
    };
    static constexpr int KindCount = 7;

    Kind kind = Kind::VersionGap;
    QString stream; // null for MissingStream
    std::optional<qint64> version;
    qint64 position = 0;
    QString detail;

    static QString kindName(Kind kind); // "version_gap", ...
};

struct IntegritySummary
{
    qint64 events = 0;
    qint64 streams = 0;
    qint64 problems[IntegrityProblem::KindCount] = {};
};

class IntegrityCheck
{
public:
    // Called for each problem; false stops the check (the output cannot be written).
    using Sink = std::function<bool(const IntegrityProblem &)>;

    // stream: only this stream's events; empty = the whole store.
    IntegrityCheck(EventStore &store, const QString &stream = {});

    // False when a read fails, the job is cancelled (errorString() "cancelled") or the sink
    // says stop; problems already handed on stand, but the summary is then not the store's.
    bool run(const Sink &sink, const JobControl &job = {});
    const IntegritySummary &summary() const { return m_summary; }
    QString errorString() const { return m_error; }

    // Why the payload is not valid in the layout's encoding; empty when it is.
    static QString payloadFault(const Event &event, PayloadEncoding encoding);

    static constexpr qint64 MaxKeptTimes = qint64(1) << 24; // 128 MiB of times

private:
    bool checkInSnapshot(const Sink &sink, const JobControl &job);
    bool checkEvents(const Sink &sink, const JobControl &job);
    bool checkSequences(const Sink &sink, const JobControl &job);
    template<typename Reader>
    bool readSequences(Reader &reader, const Sink &sink, const JobControl &job);
    bool report(const Sink &sink, IntegrityProblem problem);
    void progress(const JobControl &job);
    void keepTime(const Event &event);
    std::optional<qint64> keptTime(qint64 position) const;

    EventStore &m_store;
    QString m_stream;
    IntegritySummary m_summary;
    QString m_error;
    qint64 m_done = 0;
    qint64 m_total = 0;
    // The first read's times, by position from m_timesFrom; empty when the second read reads
    // them from the store.
    std::vector<qint64> m_times;
    qint64 m_timesFrom = 0;
    qint64 m_lastKept = -1; // the slot of the last event kept
};

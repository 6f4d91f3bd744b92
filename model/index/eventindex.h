#pragma once

// A whole store's events as in-memory columns (the position, version, time, type and stream of
// each event) with each stream's totals, built once in the background by EventIndexBuilder.
// Counting, bucketing any range and filtering stream names then take milliseconds where the same
// SQL scans the store (seconds at ten million events). An EventStore with an index attached answers
// summary(), streams() (on SQLite) and buckets() from it, and the
// session the timeline's lanes, with what its SQL would answer (tst_eventindex, and
// tst_pgfastpath on PostgreSQL, compare the two); the index is immutable, so any thread may
// read it.

#include "core/event.h"
#include "index/indexcolumns.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

#include <limits>
#include <optional>
#include <vector>

// One stream's events as compact columns, for the timeline.
struct StreamColumns
{
    QString stream;
    QVector<qint64> times;
    QVector<QString> types;
    QVector<qint64> versions;
    QVector<qint64> positions;
};

class EventIndex
{
public:
    // One stream's totals, as EventStore::streams() reports them: the times are those of
    // the first and last versions (hasVersion: any version that is not NULL).
    struct Totals
    {
        qint64 events = 0;
        qint64 firstVersion = 0;
        qint64 lastVersion = 0;
        qint64 firstTimeMs = NoTime;
        qint64 lastTimeMs = NoTime;
        bool hasVersion = false;
    };

    static constexpr quint32 NullStream = 0xffffffffu; // the stream id of a NULL stream
    // A NULL version, which no "version > after" of SQL selects; nor does this value.
    static constexpr qint64 NoVersion = std::numeric_limits<qint64>::min();

    qint64 eventCount() const { return qint64(m_times.size()); }
    qint64 memoryBytes() const;
    // `base` (the layout's part of a summary) with the exact counts, time range and types.
    StoreSummary summary(StoreSummary base) const;
    // False when a stream is not text (NULL, or an integer that SQL orders unlike its
    // text): then streams() and stream-filtered buckets() are left to SQL.
    bool servesStreams() const { return m_streamsAreText; }
    QVector<StreamInfo> streams(const StreamQuery &query) const;
    QVector<Bucket> buckets(BucketSize size, const BucketFilter &filter) const;
    // For each of the streams, in one pass over the columns: the events with a time and a
    // version, in version order, as EventStore::streamEvents() reads them (a NULL version is
    // none). A stream the store does not hold has no events. Only where servesStreams().
    QVector<StreamColumns> lanes(const QStringList &streams) const;
    // Events of the stream (empty: any) with one of the types and a time at or before ms,
    // as EventStore::countUpTo() counts them.
    qint64 countUpTo(const QString &stream, const QStringList &types, qint64 ms) const;

private:
    friend class EventIndexBuilder;
    friend struct EventIndexAssembly; // eventindexbuilder.cpp's merging of parts

    template<qint64 WidthSeconds, qint64 ShiftSeconds>
    QVector<Bucket> bucketsOf(quint32 stream, int type) const;
    StreamInfo info(quint32 stream) const;
    std::optional<quint32> streamId(const QString &name) const;

    // One entry per event, in position order: 18 bytes an event where positions have no gaps
    // and versions fit in 32 bits, 26 at most.
    PositionOffsets m_positions;           // minus m_firstPosition
    CompactIntegers m_versions{NoVersion}; // NoVersion for a NULL version
    std::vector<qint64> m_times;           // NoTime when it has none
    std::vector<quint16> m_types;
    std::vector<quint32> m_streams;        // into m_streamTotals; NullStream for a NULL stream
    QStringList m_typeNames;               // by type id
    std::vector<QByteArray> m_streamNames; // UTF-8, by stream id
    std::vector<Totals> m_streamTotals;    // by stream id
    std::vector<quint32> m_byName;         // stream ids in NaturalOrder
    std::vector<quint32> m_byEvents;       // most events first, then by name
    qint64 m_firstPosition = 0;
    qint64 m_firstTimeMs = NoTime;
    qint64 m_lastTimeMs = NoTime;
    bool m_streamsAreText = true;
};

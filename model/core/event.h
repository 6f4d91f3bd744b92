#pragma once

// Plain value types that flow out of an EventStore. Times are milliseconds since the Unix
// epoch, UTC; NoTime marks a store or event without one. Payloads stay raw bytes and are
// parsed only when someone looks at them, so that pages of events stay cheap.

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

#include <limits>
#include <optional>

constexpr qint64 NoTime = std::numeric_limits<qint64>::min();

struct Event
{
    qint64 position = 0; // global order in the store
    QString stream;
    qint64 version = 0; // version within the stream, as the store numbers it
    QString type;
    qint64 timeMs = NoTime;
    QByteArray data;
    QString dataNote; // why/how the payload was decoded; empty for plain JSON
    // False when PayloadDecoder could not read the payload at all: data is then a hex dump
    // and dataNote says why.
    bool dataReadable = true;
    QByteArray metadata;
};

struct StreamInfo
{
    QString stream;
    qint64 events = 0;
    qint64 firstVersion = 0;
    qint64 lastVersion = 0;
    qint64 firstTimeMs = NoTime; // of the first version
    qint64 lastTimeMs = NoTime;  // of the last version
};

// An aggregate's state as the library stored it, to compare with the state a replay folds.
struct StoredSnapshot
{
    QString stream;
    qint64 version = 0;
    qint64 timeMs = NoTime;
    QByteArray data;
};

// One of the layouts a store holds, for a chooser.
struct LayoutMatch
{
    QString id;
    QString title;
    QString table;
};

struct StoreSummary
{
    QString layoutId;
    QString layoutTitle;
    QString table;
    QVector<LayoutMatch> matches; // every layout the store holds, this one among them
    bool hasSnapshots = false;
    qint64 events = 0;
    qint64 streams = 0;
    qint64 firstTimeMs = NoTime;
    qint64 lastTimeMs = NoTime;
    QMap<QString, qint64> typeCounts;
    // Events whose time is no time (none stored, or a value TimeCodec does not read as one):
    // they are in no time range and no bucket. -1 when not counted (a quick summary).
    qint64 eventsWithoutTime = 0;
    // False for a quick summary (EventStore::quickSummary) of a large store: events is then
    // the span of the positions (the count, or more where positions were skipped), streams
    // is -1 (not counted) and every type counts -1. The time range is exact where an index of
    // the time gave it, else that of a sample of the events (within the exact range); the type
    // names are exact where an index of the type gave them, else the sample's (a subset).
    // On PostgreSQL only the streams are left uncounted (-1); everything else is exact.
    bool exact = true;
    // A quick summary of a SQLite store: the events per equal slice of
    // firstTimeMs..lastTimeMs, for the timeline's first paint. From one seek over the time's
    // index per slice where there is one (the difference of the first positions at each
    // slice's start: exact where positions grow with time, as appends make them), else the
    // events shared out by the sampled times. Empty otherwise.
    QVector<qint64> density;
};

// Keyset page of streams. In name order (NaturalOrder) the page starts after the stream
// `after`; in most-events order after the pair (afterEvents, after): fewer events, or as many
// and a later name.
struct StreamQuery
{
    enum class Order { Name, MostEvents };
    QString filter; // case-insensitive substring of the stream name; empty = all
    std::optional<QString> after; // none = from the start; "" = after a stream named ""
    int limit = 100;
    Order order = Order::Name;
    qint64 afterEvents = 0; // MostEvents order only, with `after`
};

// Keyset page of events in position order.
struct EventFilter
{
    QString stream;             // empty = all streams
    QStringList types;          // empty = all types
    qint64 fromTimeMs = NoTime; // inclusive
    qint64 toTimeMs = NoTime;   // exclusive
    qint64 afterPosition = std::numeric_limits<qint64>::min();
    int limit = 100;
};

enum class BucketSize { Minute, Hour, Day, Week };

struct Bucket
{
    qint64 startMs = 0;
    qint64 events = 0;
    QMap<QString, qint64> byType;
};

struct BucketFilter
{
    QString stream; // empty = all streams
    QString type;   // empty = all types
};

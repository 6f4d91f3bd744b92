#pragma once

// How the events of one store are read: a FROM clause (a table, or a table and the tables a
// library keeps stream names in) and, for each role, the SQL expression that yields it. A
// layout is data, not a subclass per library; LayoutDetector builds one from the catalog of a
// store (a known library's tables, Eventscope's own, or a user's ColumnMapping), with every
// identifier taken from the store quoted. Callers ask a layout what it knows (its flags
// below), never which library it is: the id is for people and the CLI's output.

#include "decoding/timecodec.h"

#include <QString>

#include <optional>

enum class SqlDialect { Sqlite, Postgres };

// How a time expression is stored, beyond its TimeFormat: a PostgreSQL timestamp column
// (with or without time zone; without is UTC) is compared and bucketed natively.
enum class TimeStorage { Value, PostgresTimestamp };

// What a layout's writer puts in the payload column, for the integrity check: which payloads
// are a fault rather than the library's way of storing them.
enum class PayloadEncoding {
    Json,       // JSON (PayloadDecoder may inflate or unwrap it first); anything else is a fault
    Text,       // JSON, XML, YAML or plain text; JSON or XML that is not well formed is a fault,
                // and so is a payload PayloadDecoder cannot read at all
    Serialised, // any serialiser's bytes; only JSON or XML that is not well formed is a fault
};

// Stored snapshots of aggregates, where a library keeps them.
struct SnapshotLayout
{
    QString table; // as the catalog names it
    QString from;
    QString where; // may be empty
    QString stream;
    QString version;
    QString time; // may be empty
    QString data;
    // The key of the decoded snapshot that holds the aggregate's state; empty = all of it.
    QString statePath;
    TimeFormat timeFormat = TimeFormat::IsoText;
    TimeStorage timeStorage = TimeStorage::Value;
};

// Where a stream is named in a table of its own, which the events join by a key
// (SQLStreamStore's streams.id_original by id_internal, Eventuous's streams.stream_name by
// stream_id): the stream role is then that table's name column.
struct StreamNameTable
{
    QString table;     // as the catalog names it
    QString from;      // the table under the FROM clause's alias for it: "streams" AS st
    QString column;    // the name column, unquoted (the stream role is it, over `from`)
    QString key;       // its key column, over `from`: st."id_internal"
    QString eventFrom; // the events table alone, under the FROM clause's alias: "messages" AS ev
    QString eventKey;  // the events' column equal to the key: ev."stream_id_internal"
};

// Where the type and time are columns of a table that the events join by a key of its own,
// the rest of the event being the events table's (Rails Event Store's event_store_events,
// joined to each link in event_store_events_in_streams by event_id). The index's scan then
// walks both tables in rowid order side by side (KeyedJoinScan), where the join would seek
// every link's event through the key's index.
struct KeyedJoin
{
    QString table;          // the joined table, as the catalog names it
    QString column;         // its key column, unquoted
    QString from;           // the joined table under its alias: "event_store_events" AS ee
    QString key;            // its key column, over `from`: ee."event_id"
    QString rowid;          // its rowid, over `from`: ee.rowid
    QString eventFrom;      // the events table alone, under its alias
    QString eventKey;       // the events' column equal to the key: ev."event_id"
    QString eventTable;     // the events table, as the catalog names it
    QString eventColumn;    // the events' key column, unquoted
    QString positionColumn; // the events' position column, unquoted
};

// A role that is a string inside a JSON column (EventFlow's event name and time in its
// Metadata, Python eventsourcing's time in its state): the column, and the path to the string
// as SQLite's json_extract takes it.
struct JsonStringRole
{
    QString column;
    QString path;
};

struct StoreLayout
{
    QString id;    // stable id reported by the CLI: "eventscope", "message-db", ..., "mapped"
    QString title; // for people: "Message DB (Eventide)"
    QString table; // the events table as the catalog names it ("message_store.messages")
    QString from;  // FROM clause: the table with an alias, and its joins
    QString where; // a condition every event row meets; empty = none

    // Role expressions over `from`. position and stream are always set; the others are empty
    // when the store has no such role (version then falls back to the position).
    QString position;
    // Where a position is computed from a group and a place in it (NEventStore: the commit's
    // CheckpointNumber and the event's place in its commit): position = positionGroup *
    // positionStride + positionPlace, 0 <= place < stride, the group a column an index
    // orders. EventStore then bounds the group by every bound on the position and orders by
    // group and place, so that the database seeks through the group's index instead of
    // computing and sorting every position. Empty where the position is one column.
    QString positionGroup;
    QString positionPlace;
    qint64 positionStride = 1;
    // True when the FROM clause gives a group's rows in the order of their places as it reads
    // the groups in order (SQLite's json_each walks a list in order), so that ordering by the
    // group alone orders by position, which the group's index serves without a sort.
    bool placesInOrder = false;
    QString stream;
    QString streamText; // the stream as text, for output and substring search
    std::optional<StreamNameTable> streamNames;
    std::optional<KeyedJoin> keyedJoin; // SQLite only
    QString version;
    // Where the version is a column that may be NULL and another stands in for it (Rails Event
    // Store: a stream written without positions is in the order of its rows' ids), version is
    // COALESCE(stored, fallback). A stream whose versions are all stored, or none, is in the
    // order of (stored, fallback), which an index on (stream, stored) serves on SQLite where
    // the fallback is the rowid; COALESCE's order would be a sort of the whole stream.
    struct VersionFallback
    {
        QString stored;
        QString fallback;
    };
    std::optional<VersionFallback> versionFallback;
    QString type;
    QString time;
    QString data;
    QString metadata;

    TimeFormat timeFormat = TimeFormat::IsoText;
    TimeStorage timeStorage = TimeStorage::Value;
    // True when the layout's writer keeps every time as a valid time in fixed-width ISO text
    // (YYYY-MM-DDTHH:MM:SS.mmmZ), which may be compared as strings (and so through its index).
    // A claim: EventStore verifies it before it compares times as text
    // (LayoutDetector::allTimesCanonical); other times compare through TimeCodec's SQL
    // function.
    bool canonicalIsoTime = false;
    // False when the time's format is to be sampled from the stored values at open (SQLite
    // declares no reliable types); true when it is known (the user's mapping gave it, or it
    // was sampled as the mapping was read).
    bool timeFormatSettled = false;
    // True when the time column is one a library fills with times, so that a value that is no
    // time is one bad value; false for a column the user chose, which may be the wrong one.
    bool timeColumnTrusted = true;
    // Python eventsourcing wraps non-JSON values as {"_type_": ..., "_data_": ...}.
    bool unwrapTypedValues = false;
    // Where the time lives in the payload when the layout has no time column. The time
    // expression reads it in SQL where it can; a payload SQL cannot read (compressed) gets
    // its time from the decoded payload instead.
    QString payloadTimeField;
    // Where, on SQLite, the type or the time expression reads a string out of a JSON column:
    // a C API reader selects the column and finds the string itself (SqliteRowDecoding), where
    // SQLite would parse each row's JSON once to check it and once more to read it.
    std::optional<JsonStringRole> typeInJson;
    std::optional<JsonStringRole> timeInJson;
    PayloadEncoding payloadEncoding = PayloadEncoding::Text;
    // The payload columns as JSON the database can query, where the decoder hands their JSON
    // on unchanged (no wrappers to unwrap): on PostgreSQL a jsonb column, on SQLite the column
    // (whose JSON text rows only are queried). Empty elsewhere. See PayloadSqlFilter.
    QString dataJson;
    QString metadataJson;
    // Where the writer numbers each stream's versions from (0 or 1), so that a stream starting
    // later has lost its first events; unset where the layout does not say (a user's mapping).
    std::optional<qint64> firstVersion;
    // False where a version may be something other than the next number of its stream (Rails
    // Event Store falls back to the event's id for streams that keep no position): gaps are
    // then no fault.
    bool consecutiveVersions = true;
    std::optional<SnapshotLayout> snapshots;
    // What a reader should know about how this layout's values are read (times in an unknown
    // zone, rows left out); shown with the store's other read notices. Empty = nothing.
    QString notice;
};

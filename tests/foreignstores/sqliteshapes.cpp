// The SQLite shapes: Eventscope's own table as other programs write it, a table under other
// names, and the SQLite tables of the libraries of LAYOUTS.md.

#include "shapewriters.h"

#include <sqlite3.h>
#include <zlib.h>

#include <array>
#include <vector>

using namespace Qt::StringLiterals;

namespace ForeignStores {

SqliteWriter::SqliteWriter(const QString &path)
{
    if (sqlite3_open_v2(path.toUtf8().constData(), &m_db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        fail();
        return;
    }
    // Nothing a crash could leave half-written matters: the file is thrown away then.
    exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; "
         "PRAGMA cache_size = -262144; PRAGMA threads = 2");
}

SqliteWriter::~SqliteWriter()
{
    sqlite3_close(m_db);
}

bool SqliteWriter::exec(const char *sql)
{
    return ok() && (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) == SQLITE_OK || fail());
}

bool SqliteWriter::fail()
{
    if (m_error.isEmpty())
        m_error = u"sqlite3: %1"_s.arg(QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : "no memory"));
    return false;
}

SqliteWriter::Insert::Insert(SqliteWriter &writer, const char *sql) : m_writer(writer)
{
    if (writer.ok() && sqlite3_prepare_v2(writer.m_db, sql, -1, &m_stmt, nullptr) != SQLITE_OK)
        writer.fail();
}

SqliteWriter::Insert::~Insert()
{
    sqlite3_finalize(m_stmt);
}

void SqliteWriter::Insert::integer(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteWriter::Insert::real(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

void SqliteWriter::Insert::text(int index, std::string_view value)
{
    sqlite3_bind_text(m_stmt, index, value.data(), int(value.size()), SQLITE_STATIC);
}

void SqliteWriter::Insert::blob(int index, std::string_view value)
{
    sqlite3_bind_blob(m_stmt, index, value.data(), int(value.size()), SQLITE_STATIC);
}

void SqliteWriter::Insert::null(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

bool SqliteWriter::Insert::step()
{
    if (!m_stmt)
        return false;
    const int rc = sqlite3_step(m_stmt);
    sqlite3_reset(m_stmt);
    return rc == SQLITE_DONE || m_writer.fail();
}

std::string zlibCompress(std::string_view bytes)
{
    uLongf size = compressBound(uLong(bytes.size()));
    std::string out(size, '\0');
    compress(reinterpret_cast<Bytef *>(out.data()), &size,
             reinterpret_cast<const Bytef *>(bytes.data()), uLong(bytes.size()));
    out.resize(size);
    return out;
}

namespace {

// Offsets and fraction lengths odd ISO times take.
constexpr std::array<int, 5> OffsetMinutes = {0, 60, -300, 330, 840};
constexpr std::array<int, 6> FractionDigits = {0, 1, 3, 6, 7, 9};

std::string number(qint64 n)
{
    return std::to_string(n);
}

// Runs the loop over every event inside one transaction; `row` binds and steps one.
bool fill(SqliteWriter &db, const Options &options,
          const std::function<bool(const SyntheticEvents &)> &row)
{
    if (!db.exec("BEGIN"))
        return false;
    SyntheticEvents events(options);
    while (events.next()) {
        if (!row(events))
            return false;
    }
    return db.exec("COMMIT");
}

// Every stream's event count after a fill, for the stream tables libraries keep.
std::vector<qint64> streamCounts(const Options &options)
{
    std::vector<qint64> counts(std::size_t(std::max(1, options.streams)), 0);
    SyntheticEvents events(options);
    while (events.next())
        counts[std::size_t(events.stream())] = events.version() + 1;
    return counts;
}

// --- Eventscope's own table, written by someone else -------------------------------------

enum class OwnTime { Iso, IsoOffset, EpochMillis, EpochSeconds, Real };

struct OwnVariant
{
    OwnTime time = OwnTime::Iso;
    bool indexes = true;
    PayloadForm payload = PayloadForm::Text;
};

std::string ownStream(const Options &, int stream)
{
    return "account-" + number(stream);
}

bool writeOwn(SqliteWriter &db, const Options &options, OwnVariant variant)
{
    const char *timeType = variant.time == OwnTime::Iso                ? "TEXT NOT NULL"
                           : variant.time == OwnTime::IsoOffset        ? "TEXT"
                           : variant.time == OwnTime::Real             ? "REAL"
                                                                       : "INTEGER";
    const char *payloadType = variant.payload == PayloadForm::Text ? "TEXT" : "BLOB";
    const std::string create =
        "CREATE TABLE events (global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
        "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at " +
        std::string(timeType) + ", data " + payloadType + ", metadata " + payloadType + ")";
    if (!db.exec(create.c_str()))
        return false;
    SqliteWriter::Insert insert(db, "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    std::string stream, id, time, data, metadata;
    const bool ok = fill(db, options, [&](const SyntheticEvents &e) {
        stream = ownStream(options, e.stream());
        id = SyntheticEvents::uuid(options.seed ^ 0xe7e27, quint64(e.index()));
        metadata = R"({"correlationId":")" + id.substr(0, 8) + R"(","user":"u)" +
                   number(e.stream() % 37) + "\"}";
        insert.integer(1, e.index() + 1);
        insert.text(2, stream);
        insert.integer(3, e.version() + 1);
        insert.text(4, id);
        insert.text(5, SyntheticEvents::typeName(e.type()));
        if (e.noTime() && variant.time != OwnTime::Iso) {
            insert.null(6);
        } else if (variant.time == OwnTime::Iso) {
            time = TimeText::isoZulu(e.timeMs());
            insert.text(6, time);
        } else if (variant.time == OwnTime::IsoOffset) {
            time = TimeText::isoOffset(e.timeMs(), OffsetMinutes[e.variety() % OffsetMinutes.size()],
                                       FractionDigits[(e.variety() >> 8) % FractionDigits.size()],
                                       e.variety() >> 16);
            insert.text(6, time);
        } else if (variant.time == OwnTime::EpochMillis) {
            insert.integer(6, e.timeMs());
        } else if (variant.time == OwnTime::EpochSeconds) {
            insert.integer(6, e.timeMs() / 1000);
        } else {
            insert.real(6, double(e.timeMs()) / 1000.0);
        }
        if (variant.payload == PayloadForm::Text) {
            insert.text(7, e.payload());
            insert.text(8, metadata);
        } else {
            data = variant.payload == PayloadForm::Zlib ? zlibCompress(e.payload()) : e.payload();
            insert.blob(7, data);
            insert.blob(8, metadata);
        }
        return insert.step();
    });
    if (!ok || !db.exec("CREATE UNIQUE INDEX events_stream ON events (stream_id, stream_version)"))
        return false;
    return !variant.indexes ||
           db.exec("CREATE INDEX events_recorded_at ON events (recorded_at); "
                   "CREATE INDEX events_type ON events (type)");
}

Shape ownShape(const QString &name, const QString &description, OwnVariant variant)
{
    Shape s;
    s.name = name;
    s.description = description;
    s.layoutId = u"eventscope"_s;
    s.foldSql = u"SELECT global_position, stream_version, data FROM events WHERE stream_id = ?1 "
                "ORDER BY stream_version"_s;
    s.boundsSql = u"SELECT MIN(global_position), MAX(global_position) FROM events"_s;
    s.scanSql = u"SELECT stream_id, stream_version, type, recorded_at FROM events "
                "WHERE global_position >= ?1 AND global_position < ?2"_s;
    s.payload = variant.payload;
    return s;
}

Recipe own(const QString &name, const QString &description, OwnVariant variant)
{
    return {ownShape(name, description, variant), ownStream,
            [variant](SqliteWriter &db, const Options &o) { return writeOwn(db, o, variant); },
            {},
            {}};
}

// --- A table under other names, read through a column mapping -----------------------------

bool writeMapped(SqliteWriter &db, const Options &options)
{
    if (!db.exec("CREATE TABLE log (id INTEGER PRIMARY KEY, agg TEXT NOT NULL, seq INTEGER NOT "
                 "NULL, kind TEXT, at INTEGER, body TEXT)"))
        return false;
    SqliteWriter::Insert insert(db, "INSERT INTO log VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    std::string stream;
    return fill(db, options,
                [&](const SyntheticEvents &e) {
                    stream = "acct/" + number(e.stream());
                    insert.integer(1, e.index() + 1);
                    insert.text(2, stream);
                    insert.integer(3, e.version() + 1);
                    insert.text(4, SyntheticEvents::typeName(e.type()));
                    if (e.noTime())
                        insert.null(5);
                    else
                        insert.integer(5, e.timeMs());
                    insert.text(6, e.payload());
                    return insert.step();
                }) &&
           db.exec("CREATE UNIQUE INDEX log_agg_seq ON log (agg, seq)");
}

// --- Python eventsourcing: stored_events, rowid order, time inside the state ---------------

std::string eventsourcingStream(const Options &o, int stream)
{
    return SyntheticEvents::hexId(o.seed, quint64(stream));
}

// The state eventsourcing's JSON transcoder writes: the originator's id and version and the
// timestamp as typed values, then the event's own attributes.
std::string eventsourcingState(const std::string &originator, const SyntheticEvents &e)
{
    std::string state = R"({"originator_id":{"_type_":"uuid_hex","_data_":")" + originator +
                        R"("},"originator_version":)" + number(e.version() + 1) +
                        R"(,"timestamp":{"_type_":"datetime_iso","_data_":")" +
                        TimeText::isoOffset(e.timeMs(), 0, 6, 0) + "\"}";
    const std::string &payload = e.payload();
    if (payload.size() > 2 && payload.front() == '{')
        return state + "," + payload.substr(1);
    if (payload.front() == '{')
        return state + "}";
    return state + R"(,"value":)" + payload + "}";
}

bool writeEventsourcing(SqliteWriter &db, const Options &options)
{
    if (!db.exec("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                 "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"))
        return false;
    SqliteWriter::Insert insert(db, "INSERT INTO stored_events VALUES (?1, ?2, ?3, ?4)");
    std::string stream, topic, state;
    return fill(db, options, [&](const SyntheticEvents &e) {
        stream = eventsourcingStream(options, e.stream());
        topic = std::string("bank.domain:Account.") + SyntheticEvents::typeName(e.type());
        state = eventsourcingState(stream, e);
        insert.text(1, stream);
        insert.integer(2, e.version() + 1);
        insert.text(3, topic);
        insert.blob(4, state);
        return insert.step();
    });
}

// --- Axon Framework (JPA names): BLOB Jackson payloads, Instant.toString() times ----------

std::string axonStream(const Options &o, int stream)
{
    return SyntheticEvents::uuid(o.seed, quint64(stream));
}

// Java's Instant.toString(): the fraction only when there is one.
std::string javaInstant(qint64 ms)
{
    std::string text = TimeText::isoZulu(ms);
    if (ms % 1000 == 0)
        text.replace(text.size() - 5, 4, "");
    return text;
}

bool writeAxon(SqliteWriter &db, const Options &options)
{
    if (!db.exec("CREATE TABLE domain_event_entry (global_index INTEGER PRIMARY KEY, "
                 "event_identifier VARCHAR(255) NOT NULL, meta_data BLOB, payload BLOB NOT NULL, "
                 "payload_revision VARCHAR(255), payload_type VARCHAR(255) NOT NULL, "
                 "time_stamp VARCHAR(255) NOT NULL, aggregate_identifier VARCHAR(255) NOT NULL, "
                 "sequence_number BIGINT NOT NULL, type VARCHAR(255))"))
        return false;
    SqliteWriter::Insert insert(db, "INSERT INTO domain_event_entry VALUES "
                                    "(?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7, ?8, 'Account')");
    std::string stream, id, metadata, type, time;
    return fill(db, options,
                [&](const SyntheticEvents &e) {
                    stream = axonStream(options, e.stream());
                    id = SyntheticEvents::uuid(options.seed ^ 0xa804, quint64(e.index()));
                    metadata = R"({"traceId":")" + id + R"(","correlationId":")" + id + "\"}";
                    type = std::string("com.example.bank.") + SyntheticEvents::typeName(e.type());
                    time = javaInstant(e.timeMs());
                    insert.integer(1, e.index() + 1);
                    insert.text(2, id);
                    insert.blob(3, metadata);
                    insert.blob(4, e.payload());
                    insert.text(5, type);
                    insert.text(6, time);
                    insert.text(7, stream);
                    insert.integer(8, e.version());
                    return insert.step();
                }) &&
           db.exec("CREATE UNIQUE INDEX uk_event_identifier ON domain_event_entry "
                   "(event_identifier); CREATE UNIQUE INDEX uk_aggregate_sequence ON "
                   "domain_event_entry (aggregate_identifier, sequence_number)");
}

// --- Eventuous (SQLite: tables prefixed eventuous_), stream names in a table of their own --

std::string eventuousStream(const Options &, int stream)
{
    return "Account-" + number(stream);
}

bool writeEventuous(SqliteWriter &db, const Options &options)
{
    if (!db.exec("CREATE TABLE eventuous_streams (stream_id INTEGER PRIMARY KEY, stream_name "
                 "TEXT NOT NULL UNIQUE, version INTEGER NOT NULL); CREATE TABLE "
                 "eventuous_messages (message_id TEXT NOT NULL, message_type TEXT NOT NULL, "
                 "stream_id INTEGER NOT NULL REFERENCES eventuous_streams (stream_id), "
                 "stream_position INTEGER NOT NULL, global_position INTEGER PRIMARY KEY, "
                 "json_data TEXT NOT NULL, json_metadata TEXT, created TEXT NOT NULL)"))
        return false;
    SqliteWriter::Insert insert(db,
                                "INSERT INTO eventuous_messages VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                "'{}', ?7)");
    std::string id, time;
    const bool ok = fill(db, options, [&](const SyntheticEvents &e) {
        id = SyntheticEvents::uuid(options.seed ^ 0xe7, quint64(e.index()));
        time = TimeText::isoOffset(e.timeMs(), 0, 7, 0);
        insert.text(1, id);
        insert.text(2, SyntheticEvents::typeName(e.type()));
        insert.integer(3, e.stream() + 1);
        insert.integer(4, e.version());
        insert.integer(5, e.index() + 1);
        insert.text(6, e.payload());
        insert.text(7, time);
        return insert.step();
    });
    if (!ok || !db.exec("BEGIN"))
        return false;
    SqliteWriter::Insert stream(db, "INSERT INTO eventuous_streams VALUES (?1, ?2, ?3)");
    const std::vector<qint64> counts = streamCounts(options);
    std::string name;
    for (std::size_t s = 0; s < counts.size(); ++s) {
        if (counts[s] == 0)
            continue;
        name = eventuousStream(options, int(s));
        stream.integer(1, qint64(s) + 1);
        stream.text(2, name);
        stream.integer(3, counts[s] - 1);
        if (!stream.step())
            return false;
    }
    return db.exec("COMMIT; CREATE UNIQUE INDEX eventuous_messages_stream ON eventuous_messages "
                   "(stream_id, stream_position)");
}

// --- SQLStreamStore: internal stream ids, .NET ticks -------------------------------------

std::string sqlStreamStoreStream(const Options &, int stream)
{
    return "account-" + number(stream);
}

constexpr qint64 TicksAtEpoch = 621355968000000000; // DateTime(1970, 1, 1).Ticks

bool writeSqlStreamStore(SqliteWriter &db, const Options &options)
{
    if (!db.exec("CREATE TABLE streams (id TEXT NOT NULL, id_original TEXT NOT NULL, "
                 "id_internal INTEGER PRIMARY KEY, version INTEGER NOT NULL DEFAULT -1, "
                 "position INTEGER NOT NULL DEFAULT -1, max_age INTEGER, max_count INTEGER); "
                 "CREATE TABLE messages (position INTEGER PRIMARY KEY, stream_id_internal "
                 "INTEGER NOT NULL, stream_version INTEGER NOT NULL, message_id TEXT NOT NULL, "
                 "created_utc INTEGER NOT NULL, type TEXT NOT NULL, json_data TEXT NOT NULL, "
                 "json_metadata TEXT)"))
        return false;
    // Positions from 0, as SQLStreamStore numbers them.
    SqliteWriter::Insert insert(db, "INSERT INTO messages VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                    "NULL)");
    std::string id;
    const bool ok = fill(db, options, [&](const SyntheticEvents &e) {
        id = SyntheticEvents::uuid(options.seed ^ 0x55, quint64(e.index()));
        insert.integer(1, e.index());
        insert.integer(2, e.stream() + 1);
        insert.integer(3, e.version());
        insert.text(4, id);
        insert.integer(5, TicksAtEpoch + e.timeMs() * 10000);
        insert.text(6, SyntheticEvents::typeName(e.type()));
        insert.text(7, e.payload());
        return insert.step();
    });
    if (!ok || !db.exec("BEGIN"))
        return false;
    SqliteWriter::Insert stream(db, "INSERT INTO streams VALUES (?1, ?2, ?3, ?4, -1, NULL, NULL)");
    const std::vector<qint64> counts = streamCounts(options);
    std::string hashed, name;
    for (std::size_t s = 0; s < counts.size(); ++s) {
        if (counts[s] == 0)
            continue;
        name = sqlStreamStoreStream(options, int(s));
        hashed = SyntheticEvents::hexId(0x5157, s).substr(0, 40);
        stream.text(1, hashed);
        stream.text(2, name);
        stream.integer(3, qint64(s) + 1);
        stream.integer(4, counts[s] - 1);
        if (!stream.step())
            return false;
    }
    return db.exec("COMMIT; CREATE UNIQUE INDEX ix_streams_id ON streams (id); CREATE UNIQUE "
                   "INDEX ix_messages_stream ON messages (stream_id_internal, stream_version)");
}

// --- Rails Event Store: events and their links to streams, JSON client -------------------

std::string railsStream(const Options &, int stream)
{
    return "Account$" + number(stream);
}

bool writeRails(SqliteWriter &db, const Options &options)
{
    if (!db.exec("CREATE TABLE event_store_events (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                 "event_id VARCHAR(36) NOT NULL, event_type VARCHAR NOT NULL, metadata TEXT, "
                 "data TEXT NOT NULL, created_at DATETIME(6) NOT NULL, valid_at DATETIME(6)); "
                 "CREATE TABLE event_store_events_in_streams (id INTEGER PRIMARY KEY "
                 "AUTOINCREMENT, stream VARCHAR NOT NULL, position INTEGER, event_id "
                 "VARCHAR(36) NOT NULL, created_at DATETIME(6) NOT NULL)"))
        return false;
    SqliteWriter::Insert event(db, "INSERT INTO event_store_events VALUES (?1, ?2, ?3, ?4, ?5, "
                                   "?6, NULL)");
    SqliteWriter::Insert link(db, "INSERT INTO event_store_events_in_streams VALUES (?1, ?2, "
                                  "?3, ?4, ?5)");
    std::string id, type, metadata, time, stream;
    return fill(db, options,
                [&](const SyntheticEvents &e) {
                    id = SyntheticEvents::uuid(options.seed ^ 0x7a11, quint64(e.index()));
                    type = std::string("Bank::") + SyntheticEvents::typeName(e.type());
                    metadata = R"({"remote_ip":"127.0.0.1","correlation_id":")" + id + "\"}";
                    time = TimeText::sqlMicros(e.timeMs());
                    stream = railsStream(options, e.stream());
                    event.integer(1, e.index() + 1);
                    event.text(2, id);
                    event.text(3, type);
                    event.text(4, metadata);
                    event.text(5, e.payload());
                    event.text(6, time);
                    link.integer(1, e.index() + 1);
                    link.text(2, stream);
                    // Streams written with expected_version :any keep no position.
                    if (options.randomized && e.stream() % 7 == 3)
                        link.null(3);
                    else
                        link.integer(3, e.version());
                    link.text(4, id);
                    link.text(5, time);
                    return event.step() && link.step();
                }) &&
           db.exec("CREATE UNIQUE INDEX index_event_store_events_on_event_id ON "
                   "event_store_events (event_id); CREATE INDEX "
                   "index_event_store_events_on_created_at ON event_store_events (created_at); "
                   "CREATE INDEX index_event_store_events_on_event_type ON event_store_events "
                   "(event_type); CREATE UNIQUE INDEX index_event_store_events_in_streams_on_"
                   "stream_and_position ON event_store_events_in_streams (stream, position); "
                   "CREATE UNIQUE INDEX index_event_store_events_in_streams_on_stream_and_"
                   "event_id ON event_store_events_in_streams (stream, event_id); CREATE INDEX "
                   "index_event_store_events_in_streams_on_created_at ON "
                   "event_store_events_in_streams (created_at)");
}

// --- Akka Persistence JDBC: epoch-ms times, serializer ids -------------------------------

std::string akkaStream(const Options &, int stream)
{
    return "Account|" + number(stream);
}

constexpr int JacksonJsonSerializer = 31;

bool writeAkka(SqliteWriter &db, const Options &options)
{
    if (!db.exec("CREATE TABLE event_journal (ordering INTEGER PRIMARY KEY AUTOINCREMENT, "
                 "deleted BOOLEAN DEFAULT FALSE NOT NULL, persistence_id VARCHAR(255) NOT NULL, "
                 "sequence_number BIGINT NOT NULL, writer VARCHAR(255) NOT NULL, "
                 "write_timestamp BIGINT, adapter_manifest VARCHAR(255), event_ser_id INTEGER "
                 "NOT NULL, event_ser_manifest VARCHAR(255) NOT NULL, event_payload BLOB NOT "
                 "NULL, meta_ser_id INTEGER, meta_ser_manifest VARCHAR(255), meta_payload BLOB)"))
        return false;
    SqliteWriter::Insert insert(db, "INSERT INTO event_journal VALUES (?1, FALSE, ?2, ?3, ?4, "
                                    "?5, '', ?6, ?7, ?8, NULL, NULL, NULL)");
    std::string stream, writer, manifest;
    return fill(db, options,
                [&](const SyntheticEvents &e) {
                    stream = akkaStream(options, e.stream());
                    writer = SyntheticEvents::uuid(options.seed ^ 0xa, quint64(e.index() / 64));
                    manifest = std::string("com.example.bank.") +
                               SyntheticEvents::typeName(e.type());
                    insert.integer(1, e.index() + 1);
                    insert.text(2, stream);
                    insert.integer(3, e.version() + 1);
                    insert.text(4, writer);
                    if (e.noTime())
                        insert.null(5);
                    else
                        insert.integer(5, e.timeMs());
                    insert.integer(6, JacksonJsonSerializer);
                    insert.text(7, manifest);
                    insert.blob(8, e.payload());
                    return insert.step();
                }) &&
           db.exec("CREATE UNIQUE INDEX event_journal_persistence_sequence ON event_journal "
                   "(persistence_id, sequence_number)");
}

// --- EventFlow: the event's name and time in its metadata --------------------------------

std::string eventFlowStream(const Options &o, int stream)
{
    return "account-" + SyntheticEvents::uuid(o.seed ^ 0xef, quint64(stream));
}

bool writeEventFlow(SqliteWriter &db, const Options &options)
{
    if (!db.exec("CREATE TABLE EventFlow (GlobalSequenceNumber INTEGER PRIMARY KEY "
                 "AUTOINCREMENT, BatchId TEXT NOT NULL, AggregateId TEXT NOT NULL, "
                 "AggregateName TEXT NOT NULL, Data TEXT NOT NULL, Metadata TEXT NOT NULL, "
                 "AggregateSequenceNumber INTEGER NOT NULL)"))
        return false;
    SqliteWriter::Insert insert(db, "INSERT INTO EventFlow VALUES (?1, ?2, ?3, 'Account', ?4, "
                                    "?5, ?6)");
    std::string stream, batch, metadata, time;
    return fill(db, options,
                [&](const SyntheticEvents &e) {
                    stream = eventFlowStream(options, e.stream());
                    batch = SyntheticEvents::uuid(options.seed ^ 0xb, quint64(e.index()));
                    // .NET's round-trip form; with offsets in randomized stores.
                    const int offset = options.randomized
                                           ? OffsetMinutes[e.variety() % OffsetMinutes.size()]
                                           : 0;
                    time = TimeText::isoOffset(e.timeMs(), offset, 7, e.variety() >> 12);
                    metadata = R"({"timestamp":")" + time + R"(","aggregate_sequence_number":")" +
                               number(e.version() + 1) + R"(","aggregate_name":"Account",)" +
                               R"("aggregate_id":")" + stream + R"(","event_id":")" + batch +
                               R"(","event_name":")" + SyntheticEvents::typeName(e.type()) +
                               R"(","event_version":"1","batch_id":")" + batch + "\"}";
                    insert.integer(1, e.index() + 1);
                    insert.text(2, batch);
                    insert.text(3, stream);
                    insert.text(4, e.payload());
                    insert.text(5, metadata);
                    insert.integer(6, e.version() + 1);
                    return insert.step();
                }) &&
           db.exec("CREATE UNIQUE INDEX IX_EventFlow_AggregateId_AggregateSequenceNumber ON "
                   "EventFlow (AggregateId, AggregateSequenceNumber)");
}

Shape libraryShape(const QString &name, const QString &description, const QString &layoutId,
                   const QString &fold, const QString &bounds, const QString &scan,
                   PayloadForm payload)
{
    Shape s;
    s.name = name;
    s.description = description;
    s.layoutId = layoutId;
    s.foldSql = fold;
    s.boundsSql = bounds;
    s.scanSql = scan;
    s.payload = payload;
    return s;
}

} // namespace

QVector<Recipe> sqliteRecipes()
{
    QVector<Recipe> recipes;
    struct OwnKind
    {
        const char *name;
        const char *description;
        OwnTime time;
    };
    const OwnKind kinds[] = {
        {"own-iso", "own layout, ISO text times (ms, Z)", OwnTime::Iso},
        {"own-iso-offset", "own layout, ISO text with offsets and odd fractions",
         OwnTime::IsoOffset},
        {"own-int-ms", "own layout, epoch ms INTEGER times", OwnTime::EpochMillis},
        {"own-int-s", "own layout, epoch s INTEGER times", OwnTime::EpochSeconds},
        {"own-real", "own layout, epoch s REAL times", OwnTime::Real},
    };
    for (const OwnKind &kind : kinds) {
        const QString name = QString::fromLatin1(kind.name);
        const QString description = QString::fromUtf8(kind.description);
        recipes << own(name, description + u", type and time indexes"_s, {kind.time, true});
        recipes << own(name + u"-noidx"_s, description + u", no type or time index"_s,
                       {kind.time, false});
    }
    recipes << own(u"own-blob"_s, u"own layout, BLOB payloads"_s,
                   {OwnTime::Iso, true, PayloadForm::Blob});
    recipes << own(u"own-zlib"_s, u"own layout, zlib-compressed BLOB payloads"_s,
                   {OwnTime::Iso, true, PayloadForm::Zlib});

    Recipe mapped;
    mapped.shape = libraryShape(
        u"mapped"_s, u"log(id, agg, seq, kind, at, body) read with --map, epoch ms"_s,
        u"mapped"_s, u"SELECT id, seq, body FROM log WHERE agg = ?1 ORDER BY seq"_s,
        u"SELECT MIN(id), MAX(id) FROM log"_s,
        u"SELECT agg, seq, kind, at FROM log WHERE id >= ?1 AND id < ?2"_s, PayloadForm::Text);
    mapped.shape.mapSpec =
        u"table=log,position=id,stream=agg,version=seq,type=kind,time=at,data=body,"
        "time_format=ms"_s;
    mapped.streamName = [](const Options &, int stream) { return "acct/" + number(stream); };
    mapped.sqlite = writeMapped;
    recipes << mapped;

    const auto library = [&recipes](Shape shape, auto streamName, auto writer) {
        Recipe r;
        r.shape = std::move(shape);
        r.streamName = streamName;
        r.sqlite = writer;
        recipes << r;
    };
    Shape eventsourcing = libraryShape(
        u"eventsourcing"_s, u"Python eventsourcing: stored_events, rowid, time in the state"_s,
        u"eventsourcing-python"_s,
        u"SELECT rowid, originator_version, state FROM stored_events WHERE originator_id = ?1 "
        "ORDER BY originator_version"_s,
        u"SELECT MIN(rowid), MAX(rowid) FROM stored_events"_s,
        u"SELECT originator_id, originator_version, topic, state FROM stored_events "
        "WHERE rowid >= ?1 AND rowid < ?2"_s,
        PayloadForm::Blob);
    eventsourcing.typedValues = true;
    library(eventsourcing, eventsourcingStream, writeEventsourcing);
    library(libraryShape(u"axon"_s, u"Axon domain_event_entry, BLOB JSON payloads"_s, u"axon"_s,
                         u"SELECT global_index, sequence_number, payload FROM domain_event_entry "
                         "WHERE aggregate_identifier = ?1 ORDER BY sequence_number"_s,
                         u"SELECT MIN(global_index), MAX(global_index) FROM domain_event_entry"_s,
                         u"SELECT aggregate_identifier, sequence_number, payload_type, time_stamp "
                         "FROM domain_event_entry WHERE global_index >= ?1 AND global_index < ?2"_s,
                         PayloadForm::Blob),
            axonStream, writeAxon);
    library(libraryShape(u"eventuous"_s, u"Eventuous eventuous_messages + eventuous_streams"_s,
                         u"eventuous"_s,
                         u"SELECT m.global_position, m.stream_position, m.json_data FROM "
                         "eventuous_messages m JOIN eventuous_streams s ON s.stream_id = "
                         "m.stream_id WHERE s.stream_name = ?1 ORDER BY m.stream_position"_s,
                         u"SELECT MIN(global_position), MAX(global_position) FROM "
                         "eventuous_messages"_s,
                         u"SELECT s.stream_name, m.stream_position, m.message_type, m.created "
                         "FROM eventuous_messages m JOIN eventuous_streams s ON s.stream_id = "
                         "m.stream_id WHERE m.global_position >= ?1 AND m.global_position < ?2"_s,
                         PayloadForm::Text),
            eventuousStream, writeEventuous);
    library(libraryShape(u"sqlstreamstore"_s, u"SQLStreamStore messages + streams, .NET ticks"_s,
                         u"sqlstreamstore"_s,
                         u"SELECT m.position, m.stream_version, m.json_data FROM messages m JOIN "
                         "streams s ON s.id_internal = m.stream_id_internal WHERE "
                         "s.id_original = ?1 ORDER BY m.stream_version"_s,
                         u"SELECT MIN(position), MAX(position) FROM messages"_s,
                         u"SELECT s.id_original, m.stream_version, m.type, m.created_utc FROM "
                         "messages m JOIN streams s ON s.id_internal = m.stream_id_internal "
                         "WHERE m.position >= ?1 AND m.position < ?2"_s,
                         PayloadForm::Text),
            sqlStreamStoreStream, writeSqlStreamStore);
    library(libraryShape(u"rails"_s, u"Rails Event Store events + events_in_streams, JSON"_s,
                         u"rails-event-store"_s,
                         u"SELECT s.id, COALESCE(s.position, s.id), e.data FROM "
                         "event_store_events_in_streams s JOIN event_store_events e ON "
                         "e.event_id = s.event_id WHERE s.stream = ?1 ORDER BY "
                         "COALESCE(s.position, s.id)"_s,
                         u"SELECT MIN(id), MAX(id) FROM event_store_events_in_streams"_s,
                         u"SELECT s.stream, COALESCE(s.position, s.id), e.event_type, "
                         "e.created_at FROM event_store_events_in_streams s JOIN "
                         "event_store_events e ON e.event_id = s.event_id WHERE s.id >= ?1 AND "
                         "s.id < ?2"_s,
                         PayloadForm::Text),
            railsStream, writeRails);
    library(libraryShape(u"akka"_s, u"Akka Persistence JDBC event_journal, epoch ms, ser id 31"_s,
                         u"akka-jdbc"_s,
                         u"SELECT ordering, sequence_number, event_payload FROM event_journal "
                         "WHERE persistence_id = ?1 ORDER BY sequence_number"_s,
                         u"SELECT MIN(ordering), MAX(ordering) FROM event_journal"_s,
                         u"SELECT persistence_id, sequence_number, event_ser_manifest, "
                         "write_timestamp FROM event_journal WHERE ordering >= ?1 AND "
                         "ordering < ?2"_s,
                         PayloadForm::Blob),
            akkaStream, writeAkka);
    library(libraryShape(u"eventflow"_s, u"EventFlow, type and time in Metadata"_s,
                         u"eventflow"_s,
                         u"SELECT GlobalSequenceNumber, AggregateSequenceNumber, Data FROM "
                         "EventFlow WHERE AggregateId = ?1 ORDER BY AggregateSequenceNumber"_s,
                         u"SELECT MIN(GlobalSequenceNumber), MAX(GlobalSequenceNumber) FROM "
                         "EventFlow"_s,
                         u"SELECT AggregateId, AggregateSequenceNumber, Metadata FROM EventFlow "
                         "WHERE GlobalSequenceNumber >= ?1 AND GlobalSequenceNumber < ?2"_s,
                         PayloadForm::Text),
            eventFlowStream, writeEventFlow);
    return recipes;
}

} // namespace ForeignStores

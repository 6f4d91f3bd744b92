#include "layoutfixtures.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "replay/projection.h"
#include "replay/replayengine.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

// The five events every fixture stores, in global order.
struct Canonical
{
    int stream;  // 1 or 2
    int version; // from 1
    const char *type;
    const char *time;
    const char *data;
};

const Canonical canonical[] = {
    {1, 1, "UserCreated", "2026-01-05T08:00:00.000Z",
     R"({"name":"Ada","email":"ada@example.com"})"},
    {1, 2, "Clicked", "2026-01-05T08:01:30.250Z", R"({"page":"/home"})"},
    {2, 1, "UserCreated", "2026-01-05T09:00:00.000Z", R"({"name":"Bob"})"},
    {1, 3, "UserUpdated", "2026-01-06T10:00:00.000Z", R"({"name":"Ada L."})"},
    {2, 2, "Clicked", "2026-01-07T11:00:00.500Z", R"({"page":"/about"})"},
};

qint64 msOf(const Canonical &c)
{
    return TimeCodec::parseIso(QString::fromLatin1(c.time));
}

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

// The time spellings of the libraries.
QString sqlText(qint64 ms) // SQL timestamp text, as ActiveRecord and drivers write it
{
    return utc(ms).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s);
}
QString javaInstant(qint64 ms) // Instant.toString(): no fraction when it is zero
{
    return utc(ms).toString(ms % 1000 ? u"yyyy-MM-ddTHH:mm:ss.zzzZ"_s : u"yyyy-MM-ddTHH:mm:ssZ"_s);
}
QString pythonIso(qint64 ms) // datetime.isoformat() of an aware UTC time
{
    return utc(ms).toString(ms % 1000 ? u"yyyy-MM-ddTHH:mm:ss.zzz000+00:00"_s
                                      : u"yyyy-MM-ddTHH:mm:ss+00:00"_s);
}
QString dotnetIso(qint64 ms) // DateTimeOffset "o" format
{
    return utc(ms).toString(u"yyyy-MM-ddTHH:mm:ss.zzz0000+00:00"_s);
}

QString lit(const QString &text)
{
    return u'\'' + QString(text).replace(u'\'', u"''"_s) + u'\'';
}
QString lit(const QByteArray &utf8)
{
    return lit(QString::fromUtf8(utf8));
}

QString blob(SqlDialect d, const QByteArray &bytes)
{
    const QString hex = QString::fromLatin1(bytes.toHex());
    if (d == SqlDialect::Sqlite)
        return u"X'"_s + hex + u'\'';
    return u"decode('"_s + hex + u"', 'hex')"_s;
}

LayoutFixture fixture(const QString &name, const QString &layoutId, SqlDialect dialect,
                      const QString &schema)
{
    LayoutFixture f;
    f.name = name;
    f.layoutId = layoutId;
    f.dialect = dialect;
    f.schema = schema;
    return f;
}

QString uuid(int n)
{
    return u"8f2b6c1e-3d4a-4b5c-9e7f-0a1b2c3d4e%1"_s.arg(n, 2, 10, QChar(u'0'));
}
QString uuidHex(int n)
{
    return uuid(n).remove(u'-');
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject dataOf(const Canonical &c)
{
    return TestSupport::jsonObject(c.data);
}

// The state after the stream's events up to a version, by the default projection.
QJsonObject foldTo(int stream, int version)
{
    QJsonObject state;
    for (const Canonical &c : canonical) {
        if (c.stream == stream && c.version <= version)
            Projection::deepMerge(state, dataOf(c));
    }
    return state;
}

// A zlib stream as libraries write it: qCompress adds a 4-byte length that they do not.
QByteArray zlibStream(const QByteArray &bytes)
{
    return qCompress(bytes).mid(4);
}

using RowFn = std::function<QString(int index, const Canonical &)>;

QStringList rows(const RowFn &row)
{
    QStringList result;
    int i = 0;
    for (const Canonical &c : canonical)
        result << row(i++, c);
    return result;
}

// The fixture's expected events: each canonical event through the library's spellings.
QVector<ExpectedEvent> expected(const std::function<ExpectedEvent(int, const Canonical &)> &fn)
{
    QVector<ExpectedEvent> result;
    int i = 0;
    for (const Canonical &c : canonical)
        result << fn(i++, c);
    return result;
}

ExpectedEvent plain(const QString &stream, qint64 version, const QString &type, const Canonical &c)
{
    return ExpectedEvent{stream, version, type, msOf(c), QByteArray(c.data)};
}

QStringList grantLargeObjects()
{
    return {u"DO $$DECLARE r record; BEGIN FOR r IN SELECT oid FROM pg_largeobject_metadata LOOP "
            "EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO %READER%', r.oid); END LOOP; "
            "END$$"_s};
}

// 1. Message DB: PostgreSQL only.
LayoutFixture messageDb()
{
    LayoutFixture f =
        fixture(u"message-db"_s, u"message-db"_s, SqlDialect::Postgres, u"message_store"_s);
    f.sql
        << u"CREATE SCHEMA message_store"_s
        << u"CREATE TABLE message_store.messages (id UUID NOT NULL DEFAULT gen_random_uuid(), "
           "stream_name text NOT NULL, type text NOT NULL, position bigint NOT NULL, "
           "global_position bigserial NOT NULL, data jsonb, metadata jsonb, "
           "time TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc') NOT NULL, "
           "PRIMARY KEY (global_position))"_s
        << u"CREATE UNIQUE INDEX messages_stream ON message_store.messages (stream_name, position)"_s;
    f.sql << rows([](int, const Canonical &c) {
        return u"INSERT INTO message_store.messages (stream_name, type, position, data, metadata, "
               "time) VALUES (%1, %2, %3, %4, '{\"schemaVersion\":\"1\"}', %5)"_s
                   .arg(lit(u"user-%1"_s.arg(c.stream)), lit(QString::fromLatin1(c.type)))
                   .arg(c.version - 1)
                   .arg(lit(QByteArray(c.data)), lit(sqlText(msOf(c))));
    });
    f.events = expected([](int, const Canonical &c) {
        return plain(u"user-%1"_s.arg(c.stream), c.version - 1, QString::fromLatin1(c.type), c);
    });
    return f;
}

QString snake(const char *type)
{
    QString out;
    for (const QChar ch : QString::fromLatin1(type)) {
        if (ch.isUpper() && !out.isEmpty())
            out += u'_';
        out += ch.toLower();
    }
    return out;
}

// 2. Marten: PostgreSQL only; the latest snapshot of a stream is inline in mt_streams.
LayoutFixture marten()
{
    LayoutFixture f = fixture(u"marten"_s, u"marten"_s, SqlDialect::Postgres, u"public"_s);
    f.sql << u"CREATE TABLE mt_streams (id uuid PRIMARY KEY, type varchar, version bigint, "
             "timestamp timestamptz NOT NULL DEFAULT now(), snapshot jsonb, snapshot_version "
             "integer, created timestamptz NOT NULL DEFAULT now(), tenant_id varchar DEFAULT "
             "'*DEFAULT*', is_archived bool DEFAULT false)"_s
          << u"CREATE TABLE mt_events (seq_id bigint PRIMARY KEY, id uuid NOT NULL, stream_id "
             "uuid REFERENCES mt_streams (id), version bigint NOT NULL, data jsonb NOT NULL, type "
             "varchar(500) NOT NULL, timestamp timestamptz NOT NULL DEFAULT now(), tenant_id "
             "varchar DEFAULT '*DEFAULT*', mt_dotnet_type varchar, is_archived bool DEFAULT "
             "false, headers jsonb)"_s;
    const qint64 snapshotTime = msOf(canonical[1]);
    f.sql << u"INSERT INTO mt_streams (id, type, version, timestamp, snapshot, snapshot_version) "
             "VALUES (%1, 'User', 3, %2, %3, 2), (%4, 'User', 2, %2, NULL, NULL)"_s.arg(
                 lit(uuid(1)), lit(TimeCodec::format(snapshotTime)), lit(compact(foldTo(1, 2))),
                 lit(uuid(2)));
    f.sql << rows([](int i, const Canonical &c) {
        return u"INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp, "
               "mt_dotnet_type) VALUES (%1, gen_random_uuid(), %2, %3, %4, %5, %6, %7)"_s.arg(
                   QString::number(i + 1), lit(uuid(c.stream)), QString::number(c.version),
                   lit(QByteArray(c.data)), lit(snake(c.type)), lit(TimeCodec::format(msOf(c))),
                   lit(u"Users.%1, Users"_s.arg(QString::fromLatin1(c.type))));
    });
    f.events = expected(
        [](int, const Canonical &c) { return plain(uuid(c.stream), c.version, snake(c.type), c); });
    f.snapshots << StoredSnapshot{uuid(1), 2, snapshotTime, compact(foldTo(1, 2))};
    return f;
}

// 3. Python eventsourcing: the time is inside the state, values wrapped as _type_/_data_.
QJsonObject wrapped(const char *type, const QString &value)
{
    return {{u"_type_"_s, QString::fromLatin1(type)}, {u"_data_"_s, value}};
}

LayoutFixture eventsourcing(SqlDialect d)
{
    LayoutFixture f = fixture(u"eventsourcing-python"_s, u"eventsourcing-python"_s, d, u"public"_s);
    const bool pg = d == SqlDialect::Postgres;
    const auto streamId = [pg](int n) {
        return pg ? uuid(n) : uuidHex(n);
    };
    if (pg) {
        f.sql << u"CREATE TABLE stored_events (application_name text, originator_id uuid NOT "
                 "NULL, originator_version bigint NOT NULL, topic text, state bytea, "
                 "notification_id bigserial, PRIMARY KEY (originator_id, originator_version))"_s
              << u"CREATE TABLE stored_snapshots (originator_id uuid NOT NULL, originator_version "
                 "bigint NOT NULL, topic text, state bytea, PRIMARY KEY (originator_id, "
                 "originator_version))"_s;
    } else {
        f.sql << u"CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                 "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"_s
              << u"CREATE TABLE stored_snapshots (originator_id TEXT, originator_version "
                 "INTEGER, topic TEXT, state BLOB, PRIMARY KEY (originator_id, "
                 "originator_version)) WITHOUT ROWID"_s;
    }
    const auto topic = [](const char *type) -> QString {
        return u"eventscope_tests.users:User."_s + QString::fromLatin1(type).remove(u"User"_s);
    };
    const auto state = [](const Canonical &c, bool unwrap) {
        QJsonObject o = dataOf(c);
        const QString id = uuidHex(c.stream);
        const QString time = pythonIso(msOf(c));
        o.insert(u"originator_id"_s, unwrap ? QJsonValue(id) : wrapped("uuid_hex", id));
        o.insert(u"originator_version"_s, c.version);
        o.insert(u"timestamp"_s, unwrap ? QJsonValue(time) : wrapped("datetime_iso", time));
        return o;
    };
    f.sql << rows([&](int, const Canonical &c) {
        return u"INSERT INTO stored_events (originator_id, originator_version, topic, state) "
               "VALUES (%1, %2, %3, %4)"_s.arg(lit(streamId(c.stream)), QString::number(c.version),
                                               lit(topic(c.type)),
                                               blob(f.dialect, compact(state(c, false))));
    });
    f.events = expected([&](int, const Canonical &c) {
        return ExpectedEvent{streamId(c.stream), c.version, topic(c.type), msOf(c),
                             compact(state(c, true))};
    });
    // The snapshot is a Snapshot event whose "state" is the aggregate's, zlib-compressed as
    // the library's compressor writes it.
    const qint64 snapshotTime = msOf(canonical[1]);
    QJsonObject aggregate = foldTo(1, 2);
    QJsonObject snapshot{{u"originator_id"_s, wrapped("uuid_hex", uuidHex(1))},
                         {u"originator_version"_s, 2},
                         {u"timestamp"_s, wrapped("datetime_iso", pythonIso(snapshotTime))},
                         {u"topic"_s, u"eventscope_tests.users:User"_s},
                         {u"state"_s, aggregate}};
    f.sql << u"INSERT INTO stored_snapshots VALUES (%1, 2, 'eventscope_tests.users:User', %2)"_s
                 .arg(lit(streamId(1)), blob(d, zlibStream(compact(snapshot))));
    f.snapshots << StoredSnapshot{streamId(1), 2, snapshotTime, compact(aggregate)};
    return f;
}

// 4. Axon: JPA (snake_case) with XStream XML on SQLite; JDBC (camelCase, folded to lower
// case by PostgreSQL) with Jackson JSON; JPA with XML in large objects on PostgreSQL.
QByteArray xstream(const Canonical &c)
{
    QByteArray xml = "<com.example.users." + QByteArray(c.type) + '>';
    const QJsonObject data = dataOf(c);
    for (auto it = data.begin(); it != data.end(); ++it)
        xml += '<' + it.key().toUtf8() + '>' + it.value().toString().toUtf8() + "</" +
               it.key().toUtf8() + '>';
    return xml + "</com.example.users." + QByteArray(c.type) + '>';
}

LayoutFixture axonJpa(SqlDialect d, bool largeObjects)
{
    LayoutFixture f =
        fixture(largeObjects ? u"axon (jpa, xml in large objects)"_s : u"axon (jpa, xml)"_s,
                u"axon"_s, d, u"public"_s);
    const QString lob = d == SqlDialect::Sqlite ? u"BLOB"_s : largeObjects ? u"oid"_s : u"bytea"_s;
    const QString text = d == SqlDialect::Sqlite ? u"TEXT"_s : u"varchar(255)"_s;
    const QString bigint = d == SqlDialect::Sqlite ? u"INTEGER"_s : u"bigint"_s;
    f.sql << u"CREATE TABLE domain_event_entry (global_index %1 NOT NULL PRIMARY KEY, "
             "event_identifier %2 NOT NULL UNIQUE, meta_data %3, payload %3 NOT NULL, "
             "payload_revision %2, payload_type %2 NOT NULL, time_stamp %2 NOT NULL, "
             "aggregate_identifier %2 NOT NULL, sequence_number %1 NOT NULL, type %2, "
             "UNIQUE (aggregate_identifier, sequence_number))"_s.arg(bigint, text, lob)
          << u"CREATE TABLE snapshot_event_entry (aggregate_identifier %2 NOT NULL, "
             "sequence_number %1 NOT NULL, type %2 NOT NULL, event_identifier %2 NOT NULL UNIQUE, "
             "meta_data %3, payload %3 NOT NULL, payload_revision %2, payload_type %2 NOT NULL, "
             "time_stamp %2 NOT NULL, PRIMARY KEY (aggregate_identifier, sequence_number, "
             "type))"_s.arg(bigint, text, lob);
    const auto value = [d, largeObjects](const QByteArray &bytes) {
        const QString b = blob(d, bytes);
        return largeObjects ? u"lo_from_bytea(0, %1)"_s.arg(b) : b;
    };
    const QByteArray meta = "<meta-data><entry><string>traceId</string><string>t-1</string>"
                            "</entry></meta-data>";
    f.sql << rows([&](int i, const Canonical &c) {
        return u"INSERT INTO domain_event_entry VALUES (%1, %2, %3, %4, NULL, %5, %6, %7, %8, "
               "'User')"_s.arg(QString::number(i + 1), lit(uuid(50 + i)), value(meta),
                               value(xstream(c)),
                               lit(u"com.example.users."_s + QString::fromLatin1(c.type)),
                               lit(javaInstant(msOf(c))), lit(u"user-%1"_s.arg(c.stream)),
                               QString::number(c.version - 1));
    });
    f.events = expected([](int, const Canonical &c) {
        return ExpectedEvent{u"user-%1"_s.arg(c.stream), c.version - 1,
                             u"com.example.users."_s + QString::fromLatin1(c.type), msOf(c),
                             xstream(c)};
    });
    f.jsonPayloads = false;
    const QByteArray aggregate = "<com.example.users.User><name>Ada</name><email>ada@example.com"
                                 "</email><page>/home</page></com.example.users.User>";
    const qint64 snapshotTime = msOf(canonical[1]);
    f.sql << u"INSERT INTO snapshot_event_entry VALUES ('user-1', 1, 'User', %1, NULL, %2, NULL, "
             "'com.example.users.User', %3)"_s.arg(lit(uuid(90)), value(aggregate),
                                                   lit(javaInstant(snapshotTime)));
    f.snapshots << StoredSnapshot{u"user-1"_s, 1, snapshotTime, aggregate};
    if (largeObjects)
        f.sql << grantLargeObjects();
    return f;
}

LayoutFixture axonJdbc(SqlDialect d)
{
    LayoutFixture f = fixture(u"axon (jdbc, json)"_s, u"axon"_s, d, u"public"_s);
    const QString lob = d == SqlDialect::Sqlite ? u"BLOB"_s : u"bytea"_s;
    // Axon's JDBC schema spells columns in camelCase, unquoted: PostgreSQL folds them.
    f.sql << u"CREATE TABLE DomainEventEntry (globalIndex bigint NOT NULL PRIMARY KEY, "
             "eventIdentifier varchar(255) NOT NULL UNIQUE, metaData %1, payload %1 NOT NULL, "
             "payloadRevision varchar(255), payloadType varchar(255) NOT NULL, timeStamp "
             "varchar(255) NOT NULL, aggregateIdentifier varchar(255) NOT NULL, sequenceNumber "
             "bigint NOT NULL, type varchar(255), UNIQUE (aggregateIdentifier, "
             "sequenceNumber))"_s.arg(lob);
    f.sql << rows([&](int i, const Canonical &c) {
        return u"INSERT INTO DomainEventEntry VALUES (%1, %2, %3, %4, NULL, %5, %6, %7, %8, "
               "'User')"_s.arg(QString::number(i + 1), lit(uuid(50 + i)),
                               blob(d, R"({"traceId":"t-1"})"), blob(d, QByteArray(c.data)),
                               lit(u"com.example.users."_s + QString::fromLatin1(c.type)),
                               lit(javaInstant(msOf(c))), lit(u"user-%1"_s.arg(c.stream)),
                               QString::number(c.version - 1));
    });
    f.events = expected([](int, const Canonical &c) {
        return plain(u"user-%1"_s.arg(c.stream), c.version - 1,
                     u"com.example.users."_s + QString::fromLatin1(c.type), c);
    });
    return f;
}

// 5. Eventuous: messages and the streams that name them; schema "eventuous" on PostgreSQL,
// tables prefixed eventuous_ on SQLite.
LayoutFixture eventuous(SqlDialect d)
{
    const bool pg = d == SqlDialect::Postgres;
    LayoutFixture f = fixture(u"eventuous"_s, u"eventuous"_s, d, pg ? u"eventuous"_s : u"public"_s);
    const QString streams = pg ? u"eventuous.streams"_s : u"eventuous_streams"_s;
    const QString messages = pg ? u"eventuous.messages"_s : u"eventuous_messages"_s;
    if (pg) {
        f.sql << u"CREATE SCHEMA eventuous"_s
              << u"CREATE TABLE eventuous.streams (stream_id integer GENERATED ALWAYS AS IDENTITY "
                 "PRIMARY KEY, stream_name varchar(1000) NOT NULL UNIQUE, version integer NOT "
                 "NULL)"_s
              << u"CREATE TABLE eventuous.messages (message_id uuid NOT NULL, message_type "
                 "varchar(128) NOT NULL, stream_id integer NOT NULL REFERENCES eventuous.streams, "
                 "stream_position integer NOT NULL, global_position bigint GENERATED ALWAYS AS "
                 "IDENTITY PRIMARY KEY, json_data jsonb NOT NULL, json_metadata jsonb, created "
                 "timestamp NOT NULL, UNIQUE (stream_id, stream_position))"_s;
    } else {
        f.sql << u"CREATE TABLE eventuous_streams (stream_id INTEGER PRIMARY KEY AUTOINCREMENT, "
                 "stream_name TEXT NOT NULL UNIQUE, version INTEGER NOT NULL)"_s
              << u"CREATE TABLE eventuous_messages (message_id TEXT NOT NULL, message_type TEXT "
                 "NOT NULL, stream_id INTEGER NOT NULL, stream_position INTEGER NOT NULL, "
                 "global_position INTEGER PRIMARY KEY AUTOINCREMENT, json_data TEXT NOT NULL, "
                 "json_metadata TEXT, created TEXT NOT NULL, UNIQUE (stream_id, "
                 "stream_position))"_s;
    }
    f.sql << u"INSERT INTO %1 (stream_name, version) VALUES ('User-1', 2)"_s.arg(streams)
          << u"INSERT INTO %1 (stream_name, version) VALUES ('User-2', 1)"_s.arg(streams);
    f.sql << rows([&](int i, const Canonical &c) {
        return u"INSERT INTO %1 (message_id, message_type, stream_id, stream_position, json_data, "
               "json_metadata, created) VALUES (%2, %3, %4, %5, %6, '{}', %7)"_s.arg(
                   messages, lit(uuid(60 + i)), lit(u"V1."_s + QString::fromLatin1(c.type)),
                   QString::number(c.stream), QString::number(c.version - 1),
                   lit(QByteArray(c.data)),
                   lit(pg ? sqlText(msOf(c)) : TimeCodec::format(msOf(c))));
    });
    f.events = expected([](int, const Canonical &c) {
        return plain(u"User-%1"_s.arg(c.stream), c.version - 1,
                     u"V1."_s + QString::fromLatin1(c.type), c);
    });
    return f;
}

// 6. SQLStreamStore: messages keyed by an internal stream id; streams keep the original name.
LayoutFixture sqlStreamStore(SqlDialect d)
{
    const bool pg = d == SqlDialect::Postgres;
    LayoutFixture f = fixture(u"sqlstreamstore"_s, u"sqlstreamstore"_s, d, u"public"_s);
    if (pg) {
        f.sql << u"CREATE TABLE streams (id char(42) NOT NULL UNIQUE, id_original varchar(1000) "
                 "NOT NULL, id_internal serial PRIMARY KEY, version integer NOT NULL DEFAULT -1, "
                 "position bigint NOT NULL DEFAULT -1, max_age integer, max_count integer)"_s
              << u"CREATE TABLE messages (stream_id_internal integer NOT NULL REFERENCES streams "
                 "(id_internal), stream_version integer NOT NULL, position bigserial PRIMARY KEY, "
                 "message_id uuid NOT NULL, created_utc timestamp NOT NULL, type varchar(128) NOT "
                 "NULL, json_data jsonb NOT NULL, json_metadata jsonb)"_s;
    } else {
        f.sql << u"CREATE TABLE streams (id TEXT NOT NULL UNIQUE, id_original TEXT NOT NULL, "
                 "id_internal INTEGER PRIMARY KEY, version INTEGER NOT NULL DEFAULT -1, position "
                 "INTEGER NOT NULL DEFAULT -1, max_age INTEGER, max_count INTEGER)"_s
              << u"CREATE TABLE messages (stream_id_internal INTEGER NOT NULL, stream_version "
                 "INTEGER NOT NULL, position INTEGER PRIMARY KEY, message_id TEXT NOT NULL, "
                 "created_utc TEXT NOT NULL, type TEXT NOT NULL, json_data TEXT NOT NULL, "
                 "json_metadata TEXT)"_s;
    }
    f.sql << u"INSERT INTO streams (id, id_original, id_internal, version, position) VALUES "
             "('3a2b1c0d4e5f60718293a4b5c6d7e8f901234567', 'user/1', 1, 2, 3)"_s
          << u"INSERT INTO streams (id, id_original, id_internal, version, position) VALUES "
             "('9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', 'user/2', 2, 1, 4)"_s;
    f.sql << rows([&](int i, const Canonical &c) {
        return u"INSERT INTO messages (stream_id_internal, stream_version, position, message_id, "
               "created_utc, type, json_data, json_metadata) VALUES (%1, %2, %3, %4, %5, %6, %7, "
               "NULL)"_s.arg(QString::number(c.stream), QString::number(c.version - 1),
                             QString::number(i), lit(uuid(70 + i)), lit(sqlText(msOf(c))),
                             lit(QString::fromLatin1(c.type)), lit(QByteArray(c.data)));
    });
    f.events = expected([](int, const Canonical &c) {
        return plain(u"user/%1"_s.arg(c.stream), c.version - 1, QString::fromLatin1(c.type), c);
    });
    return f;
}

// 7. Rails Event Store: events and their stream memberships. YAML (the default serializer) in
// SQLite; JSON in jsonb on PostgreSQL. Stream 2 was written with expected_version :any, so its
// rows keep no position.
QByteArray yaml(const Canonical &c)
{
    QByteArray out = "---\n";
    const QJsonObject data = dataOf(c);
    for (auto it = data.begin(); it != data.end(); ++it)
        out += ':' + it.key().toUtf8() + ": " + it.value().toString().toUtf8() + '\n';
    return out;
}

LayoutFixture railsEventStore(SqlDialect d)
{
    const bool pg = d == SqlDialect::Postgres;
    LayoutFixture f = fixture(pg ? u"rails-event-store (jsonb)"_s : u"rails-event-store (yaml)"_s,
                              u"rails-event-store"_s, d, u"public"_s);
    if (pg) {
        f.sql << u"CREATE TABLE event_store_events (id bigserial PRIMARY KEY, event_id uuid NOT "
                 "NULL UNIQUE, event_type varchar NOT NULL, metadata jsonb, data jsonb NOT NULL, "
                 "created_at timestamp(6) NOT NULL, valid_at timestamp(6))"_s
              << u"CREATE TABLE event_store_events_in_streams (id bigserial PRIMARY KEY, stream "
                 "varchar NOT NULL, position integer, event_id uuid NOT NULL REFERENCES "
                 "event_store_events (event_id), created_at timestamp(6) NOT NULL)"_s;
    } else {
        f.sql << u"CREATE TABLE event_store_events (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                 "event_id varchar(36) NOT NULL UNIQUE, event_type varchar NOT NULL, metadata "
                 "blob, data blob NOT NULL, created_at datetime(6) NOT NULL, valid_at "
                 "datetime(6))"_s
              << u"CREATE TABLE event_store_events_in_streams (id INTEGER PRIMARY KEY "
                 "AUTOINCREMENT, stream varchar NOT NULL, position integer, event_id varchar(36) "
                 "NOT NULL, created_at datetime(6) NOT NULL)"_s;
    }
    f.sql << rows([&](int i, const Canonical &c) {
        const QString time = lit(sqlText(msOf(c)));
        const QString data = pg ? lit(QByteArray(c.data)) : lit(yaml(c));
        return u"INSERT INTO event_store_events (event_id, event_type, metadata, data, "
               "created_at, valid_at) VALUES (%1, %2, %3, %4, %5, %5)"_s.arg(
                   lit(uuid(80 + i)), lit(u"Users::"_s + QString::fromLatin1(c.type)),
                   pg ? u"'{}'"_s : u"'--- {}\n'"_s, data, time);
    });
    f.sql << rows([&](int i, const Canonical &c) {
        return u"INSERT INTO event_store_events_in_streams (stream, position, event_id, "
               "created_at) VALUES (%1, %2, %3, %4)"_s.arg(
                   lit(u"User$%1"_s.arg(c.stream)),
                   c.stream == 1 ? QString::number(c.version - 1) : u"NULL"_s, lit(uuid(80 + i)),
                   lit(sqlText(msOf(c))));
    });
    f.events = expected([pg](int i, const Canonical &c) {
        ExpectedEvent e{u"User$%1"_s.arg(c.stream), c.stream == 1 ? c.version - 1 : i + 1,
                        u"Users::"_s + QString::fromLatin1(c.type), msOf(c),
                        pg ? QByteArray(c.data) : yaml(c)};
        return e;
    });
    f.jsonPayloads = pg;
    return f;
}

// 8. Commanded: every event has a row in the $all stream (id 0), whose version is the global
// order.
LayoutFixture commanded()
{
    LayoutFixture f = fixture(u"commanded"_s, u"commanded"_s, SqlDialect::Postgres, u"public"_s);
    f.sql << u"CREATE TABLE streams (stream_id bigserial PRIMARY KEY, stream_uuid text NOT NULL "
             "UNIQUE, stream_version bigint DEFAULT 0 NOT NULL, created_at timestamp with time "
             "zone DEFAULT now() NOT NULL, deleted_at timestamp with time zone)"_s
          << u"CREATE TABLE events (event_id uuid PRIMARY KEY, event_type text NOT NULL, "
             "causation_id uuid NULL, correlation_id uuid NULL, data bytea NOT NULL, metadata "
             "bytea NULL, created_at timestamp with time zone DEFAULT now() NOT NULL)"_s
          << u"CREATE TABLE stream_events (event_id uuid NOT NULL REFERENCES events (event_id), "
             "stream_id bigint NOT NULL REFERENCES streams (stream_id), stream_version bigint NOT "
             "NULL, original_stream_id bigint REFERENCES streams (stream_id), "
             "original_stream_version bigint, PRIMARY KEY (event_id, stream_id))"_s
          << u"INSERT INTO streams (stream_id, stream_uuid, stream_version) VALUES (0, '$all', 5), "
             "(1, 'user-1', 3), (2, 'user-2', 2)"_s;
    f.sql << rows([&](int i, const Canonical &c) {
        return u"INSERT INTO events (event_id, event_type, data, metadata, created_at) VALUES "
               "(%1, %2, %3, %4, %5)"_s.arg(
                   lit(uuid(20 + i)), lit(u"Elixir.Users."_s + QString::fromLatin1(c.type)),
                   blob(SqlDialect::Postgres, QByteArray(c.data)), blob(SqlDialect::Postgres, "{}"),
                   lit(TimeCodec::format(msOf(c))));
    });
    f.sql << rows([&](int i, const Canonical &c) {
        return u"INSERT INTO stream_events VALUES (%1, %2, %3, %2, %3), (%1, 0, %4, %2, %3)"_s.arg(
            lit(uuid(20 + i)), QString::number(c.stream), QString::number(c.version),
            QString::number(i + 1));
    });
    f.events = expected([](int, const Canonical &c) {
        return plain(u"user-%1"_s.arg(c.stream), c.version,
                     u"Elixir.Users."_s + QString::fromLatin1(c.type), c);
    });
    return f;
}

// 9. Akka Persistence JDBC: one journal table, epoch-millisecond times, payloads by serializer
// (31 = Jackson JSON). The snapshot is gzip-compressed, as Jackson does past 32 KiB.
LayoutFixture akka(SqlDialect d)
{
    const bool pg = d == SqlDialect::Postgres;
    LayoutFixture f = fixture(u"akka-jdbc"_s, u"akka-jdbc"_s, d, u"public"_s);
    const QString lob = pg ? u"bytea"_s : u"BLOB"_s;
    f.sql << u"CREATE TABLE event_journal (ordering %1, persistence_id varchar(255) NOT NULL, "
             "sequence_number bigint NOT NULL, deleted boolean DEFAULT false NOT NULL, writer "
             "varchar(255) NOT NULL, write_timestamp bigint, adapter_manifest varchar(255), "
             "event_ser_id integer NOT NULL, event_ser_manifest varchar(255) NOT NULL, "
             "event_payload %2 NOT NULL, meta_ser_id integer, meta_ser_manifest varchar(255), "
             "meta_payload %2, %3)"_s.arg(
                 pg ? u"bigserial"_s : u"INTEGER PRIMARY KEY AUTOINCREMENT"_s, lob,
                 pg ? u"PRIMARY KEY (persistence_id, sequence_number)"_s
                    : u"UNIQUE (persistence_id, sequence_number)"_s)
          << u"CREATE TABLE snapshot (persistence_id varchar(255) NOT NULL, sequence_number bigint "
             "NOT NULL, created bigint NOT NULL, snapshot_ser_id integer NOT NULL, "
             "snapshot_ser_manifest varchar(255) NOT NULL, snapshot_payload %1 NOT NULL, "
             "meta_ser_id integer, meta_ser_manifest varchar(255), meta_payload %1, PRIMARY KEY "
             "(persistence_id, sequence_number))"_s.arg(lob);
    f.sql << rows([&](int, const Canonical &c) {
        return u"INSERT INTO event_journal (persistence_id, sequence_number, writer, "
               "write_timestamp, event_ser_id, event_ser_manifest, event_payload) VALUES (%1, %2, "
               "'writer-1', %3, 31, %4, %5)"_s.arg(
                   lit(u"User|%1"_s.arg(c.stream)), QString::number(c.version),
                   QString::number(msOf(c)),
                   lit(u"com.example.users."_s + QString::fromLatin1(c.type)),
                   blob(d, QByteArray(c.data)));
    });
    f.events = expected([](int, const Canonical &c) {
        return plain(u"User|%1"_s.arg(c.stream), c.version,
                     u"com.example.users."_s + QString::fromLatin1(c.type), c);
    });
    const qint64 snapshotTime = msOf(canonical[1]);
    f.sql << u"INSERT INTO snapshot VALUES ('User|1', 2, %1, 31, 'com.example.users.User', %2, "
             "NULL, NULL, NULL)"_s.arg(QString::number(snapshotTime),
                                       blob(d, TestSupport::gzip(compact(foldTo(1, 2)))));
    f.snapshots << StoredSnapshot{u"User|1"_s, 2, snapshotTime, compact(foldTo(1, 2))};
    return f;
}

// 10. EventFlow: the event's name and time are keys of its metadata.
LayoutFixture eventFlow(SqlDialect d)
{
    const bool pg = d == SqlDialect::Postgres;
    LayoutFixture f = fixture(u"eventflow"_s, u"eventflow"_s, d, u"public"_s);
    f.sql << u"CREATE TABLE EventFlow (GlobalSequenceNumber %1, BatchId varchar(36) NOT NULL, "
             "AggregateId varchar(255) NOT NULL, AggregateName varchar(255) NOT NULL, Data text "
             "NOT NULL, Metadata text NOT NULL, AggregateSequenceNumber integer NOT NULL)"_s.arg(
                 pg ? u"bigserial PRIMARY KEY"_s : u"INTEGER PRIMARY KEY AUTOINCREMENT"_s);
    f.sql << rows([&](int i, const Canonical &c) {
        const QString aggregateId = u"user-"_s + uuid(c.stream);
        const QJsonObject metadata{{u"timestamp"_s, dotnetIso(msOf(c))},
                                   {u"aggregate_sequence_number"_s, QString::number(c.version)},
                                   {u"aggregate_name"_s, u"User"_s},
                                   {u"aggregate_id"_s, aggregateId},
                                   {u"event_id"_s, QString(u"event-"_s + uuid(30 + i))},
                                   {u"event_name"_s, QString::fromLatin1(c.type)},
                                   {u"event_version"_s, u"1"_s}};
        return u"INSERT INTO EventFlow (BatchId, AggregateId, AggregateName, Data, Metadata, "
               "AggregateSequenceNumber) VALUES (%1, %2, 'User', %3, %4, %5)"_s.arg(
                   lit(uuid(40 + i)), lit(aggregateId), lit(QByteArray(c.data)),
                   lit(compact(metadata)), QString::number(c.version));
    });
    f.events = expected([](int, const Canonical &c) {
        return plain(u"user-"_s + uuid(c.stream), c.version, QString::fromLatin1(c.type), c);
    });
    return f;
}

// 13. Emmett: only the default partition's rows that are not archived are events to read;
// the test adds an archived row and one of another partition between them. The tables and value
// forms are those @event-driven-io/emmett-sqlite 0.42.4 and emmett-postgresql 0.42.0 wrote when
// checked against the libraries: on SQLite the partition column defaults to 'global' while rows
// say 'emt:default', the metadata repeats streamName, messageId and streamPosition (as text),
// message_schema_version holds the stream's version before the append, the file is in WAL mode
// and emt_streams' partition reads "[object Object]"; on PostgreSQL every partition (the default
// and another one made by emt_add_partition) is LIST-partitioned again by is_archived, and so is
// emt_streams, so the catalog lists many emt_* tables that are not the events.
LayoutFixture emmett(SqlDialect d)
{
    const bool pg = d == SqlDialect::Postgres;
    LayoutFixture f = fixture(u"emmett"_s, u"emmett"_s, d, u"public"_s);
    if (pg) {
        const QString streams =
            u"stream_id text NOT NULL, stream_position bigint NOT NULL, partition text DEFAULT "
            "'emt:default'::text NOT NULL, stream_type text NOT NULL, stream_metadata jsonb NOT "
            "NULL, is_archived boolean DEFAULT false NOT NULL"_s;
        f.sql << u"CREATE SEQUENCE emt_global_message_position"_s
              << u"CREATE TABLE emt_messages (stream_position bigint NOT NULL, global_position "
                 "bigint DEFAULT nextval('emt_global_message_position'::regclass), "
                 "transaction_id xid8 NOT NULL, created timestamp with time zone DEFAULT now() "
                 "NOT NULL, is_archived boolean DEFAULT false NOT NULL, message_kind character "
                 "varying(1) DEFAULT 'E'::character varying NOT NULL, stream_id text NOT NULL, "
                 "partition text DEFAULT 'emt:default'::text NOT NULL, message_schema_version "
                 "text NOT NULL, message_id text NOT NULL, message_type text NOT NULL, "
                 "message_data jsonb NOT NULL, message_metadata jsonb NOT NULL, PRIMARY KEY "
                 "(stream_id, stream_position, partition, is_archived)) PARTITION BY LIST "
                 "(partition)"_s
              << u"CREATE TABLE emt_streams (%1, PRIMARY KEY (stream_id, partition, "
                 "is_archived)) PARTITION BY LIST (partition)"_s.arg(streams);
        for (const QString &table : {u"emt_messages"_s, u"emt_streams"_s}) {
            for (const auto &[suffix, partition] : {std::pair{u"emt_default"_s, u"emt:default"_s},
                                                    std::pair{u"tenant_b"_s, u"tenant-b"_s}}) {
                const QString parent = table + u'_' + suffix;
                f.sql << u"CREATE TABLE %1 PARTITION OF %2 FOR VALUES IN ('%3') PARTITION BY "
                         "LIST (is_archived)"_s.arg(parent, table, partition)
                      << u"CREATE TABLE %1_active PARTITION OF %1 FOR VALUES IN (false)"_s.arg(
                             parent)
                      << u"CREATE TABLE %1_archived PARTITION OF %1 FOR VALUES IN (true)"_s.arg(
                             parent);
            }
        }
    } else {
        f.sql << u"PRAGMA journal_mode=WAL"_s
              << u"CREATE TABLE emt_streams(\n      stream_id         TEXT                      "
                 "NOT NULL,\n      stream_position   BIGINT                    NOT NULL DEFAULT "
                 "0,\n      partition         TEXT                      NOT NULL DEFAULT "
                 "'global',\n      stream_type       TEXT                      NOT NULL,\n      "
                 "stream_metadata   JSONB                     NOT NULL,\n      is_archived       "
                 "BOOLEAN                   NOT NULL DEFAULT FALSE,\n      PRIMARY KEY "
                 "(stream_id, partition, is_archived),\n      UNIQUE (stream_id, partition, "
                 "is_archived)\n  )"_s
              << u"CREATE TABLE emt_messages(\n      stream_id              TEXT                 "
                 "     NOT NULL,\n      stream_position        BIGINT                    NOT "
                 "NULL,\n      partition              TEXT                      NOT NULL DEFAULT "
                 "'global',\n      message_kind           CHAR(1)                   NOT NULL "
                 "DEFAULT 'E',\n      message_data           JSONB                     NOT "
                 "NULL,\n      message_metadata       JSONB                     NOT NULL,\n      "
                 "message_schema_version TEXT                      NOT NULL,\n      message_type "
                 "          TEXT                      NOT NULL,\n      message_id             TEXT "
                 "                     NOT NULL,\n      is_archived            BOOLEAN            "
                 "       NOT NULL DEFAULT FALSE,\n      global_position        INTEGER           "
                 "        PRIMARY KEY,\n      created                DATETIME                  "
                 "DEFAULT CURRENT_TIMESTAMP,\n      UNIQUE (stream_id, stream_position, "
                 "partition, is_archived)\n  )"_s
              << u"CREATE TABLE emt_processors(processor_id TEXT NOT NULL, version INTEGER NOT "
                 "NULL DEFAULT 1, partition TEXT NOT NULL DEFAULT 'global', status TEXT NOT NULL "
                 "DEFAULT 'stopped', last_processed_checkpoint TEXT NOT NULL, "
                 "processor_instance_id TEXT DEFAULT 'emt:unknown', PRIMARY KEY (processor_id, "
                 "partition, version))"_s
              << u"CREATE TABLE emt_projections(name TEXT NOT NULL, version INTEGER NOT NULL "
                 "DEFAULT 1, partition TEXT NOT NULL DEFAULT 'global', type CHAR(1) NOT NULL, "
                 "kind TEXT NOT NULL, status TEXT NOT NULL, definition JSONB NOT NULL DEFAULT "
                 "'{}', PRIMARY KEY (name, partition, version))"_s;
    }
    // Emmett's SQLite times are CURRENT_TIMESTAMP text, to the second.
    const auto timeOf = [pg](const Canonical &c) {
        return pg ? msOf(c) : msOf(c) / 1000 * 1000;
    };
    const auto streamName = [](int n) -> QString {
        return u"user-"_s + uuid(n);
    };
    const auto insert = [&](int stream, int version, const QString &type, const QString &data,
                            const QString &partition, bool archived, qint64 ms, int id) {
        const QString name = streamName(stream);
        const QString messageId = uuid(60 + id);
        QString metadata = u"{\"correlationId\":\"c-%1\"}"_s.arg(id);
        if (!pg)
            metadata = u"{\"streamName\":\"%1\",\"messageId\":\"%2\",\"streamPosition\":\"%3\","
                       "\"correlationId\":\"c-%4\"}"_s.arg(name, messageId)
                           .arg(version)
                           .arg(id);
        const QString time =
            pg ? QString(sqlText(ms) + u"+00"_s) : utc(ms).toString(u"yyyy-MM-dd HH:mm:ss"_s);
        // PostgreSQL: '1' and the writing transaction; SQLite: the version before the append.
        const QString schemaVersion = pg ? u"1"_s : QString::number(version - 1);
        return u"INSERT INTO emt_messages (stream_id, stream_position, partition, message_kind, "
               "message_data, message_metadata, message_schema_version, message_type, "
               "message_id, is_archived, created%1) VALUES (%2, %3, %4, 'E', %5, %6, %7, %8, %9, "
               "%10, %11%12)"_s.arg(pg ? u", transaction_id"_s : QString())
                   .arg(lit(name), QString::number(version), lit(partition), lit(data),
                        lit(metadata), lit(schemaVersion), lit(type), lit(messageId))
                   .arg(archived ? (pg ? u"true"_s : u"1"_s) : (pg ? u"false"_s : u"0"_s),
                        lit(time), pg ? u", pg_current_xact_id()"_s : QString());
    };
    int i = 0;
    for (const Canonical &c : canonical) {
        f.sql << insert(c.stream, c.version, QString::fromLatin1(c.type),
                        QString::fromLatin1(c.data), u"emt:default"_s, false, timeOf(c), i);
        if (i == 1) // an archived copy of the first event, between the live ones
            f.sql << insert(1, 1, u"UserCreated"_s, u"{\"name\":\"Old\"}"_s, u"emt:default"_s, true,
                            timeOf(c), 10);
        if (i == 2) // another partition's stream of the same name
            f.sql << insert(1, 1, u"UserCreated"_s, u"{\"name\":\"Eve\"}"_s, u"tenant-b"_s, false,
                            timeOf(c), 11);
        ++i;
    }
    // emt_streams as each library left it (SQLite binds a column descriptor as the partition)
    for (int stream : {1, 2}) {
        const int last = stream == 1 ? 3 : 2;
        f.sql << u"INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, "
                 "stream_metadata, is_archived) VALUES (%1, %2, %3, 'user', '[]', %4)"_s.arg(
                     lit(streamName(stream)), QString::number(last),
                     pg ? u"'emt:default'"_s : u"'[object Object]'"_s, pg ? u"false"_s : u"0"_s);
    }
    f.events = expected([&](int, const Canonical &c) {
        return ExpectedEvent{streamName(c.stream), c.version, QString::fromLatin1(c.type),
                             timeOf(c), QByteArray(c.data)};
    });
    return f;
}

// 14. Castore: two event stores (ADMINS, USERS) share the table, with the same aggregate id.
// The table, its indexes and value forms are those @castore/event-storage-adapter-postgres 2.4.2
// wrote (createEventTable, then EventStore.pushEvent): timestamptz to the millisecond, set by
// the caller or CURRENT_TIMESTAMP(3); metadata NULL when the event has none. The table's name is
// the adapter's option (`tableName`), "event" by default.
LayoutFixture castore(const QString &table)
{
    LayoutFixture f =
        fixture(table == u"event"_s ? u"castore"_s : u"castore (table %1)"_s.arg(table),
                u"castore"_s, SqlDialect::Postgres, u"public"_s);
    f.sql << u"CREATE TABLE IF NOT EXISTS %1 (\n        id              BIGSERIAL PRIMARY "
             "KEY,\n        aggregate_name  VARCHAR(32) NOT NULL,\n        aggregate_id    UUID "
             "NOT NULL,\n        version         BIGINT NOT NULL,\n        type            "
             "VARCHAR(64) NOT NULL,\n        data            JSONB,\n        metadata        "
             "JSONB,\n        timestamp       TIMESTAMPTZ NOT NULL DEFAULT "
             "(CURRENT_TIMESTAMP(3)),\n        UNIQUE (aggregate_name, aggregate_id, version)\n  "
             "    )"_s.arg(table)
          // the index names are the same whatever the table is named
          << u"CREATE INDEX IF NOT EXISTS idx_event_aggregate_name ON %1(aggregate_name)"_s.arg(
                 table)
          << u"CREATE INDEX IF NOT EXISTS idx_event_version ON %1(version)"_s.arg(table)
          << u"CREATE INDEX IF NOT EXISTS idx_event_aggregate_lookup ON %1(aggregate_name, "
             "aggregate_id)"_s.arg(table);
    const auto storeOf = [](const Canonical &c) {
        return c.stream == 1 ? u"ADMINS"_s : u"USERS"_s;
    };
    f.sql << rows([&](int i, const Canonical &c) {
        return u"INSERT INTO %1 (aggregate_name, aggregate_id, version, type, data, metadata, "
               "timestamp) VALUES (%2, %3, %4, %5, %6, %7, %8)"_s
                   .arg(table, lit(storeOf(c)), lit(uuid(1)))
                   .arg(c.version)
                   .arg(lit(QString::fromLatin1(c.type)), lit(QByteArray(c.data)),
                        i == 3 ? u"NULL"_s : u"'{\"source\":\"test\"}'"_s,
                        lit(sqlText(msOf(c)) + u"+00"_s));
    });
    f.events = expected([&](int, const Canonical &c) {
        return plain(storeOf(c) + u'/' + uuid(1), c.version, QString::fromLatin1(c.type), c);
    });
    return f;
}

// 15. Acuris eventstore-postgresql: a stream is (stream_category, stream_id), numbered from 0;
// times are timestamp without time zone (written here in UTC). The table is the one
// @acuris/eventstore-postgresql 3.0.1 created (no default time: its write_event function gives
// clock_timestamp(), to the microsecond, which the library's reader truncates to milliseconds),
// metadata NULL when the event has none.
LayoutFixture acuris()
{
    LayoutFixture f = fixture(u"acuris"_s, u"acuris"_s, SqlDialect::Postgres, u"eventstore"_s);
    f.sql << u"CREATE SCHEMA eventstore"_s
          << u"CREATE TABLE eventstore.event (\"position\" bigint NOT NULL, stream_category "
             "text NOT NULL, stream_id text NOT NULL, event_number integer NOT NULL, event_type "
             "text NOT NULL, \"timestamp\" timestamp without time zone NOT NULL, data jsonb NOT "
             "NULL, metadata jsonb)"_s
          << u"ALTER TABLE ONLY eventstore.event ADD CONSTRAINT event_pkey PRIMARY KEY "
             "(\"position\")"_s
          << u"ALTER TABLE ONLY eventstore.event ADD CONSTRAINT "
             "event_stream_category_stream_id_event_number_key UNIQUE (stream_category, "
             "stream_id, event_number)"_s;
    const auto categoryOf = [](const Canonical &c) {
        return c.stream == 1 ? u"admin"_s : u"user"_s;
    };
    f.sql << rows([&](int i, const Canonical &c) {
        return u"INSERT INTO eventstore.event VALUES (%1, %2, '42', %3, %4, %5, %6, %7)"_s
            .arg(i + 1)
            .arg(lit(categoryOf(c)))
            .arg(c.version - 1)
            .arg(lit(QString::fromLatin1(c.type)), lit(sqlText(msOf(c)) + u"789"_s),
                 lit(QByteArray(c.data)), i == 2 ? u"NULL"_s : u"'{\"via\":\"test\"}'"_s);
    });
    f.events = expected([&](int, const Canonical &c) {
        return plain(categoryOf(c) + u"/42"_s, c.version - 1, QString::fromLatin1(c.type), c);
    });
    return f;
}

} // namespace

QVector<LayoutFixture> LayoutFixtures::libraries(SqlDialect dialect)
{
    if (dialect == SqlDialect::Sqlite)
        return {emmett(dialect)};
    return {emmett(dialect), castore(u"event"_s), castore(u"pokemon_events"_s), acuris()};
}

QVector<LayoutFixture> LayoutFixtures::all(SqlDialect dialect)
{
    if (dialect == SqlDialect::Sqlite)
        return {eventsourcing(dialect), axonJpa(dialect, false), axonJdbc(dialect),
                eventuous(dialect),     sqlStreamStore(dialect), railsEventStore(dialect),
                akka(dialect),          eventFlow(dialect)};
    return {messageDb(),
            marten(),
            eventsourcing(dialect),
            axonJpa(dialect, false),
            axonJpa(dialect, true),
            axonJdbc(dialect),
            eventuous(dialect),
            sqlStreamStore(dialect),
            railsEventStore(dialect),
            commanded(),
            akka(dialect),
            eventFlow(dialect)};
}

QByteArray LayoutFixtures::expectedState(const LayoutFixture &fixture, const QString &stream)
{
    QJsonObject state;
    if (fixture.jsonPayloads) {
        for (const ExpectedEvent &e : fixture.events) {
            if (e.stream == stream)
                Projection::deepMerge(state, TestSupport::jsonObject(e.data));
        }
    }
    return compact(state);
}

namespace {

// XML is compared without the indentation Eventscope adds (and without a declaration).
QByteArray withoutIndentation(QByteArray xml)
{
    if (xml.startsWith("<?xml"))
        xml = xml.mid(xml.indexOf("?>") + 2);
    QByteArray out;
    bool inTag = false;
    QByteArray pendingSpace;
    for (char ch : std::as_const(xml)) {
        if (ch == '<') {
            inTag = true;
            pendingSpace.clear();
        }
        if (!inTag && (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')) {
            pendingSpace += ch;
            continue;
        }
        if (!inTag && !pendingSpace.isEmpty() && !out.endsWith('>'))
            out += pendingSpace;
        pendingSpace.clear();
        out += ch;
        if (ch == '>')
            inTag = false;
    }
    return out;
}

bool sameData(const QByteArray &actual, const QByteArray &expected)
{
    if (const auto want = Payload::toJson(expected)) {
        const auto got = Payload::toJson(actual);
        return got && *got == *want;
    }
    if (expected.startsWith('<'))
        return withoutIndentation(actual) == expected && actual.contains('\n');
    return actual == expected;
}

QString describeEvent(const Event &e)
{
    return u"%1 v%2 %3 at %4: %5"_s.arg(e.stream).arg(e.version).arg(
        e.type, TimeCodec::format(e.timeMs), QString::fromUtf8(e.data));
}

QString describeExpected(const ExpectedEvent &e)
{
    return u"%1 v%2 %3 at %4: %5"_s.arg(e.stream).arg(e.version).arg(
        e.type, TimeCodec::format(e.timeMs), QString::fromUtf8(e.data));
}

QString compareEvents(const QVector<Event> &got, const QVector<ExpectedEvent> &want,
                      const QString &what)
{
    if (got.size() != want.size())
        return u"%1: %2 events, expected %3"_s.arg(what).arg(got.size()).arg(want.size());
    for (int i = 0; i < got.size(); ++i) {
        const Event &g = got.at(i);
        const ExpectedEvent &w = want.at(i);
        if (g.stream != w.stream || g.version != w.version || g.type != w.type ||
            g.timeMs != w.timeMs || !sameData(g.data, w.data))
            return u"%1, event %2: got %3, expected %4"_s.arg(what).arg(i).arg(describeEvent(g),
                                                                               describeExpected(w));
    }
    return {};
}

} // namespace

QString LayoutFixtures::verify(EventStore &store, const LayoutFixture &f)
{
    if (store.layout().id != f.layoutId)
        return u"detected layout %1, expected %2"_s.arg(store.layout().id, f.layoutId);

    const auto summary = store.summary();
    if (!summary)
        return u"summary: "_s + store.errorString();
    QStringList streams;
    QMap<QString, qint64> types;
    for (const ExpectedEvent &e : f.events) {
        if (!streams.contains(e.stream))
            streams << e.stream;
        ++types[e.type];
    }
    if (summary->events != f.events.size() || summary->streams != streams.size() ||
        summary->firstTimeMs != f.events.first().timeMs ||
        summary->lastTimeMs != f.events.last().timeMs || summary->typeCounts != types)
        return u"summary: %1 events, %2 streams, %3 to %4, types %5"_s.arg(summary->events)
            .arg(summary->streams)
            .arg(TimeCodec::format(summary->firstTimeMs), TimeCodec::format(summary->lastTimeMs),
                 QStringList(summary->typeCounts.keys()).join(u", "_s));

    EventFilter all;
    all.limit = 100;
    const auto page = store.events(all);
    if (!page)
        return u"events: "_s + store.errorString();
    if (QString problem = compareEvents(*page, f.events, u"all events"_s); !problem.isEmpty())
        return problem;

    // Keyset pages of two, all streams and then one.
    QVector<Event> paged;
    EventFilter small;
    small.limit = 2;
    while (true) {
        const auto part = store.events(small);
        if (!part)
            return u"paging: "_s + store.errorString();
        paged += *part;
        if (part->size() < small.limit)
            break;
        small.afterPosition = part->last().position;
    }
    if (QString problem = compareEvents(paged, f.events, u"pages of two"_s); !problem.isEmpty())
        return problem;

    const QString first = f.events.first().stream;
    QVector<ExpectedEvent> ofFirst;
    for (const ExpectedEvent &e : f.events) {
        if (e.stream == first)
            ofFirst << e;
    }
    EventFilter inStream;
    inStream.stream = first;
    inStream.limit = 2;
    QVector<Event> streamPaged;
    while (true) {
        const auto part = store.events(inStream);
        if (!part)
            return u"stream pages: "_s + store.errorString();
        streamPaged += *part;
        if (part->size() < inStream.limit)
            break;
        inStream.afterPosition = part->last().position;
    }
    if (QString problem = compareEvents(streamPaged, ofFirst, u"stream pages"_s);
        !problem.isEmpty())
        return problem;
    const auto versions = store.streamEvents(first, std::numeric_limits<qint64>::min(), 100);
    if (!versions)
        return u"stream events: "_s + store.errorString();
    if (QString problem = compareEvents(*versions, ofFirst, u"stream events"_s); !problem.isEmpty())
        return problem;

    EventFilter timed;
    timed.fromTimeMs = f.events.at(1).timeMs;
    timed.toTimeMs = f.events.at(4).timeMs;
    const auto window = store.events(timed);
    if (!window)
        return u"time filter: "_s + store.errorString();
    if (QString problem = compareEvents(*window, f.events.mid(1, 3), u"time filter"_s);
        !problem.isEmpty())
        return problem;

    StreamQuery query;
    const auto listed = store.streams(query);
    if (!listed)
        return u"streams: "_s + store.errorString();
    QStringList sorted = streams;
    std::sort(sorted.begin(), sorted.end());
    QStringList names;
    for (const StreamInfo &s : *listed)
        names << s.stream;
    if (names != sorted)
        return u"streams: %1, expected %2"_s.arg(names.join(u", "_s), sorted.join(u", "_s));
    for (const StreamInfo &s : *listed) {
        QVector<ExpectedEvent> of;
        for (const ExpectedEvent &e : f.events) {
            if (e.stream == s.stream)
                of << e;
        }
        if (s.events != of.size() || s.firstVersion != of.first().version ||
            s.lastVersion != of.last().version || s.firstTimeMs != of.first().timeMs ||
            s.lastTimeMs != of.last().timeMs)
            return u"stream %1: %2 events, versions %3-%4, %5 to %6"_s.arg(s.stream)
                .arg(s.events)
                .arg(s.firstVersion)
                .arg(s.lastVersion)
                .arg(TimeCodec::format(s.firstTimeMs), TimeCodec::format(s.lastTimeMs));
    }
    // Substring search ignores case.
    query.filter = first.right(3).toUpper();
    const auto found = store.streams(query);
    if (!found || found->isEmpty() || found->first().stream != first)
        return u"stream filter '%1' did not find %2 (%3)"_s.arg(query.filter, first,
                                                                store.errorString());

    const auto days = store.buckets(BucketSize::Day, {});
    if (!days)
        return u"buckets: "_s + store.errorString();
    QMap<qint64, qint64> wantDays;
    for (const ExpectedEvent &e : f.events)
        ++wantDays[e.timeMs / 86400000 * 86400000];
    QMap<qint64, qint64> gotDays;
    for (const Bucket &b : *days)
        gotDays[b.startMs] += b.events;
    if (gotDays != wantDays)
        return u"day buckets: %1 days, expected %2"_s.arg(gotDays.size()).arg(wantDays.size());

    ReplayEngine replay(store, first);
    if (!replay.load())
        return u"replay: "_s + replay.errorString();
    const auto last = replay.stateAtIndex(replay.eventCount() - 1);
    if (!last)
        return u"replay state: "_s + replay.errorString();
    const QByteArray state = compact(last->state);
    if (replay.eventCount() != ofFirst.size() || last->version != ofFirst.last().version ||
        state != expectedState(f, first))
        return u"replay: %1 events, version %2, state %3, expected %4"_s.arg(replay.eventCount())
            .arg(last->version)
            .arg(QString::fromUtf8(state), QString::fromUtf8(expectedState(f, first)));

    const auto snapshots = store.snapshots(first);
    if (!snapshots)
        return u"snapshots: "_s + store.errorString();
    if (snapshots->size() != f.snapshots.size())
        return u"%1 snapshots, expected %2"_s.arg(snapshots->size()).arg(f.snapshots.size());
    for (int i = 0; i < snapshots->size(); ++i) {
        const StoredSnapshot &g = snapshots->at(i);
        const StoredSnapshot &w = f.snapshots.at(i);
        if (g.stream != w.stream || g.version != w.version || g.timeMs != w.timeMs ||
            !sameData(g.data, w.data))
            return u"snapshot %1: %2 v%3 at %4: %5"_s.arg(i).arg(g.stream).arg(g.version).arg(
                TimeCodec::format(g.timeMs), QString::fromUtf8(g.data));
    }
    return {};
}

namespace {
// SQL text of the odd JSON values: a string literal, or an expression for what a literal
// cannot say (a BLOB, bytes that are not UTF-8, a control character, deep nesting).
QStringList oddJsonValues(const QString &name, const QString &time, bool wrapTime)
{
    const auto t = [&](const QString &text) {
        return wrapTime ? u"{\"_type_\":\"datetime_iso\",\"_data_\":%1}"_s.arg(text) : text;
    };
    const auto doc = [&](const QString &fields) {
        return lit(u"{"_s + fields + u"}"_s);
    };
    const QString plain =
        u"\"%1\":\"%2\",\"timestamp\":%3"_s.arg(name, u"Deposited"_s, t(u"\"%1\""_s.arg(time)));
    QString deep = u"1"_s;
    for (int i = 0; i < 1100; ++i)
        deep = u"["_s + deep + u"]"_s;
    QStringList values{
        doc(plain),
        doc(u"\"%1\":\"Esc\\u0061ped\",\"timestamp\":%2"_s.arg(
            name, t(u"\"2026-01-01T00:00:02\\u002e5Z\""_s))),
        // A key spelled with an escape, which SQLite 3.40 does not take for the path's key.
        // Not the time's where the payload's time field stands in for a missing one: the
        // decoded payload would then give a time no SQL statement sees.
        doc(u"\"\\u%1%2\":\"Tab\\tbed\",\"%3\":%4"_s.arg(
            QString::number(name.at(0).unicode(), 16).rightJustified(4, u'0'), name.mid(1),
            wrapTime ? u"timestamp"_s : u"time\\u0073tamp"_s, t(u"\"2026-01-01T00:00:03Z\""_s))),
        doc(u"\"%1\":\"First\",\"%1\":\"Second\",\"timestamp\":%2,\"timestamp\":%3"_s.arg(
            name, t(u"\"2026-01-01T00:00:04Z\""_s), t(u"\"2027-01-01T00:00:00Z\""_s))),
        doc(u"\"%1\":12,\"timestamp\":%2"_s.arg(name, t(u"1767225600000"_s))),
        doc(u"\"%1\":true,\"timestamp\":%2"_s.arg(name, t(u"[\"2026-01-01T00:00:06Z\"]"_s))),
        doc(u"\"%1\":{\"a\":1},\"timestamp\":%2"_s.arg(name, t(u"null"_s))),
        doc(u"\"%1\":null,\"timestamp\":{\"_data_\":{\"x\":1}}"_s.arg(name)),
        lit(u"{\"%1\":\"Broken\",\"timestamp\":%2"_s.arg(name, t(u"\"2026-01-01T00:00:09Z\""_s))),
        lit(u"[\"%1\",\"x\"]"_s.arg(name)), lit(u"  \n\t{"_s + plain + u"}  "_s),
        u"CAST(%1 AS BLOB)"_s.arg(doc(u"\"%1\":\"Blob\",\"timestamp\":%2"_s.arg(
            name, t(u"\"2026-01-01T00:00:12.123456+02:00\""_s)))),
        // Not UTF-8 beside the type: a type that is not UTF-8 is no type that SQL can be
        // asked for by its text.
        u"CAST(%1 || X'FF' || %2 AS BLOB)"_s.arg(lit(u"{\"junk\":\""_s),
                                                 lit(u"\",\"%1\":\"Bad\",\"timestamp\":%2}"_s.arg(
                                                     name, t(u"\"2026-01-01T00:00:13Z\""_s)))),
        u"NULL"_s,
        doc(u"\"deep\":%1,\"%2\":\"Deep\",\"timestamp\":%3"_s.arg(
            deep, name, t(u"\"2026-01-01T00:00:15Z\""_s))),
        doc(u"\"n\":1e400,\"big\":123456789012345678901234567890,\"%1\":\"Huge\","
            "\"timestamp\":%2"_s.arg(name, t(u"\"2026-01-01T00:00:16Z\""_s))),
        doc(u"\"other\":1"_s), u"42"_s,
        doc(u"\"%1\":\"\",\"timestamp\":%2"_s.arg(name, t(u"\"\""_s))),
        doc(u"\"%1\":\"Dépôt-☃\",\"timestamp\":%2"_s.arg(name, t(u"\"2026-01-01 00:00:21.5\""_s))),
        lit(u"\"just a string\""_s),
        doc(u"\"%1\":\"Late\",\"timestamp\":%2"_s.arg(name, t(u"\"not a time\""_s)))};
    // A control character, which SQLite's JSON refuses and Qt's reads: not where the payload's
    // time field stands in for a missing time, which the payload would then give.
    if (!wrapTime)
        values << u"%1 || char(1) || %2"_s.arg(
            lit(u"{\"%1\":\"a"_s.arg(name)),
            lit(u"\",\"timestamp\":%1}"_s.arg(t(u"\"2026-01-01T00:00:19Z\""_s))));
    return values;
}
} // namespace

QVector<LayoutFixtures::OddJsonStore> LayoutFixtures::oddJsonRoleStores()
{
    const QStringList streams{u"agg-1"_s, u"agg-2"_s};
    LayoutFixtures::OddJsonStore eventFlow{u"eventflow"_s, u"eventflow"_s, {}, streams};
    eventFlow.sql
        << u"CREATE TABLE EventFlow (GlobalSequenceNumber INTEGER PRIMARY KEY "
           "AUTOINCREMENT, BatchId varchar(36) NOT NULL, AggregateId varchar(255) NOT "
           "NULL, AggregateName varchar(255) NOT NULL, Data text NOT NULL, Metadata text, "
           "AggregateSequenceNumber integer NOT NULL)"_s;
    const QStringList metadata =
        oddJsonValues(u"event_name"_s, u"2026-01-01T00:00:01.000Z"_s, false);
    for (qsizetype i = 0; i < metadata.size(); ++i)
        eventFlow.sql << u"INSERT INTO EventFlow (BatchId, AggregateId, AggregateName, Data, "
                         "Metadata, AggregateSequenceNumber) VALUES ('b', %1, 'Agg', "
                         "'{\"n\":%2}', %3, %4)"_s.arg(lit(streams.at(i % 2)))
                             .arg(i)
                             .arg(metadata.at(i))
                             .arg(i / 2 + 1);
    LayoutFixtures::OddJsonStore eventsourcing{
        u"eventsourcing"_s, u"eventsourcing-python"_s, {}, streams};
    eventsourcing.sql << u"CREATE TABLE stored_events (originator_id TEXT, originator_version "
                         "INTEGER, topic TEXT, state BLOB, PRIMARY KEY (originator_id, "
                         "originator_version))"_s;
    const QStringList states =
        oddJsonValues(u"note"_s, u"2026-01-01T00:00:01.000000+00:00"_s, true);
    for (qsizetype i = 0; i < states.size(); ++i)
        eventsourcing.sql << u"INSERT INTO stored_events VALUES (%1, %2, 'bank:Account.Changed', "
                             "%3)"_s.arg(lit(streams.at(i % 2)))
                                 .arg(i / 2 + 1)
                                 .arg(states.at(i));
    // Its states as BLOBs in a UTF-16 database, which SQL reads as UTF-16 text.
    LayoutFixtures::OddJsonStore utf16 = eventsourcing;
    utf16.name = u"eventsourcing-utf16"_s;
    utf16.sql.prepend(u"PRAGMA encoding = 'UTF-16le'"_s);
    return {eventFlow, eventsourcing, utf16};
}

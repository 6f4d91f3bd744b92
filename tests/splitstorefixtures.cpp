// The fixtures of the libraries whose events are not one row each (LAYOUTS.md rows 11-12),
// written by the test from the facts: Prooph's table per stream behind event_streams (both of
// its stream strategies), and NEventStore's commits of several events each (two serialiser
// settings, a byte order mark, a second bucket, a BSON payload).

#include "layoutfixtures.h"

#include "decoding/payloaddecoder.h"
#include "decoding/timecodec.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

qint64 at(const char *iso)
{
    return TimeCodec::parseIso(QString::fromLatin1(iso));
}

QString lit(const QString &text)
{
    return u'\'' + QString(text).replace(u'\'', u"''"_s) + u'\'';
}

QString bytes(SqlDialect d, const QByteArray &b)
{
    const QString hex = QString::fromLatin1(b.toHex());
    if (d == SqlDialect::Sqlite)
        return u"X'"_s + hex + u'\'';
    return u"decode('"_s + hex + u"', 'hex')"_s;
}

QByteArray compact(const QJsonValue &v)
{
    return v.isObject() ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                        : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
}

// ---- NEventStore ----------------------------------------------------------------------------

struct NesEvent
{
    QString type; // the class's short name
    const char *data;
};

struct NesCommit
{
    QString bucket;
    QString stream;
    int revision; // the stream's revision after the commit
    const char *stamp;
    QVector<NesEvent> events;  // empty: the payload is BSON
    bool typeNamesAll = false; // TypeNameHandling.All: the list and each message carry $type
    bool bom = true;           // .NET's StreamWriter(stream, Encoding.UTF8) writes one
};

const QString assembly = u", Shop.Orders, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null"_s;

QByteArray nesPayload(const NesCommit &c)
{
    if (c.events.isEmpty()) {
        // A BSON document {"Body": "x"}: int32 length, element, terminating NUL.
        return QByteArray::fromHex("1500000002426f6479000200000078000000");
    }
    QJsonArray list;
    for (const NesEvent &e : c.events) {
        QJsonObject body = QJsonDocument::fromJson(e.data).object();
        // A nested class for one of them: "Namespace.Outer+Inner".
        const QString cls = e.type == u"ItemAdded"_s ? u"Shop.Orders.Events+ItemAdded"_s
                                                     : u"Shop.Orders.Events."_s + e.type;
        body.insert(u"$type"_s, QString(cls + assembly));
        QJsonObject headers{{u"UserId"_s, u"u-7"_s}};
        QJsonObject message{{u"Headers"_s, headers}, {u"Body"_s, body}};
        if (c.typeNamesAll) {
            headers.insert(u"$type"_s, u"System.Collections.Generic.Dictionary`2[[System.String, "
                                       "mscorlib],[System.Object, mscorlib]], mscorlib"_s);
            message.insert(u"Headers"_s, headers);
            message.insert(u"$type"_s, u"NEventStore.EventMessage, NEventStore"_s);
        }
        list << message;
    }
    QByteArray json;
    if (c.typeNamesAll)
        json = compact(QJsonObject{{u"$type"_s, u"System.Collections.Generic.List`1[[NEventStore."
                                                "EventMessage, NEventStore]], mscorlib"_s},
                                   {u"$values"_s, list}});
    else
        json = compact(list);
    return c.bom ? QByteArray("\xEF\xBB\xBF") + json : json;
}

const QVector<NesCommit> &nesCommits()
{
    static const QVector<NesCommit> commits{
        {u"default"_s,
         u"order-1"_s,
         1,
         "2026-02-01T08:00:00.000Z",
         {{u"OrderPlaced"_s, R"({"customer":"ada","total":0})"}}},
        {u"default"_s,
         u"order-1"_s,
         3,
         "2026-02-01T08:05:00.250Z",
         {{u"ItemAdded"_s, R"({"items":["book"],"total":12})"},
          {u"ItemAdded"_s, R"({"items":["book","pen"],"total":14})"}},
         false,
         false},
        {u"default"_s,
         u"order-2"_s,
         1,
         "2026-02-02T09:00:00.000Z",
         {{u"OrderPlaced"_s, R"({"customer":"bob","total":0})"}}},
        {u"tenant-b"_s,
         u"order-1"_s,
         2,
         "2026-02-03T10:00:00.000Z",
         {{u"OrderPlaced"_s, R"({"customer":"eve","total":0})"},
          {u"OrderShipped"_s, R"({"shipped":true})"}},
         true},
        {u"default"_s, u"order-2"_s, 2, "2026-02-04T11:00:00.000Z", {}},
        {u"default"_s,
         u"order-1"_s,
         4,
         "2026-02-05T12:00:00.500Z",
         {{u"OrderPaid"_s, R"({"paid":true})"}},
         true},
    };
    return commits;
}

LayoutFixture nEventStore(SqlDialect d)
{
    const bool pg = d == SqlDialect::Postgres;
    LayoutFixture f;
    f.name = u"neventstore"_s;
    f.layoutId = u"neventstore"_s;
    f.dialect = d;
    f.schema = u"public"_s;
    // The tables NEventStore's SQL persistence creates (PostgreSqlDialect / SqliteDialect).
    if (pg)
        f.sql << u"CREATE TABLE Commits (BucketId varchar(40) NOT NULL, StreamId char(40) NOT "
                 "NULL, StreamIdOriginal varchar(1000) NOT NULL, StreamRevision int NOT NULL "
                 "CHECK (StreamRevision > 0), Items smallint NOT NULL CHECK (Items > 0), CommitId "
                 "uuid NOT NULL, CommitSequence int NOT NULL CHECK (CommitSequence > 0), "
                 "CheckpointNumber bigserial NOT NULL, CommitStamp timestamp NOT NULL, Headers "
                 "bytea NULL, Payload bytea NOT NULL, CONSTRAINT PK_Commits PRIMARY KEY "
                 "(CheckpointNumber))"_s;
    else
        f.sql << u"CREATE TABLE Commits (BucketId varchar(40) NOT NULL, StreamId char(40) NOT "
                 "NULL, StreamIdOriginal text NOT NULL, StreamRevision int NOT NULL CHECK "
                 "(StreamRevision > 0), Items int NOT NULL CHECK (Items > 0), CommitId guid NOT "
                 "NULL CHECK (CommitId != 0), CommitSequence int NOT NULL CHECK (CommitSequence > "
                 "0), CheckpointNumber INTEGER PRIMARY KEY AUTOINCREMENT, CommitStamp datetime NOT "
                 "NULL, Headers blob NULL, Payload blob NOT NULL)"_s;
    QHash<QString, int> sequences;
    int n = 0;
    for (const NesCommit &c : nesCommits()) {
        ++n;
        const int items = c.events.isEmpty() ? 1 : int(c.events.size());
        const QString key = c.bucket + u'/' + c.stream;
        const QByteArray streamHash =
            QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha1).toHex();
        // System.Data.SQLite writes a UTC DateTime as ISO-8601 with a space and a 'Z'.
        const QDateTime stamp = QDateTime::fromMSecsSinceEpoch(at(c.stamp), Qt::UTC);
        const QString time = pg ? stamp.toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s)
                                : stamp.toString(stamp.time().msec() ? u"yyyy-MM-dd HH:mm:ss.zzzZ"_s
                                                                     : u"yyyy-MM-dd HH:mm:ssZ"_s);
        const QString commitId = u"5a1c0000-0000-4000-8000-%1"_s.arg(n, 12, 10, QChar(u'0'));
        f.sql << u"INSERT INTO Commits (BucketId, StreamId, StreamIdOriginal, StreamRevision, "
                 "Items, CommitId, CommitSequence, CommitStamp, Headers, Payload) VALUES (%1, %2, "
                 "%3, %4, %5, %6, %7, %8, NULL, %9)"_s
                     .arg(lit(c.bucket), lit(QString::fromLatin1(streamHash)), lit(c.stream))
                     .arg(c.revision)
                     .arg(items)
                     .arg(pg ? lit(commitId)
                             : bytes(d, QByteArray::number(n).rightJustified(16, '0')))
                     .arg(++sequences[key])
                     .arg(lit(time), bytes(d, nesPayload(c)));
        const QString stream = c.bucket == u"default"_s ? c.stream : key;
        if (c.events.isEmpty()) {
            // Shown as what Eventscope makes of bytes it cannot decode.
            f.events << ExpectedEvent{stream, c.revision, QString(), at(c.stamp),
                                      PayloadDecoder::hexDump(nesPayload(c))};
            continue;
        }
        for (int i = 0; i < c.events.size(); ++i)
            f.events << ExpectedEvent{stream, c.revision - items + 1 + i, c.events.at(i).type,
                                      at(c.stamp), QByteArray(c.events.at(i).data)};
    }
    return f;
}

// ---- Prooph ---------------------------------------------------------------------------------

struct ProophEvent
{
    int table; // 1-based, in event_streams order
    const char *name;
    const char *aggregateType;
    const char *aggregateId;
    int aggregateVersion;
    const char *created;
    const char *payload;
};

struct ProophStream
{
    QString realName;
    bool hasTable = true;
};

const QVector<ProophStream> proophStreams{
    {u"user-7d1f"_s}, {u"order_stream"_s}, {u"ghost-9"_s, false}, {u"user-c3a2"_s}};

// user-7d1f and user-c3a2: the aggregate stream strategy (a table per aggregate);
// order_stream: the single-stream strategy (both orders in one table).
const ProophEvent proophEvents[] = {
    {1, "UserRegistered", "user", "7d1f", 1, "2026-03-01T08:00:00.000Z", R"({"name":"Ada"})"},
    {1, "UserRenamed", "user", "7d1f", 2, "2026-03-01T08:30:00.125Z", R"({"name":"Ada L."})"},
    {2, "OrderPlaced", "order", "a-1", 1, "2026-03-02T09:00:00.000Z", R"({"total":10})"},
    {2, "OrderPlaced", "order", "b-2", 1, "2026-03-02T09:10:00.000Z", R"({"total":20})"},
    {2, "OrderPaid", "order", "a-1", 2, "2026-03-03T10:00:00.000Z", R"({"paid":true})"},
    {2, "OrderPaid", "order", "b-2", 2, "2026-03-03T11:00:00.000Z", R"({"paid":true})"},
    {4, "UserRegistered", "user", "c3a2", 1, "2026-03-04T12:00:00.000Z", R"({"name":"Bob"})"},
};

QString proophTable(const QString &realName)
{
    return u"_"_s +
           QString::fromLatin1(
               QCryptographicHash::hash(realName.toUtf8(), QCryptographicHash::Sha1).toHex());
}

LayoutFixture prooph()
{
    LayoutFixture f;
    f.name = u"prooph"_s;
    f.layoutId = u"prooph"_s;
    f.dialect = SqlDialect::Postgres;
    f.schema = u"public"_s;
    // The tables of prooph/pdo-event-store's PostgresEventStore and its stream strategies.
    f.sql << u"CREATE TABLE event_streams (no BIGSERIAL, real_stream_name VARCHAR(150) NOT NULL, "
             "stream_name CHAR(41) NOT NULL, metadata JSONB, category VARCHAR(150), PRIMARY KEY "
             "(no), UNIQUE (stream_name))"_s;
    for (const ProophStream &s : proophStreams) {
        const QString table = proophTable(s.realName);
        f.sql << u"INSERT INTO event_streams (real_stream_name, stream_name, metadata, category) "
                 "VALUES (%1, %2, '[]', %3)"_s.arg(
                     lit(s.realName), lit(table),
                     s.realName.contains(u'-') ? lit(s.realName.section(u'-', 0, 0)) : u"NULL"_s);
        if (!s.hasTable)
            continue;
        f.sql << u"CREATE TABLE %1 (no BIGSERIAL, event_id UUID NOT NULL, event_name VARCHAR(100) "
                 "NOT NULL, payload JSON NOT NULL, metadata JSONB NOT NULL, created_at "
                 "TIMESTAMP(6) NOT NULL, PRIMARY KEY (no), CONSTRAINT aggregate_version_not_null "
                 "CHECK ((metadata->>'_aggregate_version') IS NOT NULL), CONSTRAINT "
                 "aggregate_type_not_null CHECK ((metadata->>'_aggregate_type') IS NOT NULL), "
                 "CONSTRAINT aggregate_id_not_null CHECK ((metadata->>'_aggregate_id') IS NOT "
                 "NULL), UNIQUE (event_id))"_s.arg(table);
    }
    int n = 0;
    for (const ProophEvent &e : proophEvents) {
        const ProophStream &s = proophStreams.at(e.table - 1);
        const QJsonObject metadata{{u"_aggregate_id"_s, QString::fromLatin1(e.aggregateId)},
                                   {u"_aggregate_type"_s, QString::fromLatin1(e.aggregateType)},
                                   {u"_aggregate_version"_s, e.aggregateVersion},
                                   {u"_causation_id"_s, u"c-1"_s}};
        const QDateTime created = QDateTime::fromMSecsSinceEpoch(at(e.created), Qt::UTC);
        f.sql << u"INSERT INTO %1 (event_id, event_name, payload, metadata, created_at) VALUES "
                 "(%2, %3, %4, %5, %6)"_s.arg(
                     proophTable(s.realName),
                     lit(u"0e7a0000-0000-4000-8000-%1"_s.arg(++n, 12, 10, QChar(u'0'))),
                     lit(QString::fromLatin1(e.name)), lit(QString::fromUtf8(e.payload)),
                     lit(QString::fromUtf8(compact(metadata))),
                     lit(created.toString(u"yyyy-MM-dd HH:mm:ss.zzz000"_s)));
        const bool shared = s.realName == u"order_stream"_s;
        const QString stream = shared ? QString::fromLatin1(e.aggregateType) + u'-' +
                                            QString::fromLatin1(e.aggregateId)
                                      : s.realName;
        f.events << ExpectedEvent{stream, e.aggregateVersion, QString::fromLatin1(e.name),
                                  at(e.created), QByteArray(e.payload)};
    }
    return f;
}

} // namespace

QVector<LayoutFixture> LayoutFixtures::splitStores(SqlDialect dialect)
{
    if (dialect == SqlDialect::Sqlite)
        return {nEventStore(dialect)};
    return {nEventStore(dialect), prooph()};
}

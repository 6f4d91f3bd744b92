// The PostgreSQL hot path against the generic path, on a real throwaway server: every row the
// libpq reader (PostgresStreamReader) steps through reads as EventStore's QSqlQuery reads it,
// and a replay's merged fold over it gives the generic fold's states, on randomized stores in
// the tables of Message DB, Marten, Akka and Python eventsourcing (jsonb, bytea, compressed and
// wrapped payloads, timestamp, timestamptz and epoch times, times in the payload) and on every
// PostgreSQL library layout's fixture; the same fold in parts gives the same states, and a
// replay to a version stops reading there. A replay stopped halfway, by the job or by the
// server, leaves the connection usable.

#include "decoding/timecodec.h"
#include "index/eventindex.h"
#include "index/eventindexbuilder.h"
#include "layoutfixtures.h"
#include "pgtestserver.h"
#include "replay/projection.h"
#include "replay/replayengine.h"
#include "store/eventstore.h"
#include "store/postgresstreamreader.h"
#include "store/statementinterrupter.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtTest>
#include <QUuid>

#include <atomic>
#include <chrono>
#include <limits>
#include <thread>

using namespace Qt::StringLiterals;

namespace {

const QString Reader = u"reader"_s;
const QString ReaderPassword = u"fast-path"_s;
constexpr int EventsPerShape = 600;
constexpr int StreamsPerShape = 3;

QByteArray randomValue(QRandomGenerator &rng, int depth);

QByteArray randomObject(QRandomGenerator &rng, int depth)
{
    static const QList<QByteArray> keys = {"a",      "b",    "name", "n\\u00e9", "\\u2603", "x",
                                           "nested", "list", "é",    "数",       "k\\\"q",  "z"};
    QByteArray out = "{";
    const int n = rng.bounded(5);
    for (int i = 0; i < n; ++i)
        out += QByteArray(i ? ", " : "") + '"' + keys.at(rng.bounded(int(keys.size()))) +
               "\": " + randomValue(rng, depth + 1);
    return out + '}';
}

QByteArray randomValue(QRandomGenerator &rng, int depth)
{
    switch (rng.bounded(depth > 3 ? 7 : 10)) {
    case 0:
        return "null";
    case 1:
        return rng.bounded(2) ? "true" : "false";
    case 2:
        return QByteArray::number(rng.bounded(2000) - 1000);
    case 3:
        return QByteArray::number(qint64(rng.generate64() >> 1));
    case 4:
        return QByteArray::number(rng.generateDouble() * 1e6 - 5e5, 'g', 17);
    case 5:
        return "\"tab\\tnew\\nline \\\"q\\\" \\u00e9 ☃ 😀\"";
    case 6:
        return "1.0";
    case 7:
    case 8:
        return randomObject(rng, depth);
    default: {
        QByteArray out = "[";
        for (int i = 0, n = rng.bounded(4); i < n; ++i)
            out += (i ? "," : "") + randomValue(rng, depth + 1);
        return out + ']';
    }
    }
}

// JSON that jsonb keeps as it is (apart from spacing and duplicate keys) but that is not a
// plain object: the fold leaves the state as it is.
const QList<QByteArray> JsonNotObjects = {"[1, {\"a\": 2}]", "\"just a string\"", "42", "null"};

// Bytes only a byte column holds: not JSON, not UTF-8, compressed, with a byte order mark.
QByteArray oddBytes(QRandomGenerator &rng)
{
    switch (rng.bounded(8)) {
    case 0:
        return TestSupport::gzip(randomObject(rng, 0));
    case 1:
        return qCompress(randomObject(rng, 0)).mid(4); // zlib, as libraries write it
    case 2:
        return "\xEF\xBB\xBF" + randomObject(rng, 0);
    case 3:
        return "{\"bad utf8\": \"\xC3\x28\"}";
    case 4:
        return R"({"truncated": )";
    case 5:
        return "not json at all";
    case 6:
        return {};
    default:
        return JsonNotObjects.at(rng.bounded(int(JsonNotObjects.size())));
    }
}

QString literal(const QByteArray &utf8)
{
    return PgTestServer::quoteLiteral(QString::fromUtf8(utf8));
}

QString bytea(const QByteArray &bytes)
{
    return u"decode('%1', 'hex')"_s.arg(QString::fromLatin1(bytes.toHex()));
}

// One row of a shape; `odd` asks for a row the fast accessors must leave to readEvent.
using RowSql = std::function<QString(QRandomGenerator &rng, int stream, qint64 version,
                                     qint64 timeUs, bool odd)>;

struct Shape
{
    QString name;
    QString schema;
    QStringList createSql;
    QString insertPrefix; // "INSERT INTO ... VALUES "
    RowSql row;
    std::function<QString(int stream)> streamName;
};

const QStringList Types = {u"Created"_s, u"Renamed"_s, u"Événement ☃"_s, u"Clicked"_s};

QString typeOf(QRandomGenerator &rng)
{
    return PgTestServer::quoteLiteral(Types.at(rng.bounded(int(Types.size()))));
}

// Microseconds since the epoch as a PostgreSQL timestamp: fractions finer than the
// milliseconds Eventscope keeps.
QString timestampSql(qint64 timeUs)
{
    return u"(TIMESTAMP '1970-01-01' + make_interval(secs => %1 / 1000000.0))"_s.arg(timeUs);
}

QString streamUuid(int stream)
{
    return u"8f2b6c1e-3d4a-4b5c-9e7f-0a1b2c3d4e%1"_s.arg(stream, 2, 10, QChar(u'0'));
}

QVector<Shape> shapes()
{
    Shape messageDb{u"message-db"_s, u"message_store"_s, {}, {}, {}, {}};
    messageDb.createSql = {
        u"CREATE SCHEMA message_store"_s,
        u"CREATE TABLE message_store.messages (id UUID NOT NULL DEFAULT gen_random_uuid(), "
        "stream_name text NOT NULL, type text NOT NULL, position bigint NOT NULL, "
        "global_position bigserial NOT NULL, data jsonb, metadata jsonb, "
        "time TIMESTAMP WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (global_position))"_s,
        u"CREATE UNIQUE INDEX messages_stream ON message_store.messages (stream_name, position)"_s};
    messageDb.insertPrefix = u"INSERT INTO message_store.messages (stream_name, type, position, "
                             "data, metadata, time) VALUES "_s;
    messageDb.streamName = [](int s) {
        return u"user-%1"_s.arg(s);
    };
    messageDb.row = [name = messageDb.streamName](QRandomGenerator &rng, int s, qint64 version,
                                                  qint64 timeUs, bool odd) {
        QString data = literal(randomObject(rng, 0));
        if (odd)
            data = rng.bounded(4) == 0
                       ? u"NULL"_s
                       : literal(JsonNotObjects.at(rng.bounded(int(JsonNotObjects.size()))));
        return u"(%1, %2, %3, %4, '{\"schemaVersion\":\"1\"}', %5)"_s.arg(
            PgTestServer::quoteLiteral(name(s)), typeOf(rng), QString::number(version), data,
            timestampSql(timeUs));
    };

    Shape marten{u"marten"_s, u"public"_s, {}, {}, {}, {}};
    marten.createSql = {
        u"CREATE TABLE mt_streams (id uuid PRIMARY KEY, type varchar, version bigint, "
        "timestamp timestamptz NOT NULL DEFAULT now(), snapshot jsonb, snapshot_version "
        "integer, created timestamptz NOT NULL DEFAULT now(), tenant_id varchar DEFAULT "
        "'*DEFAULT*', is_archived bool DEFAULT false)"_s,
        u"CREATE TABLE mt_events (seq_id bigserial PRIMARY KEY, id uuid NOT NULL DEFAULT "
        "gen_random_uuid(), stream_id uuid REFERENCES mt_streams (id), version bigint NOT NULL, "
        "data jsonb NOT NULL, type varchar(500) NOT NULL, timestamp timestamptz NOT NULL, "
        "tenant_id varchar DEFAULT '*DEFAULT*', mt_dotnet_type varchar, is_archived bool "
        "DEFAULT false, headers jsonb)"_s};
    for (int s = 0; s < StreamsPerShape; ++s)
        marten.createSql << u"INSERT INTO mt_streams (id, type, version) VALUES ('%1', 'User', "
                            "0)"_s.arg(streamUuid(s));
    marten.insertPrefix =
        u"INSERT INTO mt_events (stream_id, version, data, type, timestamp) VALUES "_s;
    marten.streamName = streamUuid;
    marten.row = [](QRandomGenerator &rng, int s, qint64 version, qint64 timeUs, bool odd) {
        const QByteArray data =
            odd ? JsonNotObjects.at(rng.bounded(int(JsonNotObjects.size()))) : randomObject(rng, 0);
        return u"('%1', %2, %3, %4, CAST(%5 AS timestamptz))"_s.arg(
            streamUuid(s), QString::number(version), literal(data), typeOf(rng),
            timestampSql(timeUs));
    };

    // Epoch milliseconds, payloads in bytea as serializers write them.
    Shape akka{u"akka-jdbc"_s, u"public"_s, {}, {}, {}, {}};
    akka.createSql = {
        u"CREATE TABLE event_journal (ordering bigserial, persistence_id varchar(255) NOT NULL, "
        "sequence_number bigint NOT NULL, deleted boolean DEFAULT false NOT NULL, writer "
        "varchar(255) NOT NULL, write_timestamp bigint, adapter_manifest varchar(255), "
        "event_ser_id integer NOT NULL, event_ser_manifest varchar(255) NOT NULL, "
        "event_payload bytea NOT NULL, meta_ser_id integer, meta_ser_manifest varchar(255), "
        "meta_payload bytea, PRIMARY KEY (persistence_id, sequence_number))"_s};
    akka.insertPrefix = u"INSERT INTO event_journal (persistence_id, sequence_number, writer, "
                        "write_timestamp, event_ser_id, event_ser_manifest, event_payload) "
                        "VALUES "_s;
    akka.streamName = [](int s) {
        return u"User|%1"_s.arg(s);
    };
    akka.row = [name = akka.streamName](QRandomGenerator &rng, int s, qint64 version, qint64 timeUs,
                                        bool odd) {
        const QByteArray data = odd ? oddBytes(rng) : randomObject(rng, 0);
        const QString time =
            odd && rng.bounded(3) == 0 ? u"NULL"_s : QString::number(timeUs / 1000);
        return u"(%1, %2, 'writer-1', %3, 31, %4, %5)"_s.arg(PgTestServer::quoteLiteral(name(s)),
                                                             QString::number(version), time,
                                                             typeOf(rng), bytea(data));
    };

    // The time inside the payload, values wrapped as _type_/_data_, some states compressed.
    Shape eventsourcing{u"eventsourcing-python"_s, u"public"_s, {}, {}, {}, {}};
    eventsourcing.createSql = {
        u"CREATE TABLE stored_events (application_name text, originator_id uuid NOT NULL, "
        "originator_version bigint NOT NULL, topic text, state bytea, notification_id "
        "bigserial, PRIMARY KEY (originator_id, originator_version))"_s};
    eventsourcing.insertPrefix = u"INSERT INTO stored_events (originator_id, originator_version, "
                                 "topic, state) VALUES "_s;
    eventsourcing.streamName = streamUuid;
    eventsourcing.row = [](QRandomGenerator &rng, int s, qint64 version, qint64 timeUs, bool odd) {
        QJsonObject state = TestSupport::jsonObject(randomObject(rng, 0));
        const QString time =
            QDateTime::fromMSecsSinceEpoch(timeUs / 1000, Qt::UTC).toString(Qt::ISODateWithMs);
        state.insert(u"timestamp"_s,
                     QJsonObject{{u"_type_"_s, u"datetime_iso"_s}, {u"_data_"_s, time}});
        QByteArray bytes = QJsonDocument(state).toJson(QJsonDocument::Compact);
        if (odd)
            bytes = rng.bounded(2) ? qCompress(bytes).mid(4) : oddBytes(rng);
        return u"('%1', %2, 'users:User.Changed', %3)"_s.arg(
            streamUuid(s), QString::number(version), bytea(bytes));
    };
    return {messageDb, marten, akka, eventsourcing};
}

Shape shapeNamed(const QString &name)
{
    for (const Shape &shape : shapes()) {
        if (shape.name == name)
            return shape;
    }
    return {};
}

// The default merge spelled as an operation: the same fold, taken down the generic path.
Projection genericMerge()
{
    QString error;
    return Projection::fromJson(R"({"*": [{"op": "merge"}]})", &error).value_or(Projection());
}

QByteArray text(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestPgFastPath : public QObject
{
    Q_OBJECT

private:
    PgTestServer m_server;
    int m_databases = 0;

    QString database(const QStringList &statements, const QString &schema)
    {
        const QString name = u"fast%1"_s.arg(++m_databases);
        QString error;
        if (!m_server.createDatabase(name, &error) || !m_server.exec(name, statements, &error) ||
            !m_server.grantRead(name, Reader, {schema}, &error))
            qFatal("%s", qPrintable(error));
        return name;
    }

    std::unique_ptr<EventStore> open(const QString &db)
    {
        StoreError error;
        auto store = EventStore::open(
            StoreLocation::parse(m_server.url(Reader, ReaderPassword, db)), {}, &error);
        if (!store)
            qWarning("%s", qPrintable(error.message));
        return store;
    }

    // A randomized store of the shape: streams of EventsPerShape / StreamsPerShape events with
    // gaps in their versions; every tenth row (after the first, from which layouts are
    // detected) odd.
    QString randomStore(const Shape &shape, quint32 seed)
    {
        QRandomGenerator rng(seed);
        QStringList sql = shape.createSql;
        QVector<qint64> versions(StreamsPerShape, 0);
        qint64 timeUs = 1769904000000000; // 2026-02-01
        QStringList rows;
        for (int i = 0; i < EventsPerShape; ++i) {
            const int s = rng.bounded(StreamsPerShape);
            versions[s] += 1 + rng.bounded(3);
            timeUs += rng.bounded(60000000);
            rows << shape.row(rng, s, versions[s], timeUs, i > 0 && rng.bounded(10) == 0);
            if (rows.size() == 100 || i + 1 == EventsPerShape) {
                sql << shape.insertPrefix + rows.join(u", "_s);
                rows.clear();
            }
        }
        return database(sql, shape.schema);
    }

    // Every row of the reader against the generic read of the same stream.
    static void compareRows(EventStore &store, const QString &stream, int *plainRows,
                            int *otherRows)
    {
        const auto events =
            store.streamEvents(stream, std::numeric_limits<qint64>::min(), EventsPerShape);
        QVERIFY2(events, qPrintable(store.errorString()));
        auto reader = store.postgresStreamReader(stream, std::numeric_limits<qint64>::min());
        QVERIFY2(reader, qPrintable(store.errorString()));
        int i = 0;
        PostgresStreamReader::Step step;
        while ((step = reader->next()) == PostgresStreamReader::Step::Row) {
            QVERIFY(i < events->size());
            const Event &want = events->at(i++);
            QCOMPARE(reader->position(), want.position);
            QCOMPARE(reader->version(), want.version);
            QVERIFY(reader->hasVersion());
            const Event got = store.readEvent(*reader);
            QCOMPARE(got.type, want.type);
            QCOMPARE(got.timeMs, want.timeMs);
            QCOMPARE(got.data, want.data);
            QCOMPARE(got.dataNote, want.dataNote);
            if (reader->isPlain()) {
                ++*plainRows;
                QCOMPARE(QString::fromUtf8(reader->type().data(), qsizetype(reader->type().size())),
                         want.type);
                QCOMPARE(reader->timeMs(), want.timeMs);
                QCOMPARE(QByteArray(reader->data().data(), qsizetype(reader->data().size())),
                         want.data);
            } else {
                ++*otherRows;
            }
        }
        QCOMPARE(step, PostgresStreamReader::Step::Done);
        QCOMPARE(i, events->size());
    }

    static void compareStates(const ReplayState &a, const ReplayState &b)
    {
        QCOMPARE(text(a.state), text(b.state));
        QCOMPARE(a.eventCounts, b.eventCounts);
        QCOMPARE(a.type, b.type);
        QCOMPARE(a.version, b.version);
        QCOMPARE(a.timeMs, b.timeMs);
    }

    // Both passes over one stream, compared at every event; and the merged fold in parts, a
    // statement each: up to the middle version first, as `replay --at` asks, then a few events
    // at a time, as the window's session asks.
    static void compareReplays(EventStore &store, const QString &stream, int interval)
    {
        ReplayEngine::Options options;
        options.checkpointInterval = interval;
        ReplayEngine fast(store, stream, Projection(), options);
        ReplayEngine simple(store, stream, genericMerge(), options);
        QVERIFY2(fast.load(), qPrintable(fast.errorString()));
        QVERIFY2(simple.load(), qPrintable(simple.errorString()));
        QCOMPARE(fast.versions(), simple.versions());
        QCOMPARE(fast.positions(), simple.positions());
        QCOMPARE(fast.times(), simple.times());
        QCOMPARE(fast.checkpointCount(), simple.checkpointCount());
        for (qint64 i = fast.eventCount() - 1; i >= -1; --i) {
            const auto a = fast.stateAtIndex(i);
            const auto b = simple.stateAtIndex(i);
            QVERIFY(a && b);
            compareStates(*a, *b);
        }

        ReplayEngine parts(store, stream, Projection(), options);
        const qint64 events = simple.eventCount();
        const qint64 middle = simple.versions().at(events / 2);
        QVERIFY2(parts.loadPastVersion(middle), qPrintable(parts.errorString()));
        // It stops at the first event past the middle.
        QCOMPARE(parts.eventCount(), qMin(events / 2 + 2, events));
        const auto early = parts.stateAtVersion(middle);
        QVERIFY2(early, qPrintable(parts.errorString()));
        compareStates(*early, *simple.stateAtVersion(middle));
        while (!parts.isLoaded())
            QVERIFY2(parts.loadMore(7), qPrintable(parts.errorString()));
        QCOMPARE(parts.versions(), simple.versions());
        QCOMPARE(parts.positions(), simple.positions());
        QCOMPARE(parts.times(), simple.times());
        QCOMPARE(parts.checkpointCount(), simple.checkpointCount());
        for (qint64 i = events - 1; i >= -1; --i) {
            const auto a = parts.stateAtIndex(i);
            const auto b = simple.stateAtIndex(i);
            QVERIFY(a && b);
            compareStates(*a, *b);
        }
    }

    // A Message DB stream long enough that the server is still sending when it is stopped;
    // `more` statements change it.
    QString longStream(int events, const QStringList &more = {})
    {
        return database(
            QStringList{
                u"CREATE SCHEMA message_store"_s,
                u"CREATE TABLE message_store.messages (id UUID NOT NULL DEFAULT gen_random_uuid(), "
                "stream_name text NOT NULL, type text NOT NULL, position bigint NOT NULL, "
                "global_position bigserial NOT NULL, data jsonb, metadata jsonb, time TIMESTAMP "
                "WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (global_position))"_s,
                u"CREATE UNIQUE INDEX messages_stream ON message_store.messages (stream_name, "
                "position)"_s,
                u"INSERT INTO message_store.messages (stream_name, type, position, data, time) "
                "SELECT 'user-1', 'Clicked', g, jsonb_build_object('n', g, 'page', '/p/' || g % "
                "97), "
                "TIMESTAMP '2026-01-01' + make_interval(secs => g) FROM generate_series(0, %1) AS "
                "g"_s.arg(events - 1)} +
                more,
            u"message_store"_s);
    }

    // The connection answers and a whole replay runs after a stopped one.
    static void verifyUsable(EventStore &store, qint64 events)
    {
        const auto summary = store.summary();
        QVERIFY2(summary, qPrintable(store.errorString()));
        QCOMPARE(summary->events, events);
        ReplayEngine again(store, u"user-1"_s);
        QVERIFY2(again.load(), qPrintable(again.errorString()));
        QCOMPARE(again.eventCount(), events);
        const auto last = again.stateAtIndex(events - 1);
        QVERIFY2(last, qPrintable(again.errorString()));
        QCOMPARE(last->state.value(u"n"_s).toInteger(), events - 1);
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY2(m_server.createLoginRole(Reader, ReaderPassword, &error), qPrintable(error));
    }

    void randomStores_data()
    {
        QTest::addColumn<int>("shape");
        QTest::addColumn<quint32>("seed");
        const auto all = shapes();
        for (int i = 0; i < all.size(); ++i) {
            for (const quint32 seed : {11u, 2026u})
                QTest::addRow("%s, seed %u", qPrintable(all.at(i).name), seed) << i << seed;
        }
    }

    void randomStores()
    {
        QFETCH(int, shape);
        QFETCH(quint32, seed);
        const Shape s = shapes().at(shape);
        auto store = open(randomStore(s, seed));
        QVERIFY(store);
        QCOMPARE(store->layout().id, s.name);
        int plainRows = 0;
        int otherRows = 0;
        for (int stream = 0; stream < StreamsPerShape; ++stream) {
            compareRows(*store, s.streamName(stream), &plainRows, &otherRows);
            if (QTest::currentTestFailed())
                return;
            compareReplays(*store, s.streamName(stream), 1 + stream * 40);
            if (QTest::currentTestFailed())
                return;
        }
        // Both ways through the fold were taken, the plain one by most rows (eventsourcing's
        // wrapped payloads are never plain).
        QVERIFY(otherRows > 0);
        if (s.name != u"eventsourcing-python")
            QVERIFY2(plainRows > otherRows,
                     qPrintable(u"%1 plain rows, %2 others"_s.arg(plainRows).arg(otherRows)));
    }

    void layoutFixtures_data()
    {
        QTest::addColumn<int>("index");
        const auto fixtures = (LayoutFixtures::all(SqlDialect::Postgres) +
                               LayoutFixtures::splitStores(SqlDialect::Postgres));
        for (int i = 0; i < fixtures.size(); ++i)
            QTest::newRow(qPrintable(fixtures.at(i).name)) << i;
    }

    void layoutFixtures()
    {
        QFETCH(int, index);
        const LayoutFixture fixture = (LayoutFixtures::all(SqlDialect::Postgres) +
                                       LayoutFixtures::splitStores(SqlDialect::Postgres))
                                          .at(index);
        QStringList sql = fixture.sql;
        sql.replaceInStrings(u"%READER%"_s, Reader);
        auto store = open(database(sql, fixture.schema));
        QVERIFY(store);
        QStringList streams;
        for (const ExpectedEvent &e : fixture.events) {
            if (!streams.contains(e.stream))
                streams << e.stream;
        }
        int plainRows = 0;
        int otherRows = 0;
        for (const QString &stream : std::as_const(streams)) {
            compareRows(*store, stream, &plainRows, &otherRows);
            if (QTest::currentTestFailed())
                return;
            compareReplays(*store, stream, 1);
            if (QTest::currentTestFailed())
                return;
        }
        QCOMPARE(plainRows + otherRows, fixture.events.size());
    }

    // The reader reads a timestamp's text where the generic statement has the server compute
    // its milliseconds: both agree at the ends of TimeCodec's years, before 1970, on every
    // fraction length, and on the values outside (BC, past 9999, infinity) that are no time.
    void oddTimestamps_data()
    {
        QTest::addColumn<QString>("type");
        QTest::newRow("timestamp") << u"TIMESTAMP WITHOUT TIME ZONE"_s;
        QTest::newRow("timestamptz") << u"TIMESTAMPTZ"_s;
    }

    void oddTimestamps()
    {
        QFETCH(QString, type);
        const QStringList times = {u"0001-01-01 00:00:00"_s,
                                   u"0001-01-01 00:00:00.000001"_s,
                                   u"0002-12-31 23:59:59 BC"_s,
                                   u"1969-12-31 23:59:59.9995"_s,
                                   u"1969-12-31 23:59:59.999999"_s,
                                   u"1970-01-01 00:00:00"_s,
                                   u"2026-02-28 12:00:00.1"_s,
                                   u"2026-02-28 12:00:00.12"_s,
                                   u"2026-02-28 12:00:00.123"_s,
                                   u"2026-02-28 12:00:00.1234"_s,
                                   u"2024-02-29 23:59:59.99999"_s,
                                   u"9999-12-31 23:59:59.999999"_s,
                                   u"10000-01-01 00:00:00"_s,
                                   u"infinity"_s,
                                   u"-infinity"_s,
                                   u"1900-06-30 06:30:00.5"_s};
        QStringList rows;
        for (int i = 0; i < times.size(); ++i)
            rows << u"('user-1', 'Clicked', %1, '{\"n\": %1}', %2)"_s.arg(i).arg(
                PgTestServer::quoteLiteral(times.at(i)));
        auto store = open(database(
            {u"CREATE SCHEMA message_store"_s,
             u"CREATE TABLE message_store.messages (id UUID NOT NULL DEFAULT gen_random_uuid(), "
             "stream_name text NOT NULL, type text NOT NULL, position bigint NOT NULL, "
             "global_position bigserial NOT NULL, data jsonb, metadata jsonb, time %1 NOT NULL, "
             "PRIMARY KEY (global_position))"_s.arg(type),
             u"CREATE UNIQUE INDEX messages_stream ON message_store.messages (stream_name, "
             "position)"_s,
             u"INSERT INTO message_store.messages (stream_name, type, position, data, time) "
             "VALUES "_s +
                 rows.join(u", "_s)},
            u"message_store"_s));
        QVERIFY(store);
        int plainRows = 0;
        int otherRows = 0;
        compareRows(*store, u"user-1"_s, &plainRows, &otherRows);
        QCOMPARE(plainRows, times.size());
        const auto events = store->streamEvents(u"user-1"_s, -1, 100);
        QVERIFY2(events, qPrintable(store->errorString()));
        // The generic statement's answers, which the reader's were compared with above.
        QCOMPARE(events->at(0).timeMs, TimeCodec::MinMs);
        QCOMPARE(events->at(2).timeMs, NoTime);
        QCOMPARE(events->at(3).timeMs, qint64(-1));
        QCOMPARE(events->at(11).timeMs, TimeCodec::MaxMs);
        for (const int outside : {12, 13, 14})
            QCOMPARE(events->at(outside).timeMs, NoTime);
        compareReplays(*store, u"user-1"_s, 1);
    }

    // The in-memory index of a PostgreSQL store, built over libpq, answers as the server's SQL
    // does: the summary, buckets of every size by stream and type, the count up to a time, and
    // the timeline's lanes; the quick summary of a store taken as large is an inexact one from
    // a sample, with a density lane.
    void indexAnswersAsTheServer_data() { randomStores_data(); }

    void indexAnswersAsTheServer()
    {
        QFETCH(int, shape);
        QFETCH(quint32, seed);
        const Shape s = shapes().at(shape);
        const QString db = randomStore(s, seed);
        auto sql = open(db);
        auto indexed = open(db);
        QVERIFY(sql && indexed);
        QString error;
        // Times kept only in the payload (Python eventsourcing) are no times to the server's
        // statements, nor to the index.
        const auto index = EventIndexBuilder::build(*indexed, {}, &error);
        QVERIFY2(index, qPrintable(error));
        indexed->attachIndex(index);

        const auto want = sql->summary();
        const auto got = indexed->summary();
        QVERIFY2(want && got, qPrintable(sql->errorString()));
        QCOMPARE(got->events, want->events);
        QCOMPARE(got->streams, want->streams);
        QCOMPARE(got->eventsWithoutTime, want->eventsWithoutTime);
        QCOMPARE(got->firstTimeMs, want->firstTimeMs);
        QCOMPARE(got->lastTimeMs, want->lastTimeMs);
        QCOMPARE(got->typeCounts, want->typeCounts);
        QVERIFY(got->exact && want->exact);

        QStringList streams{QString(), s.streamName(StreamsPerShape)}; // the second holds none
        for (int i = 0; i < StreamsPerShape; ++i)
            streams << s.streamName(i);
        QStringList types{QString(), u"NoSuchType"_s};
        types += want->typeCounts.keys();
        const auto bucketRows = [](const QVector<Bucket> &buckets) {
            QStringList rows;
            for (const Bucket &b : buckets) {
                QString row = u"%1 %2"_s.arg(b.startMs).arg(b.events);
                for (auto it = b.byType.cbegin(); it != b.byType.cend(); ++it)
                    row += u" %1=%2"_s.arg(it.key()).arg(it.value());
                rows << row;
            }
            return rows;
        };
        for (const BucketSize size : {BucketSize::Minute, BucketSize::Hour, BucketSize::Day}) {
            for (const QString &stream : std::as_const(streams)) {
                for (const QString &type : std::as_const(types)) {
                    const auto a = sql->buckets(size, {stream, type});
                    const auto b = indexed->buckets(size, {stream, type});
                    QVERIFY2(a && b, qPrintable(sql->errorString() + indexed->errorString()));
                    QVERIFY2(bucketRows(*a) == bucketRows(*b),
                             qPrintable(u"%1 '%2' '%3'"_s.arg(EventStore::bucketName(size), stream,
                                                              type)));
                }
            }
        }
        // The scan's streams are the text the server writes for them (a uuid's too, whose
        // rows come in binary), as the stream column's value() is.
        auto scan = sql->postgresIndexScan(std::numeric_limits<qint64>::min(),
                                           std::numeric_limits<qint64>::max());
        QVERIFY2(scan, qPrintable(sql->errorString()));
        qint64 scanned = 0;
        while (scan->next() == PostgresStreamReader::Step::Row) {
            const QString stream =
                QString::fromUtf8(scan->stream().data(), qsizetype(scan->stream().size()));
            QVERIFY2(streams.contains(stream), qPrintable(stream));
            QCOMPARE(scan->value(PostgresStreamReader::StreamColumn).toString(), stream);
            ++scanned;
        }
        QCOMPARE(scanned, want->events);
        scan.reset();

        const qint64 middle = want->firstTimeMs + (want->lastTimeMs - want->firstTimeMs) / 2;
        for (const QString &stream : std::as_const(streams)) {
            const auto a = sql->countUpTo(stream, types.mid(2, 2), middle);
            const auto b = indexed->countUpTo(stream, types.mid(2, 2), middle);
            QVERIFY(a && b);
            QCOMPARE(*b, *a);
        }
        if (index->servesStreams()) {
            const auto lanes = index->lanes(streams.mid(2));
            QCOMPARE(lanes.size(), StreamsPerShape);
            for (const StreamColumns &lane : lanes) {
                const auto events = sql->streamEvents(
                    lane.stream, std::numeric_limits<qint64>::min(), EventsPerShape);
                QVERIFY(events);
                QVector<qint64> times, versions, positions;
                QVector<QString> laneTypes;
                for (const Event &e : *events) {
                    if (e.timeMs == NoTime)
                        continue;
                    times << e.timeMs;
                    versions << e.version;
                    positions << e.position;
                    laneTypes << e.type;
                }
                QCOMPARE(lane.times, times);
                QCOMPARE(lane.versions, versions);
                QCOMPARE(lane.positions, positions);
                QCOMPARE(lane.types, laneTypes);
            }
        }

        // Sampled where the position has an index (Message DB's and Marten's primary keys),
        // else the server's pass without the streams.
        const auto quick = sql->quickSummary({}, 0);
        QVERIFY2(quick, qPrintable(sql->errorString()));
        QVERIFY(!quick->exact);
        QCOMPARE(quick->streams, qint64(-1));
        const bool sampled = !quick->density.isEmpty();
        QCOMPARE(sampled, s.name == u"message-db" || s.name == u"marten");
        if (!sampled) {
            QCOMPARE(quick->typeCounts, want->typeCounts);
            QCOMPARE(quick->events, want->events);
            return;
        }
        for (auto it = quick->typeCounts.cbegin(); it != quick->typeCounts.cend(); ++it) {
            QVERIFY2(want->typeCounts.contains(it.key()), qPrintable(it.key()));
            QCOMPARE(it.value(), qint64(-1));
        }
        QVERIFY(quick->firstTimeMs >= want->firstTimeMs);
        QVERIFY(quick->lastTimeMs <= want->lastTimeMs);
        QCOMPARE(quick->density.size(), EventStore::DensitySlices);
    }

    void cancelledReplayLeavesConnectionUsable()
    {
        constexpr int Events = 100000;
        auto store = open(longStream(Events));
        QVERIFY(store);
        std::atomic_bool cancel{false};
        JobControl job;
        job.cancel = &cancel;
        job.progress = [&cancel](qint64 done, qint64) {
            if (done > 0)
                cancel = true;
        };
        ReplayEngine replay(*store, u"user-1"_s);
        QVERIFY(!replay.load(job));
        QCOMPARE(replay.errorString(), u"replay of user-1 cancelled"_s);
        verifyUsable(*store, Events);
    }

    void interruptedReplayLeavesConnectionUsable()
    {
        constexpr int Events = 100000;
        // One row early in the stream keeps the first statement of the read (the cursor's
        // first batch, or the sort before it, whichever plan the server takes) running for
        // seconds, so that an interrupt shortly after the read began finds it running however
        // loaded the machine is. (An interrupt between statements does nothing: the job's
        // flag stops a loop.)
        auto store = open(longStream(
            Events, {u"ALTER TABLE message_store.messages ENABLE ROW LEVEL SECURITY"_s,
                     u"CREATE POLICY slow_row ON message_store.messages FOR SELECT USING "
                     "(CASE WHEN position = 1500 THEN pg_sleep(3) IS NOT NULL ELSE true END)"_s}));
        QVERIFY(store);
        const auto interrupter = store->interrupter();
        std::thread interrupting;
        JobControl job;
        job.progress = [&](qint64, qint64) {
            if (!interrupting.joinable()) {
                interrupting = std::thread([interrupter] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    interrupter->interrupt(); // the server stops; rows on their way still come
                });
            }
        };
        ReplayEngine replay(*store, u"user-1"_s);
        QVERIFY(!replay.load(job));
        interrupting.join();
        QCOMPARE(replay.errorString(), u"replay of user-1 cancelled"_s);
        verifyUsable(*store, Events);
    }

    // Streams and types of integer columns come as their text, which the binary rows would not
    // give: the reader's scan reads them in text, and the index names them as SQL does.
    void integerStreamsAndTypes()
    {
        auto store = open(database(
            {u"CREATE SCHEMA message_store"_s,
             u"CREATE TABLE message_store.messages (id UUID NOT NULL DEFAULT gen_random_uuid(), "
             "stream_name bigint NOT NULL, type smallint NOT NULL, position bigint NOT NULL, "
             "global_position bigserial NOT NULL, data jsonb, metadata jsonb, time TIMESTAMP "
             "WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (global_position))"_s,
             u"INSERT INTO message_store.messages (stream_name, type, position, data, time) "
             "SELECT 1000 + g % 3, g % 4, g / 3, jsonb_build_object('n', g), TIMESTAMP "
             "'2026-01-01' + make_interval(secs => g) FROM generate_series(0, 99) AS g"_s},
            u"message_store"_s));
        QVERIFY(store);
        auto scan = store->postgresIndexScan(std::numeric_limits<qint64>::min(),
                                             std::numeric_limits<qint64>::max());
        QVERIFY2(scan, qPrintable(store->errorString()));
        QVERIFY(scan->next() == PostgresStreamReader::Step::Row);
        QCOMPARE(QString::fromUtf8(scan->stream().data(), qsizetype(scan->stream().size())),
                 u"1000"_s);
        QCOMPARE(QString::fromUtf8(scan->type().data(), qsizetype(scan->type().size())), u"0"_s);
        scan.reset();
        const auto want = store->summary();
        QVERIFY2(want, qPrintable(store->errorString()));
        QString error;
        const auto index = EventIndexBuilder::build(*store, {}, &error);
        QVERIFY2(index, qPrintable(error));
        store->attachIndex(index);
        const auto got = store->summary();
        QVERIFY(got);
        QCOMPARE(got->typeCounts, want->typeCounts);
        QCOMPARE(got->typeCounts.value(u"3"_s), qint64(25));
        QCOMPARE(got->streams, want->streams);
    }

    // A replay whose cursor cannot be declared (a stream name that is no uuid, for Marten's
    // uuid streams) fails and leaves no transaction open behind it.
    void failedCursorLeavesConnectionUsable()
    {
        const Shape s = shapeNamed(u"marten"_s);
        auto store = open(randomStore(s, 5));
        QVERIFY(store);
        ReplayEngine replay(*store, u"not a uuid"_s);
        QVERIFY(!replay.load());
        QVERIFY2(replay.errorString().contains(u"uuid"_s), qPrintable(replay.errorString()));
        const auto summary = store->summary();
        QVERIFY2(summary, qPrintable(store->errorString()));
        QCOMPARE(summary->events, qint64(EventsPerShape));
        ReplayEngine again(*store, s.streamName(0));
        QVERIFY2(again.load(), qPrintable(again.errorString()));
    }

    // A store taken as large (its positions span more than QuickSummaryAbove) lists its
    // streams at first paint by seeks through the stream's index, names only, in the server's
    // order, in pages; without that index, as streams() does (a pass over every event). Marten's
    // uuid streams come as their text.
    void streamsForFirstPaintSeek_data()
    {
        QTest::addColumn<QString>("shapeName");
        QTest::addColumn<bool>("streamIndex");
        QTest::newRow("message-db") << u"message-db"_s << true;
        QTest::newRow("marten") << u"marten"_s << true;
        QTest::newRow("message-db without its stream index") << u"message-db"_s << false;
    }

    void streamsForFirstPaintSeek()
    {
        QFETCH(QString, shapeName);
        QFETCH(bool, streamIndex);
        const Shape s = shapeNamed(shapeName);
        QStringList sql = s.createSql;
        if (!streamIndex)
            sql << u"DROP INDEX message_store.messages_stream"_s;
        QRandomGenerator rng(7);
        QStringList rows;
        for (int stream = 0; stream < StreamsPerShape; ++stream) {
            for (qint64 version = 0; version < 3; ++version)
                rows << s.row(rng, stream, version, 1767225600000000LL + version, false);
        }
        sql << s.insertPrefix + rows.join(u", "_s);
        // A stream of many events, so that the server prefers its indexes to reading the table,
        // as it does on a store of any size.
        if (s.name == u"marten"_s)
            sql << u"CREATE UNIQUE INDEX pk_mt_events_stream_and_version ON mt_events "
                   "(stream_id, version)"_s
                << u"INSERT INTO mt_streams (id, type, version) VALUES "
                   "('ffffffff-0000-4000-8000-000000000000', 'Filler', 0)"_s
                << u"INSERT INTO mt_events (stream_id, version, data, type, timestamp) SELECT "
                   "'ffffffff-0000-4000-8000-000000000000', g, '{}', 'Filled', now() FROM "
                   "generate_series(1, 30000) AS g"_s;
        else
            sql << u"INSERT INTO message_store.messages (stream_name, type, position, data, "
                   "time) SELECT 'zz-filler', 'Filled', g, '{}', TIMESTAMP '2026-01-01' FROM "
                   "generate_series(0, 29999) AS g"_s;
        sql << u"ANALYZE"_s;
        // Positions past QuickSummaryAbove apart: the store is taken as large.
        sql << (s.name == u"marten"_s
                    ? u"UPDATE mt_events SET seq_id = seq_id + 1000000 WHERE version > 1"_s
                    : u"UPDATE message_store.messages SET global_position = global_position + "
                      "1000000 WHERE position > 1"_s);
        auto store = open(database(sql, s.schema));
        QVERIFY(store);
        StreamQuery all;
        const auto counted = store->streams(all);
        QVERIFY2(counted, qPrintable(store->errorString()));
        QCOMPARE(counted->size(), StreamsPerShape + 1);
        StreamQuery page;
        page.limit = 2;
        QStringList listed;
        for (;;) {
            const auto streams = store->streamsForFirstPaint(page);
            QVERIFY2(streams, qPrintable(store->errorString()));
            for (const StreamInfo &info : *streams) {
                listed << info.stream;
                QVERIFY(streamIndex ? info.events == -1 : info.events >= 3);
            }
            if (streams->size() < page.limit)
                break;
            page.after = streams->constLast().stream;
        }
        QStringList want;
        for (const StreamInfo &info : *counted)
            want << info.stream;
        QCOMPARE(listed, want);
    }

    // replay --at's fold: it reads up to the first event past the version and drops the rest
    // of its statement, never reaching the stream's last row, which the server cannot send to
    // the reader (a row security policy divides by zero there).
    void replayToVersionStopsEarly()
    {
        constexpr int Events = 100000;
        // Analyzed, as a store in use is: the plan for a few rows of a stream is its index's.
        auto store = open(longStream(
            Events, {u"ALTER TABLE message_store.messages ENABLE ROW LEVEL SECURITY"_s,
                     u"CREATE POLICY unreadable_last ON message_store.messages FOR SELECT USING "
                     "(CASE WHEN position = %1 THEN 1 / (position - %1) = 1 ELSE true END)"_s.arg(
                         Events - 1),
                     u"ANALYZE message_store.messages"_s}));
        QVERIFY(store);
        {
            ReplayEngine whole(*store, u"user-1"_s);
            QVERIFY(!whole.load());
            QVERIFY2(whole.errorString().contains(u"division by zero"_s, Qt::CaseInsensitive),
                     qPrintable(whole.errorString()));
        }
        ReplayEngine replay(*store, u"user-1"_s);
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(replay.loadPastVersion(1000), qPrintable(replay.errorString()));
        qInfo("replay to version 1000 of %d events: %lld ms", Events, timer.elapsed());
        QVERIFY(!replay.isLoaded());
        QCOMPARE(replay.eventCount(), qint64(1002));
        const auto state = replay.stateAtVersion(1000);
        QVERIFY2(state, qPrintable(replay.errorString()));
        QCOMPARE(state->state.value(u"n"_s).toInteger(), 1000);
        // The connection is free for the next part.
        QVERIFY2(replay.loadMore(500), qPrintable(replay.errorString()));
        QCOMPARE(replay.eventCount(), qint64(1502));
    }

    void readerDroppedHalfwayLeavesConnectionUsable()
    {
        constexpr int Events = 100000;
        auto store = open(longStream(Events));
        QVERIFY(store);
        {
            auto reader = store->postgresStreamReader(u"user-1"_s, 10);
            QVERIFY2(reader, qPrintable(store->errorString()));
            QCOMPARE(reader->next(), PostgresStreamReader::Step::Row);
            QCOMPARE(reader->version(), qint64(11));
            QVERIFY(reader->isPlain());
        }
        verifyUsable(*store, Events);
    }
};

QTEST_GUILESS_MAIN(TestPgFastPath)
#include "tst_pgfastpath.moc"

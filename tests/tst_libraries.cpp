// The libraries of issue #16 as a user meets them through eventscope-cli: Emmett, Castore and
// Acuris stores built from the facts of ../shared/LAYOUTS.md (tests/layoutfixtures.cpp),
// streams keyed by two columns (a layout's and a --map's), PostgreSQL partitions kept out of
// messages, and the import of these libraries' JSON rows. SQLite always; PostgreSQL on a
// throwaway server (tests/pgtestserver.cpp).

#include "layoutfixtures.h"
#include "pgtestserver.h"
#include "testsupport.h"
#include "writers/fieldnaming.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QString err;

    QVector<QJsonObject> lines() const
    {
        QVector<QJsonObject> result;
        for (const QByteArray &line : out.split('\n')) {
            if (!line.isEmpty())
                result << QJsonDocument::fromJson(line).object();
        }
        return result;
    }
    // One field of every line, as text.
    QStringList field(const QString &key) const
    {
        QStringList result;
        for (const QJsonObject &o : lines())
            result << o.value(key).toVariant().toString();
        return result;
    }
};

Run cli(const QStringList &args)
{
    QProcess p;
    p.start(TestSupport::cliPath(), args);
    Run run;
    if (!p.waitForFinished(60000)) {
        qWarning() << "eventscope-cli did not finish" << args;
        return run;
    }
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = p.readAllStandardOutput();
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

LayoutFixture fixtureOf(SqlDialect dialect, const QString &layoutId)
{
    for (const LayoutFixture &f : LayoutFixtures::all(dialect)) {
        if (f.layoutId == layoutId)
            return f;
    }
    qFatal("no fixture %s", qPrintable(layoutId));
}

// A ledger no library wrote: two tenants each have an account "1", so only the pair names a
// stream. (tenant, account, n, kind, at, body) in position order.
QStringList ledgerRows()
{
    return {u"('acme', '1', 1, 'Opened', '2026-03-01T10:00:00.000Z', '{\"balance\":0}')"_s,
            u"('zeta', '1', 1, 'Opened', '2026-03-01T10:05:00.000Z', '{\"balance\":5}')"_s,
            u"('acme', '1', 2, 'Deposited', '2026-03-02T09:00:00.000Z', '{\"balance\":30}')"_s,
            u"('acme', '1', 3, 'Withdrawn', '2026-03-03T08:00:00.000Z', '{\"balance\":12}')"_s,
            u"('zeta', '1', 2, 'Deposited', '2026-03-04T07:00:00.000Z', '{\"balance\":9}')"_s};
}

const QString ledgerMap =
    u"table=ledger,position=seq,stream=tenant+account,version=n,type=kind,time=at,data=body"_s;

// What the CLI must answer over the ledger, whichever dialect holds it.
void verifyLedger(const QString &store)
{
    const QStringList map{u"--map"_s, ledgerMap};
    const Run streams = cli(QStringList{u"streams"_s, store} + map);
    QVERIFY2(streams.exitCode == 0, qPrintable(streams.err));
    QCOMPARE(streams.field(u"stream"_s), (QStringList{u"acme/1"_s, u"zeta/1"_s}));
    QCOMPARE(streams.field(u"events"_s), (QStringList{u"3"_s, u"2"_s}));
    QCOMPARE(streams.field(u"last_version"_s), (QStringList{u"3"_s, u"2"_s}));

    const Run filtered = cli(QStringList{u"streams"_s, store, u"--filter"_s, u"zeta"_s} + map);
    QCOMPARE(filtered.field(u"stream"_s), QStringList{u"zeta/1"_s});
    // Keyset paging by the composed name.
    const Run after = cli(QStringList{u"streams"_s, store, u"--after"_s, u"acme/1"_s} + map);
    QCOMPARE(after.field(u"stream"_s), QStringList{u"zeta/1"_s});

    const Run events = cli(
        QStringList{u"events"_s, store, u"--stream"_s, u"acme/1"_s, u"--limit"_s, u"2"_s} + map);
    QVERIFY2(events.exitCode == 0, qPrintable(events.err));
    QCOMPARE(events.field(u"position"_s), (QStringList{u"1"_s, u"3"_s}));
    QCOMPARE(events.field(u"type"_s), (QStringList{u"Opened"_s, u"Deposited"_s}));
    const Run rest = cli(
        QStringList{u"events"_s, store, u"--stream"_s, u"acme/1"_s, u"--after"_s, u"3"_s} + map);
    QCOMPARE(rest.field(u"version"_s), QStringList{u"3"_s});

    const Run replay = cli(QStringList{u"replay"_s, store, u"--stream"_s, u"zeta/1"_s} + map);
    QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
    const QJsonObject state = replay.lines().value(0);
    QCOMPARE(state.value(u"events_applied"_s).toInt(), 2);
    QCOMPARE(state.value(u"state"_s).toObject().value(u"balance"_s).toInt(), 9);

    // A third part is refused with the form that works.
    const Run three = cli(
        {u"streams"_s, store, u"--map"_s, u"table=ledger,position=seq,stream=tenant+account+n"_s});
    QVERIFY(three.exitCode != 0);
    QVERIFY2(three.err.contains(u"stream=aggregate_name+aggregate_id"_s), qPrintable(three.err));
}

} // namespace

class TestLibraries : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PgTestServer m_server;
    bool m_serverTried = false;
    int m_databases = 0;

    QString sqliteStore(const QString &name, const QStringList &sql)
    {
        const QString path = m_dir.filePath(name);
        if (!TestSupport::execSql(path, sql))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // A PostgreSQL database holding the statements' tables, readable by "reader"; its URL.
    QString postgresStore(const QStringList &sql, const QStringList &schemas = {u"public"_s})
    {
        QString error;
        if (!m_serverTried) {
            m_serverTried = true;
            if (!m_server.start(&error) ||
                !m_server.exec(u"postgres"_s, {u"CREATE ROLE reader LOGIN PASSWORD 'pw'"_s},
                               &error))
                qFatal("%s", qPrintable(error));
        }
        const QString name = u"lib%1"_s.arg(++m_databases);
        if (!m_server.createDatabase(name, &error) || !m_server.exec(name, sql, &error) ||
            !m_server.grantRead(name, u"reader"_s, schemas, &error))
            qFatal("%s", qPrintable(error));
        return m_server.url(u"reader"_s, u"pw"_s, name, {});
    }

    void verifyInfo(const QString &store, const QString &layout, bool noted)
    {
        const Run info = cli({u"info"_s, store});
        QVERIFY2(info.exitCode == 0, qPrintable(info.err));
        const QJsonObject o = info.lines().value(0);
        QCOMPARE(o.value(u"layout"_s).toString(), layout);
        QCOMPARE(o.value(u"events"_s).toInt(), 5);
        QCOMPARE(o.value(u"streams"_s).toInt(), 2);
        QCOMPARE(o.contains(u"read_note"_s), noted);
    }

private slots:
    void initTestCase() { QVERIFY(QFile::exists(TestSupport::cliPath())); }

    // Emmett on SQLite: the archived message and the other partition's are not read.
    void emmettOnSqlite()
    {
        const QString store =
            sqliteStore(u"emmett.db"_s, fixtureOf(SqlDialect::Sqlite, u"emmett"_s).sql);
        verifyInfo(store, u"emmett"_s, true);
        const Run streams = cli({u"streams"_s, store});
        QCOMPARE(streams.field(u"stream"_s), (QStringList{u"user-1"_s, u"user-2"_s}));
        QCOMPARE(streams.field(u"events"_s), (QStringList{u"3"_s, u"2"_s}));
        const Run types = cli({u"events"_s, store, u"--stream"_s, u"user-1"_s});
        QCOMPARE(types.field(u"type"_s),
                 (QStringList{u"UserCreated"_s, u"Clicked"_s, u"UserUpdated"_s}));
        QCOMPARE(types.field(u"time"_s).constFirst(), u"2026-01-05T08:00:00.000Z"_s);
    }

    void compositeMapOnSqlite()
    {
        QStringList sql{u"CREATE TABLE ledger (seq INTEGER PRIMARY KEY, tenant TEXT NOT NULL, "
                        "account TEXT NOT NULL, n INTEGER NOT NULL, kind TEXT, at TEXT, body "
                        "TEXT)"_s};
        for (const QString &row : ledgerRows())
            sql << u"INSERT INTO ledger (tenant, account, n, kind, at, body) VALUES "_s + row;
        verifyLedger(sqliteStore(u"ledger.db"_s, sql));
    }

    // NEventStore is not detected (README): the mapping the README gives shows each commit as
    // one event, its stream the bucket and the stream's name.
    void neventstoreCommitsThroughTheReadmesMapping()
    {
        const QString payload =
            uR"({"$type":"System.Collections.Generic.List`1[[NEventStore.EventMessage, NEventStore]], mscorlib","$values":[{"$type":"NEventStore.EventMessage, NEventStore","Body":{"total":10}},{"$type":"NEventStore.EventMessage, NEventStore","Body":{"total":12}}]})"_s;
        QStringList sql{u"CREATE TABLE Commits (BucketId varchar(40) NOT NULL, StreamId char(40) "
                        "NOT NULL, StreamIdOriginal text NOT NULL, StreamRevision int NOT NULL, "
                        "Items tinyint NOT NULL, CommitId guid NOT NULL, CommitSequence int NOT "
                        "NULL, CommitStamp datetime NOT NULL, CheckpointNumber INTEGER PRIMARY "
                        "KEY AUTOINCREMENT, Dispatched bit NOT NULL DEFAULT 0, Headers blob NULL, "
                        "Payload blob NOT NULL)"_s};
        for (int i = 1; i <= 2; ++i)
            sql << u"INSERT INTO Commits (BucketId, StreamId, StreamIdOriginal, StreamRevision, "
                   "Items, CommitId, CommitSequence, CommitStamp, Payload) VALUES ('default', "
                   "'a1b2', 'order-1', %1, 2, 'c%2', %2, '2026-02-0%2 10:00:00', '%3')"_s.arg(2 * i)
                       .arg(i)
                       .arg(payload);
        const QString store = sqliteStore(u"neventstore.db"_s, sql);
        const QString map =
            u"table=Commits,position=CheckpointNumber,stream=BucketId+"
            "StreamIdOriginal,version=StreamRevision,time=CommitStamp,data=Payload"_s;
        const Run events = cli({u"events"_s, store, u"--map"_s, map});
        QVERIFY2(events.exitCode == 0, qPrintable(events.err));
        QCOMPARE(events.field(u"stream"_s),
                 (QStringList{u"default/order-1"_s, u"default/order-1"_s}));
        QCOMPARE(events.field(u"version"_s), (QStringList{u"2"_s, u"4"_s}));
        QCOMPARE(events.lines()
                     .value(0)
                     .value(u"data"_s)
                     .toObject()
                     .value(u"$values"_s)
                     .toArray()
                     .size(),
                 2);
    }

    // Rows as the libraries' tables dump them (row_to_json): one stream name, as the store
    // shows it, from two fields.
    void importNamesTheLibrariesFields()
    {
        const auto castore = FieldNaming::detect(
            TestSupport::jsonObject(R"({"id":7,"aggregate_name":"USERS","aggregate_id":"da6f75d0",
               "version":2,"type":"USER_RENAMED","timestamp":"2026-01-05T08:00:00.000Z",
               "data":{"name":"Ada"},"metadata":{}})"),
            {});
        QVERIFY(castore);
        QCOMPARE(castore->title, u"Castore"_s);
        const QJsonObject row = TestSupport::jsonObject(
            R"({"id":7,"aggregate_name":"USERS","aggregate_id":"da6f75d0","version":2})");
        QCOMPARE(castore->value(row, FieldNaming::Stream).toString(), u"USERS/da6f75d0"_s);
        QCOMPARE(castore->value(row, FieldNaming::Version).toInt(), 2);

        const auto acuris = FieldNaming::detect(
            TestSupport::jsonObject(R"({"position":3,"stream_category":"user","stream_id":"42",
               "event_number":0,"event_type":"Created","timestamp":"2026-01-05T08:00:00",
               "data":{},"metadata":null})"),
            {});
        QVERIFY(acuris);
        QCOMPARE(acuris->title, u"Acuris eventstore"_s);
        QCOMPARE(acuris
                     ->value(TestSupport::jsonObject(R"({"stream_category":"user",
                                   "stream_id":"42"})"),
                             FieldNaming::Stream)
                     .toString(),
                 u"user/42"_s);

        const auto emmett = FieldNaming::detect(
            TestSupport::jsonObject(R"({"global_position":1,"stream_id":"user-1",
               "stream_position":1,"message_type":"UserCreated","created":"2026-01-05 08:00:00",
               "message_data":{"name":"Ada"},"message_metadata":{},"message_id":"m1"})"),
            {});
        QVERIFY(emmett);
        QCOMPARE(emmett->title, u"Emmett"_s);

        // A mapping's stream=a+b reads the same way.
        ColumnMapping mapping;
        mapping.stream = u"tenant+account"_s;
        const auto mapped = FieldNaming::detect(
            TestSupport::jsonObject(R"({"tenant":"acme","account":1,"kind":"Opened"})"), mapping);
        QVERIFY(mapped);
        QCOMPARE(mapped
                     ->value(TestSupport::jsonObject(R"({"tenant":"acme","account":1})"),
                             FieldNaming::Stream)
                     .toString(),
                 u"acme/1"_s);
    }

    void castoreOnPostgres()
    {
        const QString store = postgresStore(fixtureOf(SqlDialect::Postgres, u"castore"_s).sql);
        verifyInfo(store, u"castore"_s, false);
        // One aggregate id in two event stores: two streams.
        const QString id = u"8f2b6c1e-3d4a-4b5c-9e7f-0a1b2c3d4e01"_s;
        const Run streams = cli({u"streams"_s, store});
        QCOMPARE(streams.field(u"stream"_s), (QStringList{u"ORDERS/"_s + id, u"USERS/"_s + id}));
        QCOMPARE(streams.field(u"events"_s), (QStringList{u"2"_s, u"3"_s}));
        const Run replay = cli({u"replay"_s, store, u"--stream"_s, u"USERS/"_s + id});
        QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
        QCOMPARE(replay.lines().value(0).value(u"state"_s).toObject(),
                 TestSupport::jsonObject(
                     R"({"name":"Ada L.","email":"ada@example.com","page":"/home"})"));
    }

    void acurisOnPostgresSaysItsTimesHaveNoZone()
    {
        const QString store =
            postgresStore(fixtureOf(SqlDialect::Postgres, u"acuris"_s).sql, {u"eventstore"_s});
        verifyInfo(store, u"acuris"_s, true);
        const Run info = cli({u"info"_s, store});
        QVERIFY(info.lines()
                    .value(0)
                    .value(u"read_note"_s)
                    .toString()
                    .contains(u"without time zone"_s));
        const Run events = cli({u"events"_s, store, u"--stream"_s, u"account/42"_s});
        QCOMPARE(events.field(u"version"_s), (QStringList{u"0"_s, u"1"_s}));
    }

    // Emmett's partitioned table: read through the parent, the partitions nowhere.
    void emmettOnPostgresHidesPartitions()
    {
        const QString store = postgresStore(fixtureOf(SqlDialect::Postgres, u"emmett"_s).sql);
        verifyInfo(store, u"emmett"_s, true);
        const Run info = cli({u"info"_s, store});
        QVERIFY2(!info.out.contains("emt_messages_"), info.out.constData());
        // A store whose only table is partitioned and unknown: the message names the parent
        // and suggests a --map that opens it as given, position included.
        const QString ledger = postgresStore(
            {u"CREATE TABLE ledger (seq bigint NOT NULL, tenant text NOT NULL, account text NOT "
             "NULL, n integer NOT NULL, kind text, at text, body text) PARTITION BY LIST "
             "(tenant)"_s,
             u"CREATE TABLE ledger_acme PARTITION OF ledger FOR VALUES IN ('acme')"_s,
             u"CREATE TABLE ledger_zeta PARTITION OF ledger FOR VALUES IN ('zeta')"_s,
             u"INSERT INTO ledger VALUES (1, 'acme', '1', 1, 'Opened', "
             "'2026-03-01T10:00:00.000Z', '{}'), (2, 'zeta', '1', 1, 'Opened', "
             "'2026-03-01T10:05:00.000Z', '{}'), (3, 'acme', '1', 2, 'Closed', "
             "'2026-03-02T10:00:00.000Z', '{}')"_s});
        const Run unknown = cli({u"streams"_s, ledger});
        QVERIFY(unknown.exitCode != 0);
        QVERIFY2(unknown.err.contains(u"public.ledger"_s), qPrintable(unknown.err));
        QVERIFY2(!unknown.err.contains(u"ledger_acme"_s), qPrintable(unknown.err));
        const qsizetype at = unknown.err.indexOf(u"--map "_s);
        QVERIFY2(at >= 0, qPrintable(unknown.err));
        QString suggested = unknown.err.mid(at + 6).section(u' ', 0, 0).trimmed();
        while (suggested.endsWith(u'.') || suggested.endsWith(u';'))
            suggested.chop(1);
        QVERIFY2(suggested.contains(u"position="_s), qPrintable(unknown.err));
        const Run asGiven = cli({u"streams"_s, ledger, u"--map"_s, suggested});
        QVERIFY2(asGiven.exitCode == 0, qPrintable(suggested + u": "_s + asGiven.err));
        QVERIFY(!asGiven.lines().isEmpty());
    }

    void compositeMapOnPostgres()
    {
        QStringList sql{u"CREATE TABLE ledger (seq bigserial PRIMARY KEY, tenant text NOT NULL, "
                        "account text NOT NULL, n integer NOT NULL, kind text, at text, body "
                        "jsonb)"_s};
        for (const QString &row : ledgerRows())
            sql << u"INSERT INTO ledger (tenant, account, n, kind, at, body) VALUES "_s + row;
        verifyLedger(postgresStore(sql));
    }
};

QTEST_GUILESS_MAIN(TestLibraries)
#include "tst_libraries.moc"

// The stores of the libraries Eventscope learnt last (LAYOUTS.md rows 13-15: Emmett, Castore,
// Acuris), built by the test from the facts, on SQLite and on a PostgreSQL server the test
// starts: detection, composite stream keys, Emmett's partitions and archived rows, and the
// CLI's exact answers; and composite keys given to --map.

#include "layoutfixtures.h"
#include "pgtestserver.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString reader = u"reader"_s;
const QString readerPassword = u"libraries"_s;

QJsonObject json(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

// The streams, versions and types of `events` output, one "stream v type" per line.
QStringList eventLines(const TestSupport::CliRun &run)
{
    QStringList result;
    for (const QByteArray &line : run.lines()) {
        const QJsonObject o = json(line);
        result << u"%1 v%2 %3"_s.arg(o.value(u"stream"_s).toString())
                      .arg(o.value(u"version"_s).toInteger())
                      .arg(o.value(u"type"_s).toString());
    }
    return result;
}

} // namespace

class TestLibraries : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PgTestServer m_server;
    int m_databases = 0;

    QString database(const QStringList &statements, const QString &schema)
    {
        const QString name = u"lib%1"_s.arg(++m_databases);
        QString error;
        QStringList schemas{u"public"_s};
        if (schema != u"public"_s)
            schemas << schema;
        if (!m_server.createDatabase(name, &error) || !m_server.exec(name, statements, &error) ||
            !m_server.grantRead(name, reader, schemas, &error))
            qFatal("%s", qPrintable(error));
        return m_server.url(reader, readerPassword, name, {});
    }

    QString sqliteStore(const LayoutFixture &fixture)
    {
        const QString path = m_dir.filePath(fixture.name + u".db"_s);
        // Not in one transaction: Emmett's file is switched to WAL mode as the library leaves it.
        if (!QFile::exists(path) &&
            !TestSupport::execSql(path, fixture.sql, TestSupport::Transaction::None))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // A store of every fixture of the dialect, by the fixture's name.
    QString storeOf(SqlDialect dialect, const QString &name)
    {
        for (const LayoutFixture &f : LayoutFixtures::libraries(dialect)) {
            if (f.name == name)
                return dialect == SqlDialect::Sqlite ? sqliteStore(f) : database(f.sql, f.schema);
        }
        qFatal("no fixture %s", qPrintable(name));
    }

    static void addFixtures(SqlDialect dialect)
    {
        QTest::addColumn<int>("index");
        const auto fixtures = LayoutFixtures::libraries(dialect);
        for (int i = 0; i < fixtures.size(); ++i)
            QTest::newRow(qPrintable(fixtures.at(i).name)) << i;
    }

    static void verify(const QString &location, const LayoutFixture &fixture)
    {
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(location), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        const QString problem = LayoutFixtures::verify(*store, fixture);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY2(m_server.exec(u"postgres"_s,
                               {u"CREATE ROLE %1 LOGIN PASSWORD %2"_s.arg(
                                   PgTestServer::quoteIdentifier(reader),
                                   PgTestServer::quoteLiteral(readerPassword))},
                               &error),
                 qPrintable(error));
    }

    void sqliteFixtures_data() { addFixtures(SqlDialect::Sqlite); }
    void sqliteFixtures()
    {
        QFETCH(int, index);
        const LayoutFixture f = LayoutFixtures::libraries(SqlDialect::Sqlite).at(index);
        verify(sqliteStore(f), f);
    }

    void postgresFixtures_data() { addFixtures(SqlDialect::Postgres); }
    void postgresFixtures()
    {
        QFETCH(int, index);
        const LayoutFixture f = LayoutFixtures::libraries(SqlDialect::Postgres).at(index);
        verify(database(f.sql, f.schema), f);
    }

    void emmettPartitionsAreNeverListed()
    {
        // The parent is read; its partitions are no tables of the store, not even in the
        // message that lists the tables when nothing is recognised.
        const QString url =
            database({u"CREATE TABLE things (id int, kind text) PARTITION BY LIST (kind)"_s,
                      u"CREATE TABLE things_a PARTITION OF things FOR VALUES IN ('a')"_s,
                      u"CREATE TABLE things_b PARTITION OF things FOR VALUES IN ('b')"_s},
                     u"public"_s);
        const auto run = TestSupport::runCli({u"info"_s, url});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"(tables: public.things)"_s), qPrintable(run.err));
        QVERIFY2(!run.err.contains(u"things_a"_s), qPrintable(run.err));

        const auto info =
            TestSupport::runCli({u"info"_s, storeOf(SqlDialect::Postgres, u"emmett"_s)});
        QCOMPARE(info.exitCode, 0);
        const QJsonObject o = json(info.out);
        QCOMPARE(o.value(u"layout"_s).toString(), u"emmett"_s);
        QCOMPARE(o.value(u"events"_s).toInteger(), 5);
        QCOMPARE(o.value(u"streams"_s).toInteger(), 2);
        QVERIFY2(!info.out.contains("emt_messages_emt_default"), info.out.constData());
    }

    void cliReadsCompositeStreams_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QStringList>("events");
        QTest::addColumn<QString>("state");
        const QString admin = u"ADMINS/8f2b6c1e-3d4a-4b5c-9e7f-0a1b2c3d4e01"_s;
        QTest::newRow("castore")
            << int(SqlDialect::Postgres) << u"castore"_s << admin
            << QStringList{admin + u" v1 UserCreated"_s, admin + u" v2 Clicked"_s,
                           admin + u" v3 UserUpdated"_s}
            << uR"({"email":"ada@example.com","name":"Ada L.","page":"/home"})"_s;
        QTest::newRow("acuris") << int(SqlDialect::Postgres) << u"acuris"_s << u"user/42"_s
                                << QStringList{u"user/42 v0 UserCreated"_s, u"user/42 v1 Clicked"_s}
                                << uR"({"name":"Bob","page":"/about"})"_s;
        const QString user1 = u"user-8f2b6c1e-3d4a-4b5c-9e7f-0a1b2c3d4e01"_s;
        for (const auto dialect : {SqlDialect::Sqlite, SqlDialect::Postgres})
            QTest::newRow(dialect == SqlDialect::Sqlite ? "emmett sqlite" : "emmett postgres")
                << int(dialect) << u"emmett"_s << user1
                << QStringList{user1 + u" v1 UserCreated"_s, user1 + u" v2 Clicked"_s,
                               user1 + u" v3 UserUpdated"_s}
                << uR"({"email":"ada@example.com","name":"Ada L.","page":"/home"})"_s;
    }

    void cliReadsCompositeStreams()
    {
        QFETCH(int, dialect);
        QFETCH(QString, fixture);
        QFETCH(QString, stream);
        QFETCH(QStringList, events);
        QFETCH(QString, state);
        const QString store = storeOf(SqlDialect(dialect), fixture);

        const auto listed = TestSupport::runCli({u"streams"_s, store});
        QCOMPARE(listed.exitCode, 0);
        QStringList names;
        for (const QByteArray &line : listed.lines())
            names << json(line).value(u"stream"_s).toString();
        QCOMPARE(names.size(), 2);
        QVERIFY2(names.contains(stream), qPrintable(names.join(u", "_s)));

        const auto inStream = TestSupport::runCli({u"events"_s, store, u"--stream"_s, stream});
        QCOMPARE(inStream.exitCode, 0);
        QCOMPARE(eventLines(inStream), events);

        const auto replay = TestSupport::runCli({u"replay"_s, store, u"--stream"_s, stream});
        QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
        const QJsonObject last = json(replay.lines().constLast());
        QCOMPARE(QJsonDocument(last.value(u"state"_s).toObject()).toJson(QJsonDocument::Compact),
                 state.toUtf8());
    }

    void cliShowsMetadataAsTheLibraryWroteIt_data()
    {
        // Each live event's metadata in global order, in the forms the libraries wrote them.
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QStringList>("metadata");
        const QString source = uR"({"source":"test"})"_s;
        QTest::newRow("castore") << int(SqlDialect::Postgres) << u"castore"_s
                                 << QStringList{source, source, source, u"null"_s, source};
        const QString via = uR"({"via":"test"})"_s;
        QTest::newRow("acuris") << int(SqlDialect::Postgres) << u"acuris"_s
                                << QStringList{via, via, u"null"_s, via, via};
        QStringList pg;
        QStringList sqlite;
        const int streams[] = {1, 1, 2, 1, 2};
        const int versions[] = {1, 2, 1, 3, 2};
        for (int i = 0; i < 5; ++i) {
            pg << uR"({"correlationId":"c-%1"})"_s.arg(i);
            sqlite
                << uR"({"correlationId":"c-%1","messageId":"8f2b6c1e-3d4a-4b5c-9e7f-0a1b2c3d4e%2","streamName":"user-8f2b6c1e-3d4a-4b5c-9e7f-0a1b2c3d4e0%3","streamPosition":"%4"})"_s
                       .arg(i)
                       .arg(60 + i)
                       .arg(streams[i])
                       .arg(versions[i]);
        }
        QTest::newRow("emmett sqlite") << int(SqlDialect::Sqlite) << u"emmett"_s << sqlite;
        QTest::newRow("emmett postgres") << int(SqlDialect::Postgres) << u"emmett"_s << pg;
    }

    void cliShowsMetadataAsTheLibraryWroteIt()
    {
        QFETCH(int, dialect);
        QFETCH(QString, fixture);
        QFETCH(QStringList, metadata);
        const auto run = TestSupport::runCli({u"events"_s, storeOf(SqlDialect(dialect), fixture)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QStringList shown;
        for (const QByteArray &line : run.lines()) {
            const QJsonValue m = json(line).value(u"metadata"_s);
            shown << (m.isObject() ? QString::fromUtf8(
                                         QJsonDocument(m.toObject()).toJson(QJsonDocument::Compact))
                      : m.isNull() ? u"null"_s
                                   : u"absent"_s);
        }
        QCOMPARE(shown, metadata);
    }

    void acurisSaysItsTimesHaveNoZone()
    {
        const auto run =
            TestSupport::runCli({u"info"_s, storeOf(SqlDialect::Postgres, u"acuris"_s)});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains(u"without a time zone"_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"read as UTC"_s), qPrintable(run.err));
    }

    void suggestedMappingOpensAsGiven_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::newRow("sqlite") << int(SqlDialect::Sqlite);
        QTest::newRow("postgres") << int(SqlDialect::Postgres);
    }

    void suggestedMappingOpensAsGiven()
    {
        // Names no library uses: the message's --map, run as given, opens the table (on
        // PostgreSQL only with the position it names).
        QFETCH(int, dialect);
        const bool pg = SqlDialect(dialect) == SqlDialect::Postgres;
        QStringList sql{u"CREATE TABLE ledger_rows (entry_no bigint PRIMARY KEY, account text, "
                        "counter int, kind text, booked_on text, body text)"_s};
        for (int i = 1; i <= 12; ++i)
            sql << u"INSERT INTO ledger_rows VALUES (%1, 'acct-%2', %3, '%4', "
                   "'2026-01-%5T10:00:00Z', '{\"n\":%1}')"_s.arg(i)
                       .arg(i % 3)
                       .arg((i - 1) / 3 + 1)
                       .arg(i % 2 ? u"Debited"_s : u"Credited"_s)
                       .arg(i + 4, 2, 10, QChar(u'0'));
        QString store;
        if (pg) {
            store = database(sql, u"public"_s);
        } else {
            store = m_dir.filePath(u"ledger.db"_s);
            QVERIFY(TestSupport::execSql(store, sql));
        }
        const auto refused = TestSupport::runCli({u"info"_s, store});
        QCOMPARE(refused.exitCode, 1);
        const qsizetype at = refused.err.indexOf(u"--map "_s);
        QVERIFY2(at >= 0, qPrintable(refused.err));
        const QString spec = refused.err.mid(at + 6).section(u' ', 0, 0).trimmed();
        QVERIFY2(spec.contains(u"position=entry_no"_s) && spec.contains(u"stream=account"_s) &&
                     spec.contains(u"version=counter"_s) && spec.contains(u"time=booked_on"_s),
                 qPrintable(spec));
        const auto opened = TestSupport::runCli({u"info"_s, store, u"--map"_s, spec});
        QVERIFY2(opened.exitCode == 0, qPrintable(opened.err));
        const QJsonObject o = json(opened.out);
        QCOMPARE(o.value(u"events"_s).toInteger(), 12);
        QCOMPARE(o.value(u"streams"_s).toInteger(), 3);
    }

    void compositeStreamIsGuessed_data() { suggestedMappingOpensAsGiven_data(); }

    void compositeStreamIsGuessed()
    {
        // Two stores share the table and their aggregate ids: only the pair is counted within.
        QFETCH(int, dialect);
        QStringList sql{u"CREATE TABLE shared_log (n bigint PRIMARY KEY, store text, agg text, "
                        "rev int, what text, payload text)"_s};
        const char *stores[] = {"USERS", "POSTS"};
        for (int i = 1; i <= 12; ++i)
            sql << u"INSERT INTO shared_log VALUES (%1, '%2', 'id-%3', %4, 'Changed', "
                   "'{\"n\":%1}')"_s.arg(i)
                       .arg(QLatin1String(stores[i % 2]))
                       .arg((i - 1) % 4 / 2)
                       .arg((i - 1) / 4 + 1);
        QString store;
        if (SqlDialect(dialect) == SqlDialect::Postgres) {
            store = database(sql, u"public"_s);
        } else {
            store = m_dir.filePath(u"shared.db"_s);
            QVERIFY(TestSupport::execSql(store, sql));
        }
        const auto refused = TestSupport::runCli({u"info"_s, store});
        const qsizetype at = refused.err.indexOf(u"--map "_s);
        QVERIFY2(at >= 0, qPrintable(refused.err));
        const QString spec = refused.err.mid(at + 6).section(u' ', 0, 0).trimmed();
        QVERIFY2(spec.contains(u"stream=store+agg"_s) && spec.contains(u"version=rev"_s),
                 qPrintable(spec));
        const auto listed = TestSupport::runCli({u"streams"_s, store, u"--map"_s, spec});
        QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
        QStringList names;
        for (const QByteArray &line : listed.lines())
            names << u"%1 %2"_s.arg(json(line).value(u"stream"_s).toString())
                         .arg(json(line).value(u"events"_s).toInteger());
        QCOMPARE(names, (QStringList{u"POSTS/id-0 3"_s, u"POSTS/id-1 3"_s, u"USERS/id-0 3"_s,
                                     u"USERS/id-1 3"_s}));
    }

    void mapJoinsColumnsIntoOneStream_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::newRow("sqlite") << int(SqlDialect::Sqlite);
        QTest::newRow("postgres") << int(SqlDialect::Postgres);
    }

    void mapJoinsColumnsIntoOneStream()
    {
        // A table no library wrote: two tenants' aggregates share ids.
        QFETCH(int, dialect);
        const QStringList sql{
            u"CREATE TABLE journal (seq bigint PRIMARY KEY, tenant text, agg text, n int, "
            "kind text, body text)"_s,
            u"INSERT INTO journal VALUES (1, 'acme', 'a1', 1, 'Opened', '{\"x\":1}')"_s,
            u"INSERT INTO journal VALUES (2, 'zeta', 'a1', 1, 'Opened', '{\"x\":2}')"_s,
            u"INSERT INTO journal VALUES (3, 'acme', 'a1', 2, 'Moved', '{\"y\":3}')"_s,
            u"INSERT INTO journal VALUES (4, 'acme', 'a2', 1, 'Opened', '{\"x\":4}')"_s};
        QString store;
        if (SqlDialect(dialect) == SqlDialect::Sqlite) {
            store = m_dir.filePath(u"journal.db"_s);
            QVERIFY(TestSupport::execSql(store, sql));
        } else {
            store = database(sql, u"public"_s);
        }
        const QString map =
            u"table=journal,position=seq,stream=Tenant + agg,version=n,type=kind,data=body"_s;
        const auto listed = TestSupport::runCli({u"streams"_s, store, u"--map"_s, map});
        QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
        QStringList names;
        for (const QByteArray &line : listed.lines())
            names << u"%1 %2"_s.arg(json(line).value(u"stream"_s).toString())
                         .arg(json(line).value(u"events"_s).toInteger());
        QCOMPARE(names, (QStringList{u"acme/a1 2"_s, u"acme/a2 1"_s, u"zeta/a1 1"_s}));

        const auto events =
            TestSupport::runCli({u"events"_s, store, u"--map"_s, map, u"--stream"_s, u"acme/a1"_s,
                                 u"--limit"_s, u"1"_s, u"--after"_s, u"1"_s});
        QVERIFY2(events.exitCode == 0, qPrintable(events.err));
        QCOMPARE(eventLines(events), QStringList{u"acme/a1 v2 Moved"_s});

        const auto replay =
            TestSupport::runCli({u"replay"_s, store, u"--map"_s, map, u"--stream"_s, u"acme/a1"_s});
        QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
        QCOMPARE(QJsonDocument(json(replay.lines().constLast()).value(u"state"_s).toObject())
                     .toJson(QJsonDocument::Compact),
                 QByteArray(R"({"x":1,"y":3})"));

        const auto wrong = TestSupport::runCli(
            {u"streams"_s, store, u"--map"_s, u"table=journal,position=seq,stream=tenant+nope"_s});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains(u"has no column 'nope'"_s), qPrintable(wrong.err));
    }
};

QTEST_GUILESS_MAIN(TestLibraries)
#include "tst_libraries.moc"

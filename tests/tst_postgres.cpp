// PostgreSQL stores against a real server that the test starts on loopback: every library
// layout that PostgreSQL holds, read-only sessions, server-side cancel, and the failures a
// user meets (wrong password, no database, no permission, server down, connection lost).

#include "decoding/timecodec.h"
#include "layoutfixtures.h"
#include "pgtestserver.h"
#include "replay/replayengine.h"
#include "store/eventstore.h"
#include "store/postgresconnection.h"
#include "store/statementinterrupter.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QtConcurrent>
#include <QtTest>

using namespace Qt::StringLiterals;

// A stream column that takes a minute to read: only the statements that read the streams
// (the summary's count of them) are slow, not the checks of the position column at open.
static const QString SlowlyFunction =
    u"CREATE FUNCTION slowly(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS "
    "$$ BEGIN PERFORM pg_sleep(60); RETURN t; END $$"_s;

namespace {

const QString reader = u"reader"_s;
const QString readerPassword = u"s3cret pass/word"_s; // needs percent-encoding in a URL
// The fixtures whose position PostgreSQL seeks by an index, which the quick summary samples.
const QStringList SampledLayouts = {u"message-db"_s,        u"marten"_s,
                                    u"axon (jpa, xml)"_s,   u"axon (jpa, xml in large objects)"_s,
                                    u"axon (jdbc, json)"_s, u"eventuous"_s,
                                    u"sqlstreamstore"_s,    u"rails-event-store (jsonb)"_s,
                                    u"eventflow"_s};

} // namespace

class TestPostgres : public QObject
{
    Q_OBJECT

private:
    PgTestServer m_server;
    int m_databases = 0;
    StoreError m_openError;

    // A new database holding the statements' tables, readable by the reader role.
    QString database(const QStringList &statements, const QStringList &schemas = {u"public"_s})
    {
        const QString name = u"store%1"_s.arg(++m_databases);
        QString error;
        if (!m_server.createDatabase(name, &error))
            qFatal("%s", qPrintable(error));
        if (!m_server.grantRead(name, reader, {u"public"_s}, &error))
            qFatal("%s", qPrintable(error));
        QStringList sql = statements;
        sql.replaceInStrings(u"%READER%"_s, reader);
        if (!m_server.exec(name, sql, &error))
            qFatal("%s", qPrintable(error));
        if (!m_server.grantRead(name, reader, schemas, &error))
            qFatal("%s", qPrintable(error));
        return name;
    }

    // *error gets the message; m_openError the whole of the last failure.
    std::unique_ptr<EventStore> open(const QString &url, QString *error,
                                     const StoreOpenOptions &options = {})
    {
        m_openError = {};
        auto store = EventStore::open(StoreLocation::parse(url), options, &m_openError);
        *error = m_openError.message;
        return store;
    }

    QString url(const QString &db, const QString &schema = {}) const
    {
        return m_server.url(reader, readerPassword, db, schema);
    }

private slots:
    void initTestCase()
    {
        QElapsedTimer timer;
        timer.start();
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY2(m_server.createLoginRole(reader, readerPassword, &error), qPrintable(error));
        qInfo("PostgreSQL test server on port %d, started in %lld ms", m_server.port(),
              timer.elapsed());
    }

    void layoutFixtures_data()
    {
        QTest::addColumn<int>("index");
        const auto fixtures = LayoutFixtures::all(SqlDialect::Postgres);
        for (int i = 0; i < fixtures.size(); ++i)
            QTest::newRow(qPrintable(fixtures.at(i).name)) << i;
    }

    void layoutFixtures()
    {
        QFETCH(int, index);
        const LayoutFixture fixture = LayoutFixtures::all(SqlDialect::Postgres).at(index);
        const QString db = database(fixture.sql, {fixture.schema});
        QString error;
        // Found without naming the schema, and also when the URL names it.
        for (const QString &schema : {QString(), fixture.schema}) {
            auto store = open(url(db, schema), &error);
            QVERIFY2(store, qPrintable(error));
            QCOMPARE(store->dialect(), SqlDialect::Postgres);
            const QString problem = LayoutFixtures::verify(*store, fixture);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
    }

    void sessionIsReadOnly()
    {
        const QString db =
            database(LayoutFixtures::all(SqlDialect::Postgres).first().sql, {u"message_store"_s});
        // Even a role that may write gets a read-only session.
        QVERIFY(m_server.exec(
            db, {u"GRANT INSERT ON ALL TABLES IN SCHEMA message_store TO reader"_s}, nullptr));
        StoreError error;
        const QString name = u"readonly-check"_s;
        {
            QSqlDatabase conn =
                PostgresConnection::openReadOnly(StoreLocation::parse(url(db)), name, &error);
            QVERIFY2(conn.isOpen(), qPrintable(error.message));
            QSqlQuery query(conn);
            QVERIFY(query.exec(u"SHOW transaction_read_only"_s) && query.next());
            QCOMPARE(query.value(0).toString(), u"on"_s);
            QVERIFY(query.exec(u"SHOW TimeZone"_s) && query.next());
            QCOMPARE(query.value(0).toString(), u"UTC"_s);
            QVERIFY(!query.exec(u"INSERT INTO message_store.messages (stream_name, type, position) "
                                "VALUES ('x', 'y', 9)"_s));
            QVERIFY2(query.lastError().text().contains(u"read-only"_s),
                     qPrintable(query.lastError().text()));
        }
        QSqlDatabase::removeDatabase(name);
    }

    void passwordFromEnvironment()
    {
        const QString db =
            database(LayoutFixtures::all(SqlDialect::Postgres).first().sql, {u"message_store"_s});
        QString error;
        const QString noPassword =
            u"postgresql://reader@127.0.0.1:%1/%2"_s.arg(m_server.port()).arg(db);
        qputenv("PGPASSFILE", "/nonexistent");
        qunsetenv("PGPASSWORD");
        QVERIFY(!open(noPassword, &error));
        QVERIFY2(error.contains(u"password"_s), qPrintable(error));
        QCOMPARE(m_openError.kind, StoreError::Kind::Authentication);
        qputenv("PGPASSWORD", readerPassword.toUtf8());
        auto store = open(noPassword, &error);
        qunsetenv("PGPASSWORD");
        QVERIFY2(store, qPrintable(error));
        QVERIFY(!error.contains(readerPassword));
    }

    void failuresNameTheProblem_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("message");
        QTest::addColumn<StoreError::Kind>("kind");
        QTest::newRow("wrong password")
            << u"postgresql://reader:nope@127.0.0.1:%1/postgres"_s
            << u"wrong password for user 'reader'"_s << StoreError::Kind::Authentication;
        QTest::newRow("no such database")
            << u"postgresql://reader:%2@127.0.0.1:%1/nowhere"_s << u"no database named 'nowhere'"_s
            << StoreError::Kind::NotFound;
        QTest::newRow("no such user") << u"postgresql://nobody_here:x@127.0.0.1:%1/postgres"_s
                                      << u"password"_s // the server does not tell which
                                      << StoreError::Kind::Authentication;
        QTest::newRow("nothing there")
            << u"postgresql://reader:x@127.0.0.1:1/postgres"_s
            << u"no PostgreSQL server answers at 127.0.0.1:1"_s << StoreError::Kind::ConnectionLost;
    }

    void failuresNameTheProblem()
    {
        QFETCH(QString, url);
        QFETCH(QString, message);
        QFETCH(StoreError::Kind, kind);
        const QString full =
            QString(url)
                .replace(u"%1"_s, QString::number(m_server.port()))
                .replace(u"%2"_s, QString::fromLatin1(QUrl::toPercentEncoding(readerPassword)));
        QString error;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!open(full, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
        QCOMPARE(m_openError.kind, kind);
        QVERIFY2(!error.contains(readerPassword), "the message shows the password");
        QVERIFY(timer.elapsed() < 15000);
    }

    void missingPermission()
    {
        const QString db =
            database(LayoutFixtures::all(SqlDialect::Postgres).first().sql, {u"message_store"_s});
        QString error;
        auto store = open(url(db), &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(
            m_server.exec(db, {u"REVOKE SELECT ON message_store.messages FROM reader"_s}, &error));
        QVERIFY(!store->summary());
        QVERIFY2(store->errorString().contains(u"user 'reader' has no permission to read"_s),
                 qPrintable(store->errorString()));
        QCOMPARE(store->lastError().kind, StoreError::Kind::Permission);
        // Without the grant the table is not in the reader's catalog at all: the message
        // names the table it may not read, not "no tables".
        QVERIFY(!open(url(db), &error));
        QVERIFY2(error.contains(u"no permission to read table message_store.messages"_s),
                 qPrintable(error));
        QCOMPARE(m_openError.kind, StoreError::Kind::Permission);
        QVERIFY(!error.contains(readerPassword));
    }

    void severalTablesLetTheUserChoose()
    {
        // A database holding Eventuous (schema eventuous) and SQLStreamStore (public).
        const auto fixtures = LayoutFixtures::all(SqlDialect::Postgres);
        QStringList sql;
        for (const LayoutFixture &f : fixtures) {
            if (f.layoutId == u"eventuous" || f.layoutId == u"sqlstreamstore")
                sql += f.sql;
        }
        const QString db = database(sql, {u"public"_s, u"eventuous"_s});
        QString error;
        auto store = open(url(db), &error);
        QVERIFY2(store, qPrintable(error));
        QCOMPARE(store->matches().size(), 2);
        QCOMPARE(store->layout().id, u"eventuous"_s); // priority order
        auto other = open(url(db), &error, StoreOpenOptions{{}, u"public.messages"_s});
        QVERIFY2(other, qPrintable(error));
        QCOMPARE(other->layout().id, u"sqlstreamstore"_s);
        QVERIFY(!open(url(db), &error, StoreOpenOptions{{}, u"nope"_s}));
        QVERIFY2(error.contains(u"eventuous.messages"_s) && error.contains(u"public.messages"_s),
                 qPrintable(error));
        // The schema parameter narrows the catalog to one of them.
        auto narrowed = open(url(db, u"public"_s), &error);
        QVERIFY2(narrowed, qPrintable(error));
        QCOMPARE(narrowed->layout().id, u"sqlstreamstore"_s);
        QCOMPARE(narrowed->matches().size(), 1);
    }

    // Above the size limit a quick summary leaves only the streams uncounted; its events,
    // time range and type counts are the exact summary's, in every layout.
    void quickSummary_data() { layoutFixtures_data(); }

    void quickSummary()
    {
        QFETCH(int, index);
        const LayoutFixture fixture = LayoutFixtures::all(SqlDialect::Postgres).at(index);
        const QString db = database(fixture.sql, {fixture.schema});
        QString error;
        auto store = open(url(db), &error);
        QVERIFY2(store, qPrintable(error));
        const auto exact = store->summary();
        QVERIFY2(exact, qPrintable(store->errorString()));
        QVERIFY(exact->exact);
        QCOMPARE(exact->events, qint64(fixture.events.size()));

        const auto small = store->quickSummary(); // under the limit: counted exactly
        QVERIFY2(small, qPrintable(store->errorString()));
        QVERIFY(small->exact);
        QCOMPARE(small->streams, exact->streams);

        // As of a large store: where the position has an index, a sample read in one
        // statement (the events are the position span, the types those sampled, uncounted, the
        // times within the exact range, and a density lane); else the server's pass without
        // the streams, exact in all else.
        const auto quick = store->quickSummary({}, 0);
        QVERIFY2(quick, qPrintable(store->errorString()));
        QVERIFY(!quick->exact);
        QCOMPARE(quick->streams, -1);
        QCOMPARE(quick->layoutId, exact->layoutId);
        const bool sampled = !quick->density.isEmpty();
        QCOMPARE(sampled, SampledLayouts.contains(fixture.name));
        if (sampled) {
            const auto range = store->positionRange();
            QVERIFY(range);
            QCOMPARE(quick->events, range->second - range->first + 1);
            for (auto it = quick->typeCounts.cbegin(); it != quick->typeCounts.cend(); ++it) {
                QVERIFY2(exact->typeCounts.contains(it.key()), qPrintable(it.key()));
                QCOMPARE(it.value(), qint64(-1));
            }
            QVERIFY(quick->firstTimeMs >= exact->firstTimeMs);
            QVERIFY(quick->lastTimeMs <= exact->lastTimeMs);
            QCOMPARE(quick->density.size(), EventStore::DensitySlices);
        }
        for (const auto &summary :
             sampled ? QVector<StoreSummary>{*small} : QVector<StoreSummary>{*small, *quick}) {
            QCOMPARE(summary.events, exact->events);
            QCOMPARE(summary.firstTimeMs, exact->firstTimeMs);
            QCOMPARE(summary.lastTimeMs, exact->lastTimeMs);
            QCOMPARE(summary.typeCounts, exact->typeCounts);
            QCOMPARE(summary.layoutId, exact->layoutId);
        }
    }

    void runningStatementIsCancelled()
    {
        // A view that sleeps makes a statement that would run for a minute.
        const QString db = database(
            {u"CREATE TABLE slow_base (id bigint PRIMARY KEY, stream text, body text)"_s,
             SlowlyFunction, u"INSERT INTO slow_base VALUES (1, 's', '{}')"_s,
             u"CREATE VIEW slow AS SELECT id, slowly(stream) AS stream, body FROM slow_base"_s});
        QString error;
        auto store =
            open(url(db), &error,
                 StoreOpenOptions{u"table=slow,stream=stream,position=id,data=body"_s, {}});
        QVERIFY2(store, qPrintable(error));
        auto interrupter = store->interrupter();
        QElapsedTimer timer;
        timer.start();
        QFuture<void> canceller = QtConcurrent::run([interrupter] {
            QThread::msleep(300);
            interrupter->interrupt();
        });
        const auto summary = store->summary();
        canceller.waitForFinished();
        QVERIFY(!summary);
        QCOMPARE(store->errorString(), u"cancelled"_s);
        QVERIFY2(timer.elapsed() < 10000, "the cancel did not stop the statement");
    }

    // PostgreSQL reads times by TimeCodec's definition too: text it cannot read, a day that
    // does not exist, infinity and year 0 are no time (and fail no statement), a time before
    // 1970 is in its own day's bucket, an offset is an instant.
    void oddTimes_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QStringList>("values");
        QTest::newRow("text") << u"text"_s
                              << QStringList{u"'1969-12-31T23:30:00Z'"_s,
                                             u"'2026-01-01T09:00:00+08:00'"_s,
                                             u"'2026-02-30T00:00:00Z'"_s, u"'garbage'"_s,
                                             u"'0000-06-01T00:00:00Z'"_s};
        QTest::newRow("timestamptz")
            << u"timestamptz"_s
            << QStringList{u"'1969-12-31T23:30:00Z'"_s, u"'2026-01-01T09:00:00+08:00'"_s,
                           u"'infinity'"_s, u"'-infinity'"_s, u"'10000-01-01T00:00:00Z'"_s};
    }

    void oddTimes()
    {
        QFETCH(QString, type);
        QFETCH(QStringList, values);
        QStringList sql{u"CREATE TABLE odd (id bigint PRIMARY KEY, s text, t %1)"_s.arg(type)};
        for (qsizetype i = 0; i < values.size(); ++i)
            sql << u"INSERT INTO odd VALUES (%1, 's', %2)"_s.arg(i + 1).arg(values.at(i));
        const QString db = database(sql);
        QString error;
        auto store =
            open(url(db), &error, StoreOpenOptions{u"table=odd,position=id,stream=s,time=t"_s, {}});
        QVERIFY2(store, qPrintable(error));
        const auto summary = store->summary();
        QVERIFY2(summary, qPrintable(store->errorString()));
        QCOMPARE(TimeCodec::format(summary->firstTimeMs), u"1969-12-31T23:30:00.000Z"_s);
        QCOMPARE(TimeCodec::format(summary->lastTimeMs), u"2026-01-01T01:00:00.000Z"_s);
        QCOMPARE(summary->eventsWithoutTime, qint64(3));
        const auto buckets = store->buckets(BucketSize::Day, {});
        QVERIFY2(buckets, qPrintable(store->errorString()));
        QStringList days;
        for (const Bucket &b : *buckets)
            days << TimeCodec::format(b.startMs) + u':' + QString::number(b.events);
        QCOMPARE(days,
                 (QStringList{u"1969-12-31T00:00:00.000Z:1"_s, u"2026-01-01T00:00:00.000Z:1"_s}));
        EventFilter all;
        all.fromTimeMs = TimeCodec::MinMs;
        all.toTimeMs = TimeCodec::MaxMs;
        const auto inRange = store->events(all);
        QVERIFY2(inRange, qPrintable(store->errorString()));
        QCOMPARE(inRange->size(), 2);
        const auto rows = store->events({});
        QVERIFY2(rows, qPrintable(store->errorString()));
        QCOMPARE(rows->size(), 5);
        QCOMPARE(TimeCodec::format(rows->at(1).timeMs), u"2026-01-01T01:00:00.000Z"_s);
        for (int i = 2; i < 5; ++i)
            QCOMPARE(rows->at(i).timeMs, NoTime);
    }

    // A table another session holds under ACCESS EXCLUSIVE stops a read at the lock timeout
    // with a message that says so, in the model and in the CLI, instead of waiting with it.
    void lockedTableTimesOut()
    {
        const QString db =
            database(LayoutFixtures::all(SqlDialect::Postgres).first().sql, {u"message_store"_s});
        QString error;
        qputenv("EVENTSCOPE_PG_LOCK_TIMEOUT", "300ms");
        const auto restore = qScopeGuard([] { qunsetenv("EVENTSCOPE_PG_LOCK_TIMEOUT"); });
        auto store = open(url(db), &error);
        QVERIFY2(store, qPrintable(error));
        {
            QSqlDatabase locker = QSqlDatabase::addDatabase(u"QPSQL"_s, u"locker"_s);
            locker.setHostName(m_server.host());
            locker.setPort(m_server.port());
            locker.setUserName(PgTestServer::superUser());
            locker.setPassword(m_server.superPassword());
            locker.setDatabaseName(db);
            QVERIFY2(locker.open(), qPrintable(locker.lastError().text()));
            QSqlQuery lock(locker);
            QVERIFY(lock.exec(u"BEGIN"_s));
            QVERIFY(lock.exec(u"LOCK TABLE message_store.messages IN ACCESS EXCLUSIVE MODE"_s));

            QElapsedTimer timer;
            timer.start();
            QVERIFY(!store->summary());
            QVERIFY2(store->errorString().contains(u"another session holds a lock"_s) &&
                         store->errorString().contains(u"300ms"_s),
                     qPrintable(store->errorString()));
            QVERIFY2(timer.elapsed() < 10000, "the lock timeout did not stop the wait");

            QProcess cli;
            cli.start(TestSupport::cliPath(), {u"info"_s, url(db)});
            QVERIFY(cli.waitForFinished(30000));
            QVERIFY(cli.exitCode() != 0);
            const QString err = QString::fromUtf8(cli.readAllStandardError());
            QVERIFY2(err.count(u'\n') == 1, qPrintable(err));
            QVERIFY2(err.contains(u"another session holds a lock"_s), qPrintable(err));
            QVERIFY(!err.contains(readerPassword));
            QVERIFY(lock.exec(u"ROLLBACK"_s));
            locker.close();
        }
        QSqlDatabase::removeDatabase(u"locker"_s);
        QVERIFY2(store->summary(), qPrintable(store->errorString()));
    }

    void statementTimeoutSaysSo()
    {
        const QString db = database(
            {u"CREATE TABLE slow_base (id bigint PRIMARY KEY, stream text, body text)"_s,
             SlowlyFunction, u"INSERT INTO slow_base VALUES (1, 's', '{}')"_s,
             u"CREATE VIEW slow AS SELECT id, slowly(stream) AS stream, body FROM slow_base"_s});
        qputenv("EVENTSCOPE_PG_STATEMENT_TIMEOUT", "300ms");
        const auto restore = qScopeGuard([] { qunsetenv("EVENTSCOPE_PG_STATEMENT_TIMEOUT"); });
        QString error;
        auto store =
            open(url(db), &error,
                 StoreOpenOptions{u"table=slow,stream=stream,position=id,data=body"_s, {}});
        QVERIFY2(store, qPrintable(error));
        QVERIFY(!store->summary());
        QVERIFY2(store->errorString().contains(u"time limit of 300ms"_s),
                 qPrintable(store->errorString()));
        qputenv("EVENTSCOPE_PG_STATEMENT_TIMEOUT", "soon");
        QVERIFY(!open(url(db), &error));
        QVERIFY2(error.contains(u"EVENTSCOPE_PG_STATEMENT_TIMEOUT"_s), qPrintable(error));
    }

    // A server that dies while the CLI waits for it: one line on stderr, whatever libpq and
    // Qt's driver have to say about it.
    void serverKilledMidCommandIsOneLine()
    {
        PgTestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString db = u"dying"_s;
        QVERIFY2(server.createDatabase(db, &error), qPrintable(error));
        QVERIFY2(server.exec(db,
                             {u"CREATE TABLE slow_base (id bigint PRIMARY KEY, stream text)"_s,
                              SlowlyFunction, u"INSERT INTO slow_base VALUES (1, 's')"_s,
                              u"CREATE VIEW slow AS SELECT id, slowly(stream) AS stream "
                              "FROM slow_base"_s},
                             &error),
                 qPrintable(error));
        const QString password = server.superPassword();
        QProcess cli;
        cli.start(TestSupport::cliPath(),
                  {u"info"_s, server.url(PgTestServer::superUser(), password, db), u"--map"_s,
                   u"table=slow,stream=stream,position=id"_s});
        QVERIFY(cli.waitForStarted());
        // Until the statement runs on the server.
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            QVERIFY2(timer.elapsed() < 20000, "the CLI's statement never started");
            QSqlDatabase watcher = QSqlDatabase::addDatabase(u"QPSQL"_s, u"watcher"_s);
            bool started = false;
            {
                watcher.setHostName(server.host());
                watcher.setPort(server.port());
                watcher.setUserName(PgTestServer::superUser());
                watcher.setPassword(password);
                watcher.setDatabaseName(db);
                QSqlQuery q(watcher);
                started = watcher.open() &&
                          q.exec(u"SELECT 1 FROM pg_stat_activity WHERE "
                                 "application_name = 'eventscope' AND state = 'active'"_s) &&
                          q.next();
                watcher.close();
            }
            watcher = QSqlDatabase();
            QSqlDatabase::removeDatabase(u"watcher"_s);
            if (started)
                break;
            QThread::msleep(100);
        }
        server.stop();
        QVERIFY(cli.waitForFinished(30000));
        QVERIFY(cli.exitCode() != 0);
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(err.count(u'\n') == 1, qPrintable(err));
        QVERIFY2(err.startsWith(u"eventscope-cli: "_s), qPrintable(err));
        QVERIFY2(err.contains(u"lost"_s), qPrintable(err));
        QVERIFY(!err.contains(password));
    }

    void lostConnectionSaysSo()
    {
        const QString db =
            database(LayoutFixtures::all(SqlDialect::Postgres).first().sql, {u"message_store"_s});
        QString error;
        auto store = open(url(db), &error);
        QVERIFY2(store, qPrintable(error));
        QVERIFY(store->summary());
        QVERIFY(m_server.exec(
            u"postgres"_s,
            {u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
             "usename = 'reader' AND datname = %1"_s.arg(PgTestServer::quoteLiteral(db))},
            &error));
        QVERIFY(!store->summary());
        QVERIFY2(store->errorString().contains(u"connection to the server was lost"_s),
                 qPrintable(store->errorString()));
        QCOMPARE(store->lastError().kind, StoreError::Kind::ConnectionLost);
        // A retry opens a new connection.
        auto again = open(url(db), &error);
        QVERIFY2(again && again->summary(), qPrintable(error));
    }

    void serverDownLast()
    {
        const QString db =
            database(LayoutFixtures::all(SqlDialect::Postgres).first().sql, {u"message_store"_s});
        QString error;
        const QString where = url(db);
        auto store = open(where, &error);
        QVERIFY2(store, qPrintable(error));
        m_server.stop();
        QVERIFY(!store->summary());
        QVERIFY2(store->errorString().contains(u"lost"_s), qPrintable(store->errorString()));
        QCOMPARE(store->lastError().kind, StoreError::Kind::ConnectionLost);
        QVERIFY(!open(where, &error));
        QVERIFY2(error.contains(u"no PostgreSQL server answers"_s), qPrintable(error));
        QCOMPARE(m_openError.kind, StoreError::Kind::ConnectionLost);
    }
};

QTEST_GUILESS_MAIN(TestPostgres)
#include "tst_postgres.moc"

// PgTestServer, the throwaway PostgreSQL server the PostgreSQL tests run against: it starts
// quickly, asks TCP clients for their password, gives a reader role read access, really stops,
// and several can run at once. No server programs is a failure, never a skip: CI must run
// the PostgreSQL tests.

#include "pgtestserver.h"
#include "store/storelocation.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <QUuid>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// A password with every character a URL or an SQL literal could trip over.
const QString ReaderPassword = u"p@ss w:rd/%'?#"_s;

struct Answer
{
    bool connected = false;
    QString error;
    QVariant value; // of the query's first column, first row
};

// Connects with QPSQL as the given user over TCP and runs one query.
Answer ask(int port, const QString &user, const QString &password, const QString &database,
           const QString &sql)
{
    Answer answer;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(u"127.0.0.1"_s);
        db.setPort(port);
        db.setUserName(user);
        db.setPassword(password);
        db.setDatabaseName(database);
        db.setConnectOptions(u"connect_timeout=5"_s);
        answer.connected = db.open();
        if (!answer.connected) {
            answer.error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (query.exec(sql) && query.next())
                answer.value = query.value(0);
            else
                answer.error = query.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return answer;
}

} // namespace

class TestPgServer : public QObject
{
    Q_OBJECT

private:
    PgTestServer m_server;

private slots:
    void initTestCase()
    {
        QElapsedTimer timer;
        timer.start();
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        const qint64 ms = timer.elapsed();
        qInfo("PostgreSQL test server started in %lld ms on port %d", ms, m_server.port());
        // The target is under 3 s; the limit leaves room for a loaded CI machine.
        QVERIFY2(ms < 20000, qPrintable(u"start took %1 ms"_s.arg(ms)));
        QVERIFY(m_server.isRunning());
        QVERIFY(m_server.port() > 0);
        QCOMPARE(m_server.host(), u"127.0.0.1"_s);

        QVERIFY2(m_server.createDatabase(u"shop"_s, &error), qPrintable(error));
        QVERIFY2(m_server.exec(u"shop"_s,
                               {u"CREATE SCHEMA es"_s,
                                u"CREATE TABLE es.events (id bigint PRIMARY KEY, body text)"_s,
                                u"INSERT INTO es.events VALUES (1, 'a'), (2, 'b')"_s,
                                u"CREATE TABLE public.notes (id int)"_s},
                               &error),
                 qPrintable(error));
        QVERIFY2(m_server.createReader(u"reader"_s, ReaderPassword, u"shop"_s,
                                       {u"public"_s, u"es"_s}, &error),
                 qPrintable(error));
    }

    // As root the cluster belongs to nobody (PostgreSQL refuses root); otherwise to us.
    void clusterOwner()
    {
        const uint owner = QFileInfo(m_server.dataDirectory()).ownerId();
        if (::geteuid() == 0) {
            const passwd *nobody = ::getpwnam("nobody");
            QVERIFY(nobody);
            QCOMPARE(owner, uint(nobody->pw_uid));
        } else {
            QCOMPARE(owner, uint(::geteuid()));
        }
    }

    void readerReadsWithTheRightPassword()
    {
        const Answer answer = ask(m_server.port(), u"reader"_s, ReaderPassword, u"shop"_s,
                                  u"SELECT count(*) FROM es.events"_s);
        QVERIFY2(answer.connected && answer.error.isEmpty(), qPrintable(answer.error));
        QCOMPARE(answer.value.toInt(), 2);
        QVERIFY(ask(m_server.port(), u"reader"_s, ReaderPassword, u"shop"_s,
                    u"SELECT count(*) FROM public.notes"_s)
                    .error.isEmpty());
    }

    // Default privileges: what the superuser creates after the grant is readable too.
    void readerReadsLaterTables()
    {
        QString error;
        QVERIFY2(m_server.exec(u"shop"_s, {u"CREATE TABLE es.later AS SELECT 7 AS n"_s}, &error),
                 qPrintable(error));
        const Answer answer = ask(m_server.port(), u"reader"_s, ReaderPassword, u"shop"_s,
                                  u"SELECT n FROM es.later"_s);
        QVERIFY2(answer.error.isEmpty(), qPrintable(answer.error));
        QCOMPARE(answer.value.toInt(), 7);
    }

    void readerCannotWrite()
    {
        const Answer answer = ask(m_server.port(), u"reader"_s, ReaderPassword, u"shop"_s,
                                  u"INSERT INTO es.events VALUES (3, 'c') RETURNING id"_s);
        QVERIFY(answer.connected);
        QVERIFY2(answer.error.contains(u"permission denied"_s), qPrintable(answer.error));
    }

    void wrongPasswordIsRefused()
    {
        const Answer answer =
            ask(m_server.port(), u"reader"_s, u"wrong"_s, u"shop"_s, u"SELECT 1"_s);
        QVERIFY(!answer.connected);
        QVERIFY2(answer.error.contains(u"password authentication failed"_s),
                 qPrintable(answer.error));
        // No password at all is refused as well: TCP clients are never trusted.
        QVERIFY(!ask(m_server.port(), u"reader"_s, QString(), u"shop"_s, u"SELECT 1"_s).connected);
    }

    void superuserNeedsItsPassword()
    {
        QVERIFY(ask(m_server.port(), PgTestServer::superUser(), m_server.superPassword(),
                    u"postgres"_s, u"SELECT 1"_s)
                    .connected);
        QVERIFY(
            !ask(m_server.port(), PgTestServer::superUser(), u"x"_s, u"postgres"_s, u"SELECT 1"_s)
                 .connected);
    }

    void urlParsesBack()
    {
        const QString url = m_server.url(u"reader"_s, ReaderPassword, u"shop"_s, u"es"_s);
        QVERIFY(url.startsWith(u"postgresql://reader:"_s));
        QVERIFY2(url.endsWith(u"@127.0.0.1:%1/shop?schema=es"_s.arg(m_server.port())),
                 qPrintable(url));
        const StoreLocation location = StoreLocation::parse(url);
        QVERIFY2(location.isValid(), qPrintable(location.errorString()));
        QCOMPARE(location.user(), u"reader"_s);
        QCOMPARE(location.password(), ReaderPassword);
        QCOMPARE(location.host(), u"127.0.0.1"_s);
        QCOMPARE(location.port(), m_server.port());
        QCOMPARE(location.database(), u"shop"_s);
        QCOMPARE(location.schema(), u"es"_s);
        // And what it says is what the server accepts.
        QVERIFY(ask(location.port(), location.user(), location.password(), location.database(),
                    u"SELECT 1"_s)
                    .connected);
        QCOMPARE(
            StoreLocation::parse(m_server.url(u"reader"_s, ReaderPassword, u"shop"_s)).schema(),
            QString());
    }

    void execReportsTheStatement()
    {
        QString error;
        QVERIFY(!m_server.exec(u"shop"_s, {u"SELECT 1"_s, u"SELEC 2"_s}, &error));
        QVERIFY2(error.contains(u"SELEC 2"_s) && error.contains(u"syntax error"_s),
                 qPrintable(error));
    }

    void twoServersAtOnce()
    {
        PgTestServer other;
        QString error;
        QVERIFY2(other.start(&error), qPrintable(error));
        QVERIFY(other.port() != m_server.port());
        QVERIFY(other.dataDirectory() != m_server.dataDirectory());
        QVERIFY(other.superPassword() != m_server.superPassword());
        QVERIFY2(other.createDatabase(u"shop"_s, &error), qPrintable(error)); // its own cluster
        for (const PgTestServer *server : {&m_server, &other}) {
            const Answer answer = ask(server->port(), PgTestServer::superUser(),
                                      server->superPassword(), u"shop"_s, u"SELECT 1"_s);
            QVERIFY2(answer.connected, qPrintable(answer.error));
        }
    }

    void stopReallyStops()
    {
        PgTestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const int port = server.port();
        const QString data = server.dataDirectory();
        QVERIFY(ask(port, PgTestServer::superUser(), server.superPassword(), u"postgres"_s,
                    u"SELECT 1"_s)
                    .connected);
        const QString password = server.superPassword();
        server.stop();
        QVERIFY(!server.isRunning());
        QCOMPARE(server.port(), 0);
        QVERIFY(!QFileInfo::exists(data));
        const Answer after =
            ask(port, PgTestServer::superUser(), password, u"postgres"_s, u"SELECT 1"_s);
        QVERIFY(!after.connected);
        QVERIFY2(!after.error.contains(u"password"_s), qPrintable(after.error)); // not there
        server.stop(); // twice is harmless
        QString execError;
        QVERIFY(!server.exec(u"postgres"_s, {u"SELECT 1"_s}, &execError));
        QVERIFY(execError.contains(u"not running"_s));
    }

    void noServerProgramsIsAClearFailure()
    {
        QTemporaryDir empty;
        QVERIFY(empty.isValid());
        qputenv("EVENTSCOPE_PG_BINDIR", QFile::encodeName(empty.path()));
        PgTestServer server;
        QString error;
        const bool started = server.start(&error);
        qunsetenv("EVENTSCOPE_PG_BINDIR");
        QVERIFY(!started);
        QVERIFY(!server.isRunning());
        QVERIFY2(error.contains(u"initdb"_s) && error.contains(empty.path()), qPrintable(error));
    }

    void quoting()
    {
        QCOMPARE(PgTestServer::quoteIdentifier(u"a\"b"_s), u"\"a\"\"b\""_s);
        QCOMPARE(PgTestServer::quoteLiteral(u"it's"_s), u"'it''s'"_s);
    }
};

QTEST_MAIN(TestPgServer)
#include "tst_pgserver.moc"

// The libraries whose events are not one row each (LAYOUTS.md rows 11-12), in stores the test
// builds from the facts: Prooph's table per stream behind event_streams (aggregate and
// single-stream strategies) on PostgreSQL, and NEventStore's commits of several events on
// SQLite and PostgreSQL. The model, the CLI's exact answers and the window.

#include "layoutfixtures.h"
#include "mainwindow.h"
#include "pgtestserver.h"
#include "replaybar.h"
#include "store/eventstore.h"
#include "streamlistmodel.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>
#include <QSlider>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString reader = u"reader"_s;
const QString readerPassword = u"split"_s;

QJsonObject json(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QStringList eventLines(const TestSupport::CliRun &run)
{
    QStringList result;
    for (const QByteArray &line : run.lines()) {
        const QJsonObject o = json(line);
        result << u"%1 %2 v%3 %4"_s.arg(o.value(u"position"_s).toInteger())
                      .arg(o.value(u"stream"_s).toString())
                      .arg(o.value(u"version"_s).toInteger())
                      .arg(o.value(u"type"_s).toString());
    }
    return result;
}

QStringList streamLines(const TestSupport::CliRun &run)
{
    QStringList result;
    for (const QByteArray &line : run.lines()) {
        const QJsonObject o = json(line);
        result << u"%1 %2 v%3-%4"_s.arg(o.value(u"stream"_s).toString())
                      .arg(o.value(u"events"_s).toInteger())
                      .arg(o.value(u"first_version"_s).toInteger())
                      .arg(o.value(u"last_version"_s).toInteger());
    }
    return result;
}

QStringList streamNames(const StreamListModel *model)
{
    QStringList names;
    for (int row = 0; row < model->rowCount(); ++row)
        names << model->index(row, 0).data(StreamListModel::StreamRole).toString();
    return names;
}

} // namespace

class TestSplitStores : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PgTestServer m_server;
    QMap<QString, QString> m_stores; // "<dialect> <fixture>" -> location

    LayoutFixture fixture(SqlDialect dialect, const QString &name) const
    {
        for (const LayoutFixture &f : LayoutFixtures::splitStores(dialect)) {
            if (f.name == name)
                return f;
        }
        qFatal("no fixture %s", qPrintable(name));
    }

    QString store(SqlDialect dialect, const QString &name)
    {
        const QString key = u"%1 %2"_s.arg(int(dialect)).arg(name);
        if (m_stores.contains(key))
            return m_stores.value(key);
        const LayoutFixture f = fixture(dialect, name);
        QString location;
        QString error;
        if (dialect == SqlDialect::Sqlite) {
            location = m_dir.filePath(name + u".db"_s);
            if (!TestSupport::execSql(location, f.sql))
                qFatal("cannot write %s", qPrintable(location));
        } else {
            const QString db = u"split%1"_s.arg(m_stores.size() + 1);
            if (!m_server.createDatabase(db, &error) || !m_server.exec(db, f.sql, &error) ||
                !m_server.grantRead(db, reader, {u"public"_s}, &error))
                qFatal("%s", qPrintable(error));
            location = m_server.url(reader, readerPassword, db, {});
        }
        m_stores.insert(key, location);
        return location;
    }

    static void addStores()
    {
        QTest::addColumn<int>("dialect");
        QTest::addColumn<QString>("name");
        QTest::newRow("neventstore sqlite") << int(SqlDialect::Sqlite) << u"neventstore"_s;
        QTest::newRow("neventstore postgres") << int(SqlDialect::Postgres) << u"neventstore"_s;
        QTest::newRow("prooph postgres") << int(SqlDialect::Postgres) << u"prooph"_s;
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

    void modelReadsThem_data() { addStores(); }
    void modelReadsThem()
    {
        QFETCH(int, dialect);
        QFETCH(QString, name);
        const LayoutFixture f = fixture(SqlDialect(dialect), name);
        StoreError error;
        auto opened =
            EventStore::open(StoreLocation::parse(store(SqlDialect(dialect), name)), {}, &error);
        QVERIFY2(opened, qPrintable(error.message));
        const QString problem = LayoutFixtures::verify(*opened, f);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void nEventStoreCli_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::newRow("sqlite") << int(SqlDialect::Sqlite);
        QTest::newRow("postgres") << int(SqlDialect::Postgres);
    }
    void nEventStoreCli()
    {
        QFETCH(int, dialect);
        const QString location = store(SqlDialect(dialect), u"neventstore"_s);

        const auto info = TestSupport::runCli({u"info"_s, location});
        QVERIFY2(info.exitCode == 0, qPrintable(info.err));
        QCOMPARE(info.object().value(u"layout"_s).toString(), u"neventstore"_s);
        QCOMPARE(info.object().value(u"events"_s).toInteger(), 8);
        // The BSON commit is named, with what is shown instead.
        QVERIFY2(info.err.contains(u"1 commit(s) (checkpoints 5) not JSON (BSON or binary "
                                   "serialisation)"_s),
                 qPrintable(info.err));

        const auto streams = TestSupport::runCli({u"streams"_s, location});
        QCOMPARE(streams.exitCode, 0);
        QCOMPARE(streamLines(streams), (QStringList{u"order-1 4 v1-4"_s, u"order-2 2 v1-2"_s,
                                                    u"tenant-b/order-1 2 v1-2"_s}));

        // Every event of a commit, numbered within it; the stream's versions run on.
        const auto all = TestSupport::runCli({u"events"_s, location});
        QCOMPARE(all.exitCode, 0);
        QCOMPARE(eventLines(all),
                 (QStringList{u"100001 order-1 v1 OrderPlaced"_s, u"200001 order-1 v2 ItemAdded"_s,
                              u"200002 order-1 v3 ItemAdded"_s, u"300001 order-2 v1 OrderPlaced"_s,
                              u"400001 tenant-b/order-1 v1 OrderPlaced"_s,
                              u"400002 tenant-b/order-1 v2 OrderShipped"_s, u"500001 order-2 v2 "_s,
                              u"600001 order-1 v4 OrderPaid"_s}));
        // The body without its $type, the event's headers as metadata (also from a commit
        // written with every type name).
        const QJsonObject shipped = json(all.lines().at(5));
        QCOMPARE(compact(shipped.value(u"data"_s).toObject()), u"{\"shipped\":true}"_s);
        QCOMPARE(compact(shipped.value(u"metadata"_s).toObject()), u"{\"UserId\":\"u-7\"}"_s);

        // A page that starts inside a commit.
        const auto page = TestSupport::runCli(
            {u"events"_s, location, u"--after"_s, u"200001"_s, u"--limit"_s, u"2"_s});
        QCOMPARE(eventLines(page), (QStringList{u"200002 order-1 v3 ItemAdded"_s,
                                                u"300001 order-2 v1 OrderPlaced"_s}));

        const auto replay =
            TestSupport::runCli({u"replay"_s, location, u"--stream"_s, u"order-1"_s});
        QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
        QCOMPARE(compact(json(replay.lines().constLast()).value(u"state"_s).toObject()),
                 uR"({"customer":"ada","items":["book","pen"],"paid":true,"total":14})"_s);

        const auto search =
            TestSupport::runCli({u"search"_s, location, u"--where"_s, u"total == 14"_s});
        QVERIFY2(search.exitCode == 0, qPrintable(search.err));
        QCOMPARE(eventLines(search), QStringList{u"200002 order-1 v3 ItemAdded"_s});

        // The BSON commit is an event without a type, which the check reports; nothing else.
        const auto check = TestSupport::runCli({u"check"_s, location});
        const QJsonObject summary = json(check.lines().constLast()).value(u"summary"_s).toObject();
        const QJsonObject problems = summary.value(u"problems"_s).toObject();
        QCOMPARE(problems.value(u"missing_type"_s).toInteger(), 1);
        QCOMPARE(problems.value(u"version_gap"_s).toInteger(), 0);
        QCOMPARE(problems.value(u"duplicate_version"_s).toInteger(), 0);
        QCOMPARE(problems.value(u"time_backwards"_s).toInteger(), 0);
    }

    void proophCli()
    {
        const QString location = store(SqlDialect::Postgres, u"prooph"_s);
        const auto info = TestSupport::runCli({u"info"_s, location});
        QVERIFY2(info.exitCode == 0, qPrintable(info.err));
        QCOMPARE(info.object().value(u"layout"_s).toString(), u"prooph"_s);
        QCOMPARE(info.object().value(u"table"_s).toString(), u"public.event_streams"_s);
        QVERIFY2(info.err.contains(u"single-stream strategy in order_stream: the aggregates "
                                   "are the streams"_s),
                 qPrintable(info.err));
        QVERIFY2(info.err.contains(u"without a readable table, not read: ghost-9"_s),
                 qPrintable(info.err));
        // The stream tables are no event tables of their own.
        QVERIFY2(!info.out.contains("\"_"), info.out.constData());

        const auto streams = TestSupport::runCli({u"streams"_s, location});
        QCOMPARE(streamLines(streams), (QStringList{u"order-a-1 2 v1-2"_s, u"order-b-2 2 v1-2"_s,
                                                    u"user-7d1f 2 v1-2"_s, u"user-c3a2 1 v1-1"_s}));

        const qint64 stride = 1000000000000;
        const auto events =
            TestSupport::runCli({u"events"_s, location, u"--stream"_s, u"order-b-2"_s});
        QCOMPARE(eventLines(events),
                 (QStringList{u"%1 order-b-2 v1 OrderPlaced"_s.arg(2 * stride + 2),
                              u"%1 order-b-2 v2 OrderPaid"_s.arg(2 * stride + 4)}));
        // Keyset pages cross from one stream table to the next (the third is not read).
        const auto page =
            TestSupport::runCli({u"events"_s, location, u"--after"_s,
                                 QString::number(2 * stride + 4), u"--limit"_s, u"5"_s});
        QCOMPARE(eventLines(page),
                 (QStringList{u"%1 user-c3a2 v1 UserRegistered"_s.arg(4 * stride + 1)}));

        const auto replay =
            TestSupport::runCli({u"replay"_s, location, u"--stream"_s, u"order-a-1"_s});
        QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
        QCOMPARE(compact(json(replay.lines().constLast()).value(u"state"_s).toObject()),
                 uR"({"paid":true,"total":10})"_s);

        const auto search =
            TestSupport::runCli({u"search"_s, location, u"--where"_s, u"name == \"Ada L.\""_s});
        QVERIFY2(search.exitCode == 0, qPrintable(search.err));
        QCOMPARE(eventLines(search), QStringList{u"%1 user-7d1f v2 UserRenamed"_s.arg(stride + 2)});

        const auto check = TestSupport::runCli({u"check"_s, location});
        QVERIFY2(check.exitCode == 0, qPrintable(check.err));
        const QJsonObject summary = json(check.lines().constLast()).value(u"summary"_s).toObject();
        QCOMPARE(summary.value(u"events"_s).toInteger(), 7);
        for (const QJsonValue &count : summary.value(u"problems"_s).toObject())
            QCOMPARE(count.toInteger(), 0);
    }

    void followSeesEveryEventOfANewCommit()
    {
        // A commit appended while the CLI follows: both of its events, once, in order.
        const QString path = m_dir.filePath(u"neventstore-live.db"_s);
        QVERIFY(TestSupport::execSql(path, fixture(SqlDialect::Sqlite, u"neventstore"_s).sql));
        QProcess follower;
        follower.start(TestSupport::cliPath(),
                       {u"events"_s, path, u"--follow"_s, u"--limit"_s, u"10"_s});
        QVERIFY(follower.waitForStarted());
        QThread::msleep(300); // it has printed what was there and is waiting
        QCOMPARE(follower.state(), QProcess::Running);
        const QByteArray list =
            R"([{"Headers":{},"Body":{"$type":"Shop.Orders.Events.OrderRefunded, Shop","r":1}},)"
            R"({"Headers":{},"Body":{"$type":"Shop.Orders.Events.OrderClosed, Shop"}}])";
        QVERIFY(TestSupport::execSql(
            path, {u"INSERT INTO Commits (BucketId, StreamId, StreamIdOriginal, StreamRevision, "
                   "Items, CommitId, CommitSequence, CommitStamp, Headers, Payload) VALUES "
                   "('default', 'x', 'order-2', 4, 2, X'01', 3, '2026-02-06 08:00:00Z', NULL, "
                   "X'%1')"_s.arg(QString::fromLatin1(list.toHex()))}));
        QVERIFY2(follower.waitForFinished(20000), "the follower did not see every event");
        QVERIFY2(follower.exitCode() == 0, follower.readAllStandardError().constData());
        TestSupport::CliRun run;
        run.out = follower.readAllStandardOutput();
        const QStringList lines = eventLines(run);
        QCOMPARE(lines.size(), 10);
        QCOMPARE(lines.mid(8), (QStringList{u"700001 order-2 v3 OrderRefunded"_s,
                                            u"700002 order-2 v4 OrderClosed"_s}));
    }

    void windowOpensThem_data() { addStores(); }
    void windowOpensThem()
    {
        QFETCH(int, dialect);
        QFETCH(QString, name);
        const LayoutFixture f = fixture(SqlDialect(dialect), name);
        MainWindow window(m_dir.filePath(u"settings.ini"_s));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(store(SqlDialect(dialect), name));
        QVERIFY(opened.wait(20000));
        QVERIFY(QTest::qWaitFor([&] { return window.isSettled(); }, 20000));
        QVERIFY2(window.windowTitle().contains(name + u" layout"_s),
                 qPrintable(window.windowTitle()));
        QStringList expected;
        for (const ExpectedEvent &e : f.events) {
            if (!expected.contains(e.stream))
                expected << e.stream;
        }
        std::sort(expected.begin(), expected.end());
        QTRY_COMPARE(streamNames(window.streamModel()), expected);
        // The replay of the first stream steps over its events.
        const QString first = f.events.first().stream;
        const qsizetype count =
            std::count_if(f.events.cbegin(), f.events.cend(),
                          [&](const ExpectedEvent &e) { return e.stream == first; });
        window.selectStream(first);
        QVERIFY(QTest::qWaitFor([&] { return window.isSettled(); }, 20000));
        QVERIFY(window.replayBar()->isStreamMode());
        QCOMPARE(window.replayBar()->slider()->maximum(), count - 1);
        const QString dir = qEnvironmentVariable("EVENTSCOPE_SHOTS_DIR", u"/work/shots"_s);
        QDir().mkpath(dir);
        QVERIFY(window.grab().save(
            dir + u"/libs3-%1-%2.png"_s.arg(
                      name, dialect == int(SqlDialect::Sqlite) ? u"sqlite"_s : u"postgres"_s)));
    }
};

QTEST_MAIN(TestSplitStores)
#include "tst_splitstores.moc"

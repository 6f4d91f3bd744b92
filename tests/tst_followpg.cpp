// Following a PostgreSQL store (a throwaway server, PgTestServer) while a writer commits:
// `eventscope-cli events --follow` prints every event once, in position order, and the
// window's View ▸ Follow New Events shows them all in the event table and the counts.

#include "eventtablemodel.h"
#include "mainwindow.h"
#include "pgtestserver.h"
#include "testsupport.h"

#include <QAction>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;

namespace {

const QString Reader = u"follow_reader"_s;
const QString ReaderPassword = u"f0llow"_s;
const QString Map = u"table=events_pg,stream=aggregate_id,version=seq,type=kind,time=created,"
                    "data=body,metadata=meta,position=id"_s;
constexpr int Commits = 30;
constexpr int EventsPerCommit = 2;

} // namespace

class TestFollowPostgres : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY2(m_server.createLoginRole(Reader, ReaderPassword, &error), qPrintable(error));
        m_url = m_server.url(Reader, ReaderPassword, u"live"_s);
    }

    void init()
    {
        QString error;
        m_server.exec(u"postgres"_s, {u"DROP DATABASE IF EXISTS live"_s}, &error);
        QVERIFY2(m_server.createDatabase(u"live"_s, &error), qPrintable(error));
        QVERIFY2(m_server.exec(u"live"_s,
                               {u"CREATE TABLE events_pg (id bigint PRIMARY KEY, aggregate_id "
                                "text NOT NULL, seq bigint NOT NULL, kind text NOT NULL, created "
                                "timestamptz, body jsonb, meta jsonb)"_s,
                                u"INSERT INTO events_pg VALUES (1, 'cart-1', 0, 'Opened', "
                                "'2026-01-05 08:00:00+00', '{}', NULL), (2, 'cart-2', 0, "
                                "'Opened', '2026-01-05 08:00:01+00', '{}', NULL)"_s},
                               &error),
                 qPrintable(error));
        QVERIFY2(m_server.grantRead(u"live"_s, Reader, {u"public"_s}, &error), qPrintable(error));
    }

    void cliFollowsAWriter()
    {
        const int expected = 2 + Commits * EventsPerCommit;
        QProcess follower;
        follower.start(TestSupport::cliPath(), {u"events"_s, m_url, u"--map"_s, Map, u"--follow"_s,
                                                u"--limit"_s, QString::number(expected)});
        QVERIFY(follower.waitForStarted());
        QThread::msleep(500); // it has printed what was there and is waiting
        QCOMPARE(follower.state(), QProcess::Running);
        QVERIFY(write());
        QVERIFY2(follower.waitForFinished(30000), "the follower did not see every event");
        QVERIFY2(follower.exitCode() == 0, follower.readAllStandardError().constData());
        QList<qint64> positions;
        for (const QByteArray &line : follower.readAllStandardOutput().split('\n')) {
            if (!line.isEmpty())
                positions
                    << QJsonDocument::fromJson(line).object().value(u"position"_s).toInteger();
        }
        QList<qint64> expectedPositions;
        for (qint64 p = 1; p <= expected; ++p)
            expectedPositions << p;
        QCOMPARE(positions, expectedPositions); // nothing missed, nothing twice, in order
    }

    void windowFollowsAWriter()
    {
        const int expected = 2 + Commits * EventsPerCommit;
        QTemporaryDir dir;
        MainWindow w(dir.filePath(u"follow.ini"_s));
        w.resize(1200, 800);
        w.show();
        w.openStore(m_url, Map);
        QVERIFY(QTest::qWaitFor([&] { return w.isSettled() && w.eventModel()->isCountExact(); },
                                30000));
        QCOMPARE(w.eventModel()->rowCount(), 2);
        auto *follow = w.findChild<QAction *>(u"followAction"_s);
        QVERIFY(follow);
        follow->setChecked(true);
        std::atomic_bool written{false};
        bool ok = false;
        std::thread writer([&] {
            ok = write();
            written = true;
        });
        QVERIFY(QTest::qWaitFor([&] { return bool(written); }, 60000));
        writer.join();
        QVERIFY(ok);
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return w.isSettled() && w.eventModel()->isCountExact() &&
                                w.eventModel()->rowCount() == expected &&
                                w.statusStoreText().startsWith(QLocale().toString(expected) +
                                                               u" events"_s);
                     },
                     20000),
                 qPrintable(u"%1 rows of %2; %3"_s.arg(w.eventModel()->rowCount())
                                .arg(expected)
                                .arg(w.statusStoreText())));
        follow->setChecked(false);
    }

private:
    // Commits of EventsPerCommit events each, as a program appending to its store would.
    bool write()
    {
        for (int commit = 0; commit < Commits; ++commit) {
            QStringList rows;
            for (int i = 0; i < EventsPerCommit; ++i) {
                const int position = 3 + commit * EventsPerCommit + i;
                rows << u"(%1, 'live-%2', %3, 'Clicked', '2026-02-01 00:00:%4+00', "
                        "'{\"n\": %1}', NULL)"_s.arg(position)
                            .arg(i)
                            .arg(commit)
                            .arg(commit % 60, 2, 10, QChar(u'0'));
            }
            QString error;
            if (!m_server.exec(u"live"_s, {u"INSERT INTO events_pg VALUES "_s + rows.join(u", "_s)},
                               &error)) {
                qWarning() << error;
                return false;
            }
        }
        return true;
    }

    PgTestServer m_server;
    QString m_url;
};

QTEST_MAIN(TestFollowPostgres)
#include "tst_followpg.moc"

// Following a store that grows: `eventscope-cli events --follow` prints every event a writer
// commits while it follows, once, in position order, in each way a store can be read (a WAL
// store read with its -wal and -shm, one read immutable because it had no -wal when the
// follower opened it, a rollback-journal store), with writers that stay open and writers that
// close after each commit.

#include "store/eventstore.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int SmallStoreEvents = 12; // TestSupport::createSmallStore
constexpr int Commits = 120;

} // namespace

class TestFollow : public QObject
{
    Q_OBJECT

private slots:
    void cliFollowsAWriter_data()
    {
        QTest::addColumn<QString>("journal");
        QTest::addColumn<bool>(
            "writerOpenAtStart"); // its -wal and -shm exist when following begins
        QTest::addColumn<bool>("closeAfterEachCommit");
        QTest::addColumn<QString>("stream"); // --stream, or all
        QTest::newRow("wal, writer open") << u"WAL"_s << true << false << QString();
        QTest::newRow("wal, no -wal at start") << u"WAL"_s << false << false << QString();
        QTest::newRow("wal, writer closes each time") << u"WAL"_s << false << true << QString();
        QTest::newRow("rollback, writer closes each time")
            << u"DELETE"_s << false << true << QString();
        QTest::newRow("rollback, one stream") << u"DELETE"_s << false << false << u"live-1"_s;
    }

    void cliFollowsAWriter()
    {
        QFETCH(QString, journal);
        QFETCH(bool, writerOpenAtStart);
        QFETCH(bool, closeAfterEachCommit);
        QFETCH(QString, stream);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"live.db"_s);
        QVERIFY(TestSupport::createSmallStore(path, journal));
        std::unique_ptr<TestSupport::WritingConnection> early;
        if (writerOpenAtStart) {
            early = std::make_unique<TestSupport::WritingConnection>(path);
            QVERIFY(early->exec(u"PRAGMA wal_autocheckpoint = 0"_s));
            QVERIFY(early->exec(u"UPDATE events SET metadata = NULL WHERE global_position = 1"_s));
            QVERIFY(QFile::exists(path + u"-wal"_s));
        }

        // What the writer will append is known in advance (a seeded generator): the follower
        // stops by itself after the last of them.
        const QStringList expectedStreams = TestSupport::appendLiveEvents(
            path, Commits, Commits, TestSupport::LiveWriter::StaysOpen); // writes none
        QVERIFY(!expectedStreams.isEmpty());
        const qint64 before =
            stream.isEmpty() ? SmallStoreEvents : 0; // the small store has no live-* stream
        const qint64 expected =
            before + (stream.isEmpty() ? expectedStreams.size() : expectedStreams.count(stream));

        QStringList args{u"events"_s, path, u"--follow"_s, u"--limit"_s, QString::number(expected)};
        if (!stream.isEmpty())
            args << u"--stream"_s << stream;
        QProcess follower;
        follower.start(TestSupport::cliPath(), args);
        QVERIFY(follower.waitForStarted());
        QThread::msleep(300); // it has printed what was there and is waiting
        QCOMPARE(follower.state(), QProcess::Running);

        const QStringList written = TestSupport::appendLiveEvents(
            path, 0, Commits,
            closeAfterEachCommit ? TestSupport::LiveWriter::ClosesEachCommit
                                 : TestSupport::LiveWriter::StaysOpen);
        QCOMPARE(written, expectedStreams);
        QVERIFY2(follower.waitForFinished(20000), "the follower did not see every event");
        QVERIFY2(follower.exitCode() == 0, follower.readAllStandardError().constData());

        QList<qint64> positions;
        for (const QByteArray &line : follower.readAllStandardOutput().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            QVERIFY2(stream.isEmpty() || event.value(u"stream"_s).toString() == stream, line);
            positions << event.value(u"position"_s).toInteger();
        }
        QCOMPARE(positions.size(), expected);
        // Nothing missed, nothing twice, in order.
        QList<qint64> expectedPositions;
        for (qint64 p = 1; p <= SmallStoreEvents && stream.isEmpty(); ++p)
            expectedPositions << p;
        for (int i = 0; i < expectedStreams.size(); ++i) {
            if (stream.isEmpty() || expectedStreams.at(i) == stream)
                expectedPositions << SmallStoreEvents + 1 + i;
        }
        QCOMPARE(positions, expectedPositions);
    }

    // hasChanged(): false until another connection commits, then true once.
    void storeNoticesACommit_data()
    {
        QTest::addColumn<QString>("journal");
        QTest::addColumn<bool>("reopens");
        QTest::newRow("rollback journal") << u"DELETE"_s << false;
        QTest::newRow("wal, read immutable") << u"WAL"_s << true;
    }

    void storeNoticesACommit()
    {
        QFETCH(QString, journal);
        QFETCH(bool, reopens);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"live.db"_s);
        QVERIFY(TestSupport::createSmallStore(path, journal));
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        QCOMPARE(store->needsReopen(), reopens);
        QCOMPARE(store->hasChanged(), std::optional<bool>(false));
        QCOMPARE(store->hasChanged(), std::optional<bool>(false));
        {
            TestSupport::WritingConnection writer(path);
            QVERIFY(writer.exec(u"INSERT INTO events VALUES (13, 'live', 1, NULL, 'T', "
                                "'2026-02-01T00:00:00.000Z', '{}', NULL)"_s));
        }
        QCOMPARE(store->hasChanged(), std::optional<bool>(true));
        if (!reopens) {
            QCOMPARE(store->hasChanged(), std::optional<bool>(false));
            EventFilter filter;
            filter.afterPosition = 12;
            const auto events = store->events(filter);
            QVERIFY(events);
            QCOMPARE(events->size(), 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestFollow)
#include "tst_follow.moc"

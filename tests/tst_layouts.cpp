// The stores of real event-sourcing libraries in SQLite: each is built by the test from the
// library's documented tables and read back through detection, queries, replay and snapshots.
// tst_postgres runs the PostgreSQL fixtures against a real server.

#include "decoding/timecodec.h"
#include "layoutfixtures.h"
#include "replay/replayengine.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QProcess>

#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestLayouts : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void sqliteFixtures_data()
    {
        QTest::addColumn<int>("index");
        const auto fixtures = LayoutFixtures::all(SqlDialect::Sqlite);
        for (int i = 0; i < fixtures.size(); ++i)
            QTest::newRow(qPrintable(fixtures.at(i).name)) << i;
    }

    void sqliteFixtures()
    {
        QFETCH(int, index);
        const LayoutFixture fixture = LayoutFixtures::all(SqlDialect::Sqlite).at(index);
        const QString path = m_dir.filePath(u"fixture-%1.db"_s.arg(index));
        QVERIFY(TestSupport::execSql(path, fixture.sql));
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        const QString problem = LayoutFixtures::verify(*store, fixture);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void tableMissingAColumnIsNamed()
    {
        // An Axon table without its payload_type column: not Axon, and the message says so.
        const QString path = m_dir.filePath(u"axon-partial.db"_s);
        QVERIFY(TestSupport::execSql(
            path, {u"CREATE TABLE domain_event_entry (global_index INTEGER PRIMARY KEY, "
                   "aggregate_identifier TEXT, sequence_number INTEGER, time_stamp TEXT, "
                   "payload BLOB)"_s}));
        StoreError error;
        QVERIFY(!EventStore::open(StoreLocation::parse(path), {}, &error));
        QVERIFY2(error.message.contains(u"domain_event_entry is named like the Axon Framework "
                                        "table but has no column payload_type"_s),
                 qPrintable(error.message));
        QCOMPARE(error.kind, StoreError::Kind::NoLayout);
    }

    void undecodablePayloadsAreShownAsHexWithTheReason()
    {
        // Python eventsourcing with AES-GCM: the state is ciphertext, and the time inside it
        // cannot be read either.
        const QString path = m_dir.filePath(u"encrypted.db"_s);
        const QByteArray cipher = QByteArray::fromHex(
            "9a0c3ef1d2b4770011aa55ee83c1f0de4b7a26ff0190c3d5e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3");
        QVERIFY(TestSupport::execSql(
            path, {u"CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                   "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"_s,
                   u"INSERT INTO stored_events VALUES ('abc', 1, 'app:Thing.Created', X'%1')"_s.arg(
                       QString::fromLatin1(cipher.toHex()))}));
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        QCOMPARE(store->layout().id, u"eventsourcing-python"_s);
        const auto page = store->events({});
        QVERIFY2(page && page->size() == 1, qPrintable(store->errorString()));
        const Event &e = page->first();
        QCOMPARE(e.timeMs, NoTime);
        QVERIFY2(e.dataNote.contains(u"%1 bytes"_s.arg(cipher.size())), qPrintable(e.dataNote));
        QVERIFY2(e.dataNote.contains(u"not decodable"_s), qPrintable(e.dataNote));
        QVERIFY2(e.data.startsWith("00000000  9a 0c 3e f1"), e.data.constData());
        // No time, so no buckets; the summary and the replay still work.
        const auto summary = store->summary();
        QVERIFY(summary);
        QCOMPARE(summary->events, 1);
        QCOMPARE(summary->firstTimeMs, NoTime);
    }

    void nullsEverywhere()
    {
        // Rows of a library table with every optional value NULL: read, never a crash.
        const QString path = m_dir.filePath(u"nulls.db"_s);
        QVERIFY(TestSupport::execSql(
            path,
            {u"CREATE TABLE messages (id TEXT, stream_name TEXT, type TEXT, position INTEGER, "
             "global_position INTEGER PRIMARY KEY, data TEXT, metadata TEXT, time TEXT)"_s,
             u"INSERT INTO messages VALUES (NULL, NULL, NULL, NULL, 1, NULL, NULL, NULL)"_s,
             u"INSERT INTO messages VALUES (NULL, 's-1', NULL, NULL, 2, 'null', NULL, "
             "'not a time')"_s,
             u"INSERT INTO messages VALUES (NULL, 's-1', 'T', 1, 3, '{}', '{}', "
             "'2026-01-05 08:00:00')"_s}));
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        QCOMPARE(store->layout().id, u"message-db"_s);
        const auto summary = store->summary();
        QVERIFY2(summary, qPrintable(store->errorString()));
        QCOMPARE(summary->events, 3);
        QCOMPARE(summary->streams, 1); // COUNT(DISTINCT) leaves NULL out
        const auto page = store->events({});
        QVERIFY2(page && page->size() == 3, qPrintable(store->errorString()));
        QCOMPARE(page->at(0).stream, QString());
        QCOMPARE(page->at(0).timeMs, NoTime);
        QCOMPARE(page->at(1).timeMs, NoTime);
        QCOMPARE(TimeCodec::format(page->at(2).timeMs), u"2026-01-05T08:00:00.000Z"_s);
        const auto streams = store->streams({});
        QVERIFY2(streams, qPrintable(store->errorString()));
        const auto days = store->buckets(BucketSize::Day, {});
        QVERIFY2(days, qPrintable(store->errorString()));
        qint64 bucketed = 0;
        for (const Bucket &b : *days)
            bucketed += b.events;
        QCOMPARE(bucketed, 1); // only the readable time
        // An event without a version has no place in its stream's order: the replay folds the
        // versioned one only.
        ReplayEngine replay(*store, u"s-1"_s);
        QVERIFY2(replay.load(), qPrintable(replay.errorString()));
        QCOMPARE(replay.eventCount(), 1);
    }

    void tableOptionChoosesAmongLayouts()
    {
        // Eventuous's tables and the own layout's in one file.
        const QString path = m_dir.filePath(u"two.db"_s);
        QStringList sql;
        for (const LayoutFixture &f : LayoutFixtures::all(SqlDialect::Sqlite)) {
            if (f.layoutId == u"eventuous")
                sql += f.sql;
        }
        QVERIFY(TestSupport::execSql(path, sql));
        QVERIFY(TestSupport::createSmallStore(path));
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        QCOMPARE(store->layout().id, u"eventscope"_s);
        QCOMPARE(store->matches().size(), 2);
        auto other = EventStore::open(StoreLocation::parse(path),
                                      StoreOpenOptions{{}, u"eventuous_messages"_s}, &error);
        QVERIFY2(other, qPrintable(error.message));
        QCOMPARE(other->layout().id, u"eventuous"_s);

        // The CLI lists both and reads the chosen one.
        QProcess cli;
        cli.start(TestSupport::cliPath(), {u"info"_s, path});
        QVERIFY(cli.waitForFinished(30000));
        const QJsonObject info = TestSupport::jsonObject(cli.readAllStandardOutput());
        QCOMPARE(info.value(u"tables"_s).toArray().size(), 2);
        cli.start(TestSupport::cliPath(),
                  {u"streams"_s, path, u"--table"_s, u"eventuous_messages"_s});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 0);
        const QByteArray out = cli.readAllStandardOutput();
        QVERIFY2(out.contains("\"stream\":\"User-1\""), out.constData());
        cli.start(TestSupport::cliPath(), {u"streams"_s, path, u"--table"_s, u"nope"_s});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY(cli.readAllStandardError().contains("no events table named 'nope'"));
    }
};

QTEST_GUILESS_MAIN(TestLayouts)
#include "tst_layouts.moc"

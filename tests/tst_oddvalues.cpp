// Odd but valid values in SQLite stores, one class per test: times before 1970, ISO times
// with offsets in the own layout, values that are no time (a day that does not exist, ticks
// past 9999, 1e300 seconds). Each answer is checked against SQL run separately, from the
// store's SQL path, from its in-memory index and from eventscope-cli alike.

#include "decoding/timecodec.h"
#include "index/eventindexbuilder.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <limits>

using namespace Qt::StringLiterals;

namespace {

using TestSupport::runCli;

// "start:count" per bucket, the form every source below is brought to.
QStringList describe(const QVector<Bucket> &buckets)
{
    QStringList result;
    for (const Bucket &b : buckets)
        result << TimeCodec::format(b.startMs) + u':' + QString::number(b.events);
    return result;
}

QStringList describe(const QList<QJsonObject> &lines)
{
    QStringList result;
    for (const QJsonObject &o : lines)
        result << o.value(u"bucket_start"_s).toString() + u':' +
                      QString::number(o.value(u"events"_s).toInteger());
    return result;
}

QStringList describe(const QVector<QVariantList> &rows)
{
    QStringList result;
    for (const QVariantList &row : rows)
        result << row.at(0).toString() + u':' + row.at(1).toString();
    return result;
}

// The own layout's table, with the times given.
QStringList ownStore(const QStringList &times)
{
    QStringList sql{
        u"CREATE TABLE events (global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
        "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at TEXT "
        "NOT NULL, data TEXT, metadata TEXT, UNIQUE(stream_id, stream_version))"_s,
        u"CREATE INDEX events_time ON events(recorded_at)"_s,
        u"CREATE INDEX events_type ON events(type)"_s};
    for (qsizetype i = 0; i < times.size(); ++i)
        sql << u"INSERT INTO events VALUES (%1, 's', %1, NULL, 'T', '%2', '{}', NULL)"_s.arg(i + 1)
                   .arg(times.at(i));
    return sql;
}

} // namespace

class TestOddValues : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_stores = 0;

    QString store(const QStringList &sql)
    {
        const QString path = m_dir.filePath(u"odd%1.db"_s.arg(++m_stores));
        if (!TestSupport::execSql(path, sql))
            qFatal("cannot write the test store");
        return path;
    }

    // The store read through SQL, and a second one answering from its index.
    std::pair<std::unique_ptr<EventStore>, std::unique_ptr<EventStore>>
    openBoth(const QString &path, const QString &map = {})
    {
        StoreError openError;
        auto sql = EventStore::open(StoreLocation::parse(path), {map, {}}, &openError);
        auto indexed = EventStore::open(StoreLocation::parse(path), {map, {}}, &openError);
        if (!sql || !indexed)
            qFatal("%s", qPrintable(openError.message));
        QString error;
        const auto index = EventIndexBuilder::build(*indexed, {}, &error);
        if (!index)
            qFatal("%s", qPrintable(error));
        indexed->attachIndex(index);
        return {std::move(sql), std::move(indexed)};
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // A time before 1970 is in the bucket it falls in: floored, not truncated toward zero,
    // in the store's SQL (canonical text and TimeCodec's function), its index and the CLI.
    void timesBefore1970_data()
    {
        QTest::addColumn<QString>("map");
        QTest::addColumn<QStringList>("sql");
        const QStringList times{u"1969-12-31T23:30:00.000Z"_s, u"1969-12-31T12:00:00.000Z"_s,
                                u"1969-12-25T06:00:00.500Z"_s, u"1970-01-01T00:30:00.000Z"_s,
                                u"1900-03-01T00:00:00.000Z"_s, u"0001-01-01T00:00:00.000Z"_s};
        QTest::newRow("own layout, canonical text") << QString() << ownStore(times);
        QStringList ms{u"CREATE TABLE log (id INTEGER PRIMARY KEY, agg TEXT, seq INTEGER, "
                       "kind TEXT, at INTEGER, body TEXT)"_s};
        for (qsizetype i = 0; i < times.size(); ++i)
            ms << u"INSERT INTO log VALUES (%1, 's', %1, 'T', %2, '{}')"_s.arg(i + 1).arg(
                TimeCodec::parseIso(times.at(i)));
        QTest::newRow("mapped, epoch milliseconds")
            << u"table=log,position=id,stream=agg,version=seq,type=kind,time=at,data=body,"
               "time_format=ms"_s
            << ms;
    }

    void timesBefore1970()
    {
        QFETCH(QString, map);
        QFETCH(QStringList, sql);
        const QString path = store(sql);
        auto [bySql, byIndex] = openBoth(path, map);
        const QString table = map.isEmpty() ? u"events"_s : u"log"_s;
        const QString time = map.isEmpty()
                                 ? u"recorded_at"_s
                                 : u"strftime('%Y-%m-%dT%H:%M:%fZ', at / 1000.0, 'unixepoch')"_s;
        // SQLite's own calendar: the bucket a time is in, as text.
        const QMap<BucketSize, QString> expectedSql{
            {BucketSize::Hour, u"strftime('%Y-%m-%dT%H:00:00.000Z', %1)"_s},
            {BucketSize::Day, u"strftime('%Y-%m-%dT00:00:00.000Z', %1)"_s},
            {BucketSize::Week, u"strftime('%Y-%m-%dT00:00:00.000Z', %1, '-6 days', "
                               "'weekday 1')"_s}};
        for (auto it = expectedSql.cbegin(); it != expectedSql.cend(); ++it) {
            const QString bucket = it.value().arg(time);
            const QStringList expected = describe(TestSupport::queryRows(
                path, u"SELECT %1, COUNT(*) FROM %2 GROUP BY 1 ORDER BY 1"_s.arg(bucket, table)));
            const QString name = EventStore::bucketName(it.key());
            const auto fromSql = bySql->buckets(it.key(), {});
            QVERIFY2(fromSql, qPrintable(bySql->errorString()));
            QCOMPARE(describe(*fromSql), expected);
            QCOMPARE(describe(*byIndex->buckets(it.key(), {})), expected);
            QStringList args{u"stats"_s, path, u"--bucket"_s, name};
            if (!map.isEmpty())
                args << u"--map"_s << map;
            const TestSupport::CliRun run = runCli(args);
            QCOMPARE(run.exitCode, 0);
            QCOMPARE(describe(run.objects()), expected);
        }
    }

    // The own layout's times are compared as text only when every one is canonical: a time
    // with an offset makes the store compare them as times, everywhere.
    void isoTimesWithOffsets()
    {
        const QString path =
            store(ownStore({u"2026-01-01T08:00:00.000Z"_s, u"2026-01-01T09:00:00+08:00"_s,
                            u"2026-01-01T03:00:00.000Z"_s}));
        auto [bySql, byIndex] = openBoth(path);
        const QString first = u"2026-01-01T01:00:00.000Z"_s;
        const QString last = u"2026-01-01T08:00:00.000Z"_s;
        for (EventStore *store : {bySql.get(), byIndex.get()}) {
            const auto summary = store->summary();
            QVERIFY2(summary, qPrintable(store->errorString()));
            QCOMPARE(TimeCodec::format(summary->firstTimeMs), first);
            QCOMPARE(TimeCodec::format(summary->lastTimeMs), last);
        }
        const QJsonObject info = runCli({u"info"_s, path}).objects().value(0);
        QCOMPARE(info.value(u"first_time"_s).toString(), first);
        QCOMPARE(info.value(u"last_time"_s).toString(), last);

        // A range holds the offset time by its instant: 01:00Z is before 02:00Z.
        EventFilter filter;
        filter.fromTimeMs = TimeCodec::parseIso(u"2026-01-01T00:30:00Z"_s);
        filter.toTimeMs = TimeCodec::parseIso(u"2026-01-01T02:00:00Z"_s);
        const auto events = bySql->events(filter);
        QVERIFY2(events, qPrintable(bySql->errorString()));
        QCOMPARE(events->size(), 1);
        QCOMPARE(events->first().position, 2);
        const TestSupport::CliRun run =
            runCli({u"events"_s, path, u"--from-time"_s, u"2026-01-01T00:30:00Z"_s, u"--to-time"_s,
                    u"2026-01-01T02:00:00Z"_s});
        QCOMPARE(run.objects().size(), 1);
        QCOMPARE(run.objects().first().value(u"time"_s).toString(), first);
    }

    // One definition of a valid time: what events shows as null is counted by no summary's
    // time range, no bucket and no range, in every command; TimeCodec's limits hold for
    // numbers that overflow (1e300 seconds) too.
    void valuesThatAreNoTime_data()
    {
        QTest::addColumn<QString>("map");
        QTest::addColumn<QStringList>("sql");
        QTest::addColumn<int>("timed"); // the events whose time is a time
        QTest::newRow("a day that does not exist")
            << QString()
            << ownStore({u"2026-02-30T00:00:00.000Z"_s, u"2026-02-28T10:00:00.000Z"_s,
                         u"0000-06-01T00:00:00.000Z"_s, u"2026-13-01T00:00:00.000Z"_s})
            << 1;
        // The SQLite reader's own ISO parsing refuses what parseIso refuses.
        QTest::newRow("malformed fractions and offsets")
            << QString()
            << ownStore({u"2026-02-28T10:00:00+05:"_s, u"2026-02-28T10:00:00+5"_s,
                         u"2026-02-28T10:00:00.Z"_s, u"2026-02-28T10:00:00+16:00"_s,
                         u"2026-02-28T10:00:00.5+05:30"_s})
            << 1;
        const QString table = u"CREATE TABLE log (id INTEGER PRIMARY KEY, agg TEXT, seq INTEGER, "
                              "kind TEXT, at, body TEXT)"_s;
        QTest::newRow("ticks past 9999")
            << u"table=log,position=id,stream=agg,version=seq,type=kind,time=at,data=body,"
               "time_format=ticks"_s
            << QStringList{table,
                           u"INSERT INTO log VALUES (1, 's', 1, 'T', %1, '{}')"_s.arg(
                               std::numeric_limits<qint64>::max()),
                           u"INSERT INTO log VALUES (2, 's', 2, 'T', %1, '{}')"_s.arg(
                               TimeCodec::toDotNetTicks(1767225600000)),
                           u"INSERT INTO log VALUES (3, 's', 3, 'T', -5, '{}')"_s}
            << 1;
        QTest::newRow("1e300 seconds")
            << u"table=log,position=id,stream=agg,version=seq,type=kind,time=at,data=body,"
               "time_format=s"_s
            << QStringList{table, u"INSERT INTO log VALUES (1, 's', 1, 'T', 1e300, '{}')"_s,
                           u"INSERT INTO log VALUES (2, 's', 2, 'T', -1e300, '{}')"_s,
                           u"INSERT INTO log VALUES (3, 's', 3, 'T', 1767225600.25, '{}')"_s,
                           u"INSERT INTO log VALUES (4, 's', 4, 'T', 9.3e18, '{}')"_s}
            << 1;
        QTest::newRow("1e300 milliseconds")
            << u"table=log,position=id,stream=agg,version=seq,type=kind,time=at,data=body,"
               "time_format=ms"_s
            << QStringList{table, u"INSERT INTO log VALUES (1, 's', 1, 'T', 1e300, '{}')"_s,
                           u"INSERT INTO log VALUES (2, 's', 2, 'T', 1767225600250, '{}')"_s}
            << 1;
    }

    void valuesThatAreNoTime()
    {
        QFETCH(QString, map);
        QFETCH(QStringList, sql);
        QFETCH(int, timed);
        const QString path = store(sql);
        auto [bySql, byIndex] = openBoth(path, map);
        const QStringList mapArgs = map.isEmpty() ? QStringList() : QStringList{u"--map"_s, map};

        // What events shows: the times that are times.
        const TestSupport::CliRun events = runCli(QStringList{u"events"_s, path} + mapArgs);
        QCOMPARE(events.exitCode, 0);
        QStringList shown;
        for (const QJsonObject &e : events.objects()) {
            if (!e.value(u"time"_s).isNull())
                shown << e.value(u"time"_s).toString();
        }
        QCOMPARE(shown.size(), timed);
        shown.sort();
        const qint64 untimed = events.objects().size() - timed;

        for (EventStore *store : {bySql.get(), byIndex.get()}) {
            const auto summary = store->summary();
            QVERIFY2(summary, qPrintable(store->errorString()));
            QCOMPARE(TimeCodec::format(summary->firstTimeMs), shown.first());
            QCOMPARE(TimeCodec::format(summary->lastTimeMs), shown.last());
            QCOMPARE(summary->eventsWithoutTime, untimed);
            qint64 bucketed = 0;
            const auto buckets = store->buckets(BucketSize::Day, {});
            QVERIFY2(buckets, qPrintable(store->errorString()));
            for (const Bucket &b : *buckets)
                bucketed += b.events;
            QCOMPARE(bucketed, qint64(timed));
            // The widest range holds exactly the times that are times.
            EventFilter all;
            all.fromTimeMs = TimeCodec::MinMs;
            all.toTimeMs = TimeCodec::MaxMs;
            all.limit = 100;
            const auto inRange = store->events(all);
            QVERIFY2(inRange, qPrintable(store->errorString()));
            QCOMPARE(inRange->size(), timed);
        }
        const TestSupport::CliRun stats = runCli(QStringList{u"stats"_s, path} + mapArgs);
        QCOMPARE(stats.exitCode, 0);
        qint64 bucketed = 0;
        for (const QJsonObject &b : stats.objects())
            bucketed += b.value(u"events"_s).toInteger();
        QCOMPARE(bucketed, qint64(timed));
        QVERIFY2(stats.err.contains(u"note: %1 event(s)"_s.arg(untimed)), qPrintable(stats.err));
        const QJsonObject info = runCli(QStringList{u"info"_s, path} + mapArgs).objects().value(0);
        QCOMPARE(info.value(u"first_time"_s).toString(), shown.first());
        QCOMPARE(info.value(u"last_time"_s).toString(), shown.last());
        QCOMPARE(info.value(u"events_without_time"_s).toInteger(), untimed);
    }

    // An event without a place in its stream's order (a NULL version, or the lowest 64-bit
    // integer) is not replayed, and the replay says so.
    void versionsThatOrderNothing()
    {
        const QString path =
            store({u"CREATE TABLE log (id INTEGER PRIMARY KEY, agg TEXT, seq INTEGER, kind TEXT, "
                   "body TEXT)"_s,
                   u"INSERT INTO log VALUES (1, 's', NULL, 'T', '{\"a\": 1}')"_s,
                   u"INSERT INTO log VALUES (2, 's', -9223372036854775808, 'T', '{\"b\": 1}')"_s,
                   u"INSERT INTO log VALUES (3, 's', 1, 'T', '{\"c\": 1}')"_s,
                   u"INSERT INTO log VALUES (4, 's', 2, 'T', '{\"d\": 1}')"_s});
        const QString map = u"table=log,position=id,stream=agg,version=seq,type=kind,data=body"_s;
        const auto unordered = TestSupport::queryRows(
            path, u"SELECT COUNT(*) FROM log WHERE seq IS NULL OR seq = -9223372036854775808"_s);
        const TestSupport::CliRun replay =
            runCli({u"replay"_s, path, u"--map"_s, map, u"--stream"_s, u"s"_s});
        QCOMPARE(replay.exitCode, 0);
        QCOMPARE(replay.objects().value(0).value(u"events_applied"_s).toInt(), 2);
        QVERIFY2(replay.err.contains(u"note: %1 event(s) of stream 's' have no version"_s.arg(
                     unordered.value(0).value(0).toLongLong())),
                 qPrintable(replay.err));
    }

    // A stream is its text: the integer 1 and the text "1" are one stream, a REAL 1.5 is the
    // stream "1.5", in the listing, the events, the buckets and the replay.
    void streamsAreTheirText()
    {
        const QString path = store(
            {u"CREATE TABLE log (id INTEGER PRIMARY KEY, agg, seq INTEGER, kind TEXT, "
             "at TEXT, body TEXT)"_s,
             u"INSERT INTO log VALUES (1, 1, 1, 'T', '2026-01-01T00:00:00Z', '{\"a\": 1}')"_s,
             u"INSERT INTO log VALUES (2, '1', 2, 'T', '2026-01-01T01:00:00Z', '{\"b\": 2}')"_s,
             u"INSERT INTO log VALUES (3, 1.5, 1, 'T', '2026-01-01T02:00:00Z', '{\"c\": 3}')"_s,
             u"INSERT INTO log VALUES (4, 'x', 1, 'T', '2026-01-01T03:00:00Z', '{}')"_s});
        const QString map =
            u"table=log,position=id,stream=agg,version=seq,type=kind,time=at,data=body"_s;
        // SQL run separately: the streams by their text.
        const auto expected = TestSupport::queryRows(
            path, u"SELECT CAST(agg AS TEXT), COUNT(*) FROM log GROUP BY 1 ORDER BY 1"_s);
        QCOMPARE(describe(expected), (QStringList{u"1:2"_s, u"1.5:1"_s, u"x:1"_s}));

        auto [bySql, byIndex] = openBoth(path, map);
        for (EventStore *store : {bySql.get(), byIndex.get()}) {
            const auto streams = store->streams({});
            QVERIFY2(streams, qPrintable(store->errorString()));
            QStringList listed;
            for (const StreamInfo &info : *streams)
                listed << info.stream + u':' + QString::number(info.events);
            QCOMPARE(listed, describe(expected));
            BucketFilter one;
            one.stream = u"1"_s;
            const auto buckets = store->buckets(BucketSize::Day, one);
            QVERIFY2(buckets, qPrintable(store->errorString()));
            QCOMPARE(describe(*buckets), QStringList{u"2026-01-01T00:00:00.000Z:2"_s});
        }
        const TestSupport::CliRun listed = runCli({u"streams"_s, path, u"--map"_s, map});
        QCOMPARE(listed.objects().size(), 3);
        const TestSupport::CliRun events =
            runCli({u"events"_s, path, u"--map"_s, map, u"--stream"_s, u"1"_s});
        QCOMPARE(events.objects().size(), 2);
        const TestSupport::CliRun replay =
            runCli({u"replay"_s, path, u"--map"_s, map, u"--stream"_s, u"1"_s});
        QCOMPARE(replay.exitCode, 0);
        const QJsonObject state = replay.objects().value(0).value(u"state"_s).toObject();
        QCOMPARE(state.value(u"a"_s).toInt(), 1);
        QCOMPARE(state.value(u"b"_s).toInt(), 2);
        const TestSupport::CliRun real =
            runCli({u"replay"_s, path, u"--map"_s, map, u"--stream"_s, u"1.5"_s});
        QVERIFY2(real.exitCode == 0, qPrintable(real.err));
        QCOMPARE(real.objects().value(0).value(u"state"_s).toObject().value(u"c"_s).toInt(), 3);
    }
};

QTEST_GUILESS_MAIN(TestOddValues)
#include "tst_oddvalues.moc"

// The in-memory index answers as the SQL does: on a randomized store (stream names with
// unicode, mixed case and LIKE's wildcards, NULL and empty types, missing times over a decade), on
// a demo store, on every time format of a mapped store and on every library layout's SQLite
// fixture, summary(), streams() (both orders, filters, keyset pages) and buckets() (every size, by
// stream and by type) of a store with the index attached equal those of the same store without it.
// Also: progress, cancel, and what cannot be indexed.

#include "decoding/timecodec.h"
#include "index/eventindex.h"
#include "index/eventindexbuilder.h"
#include "layoutfixtures.h"
#include "replay/replayengine.h"
#include "store/eventstore.h"
#include "store/keyedjoinscan.h"
#include "store/sqlitestreamreader.h"
#include "testsupport.h"
#include "writers/demogenerator.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr int MaxStreamFilters = 8; // buckets by stream: enough kinds of names, not every one

const QStringList StreamNames = {u"user-1"_s,   u"User-2"_s,    u"USER-10"_s, u"béta-☃"_s,
                                 u"BÉTA-x"_s,   u"100%_done"_s, u"a_b"_s,     u"a%b"_s,
                                 u"order\\1"_s, u"zz"_s,        u"Zz"_s,      u"数据-7"_s};
const QStringList Filters = {u"user"_s, u"USER-1"_s, u"é"_s, u"É"_s,  u"%"_s,   u"_"_s,
                             u"a_b"_s,  u"\\"_s,     u"z"_s, u"数"_s, u"nope"_s};

QString sqlText(const QString &text)
{
    return u"'"_s + QString(text).replace(u"'"_s, u"''"_s) + u"'"_s;
}

// Eventscope's own table, with rows no writer of ours would produce. The positions of the first
// `withoutGaps` events follow each other, those after have gaps; each stream's versions count
// from firstVersion (the index keeps versions in 32 bits while they fit).
QStringList randomStoreSql(quint32 seed, int events, int withoutGaps = 0, qint64 firstVersion = 1)
{
    QRandomGenerator rng(seed);
    QStringList sql{
        u"CREATE TABLE events (global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
        "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT, recorded_at TEXT, "
        "data TEXT, metadata TEXT, UNIQUE (stream_id, stream_version))"_s,
        u"CREATE INDEX events_recorded_at ON events (recorded_at)"_s,
        u"CREATE INDEX events_type ON events (type)"_s};
    QHash<QString, qint64> versions;
    const QStringList types = {u"Clicked"_s, u"UserCreated"_s, u"clicked"_s, u""_s};
    qint64 position = 0;
    for (int i = 0; i < events; ++i) {
        position += i < withoutGaps ? 1 : 1 + rng.bounded(3);
        const QString stream = StreamNames.at(rng.bounded(int(StreamNames.size())));
        const qint64 version =
            versions.contains(stream) ? ++versions[stream] : (versions[stream] = firstVersion);
        const int t = rng.bounded(int(types.size()) + 1);
        const QString type = t == types.size() ? u"NULL"_s : sqlText(types.at(t));
        // Canonical times over ten years, some missing.
        const qint64 ms = 1262304000000LL + qint64(rng.bounded(quint64(315360000000LL)));
        const QString time = rng.bounded(40) == 0 ? u"NULL"_s : sqlText(TimeCodec::format(ms));
        sql << u"INSERT INTO events VALUES (%1, %2, %3, NULL, %4, %5, '{\"n\": %6}', NULL)"_s
                   .arg(position)
                   .arg(sqlText(stream))
                   .arg(version)
                   .arg(type, time)
                   .arg(i);
    }
    return sql;
}

QString describe(const StoreSummary &s)
{
    QStringList types;
    for (auto it = s.typeCounts.cbegin(); it != s.typeCounts.cend(); ++it)
        types << u"%1=%2"_s.arg(it.key()).arg(it.value());
    return u"events %1 streams %2 time %3..%4 exact %5 types %6"_s.arg(s.events)
        .arg(s.streams)
        .arg(s.firstTimeMs)
        .arg(s.lastTimeMs)
        .arg(s.exact)
        .arg(types.join(u' '));
}

QStringList describe(const QVector<StreamInfo> &streams)
{
    QStringList rows;
    for (const StreamInfo &s : streams)
        rows << u"%1 n=%2 v=%3..%4 t=%5..%6"_s.arg(s.stream)
                    .arg(s.events)
                    .arg(s.firstVersion)
                    .arg(s.lastVersion)
                    .arg(s.firstTimeMs)
                    .arg(s.lastTimeMs);
    return rows;
}

QStringList describe(const QVector<Bucket> &buckets)
{
    QStringList rows;
    for (const Bucket &b : buckets) {
        QStringList types;
        for (auto it = b.byType.cbegin(); it != b.byType.cend(); ++it)
            types << u"%1=%2"_s.arg(it.key()).arg(it.value());
        rows << u"%1 %2 [%3]"_s.arg(b.startMs).arg(b.events).arg(types.join(u' '));
    }
    return rows;
}

// A lane as rows "version position time type".
QStringList describe(const StreamColumns &lane)
{
    QStringList rows;
    for (qsizetype i = 0; i < lane.times.size(); ++i)
        rows << u"%1 %2 %3 %4"_s.arg(lane.versions.at(i))
                    .arg(lane.positions.at(i))
                    .arg(lane.times.at(i))
                    .arg(lane.types.at(i));
    return rows;
}

// What the timeline shows of a stream when SQL reads it: its events with a time, page by page
// in version order.
QStringList sqlLane(EventStore &store, const QString &stream)
{
    QStringList rows;
    qint64 after = std::numeric_limits<qint64>::min();
    for (;;) {
        const auto page = store.streamEvents(stream, after, 1000);
        if (!page)
            return {u"failed: "_s + store.errorString()};
        for (const Event &e : *page) {
            if (e.timeMs != NoTime)
                rows << u"%1 %2 %3 %4"_s.arg(e.version).arg(e.position).arg(e.timeMs).arg(e.type);
        }
        if (page->size() < 1000)
            return rows;
        after = page->constLast().version;
    }
}

struct Pair
{
    std::unique_ptr<EventStore> sql;
    std::unique_ptr<EventStore> indexed;
};

Pair openPair(const QString &path, const StoreOpenOptions &options = {})
{
    Pair pair;
    StoreError openError;
    pair.sql = EventStore::open(StoreLocation::parse(path), options, &openError);
    if (!pair.sql)
        qWarning() << openError.message;
    pair.indexed = EventStore::open(StoreLocation::parse(path), options, &openError);
    if (!pair.indexed)
        return pair;
    QString error;
    const auto index = EventIndexBuilder::build(*pair.indexed, {}, &error);
    if (!index)
        qWarning() << error;
    pair.indexed->attachIndex(index);
    return pair;
}

// Every page of a query, `limit` at a time, as the stream list pages.
QVector<StreamInfo> allPages(EventStore &store, StreamQuery query)
{
    QVector<StreamInfo> all;
    for (;;) {
        const auto page = store.streams(query);
        if (!page)
            return all;
        all += *page;
        if (page->size() < query.limit)
            return all;
        query.after = page->constLast().stream;
        query.afterEvents = page->constLast().events;
    }
}

} // namespace

class TestEventIndex : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    void compare(Pair &pair)
    {
        QVERIFY(pair.sql && pair.indexed && pair.indexed->index());
        const auto sqlSummary = pair.sql->summary();
        const auto indexSummary = pair.indexed->summary();
        QVERIFY(sqlSummary && indexSummary);
        QCOMPARE(describe(*indexSummary), describe(*sqlSummary));
        QCOMPARE(pair.indexed->index()->eventCount(), sqlSummary->events);

        if (pair.indexed->index()->servesStreams()) {
            for (const auto order : {StreamQuery::Order::Name, StreamQuery::Order::MostEvents}) {
                for (const QString &filter : QStringList{QString()} + Filters) {
                    for (const int limit : {1, 3, 1000}) {
                        StreamQuery query;
                        query.order = order;
                        query.filter = filter;
                        query.limit = limit;
                        const QString what = u"order %1 filter '%2' limit %3"_s.arg(int(order))
                                                 .arg(filter)
                                                 .arg(limit);
                        QVERIFY2(describe(allPages(*pair.indexed, query)) ==
                                     describe(allPages(*pair.sql, query)),
                                 qPrintable(what));
                    }
                }
            }
        }

        StreamQuery everyStream;
        everyStream.limit = 1000;
        const auto streams = pair.sql->streams(everyStream);
        QVERIFY(streams);
        QStringList streamFilters{QString(), u"no such stream"_s};
        for (const StreamInfo &s : *streams) {
            if (streamFilters.size() < MaxStreamFilters)
                streamFilters << s.stream;
        }
        // The timeline's lanes, all in one pass, as SQL reads each stream.
        if (pair.indexed->index()->servesStreams()) {
            QStringList laneStreams = streamFilters.mid(1);
            const auto lanes = pair.indexed->index()->lanes(laneStreams);
            QCOMPARE(lanes.size(), laneStreams.size());
            for (qsizetype i = 0; i < lanes.size(); ++i) {
                QCOMPARE(lanes.at(i).stream, laneStreams.at(i));
                QVERIFY2(describe(lanes.at(i)) == sqlLane(*pair.sql, laneStreams.at(i)),
                         qPrintable(laneStreams.at(i) + u"\n"_s +
                                    describe(lanes.at(i)).join(u"\n"_s) + u"\nSQL:\n"_s +
                                    sqlLane(*pair.sql, laneStreams.at(i)).join(u"\n"_s)));
            }
        }

        // The quick summary (as of a large store) is flagged inexact and within the exact
        // figures, or is the exact summary where the store cannot be sampled.
        const auto quick = pair.sql->quickSummary({}, 0);
        QVERIFY2(quick, qPrintable(pair.sql->errorString()));
        if (quick->exact) {
            QCOMPARE(describe(*quick), describe(*sqlSummary));
        } else {
            QCOMPARE(quick->streams, qint64(-1));
            for (auto it = quick->typeCounts.cbegin(); it != quick->typeCounts.cend(); ++it) {
                QVERIFY2(sqlSummary->typeCounts.contains(it.key()), qPrintable(it.key()));
                QCOMPARE(it.value(), qint64(-1));
            }
            if (quick->firstTimeMs != NoTime) {
                QVERIFY(quick->firstTimeMs >= sqlSummary->firstTimeMs);
                QVERIFY(quick->lastTimeMs <= sqlSummary->lastTimeMs);
            }
        }

        QStringList typeFilters{QString(), u"NoSuchType"_s};
        typeFilters += sqlSummary->typeCounts.keys();
        for (const BucketSize size :
             {BucketSize::Minute, BucketSize::Hour, BucketSize::Day, BucketSize::Week}) {
            for (const QString &stream : std::as_const(streamFilters)) {
                for (const QString &type : std::as_const(typeFilters)) {
                    const BucketFilter filter{stream, type};
                    const auto fromSql = pair.sql->buckets(size, filter);
                    const auto fromIndex = pair.indexed->buckets(size, filter);
                    const QString what = u"%1 stream '%2' type '%3'"_s.arg(
                        EventStore::bucketName(size), stream, type);
                    QVERIFY2(fromSql.has_value() == fromIndex.has_value(), qPrintable(what));
                    if (fromSql)
                        QVERIFY2(describe(*fromIndex) == describe(*fromSql), qPrintable(what));
                }
            }
        }
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void randomizedStore_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("events");
        QTest::addColumn<int>("withoutGaps");
        QTest::addColumn<qint64>("firstVersion");
        QTest::newRow("one event") << 1u << 1 << 0 << 1LL;
        QTest::newRow("300 events") << 2u << 300 << 0 << 1LL;
        QTest::newRow("2000 events") << 3u << 2000 << 0 << 1LL;
        QTest::newRow("positions without gaps") << 4u << 2000 << 2000 << 1LL;
        QTest::newRow("a gap in the later half") << 5u << 2000 << 1500 << 1LL;
        QTest::newRow("a gap in the earlier half") << 6u << 2000 << 300 << 1LL;
        QTest::newRow("versions past 32 bits") << 7u << 2000 << 2000 << 4294967290LL;
        QTest::newRow("versions from -2^31") << 8u << 2000 << 1000 << -2147483648LL;
    }

    void randomizedStore()
    {
        QFETCH(quint32, seed);
        QFETCH(int, events);
        QFETCH(int, withoutGaps);
        QFETCH(qint64, firstVersion);
        const QString file = path(u"random-%1.db"_s.arg(seed));
        QVERIFY(
            TestSupport::execSql(file, randomStoreSql(seed, events, withoutGaps, firstVersion)));
        Pair pair = openPair(file);
        compare(pair);
    }

    // A store that grew by appends: the index extended by the new events answers as a new
    // build (and as SQL) does, new streams and types included; a store that changed before
    // the index's last position is refused.
    void extendedIndexAnswersAsABuild()
    {
        const QString full = path(u"grown-full.db"_s);
        const QString grown = path(u"grown.db"_s);
        QVERIFY(TestSupport::execSql(full, randomStoreSql(41, 3000, 2000, 1)));
        QVERIFY(QFile::copy(full, grown));
        QVERIFY(
            TestSupport::execSql(grown, {u"DELETE FROM events WHERE global_position > 1700"_s}));
        Pair pair = openPair(grown);
        QVERIFY(pair.indexed && pair.indexed->index());
        const auto before = pair.indexed->index();

        QVERIFY(TestSupport::execSql(
            grown,
            {u"ATTACH DATABASE '%1' AS full"_s.arg(full),
             u"INSERT INTO main.events SELECT * FROM full.events WHERE global_position > 1700"_s,
             u"INSERT INTO main.events VALUES (900000, 'brand-new', 1, NULL, 'NewType', "
             "'2031-05-05T05:05:05.000Z', '{}', NULL)"_s},
            TestSupport::Transaction::None));
        QString error;
        const auto extended = EventIndexBuilder::extend(before, *pair.indexed, {}, &error);
        QVERIFY2(extended, qPrintable(error));
        QVERIFY(extended != before);
        QCOMPARE(before->eventCount(), qint64(1700)); // the old one is left as it was
        QCOMPARE(extended->eventCount(), qint64(3001));
        pair.indexed->attachIndex(extended);
        StoreError openError;
        pair.sql = EventStore::open(StoreLocation::parse(grown), {}, &openError);
        compare(pair);
        QCOMPARE(EventIndexBuilder::extend(extended, *pair.indexed, {}, &error), extended);

        // The first event went (as scavenging removes old events): only a build answers. An
        // event removed between the ends is not seen: stores append, and Follow reads appends.
        QVERIFY(TestSupport::execSql(grown, {u"DELETE FROM events WHERE global_position = 1"_s}));
        QVERIFY(!EventIndexBuilder::extend(extended, *pair.indexed, {}, &error));
        QVERIFY2(error.contains(u"changed"_s), qPrintable(error));
    }

    void demoStore()
    {
        const QString file = path(u"demo.db"_s);
        DemoGenerator::Options options;
        options.events = 30000;
        options.users = 50;
        QString error;
        QVERIFY2(DemoGenerator::generate(file, options, &error), qPrintable(error));
        Pair pair = openPair(file);
        compare(pair);
    }

    void mappedTimeFormats_data()
    {
        QTest::addColumn<QString>("format");
        for (const char *format : {"iso", "sql", "s", "ms", "ticks"})
            QTest::newRow(format) << QString::fromLatin1(format);
    }

    void mappedTimeFormats()
    {
        QFETCH(QString, format);
        const QString file = path(u"mapped-%1.db"_s.arg(format));
        QVERIFY(TestSupport::createMappedStore(file, format));
        Pair pair = openPair(file, {u"table=events_v2,stream=aggregate_id,version=seq,type=kind,"
                                    "time=created,data=body,position=id"_s,
                                    {}});
        compare(pair);
    }

    void layoutFixtures_data()
    {
        QTest::addColumn<int>("fixture");
        const auto fixtures = (LayoutFixtures::all(SqlDialect::Sqlite) +
                               LayoutFixtures::splitStores(SqlDialect::Sqlite));
        for (int i = 0; i < fixtures.size(); ++i)
            QTest::newRow(qPrintable(fixtures.at(i).name)) << i;
    }

    void layoutFixtures()
    {
        QFETCH(int, fixture);
        const LayoutFixture f = (LayoutFixtures::all(SqlDialect::Sqlite) +
                                 LayoutFixtures::splitStores(SqlDialect::Sqlite))
                                    .at(fixture);
        const QString file = path(u"fixture-%1.db"_s.arg(fixture));
        QVERIFY(TestSupport::execSql(file, f.sql));
        // A store whose times are in the payloads (Python eventsourcing) is indexed too, its
        // events without a time as every statement sees them.
        Pair pair = openPair(file);
        QVERIFY(pair.sql && pair.indexed && pair.indexed->index());
        compare(pair);
        // And the store still reads back as the library wrote it, through the index.
        QCOMPARE(LayoutFixtures::verify(*pair.indexed, f), QString());
    }

    // Rails Event Store keeps no position for a stream written with expected_version :any: its
    // version is the link's id. A stream whose positions are all kept, or none, is read in
    // (position, id) order, which the (stream, position) index serves; a stream with both is
    // read in the order of its versions, which that would break.
    void versionsFallingBack()
    {
        const QString file = path(u"rails-versions.db"_s);
        QStringList sql{
            u"CREATE TABLE event_store_events (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id "
            "VARCHAR(36) NOT NULL, event_type VARCHAR NOT NULL, metadata TEXT, data TEXT NOT "
            "NULL, created_at DATETIME(6) NOT NULL, valid_at DATETIME(6))"_s,
            u"CREATE TABLE event_store_events_in_streams (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "stream VARCHAR NOT NULL, position INTEGER, event_id VARCHAR(36) NOT NULL, "
            "created_at DATETIME(6) NOT NULL)"_s,
            u"CREATE UNIQUE INDEX index_event_store_events_on_event_id ON event_store_events "
            "(event_id)"_s,
            u"CREATE UNIQUE INDEX index_event_store_events_in_streams_on_stream_and_position ON "
            "event_store_events_in_streams (stream, position)"_s};
        // Link ids 1..10: "kept" has positions out of id order, "none" has none, "both" has
        // positions 0..2 and two links without one, whose ids are their versions.
        const QVector<std::pair<QString, QString>> links{
            {u"kept"_s, u"1"_s},    {u"both"_s, u"0"_s},    {u"none"_s, u"NULL"_s},
            {u"kept"_s, u"0"_s},    {u"both"_s, u"NULL"_s}, {u"both"_s, u"1"_s},
            {u"none"_s, u"NULL"_s}, {u"both"_s, u"NULL"_s}, {u"both"_s, u"2"_s},
            {u"kept"_s, u"2"_s}};
        for (qsizetype i = 0; i < links.size(); ++i) {
            const QString time = u"'2026-01-01 00:00:%1.000000'"_s.arg(i + 10);
            sql << u"INSERT INTO event_store_events VALUES (%1, 'e%1', 'Counted', NULL, "
                   "'{\"n\": %1}', %2, NULL)"_s.arg(i + 1)
                       .arg(time)
                << u"INSERT INTO event_store_events_in_streams VALUES (%1, '%2', %3, 'e%1', %4)"_s
                       .arg(i + 1)
                       .arg(links.at(i).first, links.at(i).second, time);
        }
        QVERIFY(TestSupport::execSql(file, sql));
        Pair pair = openPair(file);
        QVERIFY(pair.sql && pair.indexed && pair.indexed->index());
        QCOMPARE(pair.sql->layout().id, u"rails-event-store"_s);
        compare(pair);
        const QVector<std::pair<QString, QVector<qint64>>> expected{
            {u"kept"_s, {0, 1, 2}}, {u"none"_s, {3, 7}}, {u"both"_s, {0, 1, 2, 5, 8}}};
        for (EventStore *store : {pair.sql.get(), pair.indexed.get()}) {
            for (const auto &[stream, versions] : expected) {
                const auto events = store->streamEvents(stream, -1, 100);
                QVERIFY2(events, qPrintable(store->errorString()));
                QVector<qint64> read;
                for (const Event &e : *events)
                    read << e.version;
                QCOMPARE(read, versions);
                // Read on from a version, as pages and resumed folds are.
                const auto rest = store->streamEvents(stream, versions.constFirst(), 100);
                QVERIFY2(rest, qPrintable(store->errorString()));
                read.clear();
                for (const Event &e : *rest)
                    read << e.version;
                QCOMPARE(read, versions.mid(1));
                const auto reader = store->streamReader(stream, versions.at(1));
                QVERIFY2(reader, qPrintable(store->errorString()));
                read.clear();
                while (reader->next() == SqliteStreamReader::Step::Row)
                    read << reader->version();
                QCOMPARE(read, versions.mid(2));
                ReplayEngine replay(*store, stream);
                QVERIFY2(replay.load(), qPrintable(replay.errorString()));
                QCOMPARE(replay.versions(), versions);
            }
        }
    }

    void oddJsonRoles_data()
    {
        QTest::addColumn<int>("store");
        const auto stores = LayoutFixtures::oddJsonRoleStores();
        for (int i = 0; i < stores.size(); ++i)
            QTest::newRow(qPrintable(stores.at(i).name)) << i;
    }

    // Types and times that are strings in JSON: the index's scan finds them as SQL does.
    void oddJsonRoles()
    {
        QFETCH(int, store);
        const LayoutFixtures::OddJsonStore odd = LayoutFixtures::oddJsonRoleStores().at(store);
        const QString file = path(u"odd-json-%1.db"_s.arg(odd.name));
        QVERIFY(TestSupport::execSql(file, odd.sql));
        Pair pair = openPair(file);
        QVERIFY(pair.sql && pair.indexed && pair.indexed->index());
        QCOMPARE(pair.sql->layout().id, odd.layoutId);
        compare(pair);
    }

    void reportsProgressUpToTheTotal()
    {
        const QString file = path(u"progress.db"_s);
        DemoGenerator::Options options;
        options.events = 100000;
        QString error;
        QVERIFY2(DemoGenerator::generate(file, options, &error), qPrintable(error));
        StoreError openError;
        auto store = EventStore::open(StoreLocation::parse(file), {}, &openError);
        QVERIFY(store);
        JobControl job;
        QVector<QPair<qint64, qint64>> reports;
        job.progress = [&](qint64 done, qint64 total) {
            reports.append({done, total});
        };
        const auto index = EventIndexBuilder::build(*store, job, &error);
        QVERIFY2(index, qPrintable(error));
        QVERIFY(reports.size() >= 2);
        QCOMPARE(reports.constLast(), qMakePair(qint64(100000), qint64(100000)));
        for (int i = 1; i < reports.size(); ++i)
            QVERIFY(reports.at(i).first >= reports.at(i - 1).first);
        QVERIFY(index->memoryBytes() >= 100000 * 14);
    }

    void cancelStopsTheScan()
    {
        const QString file = path(u"progress.db"_s); // written by the test above
        StoreError openError;
        auto store = EventStore::open(StoreLocation::parse(file), {}, &openError);
        QVERIFY(store);
        QString error;
        std::atomic_bool cancel{false};
        JobControl job;
        job.cancel = &cancel;
        qint64 lastReport = 0;
        job.progress = [&](qint64 done, qint64) {
            lastReport = done;
            cancel = true; // at the first report
        };
        QVERIFY(!EventIndexBuilder::build(*store, job, &error));
        QVERIFY2(error.contains(u"cancelled"_s), qPrintable(error));
        QVERIFY(lastReport < 100000);
    }

    // Where the index and the SQL part ways, the index is right: MAX over the text puts an
    // unreadable time last, so the store's last time would read as none.
    void unreadableTimesAreLeftOut()
    {
        const QString file = path(u"unreadable.db"_s);
        QStringList sql = randomStoreSql(7, 50);
        sql << u"UPDATE events SET recorded_at = 'not a time' WHERE global_position % 5 = 0"_s;
        QVERIFY(TestSupport::execSql(file, sql));
        const auto readable =
            TestSupport::queryRows(file, u"SELECT MIN(recorded_at), MAX(recorded_at) FROM events "
                                         "WHERE recorded_at LIKE '2%'"_s);
        Pair pair = openPair(file);
        QVERIFY(pair.indexed && pair.indexed->index());
        const auto summary = pair.indexed->summary();
        QVERIFY(summary);
        QCOMPARE(TimeCodec::format(summary->firstTimeMs), readable.at(0).at(0).toString());
        QCOMPARE(TimeCodec::format(summary->lastTimeMs), readable.at(0).at(1).toString());
    }

    // SQLStreamStore names a stream in its streams table. Where each name has one key, a
    // stream's events are read in key and version order (the index serves it without a sort);
    // a name given to two keys is one stream, whose events interleave by version, which key
    // order would break.
    void streamNamedInItsOwnTable_data()
    {
        QTest::addColumn<QString>("thirdName");
        QTest::addColumn<QVector<qint64>>("firstStreamVersions");
        QTest::newRow("one key per name") << u"user/3"_s << QVector<qint64>{0, 2, 4};
        QTest::newRow("a name with two keys") << u"user/1"_s << QVector<qint64>{0, 1, 2, 3, 4};
    }

    void streamNamedInItsOwnTable()
    {
        QFETCH(QString, thirdName);
        QFETCH(QVector<qint64>, firstStreamVersions);
        const QString file = path(u"named-%1.db"_s.arg(thirdName.mid(5)));
        QStringList sql{
            u"CREATE TABLE streams (id TEXT NOT NULL, id_original TEXT NOT NULL, id_internal "
            "INTEGER PRIMARY KEY, version INTEGER NOT NULL DEFAULT -1, position INTEGER NOT NULL "
            "DEFAULT -1, max_age INTEGER, max_count INTEGER)"_s,
            u"CREATE TABLE messages (position INTEGER PRIMARY KEY, stream_id_internal INTEGER NOT "
            "NULL, stream_version INTEGER NOT NULL, message_id TEXT NOT NULL, created_utc "
            "INTEGER NOT NULL, type TEXT NOT NULL, json_data TEXT NOT NULL, json_metadata TEXT)"_s,
            u"CREATE UNIQUE INDEX ix_messages_stream ON messages (stream_id_internal, "
            "stream_version)"_s,
            u"INSERT INTO streams (id, id_original, id_internal) VALUES ('a', 'user/1', 1), "
            "('b', 'user/2', 2), ('c', %1, 3)"_s.arg(sqlText(thirdName))};
        // Key 1 has versions 0, 2, 4 and key 3 versions 1, 3; key 2 has 0..2.
        const QVector<std::pair<int, int>> rows{{1, 0}, {3, 1}, {2, 0}, {1, 2},
                                                {3, 3}, {2, 1}, {1, 4}, {2, 2}};
        for (qsizetype i = 0; i < rows.size(); ++i)
            sql << u"INSERT INTO messages VALUES (%1, %2, %3, 'm%1', %4, 'Counted', "
                   "'{\"n\": %1}', NULL)"_s.arg(i)
                       .arg(rows.at(i).first)
                       .arg(rows.at(i).second)
                       .arg(621355968000000000LL + (1767225600000LL + i * 1000) * 10000);
        QVERIFY(TestSupport::execSql(file, sql));
        Pair pair = openPair(file);
        QVERIFY(pair.sql && pair.indexed && pair.indexed->index());
        QCOMPARE(pair.sql->layout().id, u"sqlstreamstore"_s);
        compare(pair);
        for (EventStore *store : {pair.sql.get(), pair.indexed.get()}) {
            const auto events = store->streamEvents(u"user/1"_s, -1, 100);
            QVERIFY2(events, qPrintable(store->errorString()));
            QVector<qint64> versions;
            for (const Event &e : *events)
                versions << e.version;
            QCOMPARE(versions, firstStreamVersions);
            ReplayEngine replay(*store, u"user/1"_s);
            QVERIFY2(replay.load(), qPrintable(replay.errorString()));
            QCOMPARE(replay.versions(), firstStreamVersions);
            const auto state = replay.stateAtIndex(replay.eventCount() - 1);
            QVERIFY2(state, qPrintable(replay.errorString()));
            QCOMPARE(state->state.value(u"n"_s).toInt(), rows.indexOf({1, 4}));
        }
        if (thirdName == u"user/1")
            return;
        // The store grows a second key for user/1 while open: the check is made again.
        QVERIFY(pair.sql->hasChanged().has_value());
        QVERIFY(TestSupport::execSql(
            file, {u"UPDATE streams SET id_original = 'user/1' WHERE id_internal = 3"_s}));
        QCOMPARE(pair.sql->hasChanged(), std::optional<bool>(true));
        const auto grown = pair.sql->streamEvents(u"user/1"_s, -1, 100);
        QVERIFY2(grown, qPrintable(pair.sql->errorString()));
        QVector<qint64> versions;
        for (const Event &e : *grown)
            versions << e.version;
        QCOMPARE(versions, (QVector<qint64>{0, 1, 2, 3, 4}));
    }

    // Rails Event Store's links and events walked side by side (KeyedJoinScan) give the join's
    // rows, link for link: in step, with events linked twice and links made later, links
    // shuffled (past the stretch where the walk gives up), and keys the walk must leave to the
    // join (a blob, an integer the join turns into text, one in another case, a missing event,
    // NULL). Where no unique index in BINARY keeps the key, there is no walk and the join reads.
    void keyedJoinWalksBothTables_data()
    {
        QTest::addColumn<int>("events");
        QTest::addColumn<int>("shuffled"); // links out of order, per thousand
        QTest::addColumn<bool>("oddKeys");
        QTest::addColumn<QString>("keyIndex"); // "unique", "none", "nocase"
        QTest::addColumn<QString>("linkKeyType");
        QTest::addColumn<bool>("walks");
        const QString text = u"VARCHAR(36)"_s;
        QTest::newRow("in step") << 3000 << 0 << false << u"unique"_s << text << true;
        QTest::newRow("a few out of order") << 3000 << 50 << false << u"unique"_s << text << true;
        QTest::newRow("odd keys") << 3000 << 0 << true << u"unique"_s << text << true;
        QTest::newRow("shuffled past the stretch")
            << 9000 << 1000 << true << u"unique"_s << text << true;
        QTest::newRow("no unique index") << 500 << 0 << true << u"none"_s << text << false;
        QTest::newRow("a key compared without case")
            << 500 << 0 << true << u"nocase"_s << text << false;
        // Integers and text both, which the join compares with the events' text key.
        QTest::newRow("links' keys of no type")
            << 500 << 0 << true << u"unique"_s << QString() << false;
    }

    void keyedJoinWalksBothTables()
    {
        QFETCH(int, events);
        QFETCH(int, shuffled);
        QFETCH(bool, oddKeys);
        QFETCH(QString, keyIndex);
        QFETCH(QString, linkKeyType);
        QFETCH(bool, walks);
        QRandomGenerator rng(quint32(events + shuffled) * 31 + quint32(oddKeys));
        const QString file = path(
            u"keyed-%1.db"_s.arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-')));
        QStringList sql{
            u"CREATE TABLE event_store_events (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id "
            "VARCHAR(36)%1, event_type VARCHAR NOT NULL, metadata TEXT, data TEXT NOT NULL, "
            "created_at DATETIME(6) NOT NULL, valid_at DATETIME(6))"_s.arg(
                keyIndex == u"nocase"_s ? u" COLLATE NOCASE"_s : QString()),
            u"CREATE TABLE event_store_events_in_streams (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "stream VARCHAR NOT NULL, position INTEGER, event_id %1, created_at DATETIME(6) NOT "
            "NULL)"_s.arg(linkKeyType)};
        if (keyIndex != u"none"_s)
            sql << u"CREATE UNIQUE INDEX index_event_store_events_on_event_id ON "
                   "event_store_events (event_id)"_s;
        const QStringList types{u"Opened"_s, u"Deposited"_s, u"Withdrawn"_s};
        QStringList keys; // each event's key, as SQL text
        for (int i = 1; i <= events; ++i) {
            // An event whose key is digits, which a link's integer equals once made text.
            const QString key = oddKeys && i % 97 == 0 ? u"%1"_s.arg(i) : u"e-%1"_s.arg(i);
            keys << sqlText(key);
            // Bytes that are not UTF-8 ("e-71" and 0xA9), and next to them the key SQLite's
            // reading of them as text would give ("e-71©"): a key is compared by its bytes.
            if (oddKeys && i % 71 == 0)
                keys.last() =
                    u"CAST(X'%1a9' AS TEXT)"_s.arg(QString::fromLatin1(key.toLatin1().toHex()));
            else if (oddKeys && i % 71 == 1 && i > 1)
                keys.last() = sqlText(u"e-%1©"_s.arg(i - 1));
            sql << u"INSERT INTO event_store_events VALUES (%1, %2, '%3', NULL, '{}', "
                   "'2026-01-%4 %5:%6:%7.%8', NULL)"_s.arg(i)
                       .arg(keys.constLast(), types.at(int(rng.bounded(3))))
                       .arg(1 + i % 28, 2, 10, QChar(u'0'))
                       .arg(i % 24, 2, 10, QChar(u'0'))
                       .arg(i % 60, 2, 10, QChar(u'0'))
                       .arg(int(rng.bounded(60)), 2, 10, QChar(u'0'))
                       .arg(int(rng.bounded(1000000)), 6, 10, QChar(u'0'));
        }
        // Each event's link (some two, to two streams, one after the other), then links made
        // later to earlier events.
        QStringList links; // stream, key as SQL
        for (int i = 1; i <= events; ++i) {
            QString key = keys.at(i - 1);
            if (oddKeys && i % 97 == 0)
                key = QString::number(i); // an integer, text in a text column
            else if (oddKeys && i % 89 == 0)
                key = u"CAST(%1 AS BLOB)"_s.arg(key); // a blob, which equals no text
            else if (oddKeys && i % 83 == 0)
                key = sqlText(u"E-%1"_s.arg(i)); // another case
            else if (oddKeys && i % 79 == 0)
                key = u"NULL"_s;
            links << u"s-%1"_s.arg(i % 7) + u'|' + key;
            if (i % 10 == 3)
                links << u"twice"_s + u'|' + key;
        }
        for (int n = 0; n < events / 50; ++n)
            links << u"later"_s + u'|' + keys.at(int(rng.bounded(events)));
        if (oddKeys)
            links << u"s-1|'no-such-event'"_s;
        for (qsizetype i = 0; i < links.size(); ++i) {
            if (int(rng.bounded(1000)) < shuffled)
                links.swapItemsAt(i, qsizetype(rng.bounded(quint32(links.size()))));
        }
        QHash<QString, int> positions;
        for (qsizetype i = 0; i < links.size(); ++i) {
            const QString stream = links.at(i).section(u'|', 0, 0);
            sql << u"INSERT INTO event_store_events_in_streams VALUES (%1, '%2', %3, %4, "
                   "'2026-01-01 00:00:00.000000')"_s.arg(i + 1)
                       .arg(stream)
                       .arg(positions[stream]++)
                       .arg(links.at(i).section(u'|', 1));
        }
        QVERIFY(TestSupport::execSql(file, sql));
        Pair pair = openPair(file);
        QVERIFY(pair.sql && pair.indexed && pair.indexed->index());
        QCOMPARE(pair.sql->layout().id, u"rails-event-store"_s);
        compare(pair);

        // Row for row as the join reads them.
        const qint64 min = std::numeric_limits<qint64>::min();
        const qint64 max = std::numeric_limits<qint64>::max();
        auto walk = pair.sql->keyedJoinScan(min, max);
        QCOMPARE(bool(walk), walks);
        if (!walk)
            return;
        auto join = pair.sql->indexScan(min, max);
        QVERIFY(join);
        qint64 rows = 0;
        for (;;) {
            const auto step = walk->next();
            QCOMPARE(join->next(), step);
            if (step != SqliteStreamReader::Step::Row)
                break;
            ++rows;
            QCOMPARE(walk->position(), join->position());
            QCOMPARE(walk->version(), join->version());
            QCOMPARE(walk->stream(), join->stream());
            QCOMPARE(walk->type(), join->type());
            QCOMPARE(walk->timeMs(), join->timeMs());
        }
        QVERIFY(rows > events);
        // The walk found most links' rows where links follow the events (each link out of
        // place is looked up, and those made later), and gave up where they do not.
        if (shuffled < 100)
            QVERIFY2(walk->linksWalked() > 5 * walk->linksLookedUp(),
                     qPrintable(u"%1 walked, %2 looked up"_s.arg(walk->linksWalked())
                                    .arg(walk->linksLookedUp())));
        else
            QVERIFY(walk->linksLookedUp() > walk->linksWalked());
    }

    void anEmptyStoreHasAnEmptyIndex()
    {
        const QString file = path(u"empty.db"_s);
        QVERIFY(TestSupport::execSql(file, randomStoreSql(9, 0)));
        Pair pair = openPair(file);
        compare(pair);
        QCOMPARE(pair.indexed->index()->eventCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEventIndex)
#include "tst_eventindex.moc"

// Layout detection, column mapping, time formats and every EventStore query against the small
// hand-made store, whose expected figures are worked out by hand in testsupport.cpp.

#include "decoding/timecodec.h"
#include "index/eventindexbuilder.h"
#include "store/columnmapping.h"
#include "store/eventstore.h"
#include "store/statementinterrupter.h"
#include "testsupport.h"
#include "writers/demogenerator.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QtConcurrent>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

qint64 iso(const char *text)
{
    return TimeCodec::parseIso(QString::fromLatin1(text));
}

QList<qint64> positions(const QVector<Event> &events)
{
    QList<qint64> result;
    for (const Event &e : events)
        result << e.position;
    return result;
}

QStringList names(const QVector<StreamInfo> &streams)
{
    QStringList result;
    for (const StreamInfo &s : streams)
        result << s.stream;
    return result;
}

const QString injection = u"user'; DROP TABLE events;--"_s;

// A store of a shape Eventscope does not write, from LAYOUTS.md's facts: its own layout (or,
// mapped, a table of other names) with the time stored as `time` says ("iso", "offset": ISO
// text with a +02:00 offset, "ms", "s": REAL seconds, "ticks"), an index on the time and on
// the type or not, BLOB payloads or text. 3,000 events in 9 streams at uneven intervals, one
// of them of a type no other event has, and the positions start at 5 with a gap of 400.
struct Shape
{
    QString time;
    bool timeIndex = false;
    bool typeIndex = false;
    bool blob = false;
    bool mapped = false;
};

constexpr int ShapeEvents = 3000;

QStringList shapeStoreSql(const Shape &shape)
{
    const QString table = shape.mapped ? u"journal"_s : u"events"_s;
    const QString time = shape.mapped ? u"at"_s : u"recorded_at"_s;
    const QString type = shape.mapped ? u"kind"_s : u"type"_s;
    const QString storage = shape.time == u"ms" || shape.time == u"ticks" ? u"INTEGER"_s
                            : shape.time == u"s"                          ? u"REAL"_s
                                                                          : u"TEXT"_s;
    const QString payload = shape.blob ? u"BLOB"_s : u"TEXT"_s;
    QStringList sql;
    if (shape.mapped)
        sql << u"CREATE TABLE journal(seq INTEGER PRIMARY KEY, agg TEXT, n INTEGER, kind TEXT, "
               "at %1, body %2)"_s.arg(storage, payload);
    else
        sql << u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
               "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, "
               "recorded_at %1 NOT NULL, data %2, metadata TEXT, "
               "UNIQUE(stream_id, stream_version))"_s.arg(storage, payload);
    if (shape.timeIndex)
        sql << u"CREATE INDEX by_time ON %1(%2)"_s.arg(table, time);
    if (shape.typeIndex)
        sql << u"CREATE INDEX by_type ON %1(%2)"_s.arg(table, type);
    const QStringList types{u"Opened"_s, u"Clicked"_s, u"Renamed"_s, u"Closed"_s};
    QVector<int> versions(9);
    qint64 ms = iso("2025-11-03T09:00:00Z");
    for (int i = 0; i < ShapeEvents; ++i) {
        ms += (i * 7919) % 23 == 0 ? 3600000 : (i * 104729) % 5000; // bursts and pauses
        const int stream = (i * i) % 9;
        const qint64 position = 5 + i + (i >= ShapeEvents / 2 ? 400 : 0);
        const QString eventType = i == 1234 ? u"Rare"_s : types.at((i * 31) % types.size());
        QString value;
        if (shape.time == u"iso")
            value = u"'%1'"_s.arg(TimeCodec::format(ms));
        else if (shape.time == u"offset")
            value = u"'%1'"_s.arg(
                QDateTime::fromMSecsSinceEpoch(ms, QTimeZone(7200)).toString(Qt::ISODateWithMs));
        else if (shape.time == u"ms")
            value = QString::number(ms);
        else if (shape.time == u"s")
            value = QString::number(double(ms) / 1000.0, 'f', 3);
        else
            value = QString::number(TimeCodec::toDotNetTicks(ms));
        const QString data = u"'{\"n\":%1}'"_s.arg(i);
        const QString columns =
            shape.mapped
                ? u"(seq, agg, n, kind, at, body)"_s
                : u"(global_position, stream_id, stream_version, type, recorded_at, data)"_s;
        sql << u"INSERT INTO %1%2 VALUES (%3, 'stream-%4', %5, '%6', %7, %8)"_s.arg(
            table, columns, QString::number(position), QString::number(stream),
            QString::number(++versions[stream]), eventType, value,
            shape.blob ? u"CAST(%1 AS BLOB)"_s.arg(data) : data);
    }
    return sql;
}

} // namespace

Q_DECLARE_METATYPE(Shape)

class TestEventStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_small;

    std::unique_ptr<EventStore> open(const QString &path, const QString &spec = {})
    {
        StoreError error;
        auto store =
            EventStore::open(StoreLocation::parse(path), StoreOpenOptions{spec, {}}, &error);
        if (!store)
            qWarning() << error.message;
        return store;
    }

    QString mappedPath(const QString &format) const { return m_dir.filePath(format + u".db"_s); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_small = m_dir.filePath(u"small.db"_s);
        QVERIFY(TestSupport::createSmallStore(m_small));
        for (const QString &format : {u"iso"_s, u"sql"_s, u"s"_s, u"ms"_s, u"ticks"_s})
            QVERIFY(TestSupport::createMappedStore(mappedPath(format), format));
    }

    void detectsOwnLayout()
    {
        auto store = open(m_small);
        QVERIFY(store);
        QCOMPARE(store->layout().id, u"eventscope"_s);
        QCOMPARE(store->layout().table, u"events"_s);
        QVERIFY(store->layout().canonicalIsoTime);
    }

    void summary()
    {
        auto store = open(m_small);
        QVERIFY(store);
        const auto s = store->summary();
        QVERIFY2(s, qPrintable(store->errorString()));
        QCOMPARE(s->layoutId, u"eventscope"_s);
        QCOMPARE(s->events, 12);
        QCOMPARE(s->streams, 4);
        QCOMPARE(TimeCodec::format(s->firstTimeMs), u"2026-01-05T08:00:00.000Z"_s);
        QCOMPARE(TimeCodec::format(s->lastTimeMs), u"2026-01-12T03:00:01.000Z"_s);
        const QMap<QString, qint64> types{{u"Clicked"_s, 5},       {u"PostEdited"_s, 1},
                                          {u"PostPublished"_s, 1}, {u"UserCreated"_s, 3},
                                          {u"UserRenamed"_s, 1},   {u"UserUpdated"_s, 1}};
        QCOMPARE(s->typeCounts, types);
    }

    // Above the size limit the own layout's summary comes from index seeks, says it is
    // inexact, and agrees with the exact one wherever it gives a figure.
    void quickSummary()
    {
        const QString path = m_dir.filePath(u"demo.db"_s);
        DemoGenerator::Options options;
        options.events = 3000;
        options.users = 7;
        QString error;
        QVERIFY2(DemoGenerator::generate(path, options, &error), qPrintable(error));
        auto store = open(path);
        QVERIFY(store);
        const auto exact = store->summary();
        QVERIFY(exact && exact->exact);
        const auto small = store->quickSummary();
        QVERIFY(small && small->exact); // under the limit: the exact summary
        QCOMPARE(small->typeCounts, exact->typeCounts);
        QCOMPARE(small->streams, exact->streams);

        const auto quick = store->quickSummary({}, 0);
        QVERIFY2(quick, qPrintable(store->errorString()));
        QVERIFY(!quick->exact);
        QCOMPARE(quick->events, exact->events); // the demo numbers positions without gaps
        QCOMPARE(quick->streams, -1);
        QCOMPARE(quick->firstTimeMs, exact->firstTimeMs);
        QCOMPARE(quick->lastTimeMs, exact->lastTimeMs);
        QCOMPARE(quick->typeCounts.keys(), exact->typeCounts.keys());
        for (qint64 n : quick->typeCounts)
            QCOMPARE(n, -1);
        QCOMPARE(quick->layoutId, exact->layoutId);

        // The timeline's first-paint density: the demo appends in time order, so the
        // estimate from the slices' first positions is each slice's exact count.
        QVERIFY(exact->density.isEmpty());
        QCOMPARE(quick->density.size(), EventStore::DensitySlices);
        QVector<qint64> expected(EventStore::DensitySlices, 0);
        const qint64 span = exact->lastTimeMs - exact->firstTimeMs + 1;
        EventFilter all;
        all.limit = 100000;
        const auto events = store->events(all);
        QVERIFY(events && events->size() == 3000);
        for (const Event &e : *events)
            ++expected[(e.timeMs - exact->firstTimeMs) * EventStore::DensitySlices / span];
        QCOMPARE(quick->density, expected);

        // A mapped table without a position column is sampled through its rowid.
        auto mapped = open(mappedPath(u"iso"_s), u"table=events_v2,stream=aggregate_id,"
                                                 "version=seq,type=kind,time=created,data=body"_s);
        QVERIFY(mapped);
        const auto mappedQuick = mapped->quickSummary({}, 0);
        QVERIFY2(mappedQuick, qPrintable(mapped->errorString()));
        QVERIFY(!mappedQuick->exact);
        QVERIFY(mappedQuick->events >= 12); // the span of its rowids, which has gaps
    }

    void quickSummaryOfAnyShape_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::newRow("iso, both indexes") << Shape{u"iso"_s, true, true, false, false};
        QTest::newRow("ms, time index") << Shape{u"ms"_s, true, false, false, false};
        QTest::newRow("ms, no index") << Shape{u"ms"_s, false, false, false, false};
        QTest::newRow("s, time index, blob") << Shape{u"s"_s, true, false, true, false};
        QTest::newRow("ticks, type index") << Shape{u"ticks"_s, false, true, false, false};
        QTest::newRow("offset, both indexes") << Shape{u"offset"_s, true, true, false, false};
        QTest::newRow("iso, no index, blob") << Shape{u"iso"_s, false, false, true, false};
        QTest::newRow("mapped ms, time index") << Shape{u"ms"_s, true, false, false, true};
        QTest::newRow("mapped offset") << Shape{u"offset"_s, false, false, true, true};
    }

    // Any store's quick summary says it is inexact and stays within the exact figures: the
    // index ends and seeks give exact times where an index orders them; a sample of the
    // positions gives times within the range, the common types and a density that adds up.
    void quickSummaryOfAnyShape()
    {
        QFETCH(Shape, shape);
        const QString path =
            m_dir.filePath(u"shape-%1.db"_s.arg(QString::fromLatin1(QTest::currentDataTag())));
        QVERIFY(TestSupport::execSql(path, shapeStoreSql(shape)));
        auto store = open(path, shape.mapped ? u"table=journal,stream=agg,version=n,type=kind,"
                                               "time=at,data=body,position=seq"_s
                                             : QString());
        QVERIFY(store);
        const auto exact = store->summary();
        QVERIFY2(exact && exact->exact, qPrintable(store->errorString()));
        QCOMPARE(exact->events, qint64(ShapeEvents));
        const auto quick = store->quickSummary({}, 0);
        QVERIFY2(quick, qPrintable(store->errorString()));
        QVERIFY(!quick->exact);
        QCOMPARE(quick->events, qint64(ShapeEvents + 400)); // the span of the positions
        QCOMPARE(quick->streams, qint64(-1));
        QCOMPARE(quick->layoutId, exact->layoutId);
        for (auto it = quick->typeCounts.cbegin(); it != quick->typeCounts.cend(); ++it) {
            QVERIFY2(exact->typeCounts.contains(it.key()), qPrintable(it.key()));
            QCOMPARE(it.value(), qint64(-1));
        }
        for (const QString &common : {u"Opened"_s, u"Clicked"_s, u"Renamed"_s, u"Closed"_s})
            QVERIFY(quick->typeCounts.contains(common));
        if (shape.typeIndex)
            QCOMPARE(quick->typeCounts.keys(), exact->typeCounts.keys());

        // ISO text with an offset compares through julianday(), which its index cannot serve.
        const bool timeByIndex = shape.timeIndex && shape.time != u"offset";
        if (timeByIndex) {
            QCOMPARE(quick->firstTimeMs, exact->firstTimeMs);
            QCOMPARE(quick->lastTimeMs, exact->lastTimeMs);
        } else {
            QVERIFY(quick->firstTimeMs >= exact->firstTimeMs);
            QVERIFY(quick->lastTimeMs <= exact->lastTimeMs);
            QVERIFY(quick->firstTimeMs < quick->lastTimeMs);
        }
        QCOMPARE(quick->density.size(), EventStore::DensitySlices);
        qint64 total = 0;
        for (const qint64 n : quick->density) {
            QVERIFY(n >= 0);
            total += n;
        }
        // Seeks count the positions between slices (their gap included); the sample shares out
        // the span of the positions.
        QVERIFY(timeByIndex ? total <= quick->events : total == quick->events);

        // Each eighth of the time range holds about the events it estimates.
        EventFilter all;
        all.limit = ShapeEvents;
        const auto events = store->events(all);
        QVERIFY(events && events->size() == ShapeEvents);
        constexpr int Eighths = 8;
        QVector<qint64> counted(Eighths), estimated(Eighths);
        const qint64 span = quick->lastTimeMs - quick->firstTimeMs + 1;
        for (const Event &e : *events) {
            if (e.timeMs >= quick->firstTimeMs && e.timeMs <= quick->lastTimeMs)
                ++counted[(e.timeMs - quick->firstTimeMs) * Eighths / span];
        }
        for (int i = 0; i < EventStore::DensitySlices; ++i)
            estimated[i * Eighths / EventStore::DensitySlices] += quick->density.at(i);
        for (int i = 0; i < Eighths; ++i) {
            QVERIFY2(qAbs(estimated.at(i) - counted.at(i)) <= 500,
                     qPrintable(u"eighth %1: %2 estimated, %3 counted"_s.arg(i)
                                    .arg(estimated.at(i))
                                    .arg(counted.at(i))));
        }
    }

    void streams_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("after");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QStringList>("expected");
        const QStringList all{u"post-1"_s, injection, u"user-1"_s, u"user-2"_s};
        QTest::newRow("all") << QString() << QString() << 100 << all;
        QTest::newRow("first page") << QString() << QString() << 2 << all.mid(0, 2);
        QTest::newRow("second page") << QString() << injection << 2 << all.mid(2, 2);
        QTest::newRow("past the end") << QString() << u"user-2"_s << 2 << QStringList();
        QTest::newRow("filter any case") << u"USER"_s << QString() << 100 << all.mid(1);
        QTest::newRow("filter -1")
            << u"-1"_s << QString() << 100 << QStringList{u"post-1"_s, u"user-1"_s};
        QTest::newRow("wildcards are text") << u"%"_s << QString() << 100 << QStringList();
        QTest::newRow("underscore is text") << u"_"_s << QString() << 100 << QStringList();
        QTest::newRow("quote in filter")
            << u"'; DROP"_s << QString() << 100 << QStringList{injection};
        QTest::newRow("filter and page")
            << u"user"_s << u"user-1"_s << 100 << QStringList{u"user-2"_s};
    }

    void streams()
    {
        QFETCH(QString, filter);
        QFETCH(QString, after);
        QFETCH(int, limit);
        QFETCH(QStringList, expected);
        auto store = open(m_small);
        QVERIFY(store);
        StreamQuery query{filter, {}, limit};
        if (!after.isNull())
            query.after = after;
        const auto page = store->streams(query);
        QVERIFY2(page, qPrintable(store->errorString()));
        QCOMPARE(names(*page), expected);
    }

    void streamsByMostEvents()
    {
        auto store = open(m_small);
        QVERIFY(store);
        StreamQuery query;
        query.order = StreamQuery::Order::MostEvents;
        query.limit = 2;
        const auto first = store->streams(query);
        QVERIFY2(first, qPrintable(store->errorString()));
        QCOMPARE(names(*first), (QStringList{u"user-1"_s, u"user-2"_s})); // 5 and 3 events
        query.after = first->constLast().stream;
        query.afterEvents = first->constLast().events;
        const auto second = store->streams(query);
        QVERIFY(second);
        QCOMPARE(names(*second), (QStringList{u"post-1"_s, injection})); // 2 each, by name
        query.after = second->constLast().stream;
        query.afterEvents = second->constLast().events;
        QVERIFY(store->streams(query)->isEmpty());
        query = StreamQuery{u"user"_s, {}, 10, StreamQuery::Order::MostEvents, 0};
        QCOMPARE(names(*store->streams(query)), (QStringList{u"user-1"_s, u"user-2"_s, injection}));
    }

    void streamInfo()
    {
        auto store = open(m_small);
        QVERIFY(store);
        const auto page = store->streams(StreamQuery{u"user-1"_s, {}, 10});
        QVERIFY(page);
        QCOMPARE(page->size(), 1);
        const StreamInfo &info = page->at(0);
        QCOMPARE(info.events, 5);
        QCOMPARE(info.firstVersion, 1);
        QCOMPARE(info.lastVersion, 5);
        QCOMPARE(TimeCodec::format(info.firstTimeMs), u"2026-01-05T08:00:00.000Z"_s);
        QCOMPARE(TimeCodec::format(info.lastTimeMs), u"2026-01-12T02:00:00.000Z"_s);
    }

    void events_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<qint64>("after");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QList<qint64>>("expected");
        const qint64 start = std::numeric_limits<qint64>::min();
        QTest::newRow("all") << QString() << QStringList() << NoTime << NoTime << start << 100
                             << QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        QTest::newRow("page 1") << QString() << QStringList() << NoTime << NoTime << start << 5
                                << QList<qint64>{1, 2, 3, 4, 5};
        QTest::newRow("page 2") << QString() << QStringList() << NoTime << NoTime << qint64(5) << 5
                                << QList<qint64>{6, 7, 8, 9, 10};
        QTest::newRow("page 3") << QString() << QStringList() << NoTime << NoTime << qint64(10) << 5
                                << QList<qint64>{11, 12};
        QTest::newRow("after last")
            << QString() << QStringList() << NoTime << NoTime << qint64(12) << 5 << QList<qint64>{};
        QTest::newRow("stream") << u"user-2"_s << QStringList() << NoTime << NoTime << start << 100
                                << QList<qint64>{4, 6, 9};
        QTest::newRow("stream, page 1") << u"user-1"_s << QStringList() << NoTime << NoTime << start
                                        << 2 << QList<qint64>{1, 3};
        QTest::newRow("stream, page 2") << u"user-1"_s << QStringList() << NoTime << NoTime
                                        << qint64(3) << 2 << QList<qint64>{5, 7};
        QTest::newRow("stream, last page") << u"user-1"_s << QStringList() << NoTime << NoTime
                                           << qint64(7) << 2 << QList<qint64>{10};
        QTest::newRow("stream, after its end") << u"user-1"_s << QStringList() << NoTime << NoTime
                                               << qint64(10) << 2 << QList<qint64>{};
        QTest::newRow("injection stream") << injection << QStringList() << NoTime << NoTime << start
                                          << 100 << QList<qint64>{11, 12};
        QTest::newRow("type") << QString() << QStringList{u"Clicked"_s} << NoTime << NoTime << start
                              << 100 << QList<qint64>{3, 6, 7, 10, 12};
        QTest::newRow("two types") << QString() << QStringList{u"PostEdited"_s, u"UserRenamed"_s}
                                   << NoTime << NoTime << start << 100 << QList<qint64>{5, 8};
        QTest::newRow("time range, end exclusive")
            << QString() << QStringList() << iso("2026-01-06T00:00:00Z")
            << iso("2026-01-12T00:00:00Z") << start << 100 << QList<qint64>{5, 6, 7};
        QTest::newRow("from ms precision")
            << QString() << QStringList() << iso("2026-01-11T23:59:59.999Z") << NoTime << start
            << 100 << QList<qint64>{7, 8, 9, 10, 11, 12};
        QTest::newRow("all filters")
            << u"user-1"_s << QStringList{u"Clicked"_s} << iso("2026-01-05T09:00:00Z")
            << iso("2026-01-12T01:00:00Z") << qint64(3) << 100 << QList<qint64>{7};
        QTest::newRow("unknown stream")
            << u"nobody"_s << QStringList() << NoTime << NoTime << start << 100 << QList<qint64>{};
    }

    void events()
    {
        QFETCH(QString, stream);
        QFETCH(QStringList, types);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(qint64, after);
        QFETCH(int, limit);
        QFETCH(QList<qint64>, expected);
        auto store = open(m_small);
        QVERIFY(store);
        EventFilter filter;
        filter.stream = stream;
        filter.types = types;
        filter.fromTimeMs = from;
        filter.toTimeMs = to;
        filter.afterPosition = after;
        filter.limit = limit;
        const auto page = store->events(filter);
        QVERIFY2(page, qPrintable(store->errorString()));
        QCOMPARE(positions(*page), expected);
    }

    void eventFields()
    {
        auto store = open(m_small);
        QVERIFY(store);
        EventFilter filter;
        filter.afterPosition = 3;
        filter.limit = 1;
        const auto page = store->events(filter);
        QVERIFY(page);
        QCOMPARE(page->size(), 1);
        const Event &e = page->at(0);
        QCOMPARE(e.position, 4);
        QCOMPARE(e.stream, u"user-2"_s);
        QCOMPARE(e.version, 1);
        QCOMPARE(e.type, u"UserCreated"_s);
        QCOMPARE(TimeCodec::format(e.timeMs), u"2026-01-05T09:45:10.500Z"_s);
        QCOMPARE(e.data, QByteArray(R"({"name":"Bob","plan":"pro"})"));
        QCOMPARE(e.metadata, QByteArray(R"({"source":"test"})"));
    }

    void streamEvents()
    {
        auto store = open(m_small);
        QVERIFY(store);
        const auto first = store->streamEvents(u"user-1"_s, 0, 2);
        QVERIFY(first);
        QCOMPARE(positions(*first), (QList<qint64>{1, 3}));
        const auto rest = store->streamEvents(u"user-1"_s, 2, 100);
        QVERIFY(rest);
        QCOMPARE(positions(*rest), (QList<qint64>{5, 7, 10}));
        QCOMPARE(rest->at(2).version, 5);
    }

    void buckets_data()
    {
        QTest::addColumn<QString>("size");
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QStringList>("starts");
        QTest::addColumn<QList<qint64>>("counts");
        QTest::newRow("day") << u"day"_s << QString() << QString()
                             << QStringList{u"2026-01-05T00:00:00.000Z"_s,
                                            u"2026-01-06T00:00:00.000Z"_s,
                                            u"2026-01-11T00:00:00.000Z"_s,
                                            u"2026-01-12T00:00:00.000Z"_s}
                             << QList<qint64>{4, 2, 1, 5};
        QTest::newRow("week starts monday")
            << u"week"_s << QString() << QString()
            << QStringList{u"2026-01-05T00:00:00.000Z"_s, u"2026-01-12T00:00:00.000Z"_s}
            << QList<qint64>{7, 5};
        QTest::newRow("hour")
            << u"hour"_s << QString() << QString()
            << QStringList{u"2026-01-05T08:00:00.000Z"_s, u"2026-01-05T09:00:00.000Z"_s,
                           u"2026-01-06T10:00:00.000Z"_s, u"2026-01-11T23:00:00.000Z"_s,
                           u"2026-01-12T00:00:00.000Z"_s, u"2026-01-12T01:00:00.000Z"_s,
                           u"2026-01-12T02:00:00.000Z"_s, u"2026-01-12T03:00:00.000Z"_s}
            << QList<qint64>{2, 2, 2, 1, 1, 1, 1, 2};
        QTest::newRow("minute") << u"minute"_s << u"user-2"_s << QString()
                                << QStringList{u"2026-01-05T09:45:00.000Z"_s,
                                               u"2026-01-06T10:20:00.000Z"_s,
                                               u"2026-01-12T01:00:00.000Z"_s}
                                << QList<qint64>{1, 1, 1};
        QTest::newRow("day, one type")
            << u"day"_s << QString() << u"Clicked"_s
            << QStringList{u"2026-01-05T00:00:00.000Z"_s, u"2026-01-06T00:00:00.000Z"_s,
                           u"2026-01-11T00:00:00.000Z"_s, u"2026-01-12T00:00:00.000Z"_s}
            << QList<qint64>{1, 1, 1, 2};
    }

    void buckets()
    {
        QFETCH(QString, size);
        QFETCH(QString, stream);
        QFETCH(QString, type);
        QFETCH(QStringList, starts);
        QFETCH(QList<qint64>, counts);
        for (const QString &path :
             {m_small, mappedPath(u"iso"_s), mappedPath(u"sql"_s), mappedPath(u"s"_s),
              mappedPath(u"ms"_s), mappedPath(u"ticks"_s)}) {
            const bool mapped = path != m_small;
            auto store = open(path, mapped ? u"table=events_v2,stream=aggregate_id,version=seq,"
                                             "type=kind,time=created,data=body,position=id"_s
                                           : QString());
            QVERIFY(store);
            BucketSize bucketSize;
            QVERIFY(EventStore::parseBucketName(size, &bucketSize));
            const auto buckets = store->buckets(bucketSize, BucketFilter{stream, type});
            QVERIFY2(buckets, qPrintable(store->errorString()));
            QStringList gotStarts;
            QList<qint64> gotCounts;
            qint64 typed = 0;
            for (const Bucket &b : *buckets) {
                gotStarts << TimeCodec::format(b.startMs);
                gotCounts << b.events;
                for (qint64 n : b.byType)
                    typed += n;
            }
            QCOMPARE(gotStarts, starts);
            QCOMPARE(gotCounts, counts);
            QCOMPARE(typed, std::accumulate(counts.cbegin(), counts.cend(), qint64(0)));
        }
    }

    void bucketByType()
    {
        auto store = open(m_small);
        QVERIFY(store);
        const auto buckets = store->buckets(BucketSize::Day, {});
        QVERIFY(buckets);
        const QMap<QString, qint64> firstDay{
            {u"Clicked"_s, 1}, {u"PostPublished"_s, 1}, {u"UserCreated"_s, 2}};
        QCOMPARE(buckets->at(0).byType, firstDay);
    }

    // The charts' "N clicks up to T": exact at any time, as SQL run separately counts, from
    // SQL in every time format and from the index.
    void countUpTo_data()
    {
        QTest::addColumn<QString>("time");
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QStringList>("types");
        const QStringList clicks{u"Clicked"_s};
        QTest::newRow("inside a bucket with clicks")
            << u"2026-01-05T09:30:00.000Z"_s << QString() << clicks;
        QTest::newRow("at an event's time") << u"2026-01-11T23:59:59.999Z"_s << QString() << clicks;
        QTest::newRow("just before it") << u"2026-01-11T23:59:59.998Z"_s << QString() << clicks;
        QTest::newRow("past the last event")
            << u"2027-01-01T00:00:00.000Z"_s << QString() << clicks;
        QTest::newRow("before the first event")
            << u"2025-12-31T00:00:00.000Z"_s << QString() << clicks;
        QTest::newRow("one stream") << u"2026-01-12T00:00:00.000Z"_s << u"user-1"_s << clicks;
        QTest::newRow("a stream named like SQL")
            << u"2027-01-01T00:00:00.000Z"_s << injection << clicks;
        QTest::newRow("two types") << u"2026-01-06T10:20:00.000Z"_s << QString()
                                   << QStringList{u"Clicked"_s, u"UserCreated"_s};
        QTest::newRow("no such stream") << u"2027-01-01T00:00:00.000Z"_s << u"nobody"_s << clicks;
    }

    void countUpTo()
    {
        QFETCH(QString, time);
        QFETCH(QString, stream);
        QFETCH(QStringList, types);
        const auto quoted = [](QString text) -> QString {
            return u'\'' + text.replace(u'\'', u"''"_s) + u'\'';
        };
        QStringList typeList;
        for (const QString &type : std::as_const(types))
            typeList << quoted(type);
        QString sql = u"SELECT COUNT(*) FROM events WHERE recorded_at <= %1 AND type IN (%2)"_s.arg(
            quoted(time), typeList.join(u", "_s));
        if (!stream.isEmpty())
            sql += u" AND stream_id = "_s + quoted(stream);
        const auto rows = TestSupport::queryRows(m_small, sql);
        QCOMPARE(rows.size(), 1);
        const qint64 expected = rows.constFirst().constFirst().toLongLong();
        const qint64 ms = TimeCodec::parseIso(time);

        for (const QString &path :
             {m_small, mappedPath(u"iso"_s), mappedPath(u"sql"_s), mappedPath(u"s"_s),
              mappedPath(u"ms"_s), mappedPath(u"ticks"_s)}) {
            const bool mapped = path != m_small;
            auto store = open(path, mapped ? u"table=events_v2,stream=aggregate_id,version=seq,"
                                             "type=kind,time=created,data=body,position=id"_s
                                           : QString());
            QVERIFY(store);
            const auto fromSql = store->countUpTo(stream, types, ms);
            QVERIFY2(fromSql, qPrintable(store->errorString()));
            QCOMPARE(*fromSql, expected);
            QString error;
            const auto index = EventIndexBuilder::build(*store, {}, &error);
            QVERIFY2(index, qPrintable(error));
            store->attachIndex(index);
            const auto fromIndex = store->countUpTo(stream, types, ms);
            QVERIFY(fromIndex);
            QCOMPARE(*fromIndex, expected);
        }
    }

    void mappedTimeFormats_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("expectedFormat");
        QTest::newRow("iso text") << u"iso"_s << int(TimeFormat::IsoText);
        QTest::newRow("sql timestamp text") << u"sql"_s << int(TimeFormat::IsoText);
        QTest::newRow("epoch seconds") << u"s"_s << int(TimeFormat::EpochSeconds);
        QTest::newRow("epoch milliseconds") << u"ms"_s << int(TimeFormat::EpochMillis);
        QTest::newRow(".NET ticks") << u"ticks"_s << int(TimeFormat::DotNetTicks);
    }

    void mappedTimeFormats()
    {
        QFETCH(QString, format);
        QFETCH(int, expectedFormat);
        auto store = open(mappedPath(format), u"table=EVENTS_V2, stream=aggregate_id, version=seq,"
                                              "type=kind,time=created,data=body,position=id"_s);
        QVERIFY(store);
        QCOMPARE(store->layout().id, u"mapped"_s);
        QCOMPARE(store->layout().table, u"events_v2"_s);
        QCOMPARE(int(store->layout().timeFormat), expectedFormat);
        const auto s = store->summary();
        QVERIFY(s);
        QCOMPARE(s->events, 12);
        QCOMPARE(s->streams, 4);
        QCOMPARE(TimeCodec::format(s->firstTimeMs), u"2026-01-05T08:00:00.000Z"_s);
        QCOMPARE(TimeCodec::format(s->lastTimeMs), u"2026-01-12T03:00:01.000Z"_s);

        EventFilter filter;
        filter.fromTimeMs = iso("2026-01-06T00:00:00Z");
        filter.toTimeMs = iso("2026-01-12T00:00:00Z");
        const auto page = store->events(filter);
        QVERIFY2(page, qPrintable(store->errorString()));
        QCOMPARE(positions(*page), (QList<qint64>{50, 60, 70}));
        QCOMPARE(TimeCodec::format(page->at(2).timeMs), u"2026-01-11T23:59:59.999Z"_s);
        QCOMPARE(page->at(0).data, QByteArray(R"({"name":"Ada L."})"));
    }

    void mappingWithoutPositionUsesRowOrder()
    {
        auto store = open(mappedPath(u"ms"_s), u"table=events_v2,stream=aggregate_id,type=kind"_s);
        QVERIFY(store);
        const auto page = store->streamEvents(u"user-2"_s, std::numeric_limits<qint64>::min(), 10);
        QVERIFY2(page, qPrintable(store->errorString()));
        // No position column: SQLite's rowid (here the INTEGER PRIMARY KEY id) orders the
        // events, and with no version column it stands for the version too.
        QCOMPARE(positions(*page), (QList<qint64>{40, 60, 90}));
        QCOMPARE(page->at(1).version, 60);
        QCOMPARE(page->at(0).timeMs, NoTime);
    }

    void mappingErrors_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        QTest::newRow("no such table")
            << u"table=nope,stream=aggregate_id"_s
            << u"no table or view named 'nope' (there are: events_v2, unrelated)"_s;
        QTest::newRow("no such column")
            << u"table=events_v2,stream=agg"_s
            << u"has no column 'agg' (its columns: id, aggregate_id, seq, kind, created, body)"_s;
        QTest::newRow("unknown key")
            << u"table=events_v2,stream=aggregate_id,colour=red"_s << u"unknown key 'colour'"_s;
        QTest::newRow("no stream") << u"table=events_v2"_s << u"at least table= and stream="_s;
        QTest::newRow("key twice") << u"table=a,table=b,stream=s"_s << u"names 'table' twice"_s;
        QTest::newRow("no value") << u"table=,stream=s"_s << u"expected key=column"_s;
        QTest::newRow("bad time format")
            << u"table=events_v2,stream=aggregate_id,time=created,time_format=days"_s
            << u"time_format must be iso, s, ms or ticks"_s;
        QTest::newRow("not a time") << u"table=events_v2,stream=aggregate_id,time=kind"_s
                                    << u"holds 'UserCreated', which is not a time"_s;
    }

    void mappingErrors()
    {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(mappedPath(u"ms"_s)),
                                      StoreOpenOptions{spec, {}}, &error);
        QVERIFY(!store);
        QVERIFY2(error.message.contains(message), qPrintable(error.message));
        QCOMPARE(error.kind, StoreError::Kind::BadMapping);
    }

    // Past the rows a check may read, a position column is taken on the schema's word alone:
    // an INTEGER PRIMARY KEY is (it is the rowid), a plain INTEGER column is not.
    void largeMappedTableIsTakenOnItsSchema()
    {
        const QString path = m_dir.filePath(u"large-mapped.db"_s);
        QVERIFY(TestSupport::execSql(
            path,
            {u"CREATE TABLE log (id INTEGER PRIMARY KEY, n INTEGER, agg TEXT, seq INTEGER, "
             "kind TEXT, at INTEGER, body TEXT)"_s,
             u"WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < "
             "200500) INSERT INTO log SELECT i, i, 's' || (i % 7), i, 'T', i, '{}' FROM k"_s}));
        const QString spec = u"table=log,position=%1,stream=agg,version=seq,type=kind,time=at,"
                             "data=body,time_format=ms"_s;
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path),
                                      StoreOpenOptions{spec.arg(u"id"_s), {}}, &error);
        QVERIFY2(store, qPrintable(error.message));
        const auto events = store->countEvents(EventFilter{});
        QVERIFY(events);
        QCOMPARE(*events, qint64(200500));
        store.reset();
        QVERIFY(!EventStore::open(StoreLocation::parse(path),
                                  StoreOpenOptions{spec.arg(u"n"_s), {}}, &error));
        QVERIFY2(error.message.contains(u"not known to hold a unique integer"_s),
                 qPrintable(error.message));
    }

    void specRoundTrip()
    {
        QString error;
        const auto layout = ColumnMapping::fromSpec(
            u"table=t,stream=s,version=v,type=k,time=c,data=d,position=p,metadata=m,time_format=ms"_s,
            &error);
        QVERIFY2(layout, qPrintable(error));
        QCOMPARE(
            layout->toSpec(),
            u"table=t,position=p,stream=s,version=v,type=k,time=c,data=d,metadata=m,time_format=ms"_s);
        QCOMPARE(int(layout->timeFormat), int(TimeFormat::EpochMillis));
        const auto ticks =
            ColumnMapping::fromSpec(u"table=t,stream=s,time=c,time_format=TICKS"_s, &error);
        QVERIFY2(ticks, qPrintable(error));
        QCOMPARE(int(ticks->timeFormat), int(TimeFormat::DotNetTicks));
        QVERIFY(ticks->toSpec().endsWith(u",time_format=ticks"_s));
    }

    void specOverridesALayout()
    {
        QString error;
        const auto fields = ColumnMapping::own().withSpec(u"stream=aggregate,time=at"_s, &error);
        QVERIFY2(fields, qPrintable(error));
        QCOMPARE(fields->stream, u"aggregate"_s);
        QCOMPARE(fields->time, u"at"_s);
        QCOMPARE(fields->type, u"type"_s); // untouched roles keep their names
        QVERIFY(!ColumnMapping::own().withSpec(u"stream"_s, &error));
        QVERIFY(error.contains(u"expected key=column"_s));
    }

    void tableSamplesListTablesColumnsAndRows()
    {
        StoreError error;
        const auto samples =
            EventStore::tableSamples(StoreLocation::parse(mappedPath(u"iso"_s)), &error);
        QVERIFY2(samples, qPrintable(error.message));
        QStringList tables;
        for (const TableSample &sample : *samples)
            tables << sample.table;
        QCOMPARE(tables, (QStringList{u"events_v2"_s, u"unrelated"_s}));
        QCOMPARE(samples->at(0).columns, (QStringList{u"id"_s, u"aggregate_id"_s, u"seq"_s,
                                                      u"kind"_s, u"created"_s, u"body"_s}));
        QCOMPARE(samples->at(0).rows.size(), 12);
        QCOMPARE(samples->at(0).rows.at(0).size(), 6);
        QVERIFY(
            !EventStore::tableSamples(StoreLocation::parse(m_dir.filePath(u"nope.db"_s)), &error));
        QVERIFY(error.message.endsWith(u"no such file"_s));
        QCOMPARE(error.kind, StoreError::Kind::NotFound);
    }

    void unknownLayoutNamesTables()
    {
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(mappedPath(u"iso"_s)), {}, &error);
        QVERIFY(!store);
        QVERIFY2(
            error.message.contains(u"no table looks like events (tables: events_v2, unrelated)"_s),
            qPrintable(error.message));
        QVERIFY(error.message.startsWith(mappedPath(u"iso"_s)));
        QCOMPARE(error.kind, StoreError::Kind::NoLayout);
        // The --map it suggests is the table's, guessed from its rows, and works as given.
        const QString spec = u"table=events_v2,position=id,stream=aggregate_id,version=seq,"
                             "type=kind,time=created,data=body"_s;
        QVERIFY2(error.message.contains(u"map one with --map "_s + spec),
                 qPrintable(error.message));
        QVERIFY2(EventStore::open(StoreLocation::parse(mappedPath(u"iso"_s)), {spec, {}}, &error),
                 qPrintable(error.message));
    }

    void eventsTableOfOtherShapeIsNotOwnLayout()
    {
        const QString path = m_dir.filePath(u"other-events.db"_s);
        QVERIFY(TestSupport::execSql(path, {u"CREATE TABLE events(id INTEGER, name TEXT)"_s}));
        StoreError error;
        QVERIFY(!EventStore::open(StoreLocation::parse(path), {}, &error));
        QVERIFY2(error.message.contains(u"no table looks like events (tables: events)"_s),
                 qPrintable(error.message));
        QCOMPARE(error.kind, StoreError::Kind::NoLayout);
    }

    void storeWithoutTables()
    {
        const QString path = m_dir.filePath(u"empty-db.db"_s);
        QVERIFY(TestSupport::execSql(path, {u"PRAGMA user_version = 7"_s}));
        StoreError error;
        QVERIFY(!EventStore::open(StoreLocation::parse(path), {}, &error));
        QVERIFY2(error.message.contains(u"has no tables"_s), qPrintable(error.message));
        QCOMPARE(error.kind, StoreError::Kind::NotAStore);
    }

    void emptyEventsTable()
    {
        const QString path = m_dir.filePath(u"no-events.db"_s);
        QVERIFY(TestSupport::execSql(path,
                                     {u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, "
                                      "stream_id TEXT, stream_version INTEGER, event_id TEXT, "
                                      "type TEXT, recorded_at TEXT, data TEXT, metadata TEXT)"_s}));
        auto store = open(path);
        QVERIFY(store);
        const auto s = store->summary();
        QVERIFY(s);
        QCOMPARE(s->events, 0);
        QCOMPARE(s->streams, 0);
        QCOMPARE(s->firstTimeMs, NoTime);
        QVERIFY(s->typeCounts.isEmpty());
        const auto b = store->buckets(BucketSize::Hour, {});
        QVERIFY(b);
        QVERIFY(b->isEmpty());
    }

    void unreachablePostgresIsNamedWithoutThePassword()
    {
        StoreError error;
        QVERIFY(!EventStore::open(
            StoreLocation::parse(u"postgresql://me:secret@127.0.0.1:1/shop"_s), {}, &error));
        QVERIFY2(error.message.contains(u"no PostgreSQL server answers at 127.0.0.1:1"_s),
                 qPrintable(error.message));
        QVERIFY2(!error.message.contains(u"secret"_s), qPrintable(error.message));
        QCOMPARE(error.kind, StoreError::Kind::ConnectionLost);
    }

    void runningStatementIsInterrupted()
    {
        // A view of 1,000 events, each with a time that takes counting to a million: a
        // summary that would run for minutes, where the check of the mapped position (which
        // reads the positions only) is quick.
        const QString path = m_dir.filePath(u"slow.db"_s);
        QVERIFY(TestSupport::execSql(
            path, {u"CREATE TABLE base (id INTEGER PRIMARY KEY, stream TEXT)"_s,
                   u"CREATE VIEW slow AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                   "FROM c WHERE x < 1000) SELECT x AS id, 's' AS stream, (WITH RECURSIVE "
                   "d(y) AS (SELECT x UNION ALL SELECT y + 1 FROM d WHERE y < 1000000) "
                   "SELECT MAX(y) FROM d) AS at FROM c"_s}));
        auto store = open(path, u"table=slow,stream=stream,position=id,time=at,time_format=ms"_s);
        QVERIFY(store);
        auto interrupter = store->interrupter();
        QElapsedTimer timer;
        timer.start();
        QFuture<void> canceller = QtConcurrent::run([interrupter] {
            QThread::msleep(200);
            interrupter->interrupt();
        });
        const auto summary = store->summary();
        canceller.waitForFinished();
        QVERIFY(!summary);
        QCOMPARE(store->errorString(), u"cancelled"_s);
        QVERIFY2(timer.elapsed() < 10000, "the interrupt did not stop the statement");
    }
};

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"

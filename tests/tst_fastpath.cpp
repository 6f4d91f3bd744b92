// Fast paths and simple paths return identical results on a randomized store: the replay's
// first pass over the C API with simdjson (SqliteStreamReader, JsonMergeTree) against the
// generic pass (QSqlQuery, QJsonDocument, Projection::deepMerge), state by state, on payloads
// with nested objects, unicode, escapes, numbers of every kind, nulls, arrays, duplicate keys,
// non-object and non-JSON data, invalid UTF-8 and compressed blobs.

#include "demogenerator.h"
#include "eventstore.h"
#include "jsondiff.h"
#include "jsonmergetree.h"
#include "payload.h"
#include "projection.h"
#include "replayengine.h"
#include "sqlitestreamreader.h"
#include "testsupport.h"
#include "timecodec.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int EventsPerStream = 400;
const QStringList Streams = {u"alpha"_s, u"béta-☃"_s, u"gamma"_s};

// Payloads where simdjson and Qt could part ways, and payloads no JSON parser reads.
const QList<QByteArray> TrickyPayloads = {
    R"({"a": -0, "b": -0.0, "c": 2.0, "d": 1e2, "e": 1E-7, "f": 0.1})",
    R"({"big": 9007199254740993, "bigger": 9223372036854775807, "u64": 18446744073709551615})",
    R"({"huge": 18446744073709551616, "inf": 1e400})",
    R"({"dup": {"x": 1}, "dup": {"y": 2}})",
    R"({"inner": {"dup": 1, "dup": 2}})",
    R"({"list": [{"k": 1, "k": 2}, -0, 1.5]})",
    R"({"esc": "quote \" backslash \\ slash \/ tab \t nl \n uni \u00e9 \u2603 nul \u0000"})",
    R"({"pair": "\ud83d\ude00", "raw": "😀 ☃ é"})",
    R"({"lone": "\ud800"})",
    R"({"k\"ey": 1, "k\\ey": {"n\u00e9": true}, "": null, "ctl\u0001": false})",
    "  \n\t{\"spaced\": {\"deep\": [1, 2, {\"x\": null}]}}  ",
    R"({"truncated": )",
    R"({"trailing": 1} x)",
    R"([1, 2, {"a": 1}])",
    R"("just a string")",
    "42",
    "null",
    "not json at all",
    "",
    "   ",
    "{\"bad utf8\": \"\xC3\x28\"}",
    "\xEF\xBB\xBF{\"bom\": 1}",
    "{\"d\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}",
};

QByteArray randomKey(QRandomGenerator &rng)
{
    static const QList<QByteArray> keys = {"a", "b",      "name",  "n\\u00e9", "\\u2603",
                                           "x", "nested", "list",  "k\\\"q",   "plan",
                                           "é", "数",     "count", "flag",     "z"};
    return keys.at(rng.bounded(int(keys.size())));
}

QByteArray randomScalar(QRandomGenerator &rng)
{
    switch (rng.bounded(12)) {
    case 0:
        return "null";
    case 1:
        return rng.bounded(2) ? "true" : "false";
    case 2:
        return QByteArray::number(rng.bounded(2000) - 1000);
    case 3:
        return QByteArray::number(qint64(rng.generate64() >> 1));
    case 4:
        return QByteArray::number(rng.generateDouble() * 1e6 - 5e5, 'g', 17);
    case 5:
        return QByteArray::number(rng.generateDouble(), 'e', 3);
    case 6:
        return "\"plain\"";
    case 7:
        return "\"tab\\tnew\\nline \\\"q\\\" \\\\ \\/ \\u00e9\"";
    case 8:
        return "\"日本語 ☃ 😀\"";
    case 9:
        return "\"\\ud83d\\ude00\"";
    case 10:
        return "1.0";
    default:
        return "\"\"";
    }
}

QByteArray randomValue(QRandomGenerator &rng, int depth);

QByteArray randomObject(QRandomGenerator &rng, int depth)
{
    QByteArray out = "{";
    const int n = rng.bounded(5);
    for (int i = 0; i < n; ++i) {
        if (i)
            out += rng.bounded(2) ? ", " : ",";
        out += '"' + randomKey(rng) + "\":" + randomValue(rng, depth + 1);
    }
    return out + '}';
}

QByteArray randomValue(QRandomGenerator &rng, int depth)
{
    const int pick = rng.bounded(depth > 3 ? 6 : 10);
    if (pick < 6)
        return randomScalar(rng);
    if (pick < 8)
        return randomObject(rng, depth);
    QByteArray out = "[";
    const int n = rng.bounded(4);
    for (int i = 0; i < n; ++i)
        out += (i ? "," : "") + randomValue(rng, depth + 1);
    return out + ']';
}

QByteArray randomPayload(QRandomGenerator &rng)
{
    if (rng.bounded(10) == 0)
        return TrickyPayloads.at(rng.bounded(int(TrickyPayloads.size())));
    return randomObject(rng, 0);
}

// A value as SQL: text, text that is not UTF-8, a blob, or NULL.
QString sqlBytes(const QByteArray &bytes, bool blob)
{
    if (blob)
        return u"X'%1'"_s.arg(QString::fromLatin1(bytes.toHex()));
    return u"CAST(X'%1' AS TEXT)"_s.arg(QString::fromLatin1(bytes.toHex()));
}

bool createRandomStore(const QString &path, quint32 seed)
{
    QStringList sql{u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT, "
                    "stream_version INTEGER, type TEXT, recorded_at TEXT, data TEXT, "
                    "metadata TEXT)"_s,
                    u"CREATE INDEX events_stream ON events(stream_id, stream_version)"_s};
    QRandomGenerator rng(seed);
    const QStringList types = {u"Created"_s, u"Renamed"_s, u"Événement ☃"_s, u"Clicked"_s};
    qint64 time = TimeCodec::parseIso(u"2026-02-01T00:00:00Z"_s);
    QVector<qint64> versions(Streams.size(), 0);
    for (int i = 0; i < EventsPerStream * int(Streams.size()); ++i) {
        const int s = rng.bounded(int(Streams.size()));
        versions[s] += 1 + rng.bounded(3); // gaps in the versions
        time += rng.bounded(60000);
        // The first rows stay ordinary, so that the layout's time format is detected.
        const bool odd = i > 20 && rng.bounded(25) == 0;
        QString type = u"'%1'"_s.arg(types.at(rng.bounded(int(types.size()))));
        QString recorded = u"'%1'"_s.arg(TimeCodec::format(time));
        QString data = sqlBytes(randomPayload(rng), false);
        if (odd) {
            switch (rng.bounded(7)) {
            case 0:
                type = u"NULL"_s;
                break;
            case 1:
                type = u"7"_s;
                break;
            case 2:
                recorded = u"NULL"_s;
                break;
            case 3: {
                // Not a time, not a date, an hour too many, a zone, and the short form.
                const QStringList odd = {u"'yesterday'"_s,
                                         u"'2026-02-30T10:00:00.000Z'"_s,
                                         u"'2026-02-01T24:00:00.000Z'"_s,
                                         u"'2026-02-01T10:00:00.000+01:00'"_s,
                                         u"'2026-02-01 10:00'"_s,
                                         u"'2026-02-01T1x:00:00.000Z'"_s};
                recorded = odd.at(rng.bounded(int(odd.size())));
                break;
            }
            case 4:
                data = u"NULL"_s;
                break;
            case 5:
                data = sqlBytes(TestSupport::gzip(randomObject(rng, 0)), true);
                break;
            default:
                data = sqlBytes(randomObject(rng, 0), true);
                break;
            }
        }
        sql << u"INSERT INTO events VALUES (%1, '%2', %3, %4, %5, %6, NULL)"_s.arg(i + 1)
                   .arg(Streams.at(s))
                   .arg(versions.at(s))
                   .arg(type, recorded, data);
    }
    return TestSupport::execSql(path, sql);
}

// The default merge spelled as an operation: the same fold, taken down the generic path.
Projection genericMerge()
{
    QString error;
    return Projection::fromJson(R"({"*": [{"op": "merge"}]})", &error).value_or(Projection());
}

QByteArray text(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestFastPath : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static std::unique_ptr<EventStore> open(const QString &path)
    {
        QString error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        if (!store)
            qWarning() << error;
        return store;
    }

    // Both passes over one stream, compared at every event; the checkpoint interval decides
    // how many states come from the fast pass's checkpoints.
    static void compareStream(EventStore &store, const QString &stream, int interval)
    {
        ReplayEngine::Options options;
        options.checkpointInterval = interval;
        ReplayEngine fast(store, stream, Projection(), options);
        ReplayEngine simple(store, stream, genericMerge(), options);
        QVERIFY2(fast.load(), qPrintable(fast.errorString()));
        QVERIFY2(simple.load(), qPrintable(simple.errorString()));
        QCOMPARE(fast.versions(), simple.versions());
        QCOMPARE(fast.positions(), simple.positions());
        QCOMPARE(fast.times(), simple.times());
        QCOMPARE(fast.checkpointCount(), simple.checkpointCount());
        for (qint64 i = fast.eventCount() - 1; i >= -1; --i) {
            const auto a = fast.stateAtIndex(i);
            const auto b = simple.stateAtIndex(i);
            QVERIFY(a && b);
            QCOMPARE(text(a->state), text(b->state));
            QVERIFY(a->state == b->state);
            QCOMPARE(a->eventCounts, b->eventCounts);
            QCOMPARE(a->type, b->type);
            QCOMPARE(a->version, b->version);
            QCOMPARE(a->timeMs, b->timeMs);
            QCOMPARE(TestSupport::changePaths(a->changed), TestSupport::changePaths(b->changed));
        }
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // The tree against Projection::deepMerge, after every payload, tricky ones included.
    void mergeTreeMatchesDeepMerge()
    {
        QRandomGenerator rng(11);
        for (int run = 0; run < 20; ++run) {
            JsonMergeTree tree;
            QJsonObject state;
            QList<QByteArray> payloads = TrickyPayloads;
            for (int i = 0; i < 150; ++i)
                payloads.insert(rng.bounded(int(payloads.size()) + 1), randomPayload(rng));
            for (const QByteArray &payload : std::as_const(payloads)) {
                const auto json = Payload::toJson(payload);
                if (json && json->isObject())
                    Projection::deepMerge(state, json->toObject());
                const auto outcome =
                    tree.mergeJson(std::string_view(payload.constData(), payload.size()));
                if (outcome == JsonMergeTree::Outcome::UseQt && json && json->isObject())
                    tree.merge(json->toObject());
                const QJsonObject fromTree = QJsonDocument::fromJson(tree.toJson()).object();
                QVERIFY2(fromTree == state, payload.constData());
                QCOMPARE(text(fromTree), text(state));
            }
        }
    }

    void randomStore_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("interval");
        QTest::newRow("seed 1, every event") << 1u << 1;
        QTest::newRow("seed 2, every 7") << 2u << 7;
        QTest::newRow("seed 3, every 64") << 3u << 64;
    }

    void randomStore()
    {
        QFETCH(quint32, seed);
        QFETCH(int, interval);
        const QString path = m_dir.filePath(u"random-%1.db"_s.arg(seed));
        QVERIFY(createRandomStore(path, seed));
        auto store = open(path);
        QVERIFY(store);
        // The fast path is taken on this store; otherwise the comparison proves nothing.
        QVERIFY(store->streamReader(Streams.constFirst(), 0));
        for (const QString &stream : Streams)
            compareStream(*store, stream, interval);
    }

    void demoStore()
    {
        const QString path = m_dir.filePath(u"demo.db"_s);
        DemoGenerator::Options options;
        options.events = 4000;
        options.users = 5;
        QString error;
        QVERIFY2(DemoGenerator::generate(path, options, &error), qPrintable(error));
        auto store = open(path);
        QVERIFY(store);
        for (const QString &stream : {u"user-1"_s, u"user-3"_s, u"post-1"_s})
            compareStream(*store, stream, 32);
    }

    // A store that is not SQLite-as-Eventscope-writes-it still replays, down the generic path.
    void genericLayoutsStillReplay()
    {
        const QString path = m_dir.filePath(u"mapped.db"_s);
        QVERIFY(TestSupport::createMappedStore(path, u"ms"_s));
        QString error;
        StoreOpenOptions options;
        options.mapSpec = u"table=events_v2,stream=aggregate_id,version=seq,type=kind,"
                          "time=created,data=body,position=id"_s;
        auto store = EventStore::open(StoreLocation::parse(path), options, &error);
        QVERIFY2(store, qPrintable(error));
        const auto streams = store->streams({});
        QVERIFY(streams && !streams->isEmpty());
        for (const StreamInfo &info : *streams)
            compareStream(*store, info.stream, 2);
    }
};

QTEST_GUILESS_MAIN(TestFastPath)
#include "tst_fastpath.moc"

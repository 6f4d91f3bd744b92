// Fast paths and simple paths return identical results on randomized stores: the replay's
// first pass over the C API with simdjson (SqliteStreamReader, JsonMergeTree) against the
// generic pass (QSqlQuery, QJsonDocument, Projection::deepMerge), row by row and state by
// state, on payloads with nested objects, unicode, escapes, numbers of every kind, nulls,
// arrays, duplicate keys, non-object and non-JSON data, invalid UTF-8 and compressed blobs; on
// stores of every shape Eventscope did not write (times as ISO text with offsets and odd
// fractions, epoch seconds or milliseconds, REAL, .NET ticks or none; payloads as text, blobs,
// zlib or gzip; with and without the type and time indexes; a mapped table) and on each
// SQLite library layout. The hot path runs one statement however odd its rows are. EventWalk's
// scan of whole events (search, check, schema, read models) against the generic pages, too.

#include "decoding/payload.h"
#include "decoding/payloaddecoder.h"
#include "decoding/timecodec.h"
#include "layoutfixtures.h"
#include "query/eventwalk.h"
#include "replay/jsondiff.h"
#include "replay/jsonmergetree.h"
#include "replay/projection.h"
#include "replay/replayengine.h"
#include "store/eventstore.h"
#include "store/sqlitehandle.h"
#include "store/sqlitestreamreader.h"
#include "testsupport.h"
#include "writers/demogenerator.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <limits>
#include <string_view>

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

// How a store Eventscope did not write keeps its times and payloads.
enum class TimeShape { IsoOdd, EpochMillis, EpochSeconds, RealSeconds, DotNetTicks, NoTimes };
enum class PayloadShape { Text, Blob, Zlib, Gzip };

struct Shape
{
    TimeShape time = TimeShape::IsoOdd;
    PayloadShape payload = PayloadShape::Text;
    bool typeAndTimeIndexes = false;
    bool mapped = false; // a table of its own names, read through a column mapping
};

// ISO-8601 as other writers spell it: a zone offset in three spellings or none, 0-9 fraction
// digits, 'T' or a space.
QString isoText(qint64 ms, QRandomGenerator &rng)
{
    const int offsetMinutes = (rng.bounded(2 * 14 * 4 + 1) - 14 * 4) * 15;
    const QDateTime local =
        QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).addSecs(qint64(offsetMinutes) * 60);
    QString text =
        local.toString(rng.bounded(4) ? u"yyyy-MM-ddTHH:mm:ss"_s : u"yyyy-MM-dd HH:mm:ss"_s);
    const int digits = rng.bounded(10);
    if (digits > 0) {
        const QString fraction = u"%1"_s.arg(ms % 1000, 3, 10, QChar(u'0')) + u"123456"_s;
        text += (rng.bounded(8) ? u'.' : u',') + fraction.left(digits);
    }
    if (offsetMinutes == 0 && rng.bounded(2))
        return text + u'Z';
    const int a = qAbs(offsetMinutes);
    const QString hours =
        (offsetMinutes < 0 ? u"-"_s : u"+"_s) + u"%1"_s.arg(a / 60, 2, 10, QChar(u'0'));
    const QString minutes = u"%1"_s.arg(a % 60, 2, 10, QChar(u'0'));
    // The offset as +HH:MM, +HHMM or +HH, or no zone at all (UTC).
    switch (rng.bounded(4)) {
    case 0:
        return text + hours + minutes;
    case 1:
        if (a % 60 == 0)
            return text + hours;
        break;
    case 2:
        if (offsetMinutes == 0)
            return text;
        break;
    default:
        break;
    }
    return text + hours + u':' + minutes;
}

QString timeValue(TimeShape shape, qint64 ms, QRandomGenerator &rng)
{
    switch (shape) {
    case TimeShape::IsoOdd:
        return u"'%1'"_s.arg(isoText(ms, rng));
    case TimeShape::EpochMillis:
        return QString::number(ms);
    case TimeShape::EpochSeconds:
        return QString::number(ms / 1000);
    case TimeShape::RealSeconds:
        return QString::number(double(ms) / 1000.0, 'f', 3 + rng.bounded(4));
    case TimeShape::DotNetTicks:
        return QString::number(TimeCodec::toDotNetTicks(ms) + rng.bounded(10000));
    case TimeShape::NoTimes:
        break;
    }
    return u"NULL"_s;
}

// Times that are not what the column usually holds.
QString oddTimeValue(QRandomGenerator &rng)
{
    const QStringList odd = {u"NULL"_s,
                             u"'yesterday'"_s,
                             u"'2026-02-30T10:00:00.000Z'"_s,
                             u"'2026-02-01T10:00:00.5+05:30'"_s,
                             u"'2026-02-01 10:00'"_s,
                             u"1769940000123"_s,
                             u"1769940000.25"_s,
                             u"1769940000"_s,
                             u"-1.5"_s,
                             u"1e300"_s,
                             u"639054000000000000"_s,
                             u"X'323032362d30322d3031'"_s, // a blob of ISO text
                             u"''"_s};
    return odd.at(rng.bounded(int(odd.size())));
}

QString oddType(QRandomGenerator &rng)
{
    const QStringList odd = {u"NULL"_s,    u"7"_s, u"7.5"_s, u"1e20"_s, u"CAST(X'C328' AS TEXT)"_s,
                             u"X'4265'"_s, u"''"_s};
    return odd.at(rng.bounded(int(odd.size())));
}

QByteArray zlibStream(const QByteArray &bytes)
{
    return qCompress(bytes).mid(4); // qCompress puts the length before the zlib stream
}

QString payloadValue(PayloadShape shape, const QByteArray &json)
{
    switch (shape) {
    case PayloadShape::Text:
        return sqlBytes(json, false);
    case PayloadShape::Blob:
        return sqlBytes(json, true);
    case PayloadShape::Zlib:
        return sqlBytes(zlibStream(json), true);
    case PayloadShape::Gzip:
        return sqlBytes(TestSupport::gzip(json), true);
    }
    return u"NULL"_s;
}

QString oddPayload(QRandomGenerator &rng)
{
    switch (rng.bounded(9)) {
    case 0:
        return u"NULL"_s;
    case 1:
        return u"42"_s;
    case 2:
        return u"4.5"_s;
    case 3:
        return sqlBytes("{\"bad utf8\": \"\xC3\x28\", \"ok\": 1}", false);
    case 4:
        return sqlBytes("\xEF\xBB\xBF{\"bom\": {\"x\": 1}}", rng.bounded(2));
    case 5:
        return sqlBytes(TestSupport::gzip(zlibStream(randomObject(rng, 0))), true);
    case 6:
        return sqlBytes("name: Ada\nplan: free\n", false);
    case 7:
        return sqlBytes(zlibStream(randomObject(rng, 0)).left(6), true); // a corrupt stream
    default:
        return sqlBytes(TrickyPayloads.at(rng.bounded(int(TrickyPayloads.size()))), rng.bounded(2));
    }
}

QString columnType(TimeShape shape)
{
    switch (shape) {
    case TimeShape::EpochMillis:
    case TimeShape::EpochSeconds:
    case TimeShape::DotNetTicks:
        return u"INTEGER"_s;
    case TimeShape::RealSeconds:
        return u"REAL"_s;
    case TimeShape::IsoOdd:
    case TimeShape::NoTimes:
        break;
    }
    return u"TEXT"_s;
}

// A mapping names the time's format, as a user would for a column of mixed values.
QString mappedSpec(TimeShape shape)
{
    QString format = u"iso"_s;
    if (shape == TimeShape::EpochMillis)
        format = u"ms"_s;
    else if (shape == TimeShape::EpochSeconds || shape == TimeShape::RealSeconds)
        format = u"s"_s;
    else if (shape == TimeShape::DotNetTicks)
        format = u"ticks"_s;
    return u"table=journal,stream=aggregate,version=revision,type=kind,time=happened,"
           "time_format=%1,data=body,position=seq_no"_s.arg(format);
}

// Fewer than the other random stores: there are many shapes.
constexpr int ShapedEventsPerStream = 80;

bool createShapedStore(const QString &path, const Shape &shape, quint32 seed)
{
    const QString data = shape.payload == PayloadShape::Text ? u"TEXT"_s : u"BLOB"_s;
    QStringList sql;
    QString insert;
    if (shape.mapped) {
        sql << u"CREATE TABLE journal(seq_no INTEGER PRIMARY KEY, aggregate TEXT, revision "
               "INTEGER, kind TEXT, happened %1, body %2)"_s.arg(columnType(shape.time), data)
            << u"CREATE INDEX journal_stream ON journal(aggregate, revision)"_s;
        if (shape.typeAndTimeIndexes)
            sql << u"CREATE INDEX journal_kind ON journal(kind)"_s
                << u"CREATE INDEX journal_happened ON journal(happened)"_s;
        insert = u"INSERT INTO journal VALUES (%1, '%2', %3, %4, %5, %6)"_s;
    } else {
        sql << u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT, "
               "stream_version INTEGER, type TEXT, recorded_at %1, data %2, metadata TEXT)"_s.arg(
                   columnType(shape.time), data)
            << u"CREATE INDEX events_stream ON events(stream_id, stream_version)"_s;
        if (shape.typeAndTimeIndexes)
            sql << u"CREATE INDEX events_type ON events(type)"_s
                << u"CREATE INDEX events_time ON events(recorded_at)"_s;
        insert = u"INSERT INTO events VALUES (%1, '%2', %3, %4, %5, %6, NULL)"_s;
    }
    QRandomGenerator rng(seed);
    const QStringList types = {u"Created"_s, u"Renamed"_s, u"Événement ☃"_s, u"Clicked"_s};
    qint64 time = TimeCodec::parseIso(u"2026-02-01T00:00:00Z"_s);
    QVector<qint64> versions(Streams.size(), 0);
    for (int i = 0; i < ShapedEventsPerStream * int(Streams.size()); ++i) {
        const int s = rng.bounded(int(Streams.size()));
        versions[s] += 1 + rng.bounded(3);
        time += rng.bounded(60000);
        // The first rows stay ordinary, so that the layout's time format is detected.
        const bool odd = i > 20 && rng.bounded(8) == 0;
        QString type = u"'%1'"_s.arg(types.at(rng.bounded(int(types.size()))));
        QString recorded = timeValue(shape.time, time, rng);
        QString payload = payloadValue(shape.payload, randomPayload(rng));
        if (odd) {
            switch (rng.bounded(3)) {
            case 0:
                type = oddType(rng);
                break;
            case 1:
                // A mapping refuses a time column whose sampled value is not a time.
                recorded = shape.mapped ? u"NULL"_s : oddTimeValue(rng);
                break;
            default:
                payload = oddPayload(rng);
                break;
            }
        }
        sql << insert.arg(i + 1)
                   .arg(Streams.at(s))
                   .arg(versions.at(s))
                   .arg(type, recorded, payload);
    }
    return TestSupport::execSql(path, sql);
}

// Counts the statements that read the store (a FROM clause) a connection starts while it
// exists. A reader evaluates SQLite's JSON functions over a value of the row in hand with a
// statement of its own, which reads nothing.
class StatementCounter
{
public:
    explicit StatementCounter(sqlite3 *db) : m_db(db)
    {
        sqlite3_trace_v2(m_db, SQLITE_TRACE_STMT, &StatementCounter::onTrace, this);
    }
    ~StatementCounter() { sqlite3_trace_v2(m_db, 0, nullptr, nullptr); }
    StatementCounter(const StatementCounter &) = delete;
    StatementCounter &operator=(const StatementCounter &) = delete;

    int statements() const { return m_statements; }

private:
    static int onTrace(unsigned, void *self, void *, void *sql)
    {
        if (std::string_view(static_cast<const char *>(sql)).find(" FROM ") !=
            std::string_view::npos)
            ++static_cast<StatementCounter *>(self)->m_statements;
        return 0;
    }

    sqlite3 *m_db;
    int m_statements = 0;
};

// The default merge spelled as an operation: the same fold, taken down the generic path.
// Python eventsourcing's typed values, {"_type_": name, "_data_": value}: wrapped once, twice,
// keys in either order or escaped, and objects that only look like wrappers (a third key, one
// key), which stay as they are.
QByteArray randomTypedValue(QRandomGenerator &rng, int depth);

QByteArray randomTypedObject(QRandomGenerator &rng, int depth)
{
    QByteArray out = "{";
    const int n = rng.bounded(5);
    for (int i = 0; i < n; ++i)
        out += (i ? "," : "") + ('"' + randomKey(rng) + "\":" + randomTypedValue(rng, depth + 1));
    return out + '}';
}

QByteArray wrapTyped(QRandomGenerator &rng, const QByteArray &value)
{
    switch (rng.bounded(8)) {
    case 0:
        return R"({"_type_":"datetime_iso","_data_":)" + value + '}';
    case 1:
        return R"({"_data_":)" + value + R"(, "_type_":"uuid_hex"})";
    case 2:
        return R"({"_type_":"decimal_str","_data_":{"_type_":"x","_data_":)" + value + "}}";
    case 3:
        return R"({"\u005ftype_":"escaped key","_data_":)" + value + '}';
    case 4:
        return R"({"_type_":"t","_data_":)" + value + R"(,"more":1})";
    case 5:
        return R"({"_type_":"no data"})";
    default:
        return value;
    }
}

QByteArray randomTypedValue(QRandomGenerator &rng, int depth)
{
    const int pick = rng.bounded(depth > 3 ? 6 : 10);
    QByteArray value;
    if (pick < 6) {
        value = randomScalar(rng);
    } else if (pick < 8) {
        value = randomTypedObject(rng, depth);
    } else {
        value = "[";
        const int n = rng.bounded(4);
        for (int i = 0; i < n; ++i)
            value += (i ? "," : "") + randomTypedValue(rng, depth + 1);
        value += ']';
    }
    return wrapTyped(rng, value);
}

// Payloads where unwrapping could part ways between simdjson and Qt.
const QList<QByteArray> TrickyTypedPayloads = {
    R"({"_type_":"t","_data_":{"whole":{"_type_":"u","_data_":1}}})",
    R"({"_type_":"t","_data_":5})",
    R"({"_type_":"t","_data_":[{"_type_":"u","_data_":{"a":1}}]})",
    R"({"list":[{"_type_":1,"_type_":2,"_data_":3}, {"_type_":1,"_data_":2,"_data_":3}]})",
    R"({"a":{"_type_":"t","_data_":{"b":1}},"a":2})",
    R"({"a":{"_type_":"t","_data_":[{"_type_":"u","_data_":-0}]}})",
    R"({"a":{"_type_":"t","_data_":"\ud83d\ude00 \u0000"},"b":[{"_data_":"x","_type_":"y"}]})",
    R"({"a":{"_type_":"t","_data_":{"_type_":"u"}}})",
};

QByteArray randomTypedPayload(QRandomGenerator &rng)
{
    switch (rng.bounded(12)) {
    case 0:
        return TrickyTypedPayloads.at(rng.bounded(int(TrickyTypedPayloads.size())));
    case 1:
        return TrickyPayloads.at(rng.bounded(int(TrickyPayloads.size())));
    case 2:
        return R"({"_type_":"state","_data_":)" + randomTypedObject(rng, 0) + '}';
    default:
        return randomTypedObject(rng, 0);
    }
}

const QStringList TypedStreams = {u"5d1c8a3e0f6b4c2d9e7a1b3c5d7e9f01"_s,
                                  u"0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d"_s};

// A Python eventsourcing store (its SQLite table, as in LayoutFixtures) of random typed payloads,
// as BLOBs and now and then as text, whose time is the payload's "timestamp": a wrapped ISO
// text mostly, else plain, wrapped twice, not a string, or missing (the event has no time).
bool createTypedStore(const QString &path, quint32 seed)
{
    QStringList sql{u"CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                    "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"_s,
                    u"CREATE TABLE stored_snapshots (originator_id TEXT, originator_version "
                    "INTEGER, topic TEXT, state BLOB, PRIMARY KEY (originator_id, "
                    "originator_version)) WITHOUT ROWID"_s};
    QRandomGenerator rng(seed);
    const QStringList topics = {u"shop.orders:Order.Created"_s, u"shop.orders:Order.Paid"_s,
                                u"shop.orders:Order.Événement"_s};
    qint64 time = TimeCodec::parseIso(u"2026-02-01T00:00:00Z"_s);
    for (int i = 0; i < EventsPerStream * int(TypedStreams.size()); ++i) {
        const QString &stream = TypedStreams.at(i % TypedStreams.size());
        time += rng.bounded(5000);
        const QByteArray iso = TimeCodec::format(time).toUtf8();
        QByteArray timestamp;
        switch (rng.bounded(10)) {
        case 0:
            timestamp = '"' + iso + '"';
            break;
        case 1:
            timestamp =
                R"({"_type_":"a","_data_":{"_type_":"datetime_iso","_data_":")" + iso + "\"}}";
            break;
        case 2:
            timestamp = QByteArray::number(time);
            break;
        default:
            timestamp = R"({"_type_":"datetime_iso","_data_":")" + iso + "\"}";
        }
        QByteArray payload = randomTypedPayload(rng);
        if (rng.bounded(10) != 0 && payload.startsWith('{') && payload.endsWith('}'))
            payload =
                R"({"timestamp":)" + timestamp + (payload.size() > 2 ? "," : "") + payload.mid(1);
        sql << u"INSERT INTO stored_events VALUES ('%1', %2, '%3', %4)"_s.arg(
            stream, QString::number(i / TypedStreams.size() + 1),
            topics.at(rng.bounded(int(topics.size()))), sqlBytes(payload, rng.bounded(5) != 0));
    }
    return TestSupport::execSql(path, sql);
}

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

Q_DECLARE_METATYPE(Shape)

class TestFastPath : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static std::unique_ptr<EventStore> open(const QString &path, const QString &mapSpec = {})
    {
        StoreError error;
        StoreOpenOptions options;
        options.mapSpec = mapSpec;
        auto store = EventStore::open(StoreLocation::parse(path), options, &error);
        if (!store)
            qWarning() << error.message;
        return store;
    }

    // The reader's rows against the generic path's events: the same type, time and data.
    static void compareRows(EventStore &store, const QString &stream)
    {
        const auto events = store.streamEvents(stream, std::numeric_limits<qint64>::min(),
                                               EventsPerStream * int(Streams.size()));
        QVERIFY2(events, qPrintable(store.errorString()));
        QVERIFY(!events->isEmpty());
        const auto reader = store.streamReader(stream, std::numeric_limits<qint64>::min());
        QVERIFY2(reader, qPrintable(store.errorString()));
        for (const Event &e : *events) {
            QCOMPARE(reader->next(), SqliteStreamReader::Step::Row);
            QCOMPARE(reader->position(), e.position);
            QCOMPARE(reader->version(), e.version);
            const std::string_view type = reader->type();
            QCOMPARE(QString::fromUtf8(type.data(), qsizetype(type.size())), e.type);
            QCOMPARE(reader->timeMs(), e.timeMs);
            const std::string_view data = reader->data();
            QCOMPARE(QByteArray(data.data(), qsizetype(data.size())), e.data);
        }
        QCOMPARE(reader->next(), SqliteStreamReader::Step::Done);
    }

    // Both passes over one stream, compared at every event; the checkpoint interval decides
    // how many states come from the fast pass's checkpoints. The fast pass runs one statement
    // (beside one that asks whether the stream's versions are all stored, where a version falls
    // back to another column: StoreLayout::versionFallback).
    static void compareStream(EventStore &store, const QString &stream, int interval)
    {
        const int orderStatements = store.layout().versionFallback ? 1 : 0;
        ReplayEngine::Options options;
        options.checkpointInterval = interval;
        ReplayEngine fast(store, stream, Projection(), options);
        ReplayEngine simple(store, stream, genericMerge(), options);
        {
            StatementCounter counter(TestSupport::newestStoreConnection());
            QVERIFY2(fast.load(), qPrintable(fast.errorString()));
            QCOMPARE(counter.statements(), orderStatements + 1);
        }
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

    // The events of a filter as the generic path pages them (QSqlQuery, readEvent).
    enum class Pages { ByQuery, ByReader };
    static QVector<Event> pagedEvents(EventStore &store, EventFilter filter,
                                      const PayloadSqlCondition &condition = {},
                                      Pages pages = Pages::ByQuery)
    {
        QVector<Event> all;
        filter.limit = 97;
        for (;;) {
            const auto page = pages == Pages::ByQuery ? store.eventsByQuery(filter, condition)
                                                      : store.events(filter, condition);
            if (!page) {
                qWarning() << store.errorString();
                return {};
            }
            all << *page;
            if (page->size() < filter.limit)
                return all;
            filter.afterPosition = page->constLast().position;
        }
    }

    // EventWalk's one statement over the C API against the generic path's pages, every field
    // of every event, for the whole store, one stream (version order), one type, a start
    // after a position and a condition on the payload.
    static void compareWalk(EventStore &store)
    {
        const QVector<Event> all = pagedEvents(store, {});
        QVERIFY(!all.isEmpty());
        QVector<EventFilter> filters(5);
        filters[1].stream = all.constLast().stream;
        filters[2].types = {all.at(all.size() / 3).type};
        filters[3].afterPosition = all.at(all.size() / 2).position;
        filters[4].stream = all.constFirst().stream;
        filters[4].afterPosition = all.at(1).position;
        PayloadSqlCondition condition;
        condition.sql = u"%1 IS NOT NULL"_s.arg(
            store.layout().data.isEmpty() ? store.layout().position : store.layout().data);
        int rangeStatements = 0;
        {
            StatementCounter counter(TestSupport::newestStoreConnection());
            QVERIFY(store.positionRange());
            rangeStatements = counter.statements();
        }
        for (int f = 0; f < filters.size(); ++f) {
            const QVector<Event> expected =
                pagedEvents(store, filters.at(f), f == 3 ? condition : PayloadSqlCondition());
            QVector<Event> walked;
            EventWalk walk(store, filters.at(f), f == 3 ? condition : PayloadSqlCondition());
            {
                StatementCounter counter(TestSupport::newestStoreConnection());
                QVERIFY2(walk.run([&walked](const Event &e) {
                    walked << e;
                    return true;
                }),
                         qPrintable(walk.errorString()));
                // Its progress's position range, then one statement (and the stream's order).
                const bool inStream =
                    !filters.at(f).stream.isEmpty() && store.layout().versionFallback;
                QCOMPARE(counter.statements(), rangeStatements + (inStream ? 2 : 1));
            }
            QVERIFY2(walked.size() == expected.size(),
                     qPrintable(u"filter %1: %2 walked, %3 paged"_s.arg(f)
                                    .arg(walked.size())
                                    .arg(expected.size())));
            QCOMPARE(walk.eventsRead(), qint64(expected.size()));
            // And the pages events() reads over the C API.
            const QVector<Event> paged = pagedEvents(
                store, filters.at(f), f == 3 ? condition : PayloadSqlCondition(), Pages::ByReader);
            QCOMPARE(paged.size(), expected.size());
            for (const QVector<Event> *read : {&std::as_const(walked), &paged}) {
                for (qsizetype i = 0; i < expected.size(); ++i) {
                    const Event &a = read->at(i);
                    const Event &b = expected.at(i);
                    QCOMPARE(a.position, b.position);
                    QCOMPARE(a.stream, b.stream);
                    QCOMPARE(a.version, b.version);
                    QCOMPARE(a.type, b.type);
                    QCOMPARE(a.timeMs, b.timeMs);
                    QCOMPARE(a.data, b.data);
                    QCOMPARE(a.data.isNull(), b.data.isNull()); // == takes null for empty
                    QCOMPARE(a.dataNote, b.dataNote);
                    QCOMPARE(a.dataReadable, b.dataReadable);
                    QCOMPARE(a.metadata, b.metadata);
                    QCOMPARE(a.metadata.isNull(), b.metadata.isNull());
                }
            }
        }
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Debian's Qt runs its SQLite driver on the system libsqlite3 this program links, so the
    // C API paths are on; the handle is the connection's own, and no other driver gives one.
    void handleIsQtsOwnConnectionOnTheLinkedLibrary()
    {
        const QString path = m_dir.filePath(u"handle.db"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"handle"_s);
            QVERIFY(!SqliteHandle::of(db)); // not open
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QVERIFY(SqliteHandle::sameLibraryAsQt(db));
            QVERIFY(SqliteHandle::libraryNotice(db).isEmpty());
            sqlite3 *handle = SqliteHandle::of(db);
            QVERIFY(handle);
            QCOMPARE(handle, *static_cast<sqlite3 *const *>(db.driver()->handle().constData()));
            QCOMPARE(QString::fromUtf8(sqlite3_db_filename(handle, "main")),
                     QFileInfo(path).canonicalFilePath());
            QSqlQuery query(db);
            QVERIFY(query.exec(u"SELECT sqlite_source_id()"_s) && query.next());
            QCOMPARE(query.value(0).toString(), QString::fromUtf8(sqlite3_sourceid()));
        }
        QSqlDatabase::removeDatabase(u"handle"_s);
        QSqlDatabase other = QSqlDatabase::addDatabase(u"QPSQL"_s, u"not-sqlite"_s);
        QVERIFY(!SqliteHandle::of(other));
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(u"not-sqlite"_s);
    }

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

    // Unwrapping in the tree against PayloadDecoder's unwrapping and Projection::deepMerge.
    void mergeTreeUnwrapsAsPayloadDecoder()
    {
        PayloadDecoder::Options unwrap;
        unwrap.unwrapTypedValues = true;
        QRandomGenerator rng(12);
        for (int run = 0; run < 20; ++run) {
            JsonMergeTree tree;
            QJsonObject state;
            QList<QByteArray> payloads = TrickyTypedPayloads + TrickyPayloads;
            for (int i = 0; i < 150; ++i)
                payloads.insert(rng.bounded(int(payloads.size()) + 1), randomTypedPayload(rng));
            for (const QByteArray &payload : std::as_const(payloads)) {
                const auto json = Payload::toJson(PayloadDecoder::decode(payload, unwrap).bytes);
                if (json && json->isObject())
                    Projection::deepMerge(state, json->toObject());
                const auto outcome =
                    tree.mergeJson(std::string_view(payload.constData(), payload.size()),
                                   JsonMergeTree::TypedValues::Unwrapped);
                if (outcome == JsonMergeTree::Outcome::UseQt && json && json->isObject())
                    tree.merge(json->toObject());
                const QJsonObject fromTree = QJsonDocument::fromJson(tree.toJson()).object();
                QVERIFY2(fromTree == state, payload.constData());
            }
        }
    }

    // Python eventsourcing's stores: typed values unwrapped and the time read from the payload
    // by the fold's own parse, state by state and time by time as the generic pass does.
    void typedValueStore_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("interval");
        QTest::newRow("seed 21, every event") << 21u << 1;
        QTest::newRow("seed 22, every 16") << 22u << 16;
        QTest::newRow("seed 23, every 300") << 23u << 300;
    }

    void typedValueStore()
    {
        QFETCH(quint32, seed);
        QFETCH(int, interval);
        const QString path = m_dir.filePath(u"typed-%1.db"_s.arg(seed));
        QVERIFY(createTypedStore(path, seed));
        auto store = open(path);
        QVERIFY(store);
        QCOMPARE(store->layout().id, u"eventsourcing-python"_s);
        QVERIFY(store->layout().unwrapTypedValues);
        for (const QString &stream : TypedStreams) {
            compareRows(*store, stream);
            compareStream(*store, stream, interval);
        }
    }

    void randomStore_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("interval");
        QTest::newRow("seed 1, every event") << 1u << 1;
        QTest::newRow("seed 2, every 7") << 2u << 7;
        QTest::newRow("seed 3, every 64") << 3u << 64;
        // States far from a checkpoint are folded by the merge tree (foldGapMerged).
        QTest::newRow("seed 4, every 300") << 4u << 300;
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
        compareWalk(*store);
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

    // Every time format of a mapped table.
    void mappedStore_data()
    {
        QTest::addColumn<QString>("timeFormat");
        for (const char *format : {"iso", "sql", "s", "ms", "ticks"})
            QTest::newRow(format) << QString::fromLatin1(format);
    }

    void mappedStore()
    {
        QFETCH(QString, timeFormat);
        const QString path = m_dir.filePath(u"mapped-%1.db"_s.arg(timeFormat));
        QVERIFY(TestSupport::createMappedStore(path, timeFormat));
        auto store = open(path, u"table=events_v2,stream=aggregate_id,version=seq,type=kind,"
                                "time=created,data=body,position=id"_s);
        QVERIFY(store);
        const auto streams = store->streams({});
        QVERIFY(streams && !streams->isEmpty());
        for (const StreamInfo &info : *streams) {
            compareRows(*store, info.stream);
            compareStream(*store, info.stream, 2);
        }
        compareWalk(*store);
    }

    // Stores Eventscope did not write, of every shape, with odd rows among the ordinary ones.
    void shapedStore_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<quint32>("seed");
        const QList<std::pair<const char *, TimeShape>> times = {
            {"iso text, offsets and odd fractions", TimeShape::IsoOdd},
            {"epoch ms", TimeShape::EpochMillis},
            {"epoch s", TimeShape::EpochSeconds},
            {"REAL seconds", TimeShape::RealSeconds},
            {".NET ticks", TimeShape::DotNetTicks},
            {"no times", TimeShape::NoTimes}};
        const QList<std::pair<const char *, PayloadShape>> payloads = {
            {"text", PayloadShape::Text},
            {"blob", PayloadShape::Blob},
            {"zlib", PayloadShape::Zlib},
            {"gzip", PayloadShape::Gzip}};
        quint32 seed = 100;
        for (const auto &[timeName, time] : times) {
            for (const auto &[payloadName, payload] : payloads) {
                ++seed;
                Shape shape{time, payload, seed % 2 == 0, seed % 3 == 0};
                QTest::addRow("%s, %s payloads%s%s", timeName, payloadName,
                              shape.typeAndTimeIndexes ? ", type and time indexes" : "",
                              shape.mapped ? ", mapped" : "")
                    << shape << seed;
            }
        }
    }

    void shapedStore()
    {
        QFETCH(Shape, shape);
        QFETCH(quint32, seed);
        const QString path = m_dir.filePath(u"shaped-%1.db"_s.arg(seed));
        QVERIFY(createShapedStore(path, shape, seed));
        auto store = open(path, shape.mapped ? mappedSpec(shape.time) : QString());
        QVERIFY(store);
        QCOMPARE(store->layout().id, shape.mapped ? u"mapped"_s : u"eventscope"_s);
        for (const QString &stream : Streams) {
            compareRows(*store, stream);
            compareStream(*store, stream, 16);
        }
        compareWalk(*store);
    }

    // Each SQLite library layout: wrapped typed values, times in the payload, XML, YAML,
    // zlib and gzip payloads, streams named in another table.
    void libraryLayouts_data()
    {
        QTest::addColumn<int>("fixture");
        const auto fixtures = (LayoutFixtures::all(SqlDialect::Sqlite) +
                               LayoutFixtures::splitStores(SqlDialect::Sqlite));
        for (int i = 0; i < fixtures.size(); ++i)
            QTest::newRow(qPrintable(fixtures.at(i).name)) << i;
    }

    void libraryLayouts()
    {
        QFETCH(int, fixture);
        const LayoutFixture f = (LayoutFixtures::all(SqlDialect::Sqlite) +
                                 LayoutFixtures::splitStores(SqlDialect::Sqlite))
                                    .at(fixture);
        const QString path = m_dir.filePath(u"layout-%1.db"_s.arg(fixture));
        QVERIFY(TestSupport::execSql(path, f.sql));
        auto store = open(path);
        QVERIFY(store);
        QCOMPARE(store->layout().id, f.layoutId);
        QStringList streams;
        for (const ExpectedEvent &e : f.events) {
            if (!streams.contains(e.stream))
                streams << e.stream;
        }
        for (const QString &stream : std::as_const(streams)) {
            compareRows(*store, stream);
            compareStream(*store, stream, 1);
        }
        compareWalk(*store);
    }

    // Types and times that are strings in JSON, found by the reader as SQL finds them.
    void oddJsonRoles_data()
    {
        QTest::addColumn<int>("store");
        const auto stores = LayoutFixtures::oddJsonRoleStores();
        for (int i = 0; i < stores.size(); ++i)
            QTest::newRow(qPrintable(stores.at(i).name)) << i;
    }

    void oddJsonRoles()
    {
        QFETCH(int, store);
        const LayoutFixtures::OddJsonStore odd = LayoutFixtures::oddJsonRoleStores().at(store);
        const QString path = m_dir.filePath(u"odd-json-%1.db"_s.arg(odd.name));
        QVERIFY(TestSupport::execSql(path, odd.sql));
        auto opened = open(path);
        QVERIFY(opened);
        QCOMPARE(opened->layout().id, odd.layoutId);
        QVERIFY(opened->layout().timeInJson);
        for (const QString &stream : odd.streams) {
            compareRows(*opened, stream);
            compareStream(*opened, stream, 1);
        }
        compareWalk(*opened);
    }
};

QTEST_GUILESS_MAIN(TestFastPath)
#include "tst_fastpath.moc"

// The questions about a whole store on SQLite: the integrity check (every kind of problem,
// planted at the first and last events of streams, in the own layout, a mapped table with
// integer-ms times and BLOB payloads, and every library fixture, which must come out clean),
// the schema survey (fields appearing and changing type at known times, its bounds) and the
// payload search (narrowed in SQL and not, against hand-made answers), through the engine and
// through eventscope-cli.

#include "layoutfixtures.h"
#include "query/integritycheck.h"
#include "query/payloadsearch.h"
#include "query/predicate.h"
#include "query/schemasurvey.h"
#include "replay/eventjson.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace Qt::StringLiterals;
using namespace TestSupport;

namespace {

// The own layout's columns without its constraints, so that defects can be planted.
const QString LooseOwnTable =
    u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT, "
    "stream_version INTEGER, event_id TEXT, type TEXT, recorded_at TEXT, data, metadata)"_s;

QString row(qint64 position, const QString &stream, qint64 version, const QString &type,
            const QString &time, const QString &data, const QString &metadata = u"NULL"_s)
{
    return u"INSERT INTO events VALUES (%1, %2, %3, NULL, %4, %5, %6, %7)"_s.arg(position)
        .arg(stream)
        .arg(version)
        .arg(type, time, data, metadata);
}

// Ten events in three streams and one without a stream. In version order, stream a is
// 2 3 5 5 (its first version missing, 4 missing, 5 twice with the last going back in time),
// b is 1 2 3 with no time at 1 and payloads that do not parse at 2 and 3 (its last), and c is
// 1 2 written in the other order (which is no fault).
const QStringList DefectRows = {
    LooseOwnTable,
    row(1, u"'a'"_s, 2, u"NULL"_s, u"'2026-01-01T00:00:01.000Z'"_s, u"'{\"n\":1}'"_s),
    row(2, u"'b'"_s, 1, u"'Opened'"_s, u"NULL"_s, u"'{\"n\":2}'"_s),
    row(3, u"'a'"_s, 3, u"'Moved'"_s, u"'2026-01-01T00:00:03.000Z'"_s, u"'{\"n\":3}'"_s),
    row(4, u"'b'"_s, 2, u"'Moved'"_s, u"'2026-01-01T00:00:04.000Z'"_s, u"'{\"n\":'"_s),
    row(5, u"NULL"_s, 1, u"'Moved'"_s, u"'2026-01-01T00:00:05.000Z'"_s, u"'{\"n\":5}'"_s),
    row(6, u"'c'"_s, 2, u"'Moved'"_s, u"'2026-01-01T00:00:07.000Z'"_s, u"'{\"n\":6}'"_s),
    row(7, u"'c'"_s, 1, u"'Opened'"_s, u"'2026-01-01T00:00:06.000Z'"_s, u"'{\"n\":7}'"_s),
    row(8, u"'a'"_s, 5, u"'Moved'"_s, u"'2026-01-01T00:00:08.000Z'"_s, u"'{\"n\":8}'"_s),
    row(9, u"'b'"_s, 3, u"'Closed'"_s, u"'2026-01-01T00:00:09.000Z'"_s, u"x'00ff10'"_s),
    row(10, u"'a'"_s, 5, u"'Closed'"_s, u"'2026-01-01T00:00:02.000Z'"_s, u"'{\"n\":10}'"_s),
};

const QList<QByteArray> DefectProblems = {
    R"j({"kind":"missing_type","stream":"a","version":2,"position":1,"detail":"the event has no type"})j",
    R"j({"kind":"missing_time","stream":"b","version":1,"position":2,"detail":"the event has no time, or one that does not read as a time"})j",
    R"j({"kind":"unparseable_data","stream":"b","version":2,"position":4,"detail":"not JSON: unterminated object at offset 5"})j",
    R"j({"kind":"missing_stream","stream":null,"version":1,"position":5,"detail":"the event has no stream"})j",
    R"j({"kind":"unparseable_data","stream":"b","version":3,"position":9,"detail":"not JSON: 3 bytes, not decodable: not UTF-8 text (AES-GCM encrypted or a binary serialisation)"})j",
    R"j({"kind":"version_gap","stream":"a","version":2,"position":1,"detail":"version 1 is missing before the stream's first event"})j",
    R"j({"kind":"version_gap","stream":"a","version":5,"position":8,"detail":"version 4 is missing"})j",
    R"j({"kind":"duplicate_version","stream":"a","version":5,"position":10,"detail":"version 5 again, after the event at position 8"})j",
    R"j({"kind":"time_backwards","stream":"a","version":5,"position":10,"detail":"2026-01-01T00:00:02.000Z is earlier than 2026-01-01T00:00:08.000Z, the time of version 5"})j",
};

const QByteArray DefectSummary =
    R"j({"summary":{"events":10,"streams":3,"problems":{"version_gap":2,"duplicate_version":1,"time_backwards":1,"unparseable_data":2,"missing_time":1,"missing_type":1,"missing_stream":1}}})j";

std::unique_ptr<EventStore> openStore(const QString &path, const QString &map = {})
{
    StoreError error;
    auto store = EventStore::open(StoreLocation::parse(path), {map, {}}, &error);
    if (!store)
        qWarning().noquote() << error.message;
    return store;
}

// The check's lines as the CLI writes them, the summary last.
QList<QByteArray> checkLines(EventStore &store, const QString &stream = {},
                             QString *error = nullptr)
{
    QList<QByteArray> lines;
    IntegrityCheck check(store, stream);
    const bool done = check.run([&lines](const IntegrityProblem &p) {
        lines << EventJson::integrityProblem(p);
        return true;
    });
    if (error)
        *error = check.errorString();
    if (done)
        lines << EventJson::integritySummary(check.summary());
    return lines;
}

QList<qint64> positions(const QList<QByteArray> &eventLines)
{
    QList<qint64> result;
    for (const QByteArray &line : eventLines)
        result << jsonObject(line).value(u"position"_s).toInteger();
    return result;
}

// Payloads where the database's reading of JSON and Qt's could part: duplicate keys, 1 and
// 1.0 and "1", null and missing, a BLOB, a number beyond 2^53, a top-level string, keys SQLite
// quotes, -0, and metadata.
const QStringList SearchRows = {
    LooseOwnTable,
    row(1, u"'s'"_s, 1, u"'T'"_s, u"'2026-01-01T00:00:01.000Z'"_s, u"'{\"a\":1,\"a\":2}'"_s),
    row(2, u"'s'"_s, 2, u"'T'"_s, u"'2026-01-01T00:00:02.000Z'"_s, u"'{\"a\":1.0}'"_s),
    row(3, u"'s'"_s, 3, u"'T'"_s, u"'2026-01-01T00:00:03.000Z'"_s, u"'{\"a\":\"1\"}'"_s),
    row(4, u"'s'"_s, 4, u"'T'"_s, u"'2026-01-01T00:00:04.000Z'"_s, u"'{\"a\":null}'"_s),
    row(5, u"'s'"_s, 5, u"'T'"_s, u"'2026-01-01T00:00:05.000Z'"_s, u"'{}'"_s),
    row(6, u"'s'"_s, 6, u"'T'"_s, u"'2026-01-01T00:00:06.000Z'"_s, u"'{\"a\":[1,\"x\"]}'"_s),
    row(7, u"'s'"_s, 7, u"'U'"_s, u"'2026-01-01T00:00:07.000Z'"_s, u"CAST('{\"a\":2}' AS BLOB)"_s),
    row(8, u"'s'"_s, 8, u"'T'"_s, u"'2026-01-01T00:00:08.000Z'"_s, u"'{\"a\":9007199254740993}'"_s),
    row(9, u"'t'"_s, 1, u"'T'"_s, u"'2026-01-01T00:00:09.000Z'"_s,
        u"'{\"b\":{\"c\":\"h\u00e9llo\"}}'"_s),
    row(10, u"'t'"_s, 2, u"'U'"_s, u"'2026-01-01T00:00:10.000Z'"_s, u"'{\"a\": 2 }'"_s,
        u"'{\"m\":\"x\"}'"_s),
    row(11, u"'t'"_s, 3, u"'T'"_s, u"'2026-01-01T00:00:11.000Z'"_s, u"'\"a\"'"_s),
    row(12, u"'t'"_s, 4, u"'T'"_s, u"'2026-01-01T00:00:12.000Z'"_s, u"'{\"a\":\"zeta\"}'"_s),
    row(13, u"'t'"_s, 5, u"'T'"_s, u"'2026-01-01T00:00:13.000Z'"_s, u"'{\"a_b\":1,\"a b\":2}'"_s),
    row(14, u"'t'"_s, 6, u"'T'"_s, u"'2026-01-01T00:00:14.000Z'"_s, u"'{\"a\":-0}'"_s),
};

} // namespace

class TestStoreChecks : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString store(const QString &name, const QStringList &sql)
    {
        const QString path = m_dir.filePath(name);
        if (!QFile::exists(path) && !execSql(path, sql))
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private slots:
    void checkFindsEveryKind()
    {
        auto s = openStore(store(u"defects.sqlite"_s, DefectRows));
        QVERIFY(s);
        QString error;
        const QList<QByteArray> lines = checkLines(*s, {}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(lines, DefectProblems + QList<QByteArray>{DefectSummary});
    }

    void checkOneStream()
    {
        auto s = openStore(store(u"defects.sqlite"_s, DefectRows));
        QVERIFY(s);
        const QList<QByteArray> lines = checkLines(*s, u"a"_s);
        QCOMPARE(lines.size(), 6);
        QCOMPARE(lines.at(0), DefectProblems.at(0));
        QCOMPARE(lines.mid(1, 4), DefectProblems.mid(5, 4));
        QCOMPARE(jsonObject(lines.at(5)).value(u"summary"_s).toObject().value(u"events"_s),
                 QJsonValue(4));
        QCOMPARE(jsonObject(lines.at(5)).value(u"summary"_s).toObject().value(u"streams"_s),
                 QJsonValue(1));
    }

    void checkCli()
    {
        const QString path = store(u"defects.sqlite"_s, DefectRows);
        const CliRun run = runCli({u"check"_s, path});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.lines(), DefectProblems + QList<QByteArray>{DefectSummary});
        const CliRun one = runCli({u"check"_s, path, u"--stream"_s, u"c"_s});
        QCOMPARE(one.exitCode, 0);
        QCOMPARE(one.lines().size(), 1);
        QVERIFY(one.lines().constFirst().startsWith(R"j({"summary":{"events":2,"streams":1,)j"));
    }

    // The small store is sound but for one payload that is not JSON.
    void checkSmallStore()
    {
        const QString path = m_dir.filePath(u"small.sqlite"_s);
        QVERIFY(createSmallStore(path));
        auto s = openStore(path);
        QVERIFY(s);
        const QList<QByteArray> lines = checkLines(*s);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(
            lines.constFirst(),
            QByteArray(
                R"j({"kind":"unparseable_data","stream":"user-1","version":5,"position":10,"detail":"not JSON: illegal value at offset 2"})j"));
        QCOMPARE(
            lines.constLast(),
            QByteArray(
                R"j({"summary":{"events":12,"streams":4,"problems":{"version_gap":0,"duplicate_version":0,"time_backwards":0,"unparseable_data":1,"missing_time":0,"missing_type":0,"missing_stream":0}}})j"));
    }

    // Every library's fixture is sound: versions from where the library starts them,
    // payloads in the encoding it writes.
    void checkLayoutFixtures_data()
    {
        QTest::addColumn<int>("index");
        const auto fixtures = LayoutFixtures::all(SqlDialect::Sqlite);
        for (int i = 0; i < fixtures.size(); ++i)
            QTest::newRow(qPrintable(fixtures.at(i).name)) << i;
    }

    void checkLayoutFixtures()
    {
        QFETCH(int, index);
        const LayoutFixture fixture = LayoutFixtures::all(SqlDialect::Sqlite).at(index);
        const QString path = m_dir.filePath(u"fixture-%1.sqlite"_s.arg(index));
        QVERIFY(execSql(path, fixture.sql));
        auto s = openStore(path);
        QVERIFY(s);
        QString error;
        const QList<QByteArray> lines = checkLines(*s, {}, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(lines.size(), 1);
        const QJsonObject summary = jsonObject(lines.constFirst()).value(u"summary"_s).toObject();
        QCOMPARE(summary.value(u"events"_s).toInteger(), fixture.events.size());
        for (const QJsonValue n : summary.value(u"problems"_s).toObject())
            QCOMPARE(n.toInteger(), 0);
    }

    // A mapped table: integer-ms times, BLOB payloads (JSON, gzip JSON, garbage, XML that is
    // not well formed), the stream's first version unknown (no gap before it).
    void checkMappedTable()
    {
        const QStringList sql = {
            u"CREATE TABLE log(id INTEGER PRIMARY KEY, agg TEXT, seq INTEGER, kind TEXT, at "
            "INTEGER, body BLOB)"_s,
            u"INSERT INTO log VALUES (1, 'x', 7, 'A', 1767225600000, CAST('{\"v\":1}' AS BLOB))"_s,
            u"INSERT INTO log VALUES (2, 'x', 8, 'A', 1767225601000, X'%1')"_s.arg(
                QString::fromLatin1(gzip(R"j({"v":2})j").toHex())),
            u"INSERT INTO log VALUES (3, 'x', 10, 'B', 1767225600500, CAST('<a><b></a>' AS "
            "BLOB))"_s,
            u"INSERT INTO log VALUES (4, 'y', 1, 'A', 1767225602000, X'0001feff')"_s,
            u"INSERT INTO log VALUES (5, 'y', 2, 'A', NULL, CAST('plain words' AS BLOB))"_s,
        };
        const QString path = store(u"mapped.sqlite"_s, sql);
        const QString map =
            u"table=log,position=id,stream=agg,version=seq,type=kind,time=at,time_format=ms,"
            "data=body"_s;
        const CliRun run = runCli({u"check"_s, path, u"--map"_s, map});
        QCOMPARE(run.exitCode, 0);
        const QList<QByteArray> expected = {
            R"j({"kind":"unparseable_data","stream":"x","version":10,"position":3,"detail":"XML that is not well formed: Opening and ending tag mismatch. (line 1, column 10)"})j",
            R"j({"kind":"unparseable_data","stream":"y","version":1,"position":4,"detail":"4 bytes, not decodable: not UTF-8 text (AES-GCM encrypted or a binary serialisation)"})j",
            R"j({"kind":"missing_time","stream":"y","version":2,"position":5,"detail":"the event has no time, or one that does not read as a time"})j",
            R"j({"kind":"version_gap","stream":"x","version":10,"position":3,"detail":"version 9 is missing"})j",
            R"j({"kind":"time_backwards","stream":"x","version":10,"position":3,"detail":"2026-01-01T00:00:00.500Z is earlier than 2026-01-01T00:00:01.000Z, the time of version 8"})j",
            R"j({"summary":{"events":5,"streams":2,"problems":{"version_gap":1,"duplicate_version":0,"time_backwards":1,"unparseable_data":2,"missing_time":1,"missing_type":0,"missing_stream":0}}})j",
        };
        QCOMPARE(run.lines(), expected);
    }

    void checkCancels()
    {
        auto s = openStore(store(u"defects.sqlite"_s, DefectRows));
        QVERIFY(s);
        std::atomic_bool cancel{false};
        JobControl job;
        job.cancel = &cancel;
        qint64 reports = 0;
        job.progress = [&](qint64, qint64) {
            if (++reports == 2)
                cancel = true;
        };
        IntegrityCheck check(*s);
        QVERIFY(!check.run([](const IntegrityProblem &) { return true; }, job));
        QCOMPARE(check.errorString(), u"cancelled"_s);
    }

    // A store whose file breaks halfway through the read: the check fails (exit 1, no summary)
    // rather than answering about the part it read.
    void checkReadErrorIsAnError()
    {
        const QString path = m_dir.filePath(u"corrupt.sqlite"_s);
        QStringList sql{LooseOwnTable};
        const QString payload = u"{\"pad\":\"%1\"}"_s.arg(QString(2000, u'x'));
        for (int i = 1; i <= 3000; ++i)
            sql << row(i, u"'s%1'"_s.arg(i % 7), i, u"'T'"_s, u"'2026-01-01T00:00:01.000Z'"_s,
                       u"'%1'"_s.arg(payload));
        QVERIFY(execSql(path, sql));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        const qint64 size = file.size();
        QVERIFY(file.seek(size * 3 / 4 / 4096 * 4096));
        QVERIFY(file.write(QByteArray(4096, '\x5a')) == 4096);
        file.close();
        const CliRun run = runCli({u"check"_s, path});
        QCOMPARE(run.exitCode, 1);
        for (const QByteArray &line : run.lines())
            QVERIFY2(!line.startsWith(R"j({"summary")j"), line.constData());
        QVERIFY2(run.err.contains(u"malformed"_s) || run.err.contains(u"corrupt"_s),
                 qPrintable(run.err));
    }

    // Signup's plan is a string in January and February and an object from March; referrer
    // appears in February (null in March); tags are arrays whose items share one path; one
    // payload is not JSON. Other's payload is an array.
    void schemaAtKnownTimes()
    {
        const QStringList sql = {
            LooseOwnTable,
            row(1, u"'u1'"_s, 1, u"'Signup'"_s, u"'2026-01-10T00:00:00.000Z'"_s,
                u"'{\"plan\":\"free\",\"tags\":[\"a\",\"b\"]}'"_s),
            row(2, u"'u2'"_s, 1, u"'Signup'"_s, u"'2026-02-10T00:00:00.000Z'"_s,
                u"'{\"plan\":\"free\",\"referrer\":\"ads\",\"tags\":[]}'"_s),
            row(3, u"'u3'"_s, 1, u"'Signup'"_s, u"'2026-03-10T00:00:00.000Z'"_s,
                u"'{\"plan\":{\"name\":\"pro\"},\"referrer\":null}'"_s),
            row(4, u"'u4'"_s, 1, u"'Signup'"_s, u"'2026-03-20T00:00:00.000Z'"_s, u"'hello'"_s),
            row(5, u"'u5'"_s, 1, u"'Other'"_s, u"'2026-01-01T00:00:00.000Z'"_s, u"'[1,\"x\"]'"_s),
        };
        const QString path = store(u"schema.sqlite"_s, sql);
        const QList<QByteArray> expected = {
            R"j({"type":"Other","path":"","value_types":{"array":1},"events":1,"first_time":"2026-01-01T00:00:00.000Z","last_time":"2026-01-01T00:00:00.000Z"})j",
            R"j({"type":"Other","path":"[]","value_types":{"string":1,"number":1},"events":1,"first_time":"2026-01-01T00:00:00.000Z","last_time":"2026-01-01T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"","value_types":{"not_json":1},"events":1,"first_time":"2026-03-20T00:00:00.000Z","last_time":"2026-03-20T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"plan","value_types":{"string":2,"object":1},"events":3,"first_time":"2026-01-10T00:00:00.000Z","last_time":"2026-03-10T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"plan.name","value_types":{"string":1},"events":1,"first_time":"2026-03-10T00:00:00.000Z","last_time":"2026-03-10T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"referrer","value_types":{"string":1,"null":1},"events":2,"first_time":"2026-02-10T00:00:00.000Z","last_time":"2026-03-10T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"tags","value_types":{"array":2},"events":2,"first_time":"2026-01-10T00:00:00.000Z","last_time":"2026-02-10T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"tags[]","value_types":{"string":2},"events":1,"first_time":"2026-01-10T00:00:00.000Z","last_time":"2026-01-10T00:00:00.000Z"})j",
        };
        const CliRun run = runCli({u"schema"_s, path});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.lines(), expected);
        const CliRun other = runCli({u"schema"_s, path, u"--type"_s, u"Other"_s});
        QCOMPARE(other.lines(), expected.mid(0, 2));
    }

    // A hostile payload: 5000 keys in one event, and a key longer than the path bound. The
    // first MaxPathsPerType paths are kept apart, the rest counted in one line without a path.
    void schemaIsBounded()
    {
        QString wide = u"{"_s;
        for (int i = 0; i < 5000; ++i)
            wide += u"\"k%1\":%2,"_s.arg(QString::number(i).rightJustified(4, u'0')).arg(i);
        wide += u"\"%1\":true}"_s.arg(QString(SchemaSurvey::MaxPathBytes + 1, u'z'));
        const QString path =
            store(u"wide.sqlite"_s,
                  {LooseOwnTable, row(1, u"'w'"_s, 1, u"'Wide'"_s, u"'2026-01-01T00:00:00.000Z'"_s,
                                      u"'%1'"_s.arg(wide))});
        const CliRun run = runCli({u"schema"_s, path});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.lines().size(), SchemaSurvey::MaxPathsPerType + 1);
        QCOMPARE(jsonObject(run.lines().constFirst()).value(u"path"_s).toString(), u"k0000"_s);
        QCOMPARE(
            jsonObject(run.lines().constLast()),
            jsonObject(
                R"j({"type":"Wide","path":null,"value_types":{"number":4000,"boolean":1},"events":1,"first_time":"2026-01-01T00:00:00.000Z","last_time":"2026-01-01T00:00:00.000Z"})j"));
        QVERIFY2(run.err.contains(u"type 'Wide' has more than 1000 paths"_s), qPrintable(run.err));
    }

    void search_data()
    {
        QTest::addColumn<QString>("where");
        QTest::addColumn<QList<qint64>>("expected");
        // By hand, reading each payload as Qt does: the last of duplicate keys, 1.0 == 1, -0
        // as 0.
        QTest::newRow("duplicate key") << u"a == 2"_s << QList<qint64>{1, 7, 10};
        QTest::newRow("1.0 is 1") << u"a == 1"_s << QList<qint64>{2};
        QTest::newRow("string 1") << u"a == \"1\""_s << QList<qint64>{3};
        QTest::newRow("null") << u"a == null"_s << QList<qint64>{4};
        QTest::newRow("exists") << u"a exists"_s << QList<qint64>{1, 2, 3, 4, 6, 7, 8, 10, 12, 14};
        QTest::newRow("missing") << u"a missing"_s << QList<qint64>{5, 9, 11, 13};
        QTest::newRow("not equal")
            << u"a != 1"_s << QList<qint64>{1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
        QTest::newRow("array contains string") << u"a contains \"x\""_s << QList<qint64>{6};
        QTest::newRow("array contains number") << u"a contains 1"_s << QList<qint64>{6};
        QTest::newRow("greater") << u"a > 1"_s << QList<qint64>{1, 7, 8, 10};
        QTest::newRow("beyond 2^53") << u"a >= 9007199254740992"_s << QList<qint64>{8};
        // Qt keeps a 64-bit integer exactly: 2^53 + 1 is not 2^53.
        QTest::newRow("64-bit integer") << u"a == 9007199254740993"_s << QList<qint64>{8};
        QTest::newRow("64-bit integer, one off") << u"a == 9007199254740992"_s << QList<qint64>{};
        QTest::newRow("text order") << u"a < \"z\""_s << QList<qint64>{3};
        QTest::newRow("nested contains") << u"b.c contains \"\u00e9l\""_s << QList<qint64>{9};
        QTest::newRow("nested equal") << u"b.c == \"h\u00e9llo\""_s << QList<qint64>{9};
        QTest::newRow("metadata") << u"metadata.m == \"x\""_s << QList<qint64>{10};
        QTest::newRow("metadata missing")
            << u"metadata.m missing"_s << QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14};
        QTest::newRow("underscore key") << u"a_b == 1"_s << QList<qint64>{13};
        QTest::newRow("quoted key") << u"\"a b\" == 2"_s << QList<qint64>{13};
        QTest::newRow("minus zero") << u"a == 0"_s << QList<qint64>{14};
        QTest::newRow("matches") << u"a matches \"^z\""_s << QList<qint64>{12};
        QTest::newRow("or, and, not")
            << u"(a == 1 or a == \"1\") and not (a == null)"_s << QList<qint64>{2, 3};
        QTest::newRow("index") << u"a[0] == 1"_s << QList<qint64>{6};
    }

    void search()
    {
        QFETCH(QString, where);
        QFETCH(QList<qint64>, expected);
        auto s = openStore(store(u"search.sqlite"_s, SearchRows));
        QVERIFY(s);
        QueryError error;
        const auto predicate = Predicate::parse(where, &error);
        QVERIFY2(predicate, qPrintable(error.text()));
        for (const auto method : {PayloadSearch::Method::Sql, PayloadSearch::Method::Scan}) {
            PayloadSearch search(*s, *predicate, method);
            QList<qint64> found;
            QVERIFY2(search.run({}, std::numeric_limits<qint64>::max(),
                                [&found](const Event &e) {
                                    found << e.position;
                                    return true;
                                }),
                     qPrintable(search.errorString()));
            QCOMPARE(found, expected);
        }
    }

    // Which predicates the own layout's JSON text narrows in SQL, and that the rows SQL lets
    // through are fewer than all.
    void searchNarrowsInSql()
    {
        auto s = openStore(store(u"search.sqlite"_s, SearchRows));
        QVERIFY(s);
        QueryError error;
        const auto narrowed = Predicate::parse(u"b.c == \"h\u00e9llo\""_s, &error);
        PayloadSearch search(*s, *narrowed);
        QVERIFY(search.run({}, 100, [](const Event &) { return true; }));
        QCOMPARE(search.method(), PayloadSearch::Method::Sql);
        // The BLOB row is let through for the client to read, and the one row that matches.
        QCOMPARE(search.eventsRead(), 2);
        const auto negated = Predicate::parse(u"not (a == 1)"_s, &error);
        PayloadSearch scan(*s, *negated);
        QVERIFY(scan.run({}, 100, [](const Event &) { return true; }));
        QCOMPARE(scan.method(), PayloadSearch::Method::Scan);
        QCOMPARE(scan.eventsRead(), 14);
    }

    // The CLI's lines are events' lines; filters, --limit and --after page as events does.
    void searchCli()
    {
        const QString path = store(u"search.sqlite"_s, SearchRows);
        const CliRun all = runCli({u"search"_s, path, u"--where"_s, u"a exists"_s});
        QCOMPARE(all.exitCode, 0);
        QCOMPARE(positions(all.lines()), (QList<qint64>{1, 2, 3, 4, 6, 7, 8, 10, 12, 14}));
        const CliRun events = runCli({u"events"_s, path});
        for (const QByteArray &line : all.lines())
            QVERIFY(events.lines().contains(line));
        const CliRun first =
            runCli({u"search"_s, path, u"--where"_s, u"a exists"_s, u"--limit"_s, u"3"_s});
        QCOMPARE(positions(first.lines()), (QList<qint64>{1, 2, 3}));
        const CliRun next = runCli({u"search"_s, path, u"--where"_s, u"a exists"_s, u"--after"_s,
                                    u"3"_s, u"--limit"_s, u"3"_s});
        QCOMPARE(positions(next.lines()), (QList<qint64>{4, 6, 7}));
        const CliRun filtered =
            runCli({u"search"_s, path, u"--where"_s, u"a exists"_s, u"--stream"_s, u"t"_s,
                    u"--type"_s, u"T"_s, u"--from-time"_s, u"2026-01-01T00:00:11Z"_s});
        QCOMPARE(positions(filtered.lines()), (QList<qint64>{12, 14}));
        const CliRun bad = runCli({u"search"_s, path, u"--where"_s, u"a =="_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u"column 5"_s), qPrintable(bad.err));
    }

    // A mapped table with BLOB payloads: no SQL narrowing of BLOBs, the same answers.
    void searchMappedBlobs()
    {
        const QString path = m_dir.filePath(u"mapped-search.sqlite"_s);
        QVERIFY(createMappedStore(path, u"ms"_s));
        const QString map = u"table=events_v2,position=id,stream=aggregate_id,version=seq,"
                            "type=kind,time=created,time_format=ms,data=body"_s;
        const CliRun all = runCli({u"events"_s, path, u"--map"_s, map});
        QCOMPARE(all.exitCode, 0);
        const CliRun found = runCli(
            {u"search"_s, path, u"--map"_s, map, u"--where"_s, u"amount exists or name exists"_s});
        QCOMPARE(found.exitCode, 0);
        // By hand over the events' own data.
        QList<QByteArray> expected;
        for (const QByteArray &line : all.lines()) {
            const QJsonObject data = jsonObject(line).value(u"data"_s).toObject();
            if (data.contains(u"amount"_s) || data.contains(u"name"_s))
                expected << line;
        }
        QVERIFY(!expected.isEmpty());
        QCOMPARE(found.lines(), expected);
    }
};

QTEST_GUILESS_MAIN(TestStoreChecks)
#include "tst_storechecks.moc"

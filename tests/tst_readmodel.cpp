// Read models: a projection with a "key" folded over a hand-made store, each answer written
// out by hand from the rows below (the hand fold), through the engine and eventscope-cli.

#include "query/readmodel.h"
#include "replay/projection.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// Own layout; positions, streams, versions, types and data chosen so that every key kind
// meets a string, a number, a nested path, a missing key, null, an array and non-JSON data.
const QStringList Rows = {
    uR"((1, 'cart-1', 1, 'Clicked', '2026-01-05T08:00:00.000Z', '{"page":"home","device":{"os":"linux"}}'))"_s,
    uR"((2, 'cart-2', 1, 'Clicked', '2026-01-05T08:01:00.000Z', '{"page":"about","device":{"os":"mac"}}'))"_s,
    uR"((3, 'cart-1', 2, 'Clicked', '2026-01-05T08:02:00.000Z', '{"page":"home","device":{"os":"mac"}}'))"_s,
    uR"((4, 'user-1', 1, 'Viewed', '2026-01-05T08:03:00.000Z', '{"page":7,"device":{"os":"linux"}}'))"_s,
    uR"((5, 'user-1', 2, 'Viewed', '2026-01-05T08:04:00.000Z', '{"device":{}}'))"_s,
    uR"((6, 'solo', 1, 'Clicked', '2026-01-05T08:05:00.000Z', '{"page":null}'))"_s,
    uR"((7, 'solo', 2, 'Clicked', '2026-01-05T08:06:00.000Z', 'not json'))"_s,
    uR"((8, 'user-2', 1, 'Renamed', '2026-01-05T08:07:00.000Z', '{"page":"home","name":"x"}'))"_s,
    uR"((9, 'cart-1', 3, 'Clicked', '2026-01-05T08:08:00.000Z', '{"page":["a"]}'))"_s,
    uR"((10, 'order-x-1', 1, 'Viewed', '2026-01-05T08:09:00.000Z', '{"page":1.5}'))"_s,
};

bool createStore(const QString &path)
{
    QStringList sql{
        u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
        "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at TEXT "
        "NOT NULL, data TEXT, metadata TEXT, UNIQUE(stream_id, stream_version))"_s};
    for (const QString &row : Rows)
        sql << u"INSERT INTO events (global_position, stream_id, stream_version, type, "
               "recorded_at, data) VALUES "_s +
                   row;
    return TestSupport::execSql(path, sql);
}

const QByteArray Clicks = R"("Clicked": [{"op": "increment", "path": "clicks"}])";

Projection projection(const QByteArray &json)
{
    QString error;
    auto parsed = Projection::fromJson(json, &error);
    if (!parsed)
        qFatal("bad test projection: %s", qPrintable(error));
    return *parsed;
}

// "key events state" per row, then "skipped n" when any were skipped.
QStringList describe(const ReadModelResult &result)
{
    QStringList lines;
    for (const ReadModelRow &row : result.rows)
        lines << row.key + u' ' + QString::number(row.events) + u' ' +
                     QString::fromUtf8(QJsonDocument(row.state).toJson(QJsonDocument::Compact));
    if (result.skipped > 0)
        lines << u"skipped "_s + QString::number(result.skipped);
    return lines;
}

using TestSupport::runCli;

} // namespace

class TestReadModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath(u"readmodel.db"_s);
        QVERIFY(createStore(m_store));
    }

    void keyParsing_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QStringList>("path");
        QTest::addColumn<QString>("error");
        using Kind = Projection::Key::Kind;
        QTest::newRow("none") << QByteArray(R"({"Clicked": []})") << int(Kind::None)
                              << QStringList() << QString();
        QTest::newRow("path") << QByteArray(R"({"key": "page"})") << int(Kind::DataPath)
                              << QStringList{u"page"_s} << QString();
        QTest::newRow("nested") << QByteArray(R"({"key": "device.os"})") << int(Kind::DataPath)
                                << QStringList{u"device"_s, u"os"_s} << QString();
        QTest::newRow("stream") << QByteArray(R"({"key": "$stream"})") << int(Kind::Stream)
                                << QStringList() << QString();
        QTest::newRow("category") << QByteArray(R"({"key": "$category"})") << int(Kind::Category)
                                  << QStringList() << QString();
        // An event type named "key" keeps its operations.
        QTest::newRow("type named key") << QByteArray(R"({"key": [{"op": "ignore"}]})")
                                        << int(Kind::None) << QStringList() << QString();
        QTest::newRow("unknown $")
            << QByteArray(R"({"key": "$all"})") << 0 << QStringList()
            << uR"("key" is a data path, "$stream" or "$category", not "$all")"_s;
        QTest::newRow("empty") << QByteArray(R"({"key": ""})") << 0 << QStringList()
                               << uR"("key" must not be empty)"_s;
        QTest::newRow("empty part") << QByteArray(R"({"key": "a..b"})") << 0 << QStringList()
                                    << uR"("key" has an empty part)"_s;
        QTest::newRow("number") << QByteArray(R"({"key": 3})") << 0 << QStringList()
                                << uR"(type "key": expected an array)"_s;
    }

    void keyParsing()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, kind);
        QFETCH(QStringList, path);
        QFETCH(QString, error);
        QString problem;
        const auto parsed = Projection::fromJson(json, &problem);
        if (!error.isEmpty()) {
            QVERIFY(!parsed);
            QVERIFY2(problem.contains(error), qPrintable(problem));
            return;
        }
        QVERIFY2(parsed, qPrintable(problem));
        QCOMPARE(int(parsed->key().kind), kind);
        QCOMPARE(parsed->key().path, path);
        QCOMPARE(parsed->isReadModel(), kind != int(Projection::Key::Kind::None));
    }

    void fold_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<QStringList>("expected");
        // Rows 5 (no page), 6 (null), 7 (not JSON) and 9 (an array) are skipped; 7 and 1.5 are
        // numbers; Viewed and Renamed are unlisted and merge.
        QTest::newRow("data path")
            << (R"({"key": "page", )" + Clicks + '}') << QStringList()
            << QStringList{
                   u"1.5 1 {\"page\":1.5}"_s, u"7 1 {\"device\":{\"os\":\"linux\"},\"page\":7}"_s,
                   u"about 1 {\"clicks\":1}"_s,
                   u"home 3 {\"clicks\":2,\"name\":\"x\",\"page\":\"home\"}"_s, u"skipped 4"_s};
        QTest::newRow("nested path, one type")
            << (R"({"key": "device.os", )" + Clicks + '}') << QStringList{u"Clicked"_s}
            << QStringList{u"linux 1 {\"clicks\":1}"_s, u"mac 2 {\"clicks\":2}"_s, u"skipped 3"_s};
        QTest::newRow("stream") << (R"({"key": "$stream", )" + Clicks + '}') << QStringList()
                                << QStringList{
                                       u"cart-1 3 {\"clicks\":3}"_s,
                                       u"cart-2 1 {\"clicks\":1}"_s,
                                       u"order-x-1 1 {\"page\":1.5}"_s,
                                       u"solo 2 {\"clicks\":2}"_s,
                                       u"user-1 2 {\"device\":{\"os\":\"linux\"},\"page\":7}"_s,
                                       u"user-2 1 {\"name\":\"x\",\"page\":\"home\"}"_s};
        QTest::newRow("category")
            << (R"({"key": "$category", )" + Clicks + '}') << QStringList()
            << QStringList{
                   u"cart 4 {\"clicks\":4}"_s, u"order 1 {\"page\":1.5}"_s,
                   u"solo 2 {\"clicks\":2}"_s,
                   u"user 3 {\"device\":{\"os\":\"linux\"},\"name\":\"x\",\"page\":\"home\"}"_s};
        QTest::newRow("two types")
            << QByteArray(R"({"key": "$category", "*": [{"op": "increment", "path": "n"}]})")
            << QStringList{u"Viewed"_s, u"Renamed"_s}
            << QStringList{u"order 1 {\"n\":1}"_s, u"user 3 {\"n\":3}"_s};
    }

    void fold()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, types);
        QFETCH(QStringList, expected);
        StoreError openError;
        auto store = EventStore::open(StoreLocation::parse(m_store), {}, &openError);
        QVERIFY2(store, qPrintable(openError.message));
        QString error;
        const auto result = ReadModel::compute(*store, projection(json), types, &error);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(describe(*result), expected);
    }

    void pagesAndProgress()
    {
        // More events than a page: the fold goes on across pages and reports progress to the
        // end of the position range.
        const QString path = m_dir.filePath(u"pages.db"_s);
        QStringList sql{
            u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
            "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at "
            "TEXT NOT NULL, data TEXT, metadata TEXT, UNIQUE(stream_id, stream_version))"_s,
            u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4500) "
            "INSERT INTO events SELECT i, 's-' || (i % 3), i, NULL, 'Clicked', "
            "'2026-01-05T08:00:00.000Z', json_object('page', 'p' || (i % 7)), NULL FROM n"_s};
        QVERIFY(TestSupport::execSql(path, sql));
        StoreError openError;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &openError);
        QVERIFY2(store, qPrintable(openError.message));
        QString error;
        qint64 lastDone = 0, lastTotal = 0;
        JobControl job;
        job.progress = [&](qint64 done, qint64 total) {
            QVERIFY(done >= lastDone);
            lastDone = done;
            lastTotal = total;
        };
        const auto result = ReadModel::compute(
            *store, projection(R"({"key": "page", )" + Clicks + '}'), {}, &error, job);
        QVERIFY2(result, qPrintable(error));
        QCOMPARE(result->rows.size(), 7);
        qint64 events = 0;
        for (const ReadModelRow &row : result->rows) {
            // p0 holds i = 7, 14, ..., 4494: 642 events; the others 643.
            QCOMPARE(row.events, row.key == u"p0"_s ? 642 : 643);
            QCOMPARE(row.state.value(u"clicks"_s).toInteger(), row.events);
            events += row.events;
        }
        QCOMPARE(events, 4500);
        QCOMPARE(lastDone, 4500);
        QCOMPARE(lastTotal, 4500);

        std::atomic_bool cancel{true};
        JobControl cancelled;
        cancelled.cancel = &cancel;
        QVERIFY(
            !ReadModel::compute(*store, projection(R"({"key": "page"})"), {}, &error, cancelled));
        QCOMPARE(error, u"cancelled"_s);
    }

    void runCli()
    {
        const QString file = m_dir.filePath(u"pages.json"_s);
        QFile projectionFile(file);
        QVERIFY(projectionFile.open(QIODevice::WriteOnly));
        projectionFile.write(R"({"key": "page", )" + Clicks + '}');
        projectionFile.close();

        TestSupport::CliRun run = ::runCli({u"readmodel"_s, m_store, u"--projection"_s, file});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray(R"({"key":"1.5","events":1,"state":{"page":1.5}}
{"key":"7","events":1,"state":{"device":{"os":"linux"},"page":7}}
{"key":"about","events":1,"state":{"clicks":1}}
{"key":"home","events":3,"state":{"clicks":2,"name":"x","page":"home"}}
{"skipped":4}
)"));

        // --limit keeps the first keys; every skipped Clicked (rows 6, 7 and 9) still counts.
        run = ::runCli({u"readmodel"_s, m_store, u"--projection"_s, file, u"--limit"_s, u"1"_s,
                        u"--type"_s, u"Clicked"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray(R"({"key":"about","events":1,"state":{"clicks":1}}
{"skipped":3}
)"));

        // A read model's projection is not a stream's, and the other way round.
        run = ::runCli({u"replay"_s, m_store, u"--stream"_s, u"cart-1"_s, u"--projection"_s, file});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"has a \"key\": it is a read model's projection"_s),
                 qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
        const QString plain = m_dir.filePath(u"plain.json"_s);
        QFile plainFile(plain);
        QVERIFY(plainFile.open(QIODevice::WriteOnly));
        plainFile.write('{' + Clicks + '}');
        plainFile.close();
        run = ::runCli({u"readmodel"_s, m_store, u"--projection"_s, plain});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(u"has no \"key\""_s), qPrintable(run.err));
        run =
            ::runCli({u"replay"_s, m_store, u"--stream"_s, u"cart-1"_s, u"--projection"_s, plain});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(R"("state":{"clicks":3})"), run.out.constData());
        run = ::runCli({u"readmodel"_s, m_store});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(u"--projection"_s), qPrintable(run.err));
    }

private:
    QTemporaryDir m_dir;
    QString m_store;
};

QTEST_GUILESS_MAIN(TestReadModel)
#include "tst_readmodel.moc"

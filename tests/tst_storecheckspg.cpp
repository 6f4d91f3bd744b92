// The integrity check, the schema survey and the payload search on PostgreSQL, against a
// throwaway server: Message DB's table (versions from 0, timestamps without time zone) with
// planted defects, payloads as text and as jsonb (which the search narrows with jsonb
// operators and must answer exactly as it does without them).

#include "pgtestserver.h"
#include "query/integritycheck.h"
#include "query/payloadsearch.h"
#include "query/predicate.h"
#include "query/schemasurvey.h"
#include "query/textsearch.h"
#include "replay/eventjson.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QProcess>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString reader = u"reader"_s;
const QString readerPassword = u"checks"_s;

QString messagesTable(const QString &dataType)
{
    return u"CREATE TABLE messages(global_position bigint PRIMARY KEY, stream_name text, "
           "position bigint, type text, time timestamp, data %1, metadata %1)"_s.arg(dataType);
}

QString row(qint64 position, const QString &stream, qint64 version, const QString &type,
            const QString &time, const QString &data, const QString &metadata = u"NULL"_s)
{
    return u"INSERT INTO messages VALUES (%1, %2, %3, %4, %5, %6, %7)"_s.arg(position)
        .arg(stream)
        .arg(version)
        .arg(type, time, data, metadata);
}

// Stream a is 1 2 4 4 in version order (0 and 3 missing, 4 twice going back in time), b is
// 0 1 with no time at 0 and a payload that does not parse at 1 (its last).
const QStringList DefectRows = {
    messagesTable(u"text"_s),
    row(1, u"'a'"_s, 1, u"NULL"_s, u"'2026-01-01 00:00:01'"_s, u"'{\"n\":1}'"_s),
    row(2, u"'b'"_s, 0, u"'Opened'"_s, u"NULL"_s, u"'{\"n\":2}'"_s),
    row(3, u"'a'"_s, 2, u"'Moved'"_s, u"'2026-01-01 00:00:03'"_s, u"'{\"n\":3}'"_s),
    row(4, u"NULL"_s, 0, u"'Moved'"_s, u"'2026-01-01 00:00:04'"_s, u"'{\"n\":4}'"_s),
    row(5, u"'a'"_s, 4, u"'Moved'"_s, u"'2026-01-01 00:00:08'"_s, u"'{\"n\":5}'"_s),
    row(6, u"'a'"_s, 4, u"'Closed'"_s, u"'2026-01-01 00:00:02'"_s, u"'{\"n\":6}'"_s),
    row(7, u"'b'"_s, 1, u"'Closed'"_s, u"'2026-01-01 00:00:07'"_s, u"'{\"n\":'"_s),
};

const QList<QByteArray> DefectLines = {
    R"j({"kind":"missing_type","stream":"a","version":1,"position":1,"detail":"the event has no type"})j",
    R"j({"kind":"missing_time","stream":"b","version":0,"position":2,"detail":"the event has no time, or one that does not read as a time"})j",
    R"j({"kind":"missing_stream","stream":null,"version":0,"position":4,"detail":"the event has no stream"})j",
    R"j({"kind":"unparseable_data","stream":"b","version":1,"position":7,"detail":"not JSON: unterminated object at offset 5"})j",
    R"j({"kind":"version_gap","stream":"a","version":1,"position":1,"detail":"version 0 is missing before the stream's first event"})j",
    R"j({"kind":"version_gap","stream":"a","version":4,"position":5,"detail":"version 3 is missing"})j",
    R"j({"kind":"duplicate_version","stream":"a","version":4,"position":6,"detail":"version 4 again, after the event at position 5"})j",
    R"j({"kind":"time_backwards","stream":"a","version":4,"position":6,"detail":"2026-01-01T00:00:02.000Z is earlier than 2026-01-01T00:00:08.000Z, the time of version 4"})j",
    R"j({"summary":{"events":7,"streams":2,"problems":{"version_gap":2,"duplicate_version":1,"time_backwards":1,"unparseable_data":1,"missing_time":1,"missing_type":1,"missing_stream":1}}})j",
};

// The SQLite test's payloads (tst_storechecks), each as jsonb or text.
QStringList searchRows(const QString &dataType)
{
    const auto r = [](qint64 position, const QString &data, const QString &metadata = u"NULL"_s) {
        return row(position, position < 9 ? u"'s'"_s : u"'t'"_s, position,
                   position == 7 || position == 10 ? u"'U'"_s : u"'T'"_s,
                   u"'2026-01-01 00:00:%1'"_s.arg(position, 2, 10, QChar(u'0')), data, metadata);
    };
    return {
        messagesTable(dataType),
        r(1, u"'{\"a\":1,\"a\":2}'"_s),
        r(2, u"'{\"a\":1.0}'"_s),
        r(3, u"'{\"a\":\"1\"}'"_s),
        r(4, u"'{\"a\":null}'"_s),
        r(5, u"'{}'"_s),
        r(6, u"'{\"a\":[1,\"x\"]}'"_s),
        r(7, u"'{\"a\":2}'"_s),
        r(8, u"'{\"a\":9007199254740993}'"_s),
        r(9, u"'{\"b\":{\"c\":\"h\u00e9llo\"}}'"_s),
        r(10, u"'{\"a\": 2 }'"_s, u"'{\"m\":\"x\"}'"_s),
        r(11, u"'\"a\"'"_s),
        r(12, u"'{\"a\":\"zeta\"}'"_s),
        r(13, u"'{\"a_b\":1,\"a b\":2}'"_s),
        r(14, u"'{\"a\":-0}'"_s),
    };
}

} // namespace

class TestStoreChecksPg : public QObject
{
    Q_OBJECT

private:
    PgTestServer m_server;
    int m_databases = 0;

    QString database(const QStringList &statements)
    {
        const QString name = u"checks%1"_s.arg(++m_databases);
        QString error;
        if (!m_server.createDatabase(name, &error) ||
            !m_server.grantRead(name, reader, {u"public"_s}, &error) ||
            !m_server.exec(name, statements, &error))
            qFatal("%s", qPrintable(error));
        return m_server.url(reader, readerPassword, name);
    }

    std::unique_ptr<EventStore> open(const QString &url)
    {
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(url), {}, &error);
        if (!store)
            qWarning().noquote() << error.message;
        return store;
    }

    static QList<QByteArray> cli(const QStringList &arguments, int *exitCode)
    {
        const TestSupport::CliRun run = TestSupport::runCli(arguments, 120000);
        *exitCode = run.exitCode;
        return run.lines();
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY2(m_server.createLoginRole(reader, readerPassword, &error), qPrintable(error));
    }

    void checkFindsEveryKind()
    {
        const QString url = database(DefectRows);
        auto store = open(url);
        QVERIFY(store);
        QCOMPARE(store->layout().id, u"message-db"_s);
        QList<QByteArray> lines;
        IntegrityCheck check(*store);
        QVERIFY2(check.run([&lines](const IntegrityProblem &p) {
            lines << EventJson::integrityProblem(p);
            return true;
        }),
                 qPrintable(check.errorString()));
        lines << EventJson::integritySummary(check.summary());
        QCOMPARE(lines, DefectLines);
        int exitCode = -1;
        QCOMPARE(cli({u"check"_s, url}, &exitCode), DefectLines);
        QCOMPARE(exitCode, 0);
        const QList<QByteArray> b = cli({u"check"_s, url, u"--stream"_s, u"b"_s}, &exitCode);
        QCOMPARE(b.size(), 3);
        QCOMPARE(b.at(0), DefectLines.at(1));
        QCOMPARE(b.at(1), DefectLines.at(3));
    }

    void schemaAtKnownTimes()
    {
        const QString url = database({
            messagesTable(u"text"_s),
            row(1, u"'u1'"_s, 0, u"'Signup'"_s, u"'2026-01-10 00:00:00'"_s,
                u"'{\"plan\":\"free\",\"tags\":[\"a\",\"b\"]}'"_s),
            row(2, u"'u2'"_s, 0, u"'Signup'"_s, u"'2026-02-10 00:00:00'"_s,
                u"'{\"plan\":\"free\",\"referrer\":\"ads\",\"tags\":[]}'"_s),
            row(3, u"'u3'"_s, 0, u"'Signup'"_s, u"'2026-03-10 00:00:00'"_s,
                u"'{\"plan\":{\"name\":\"pro\"},\"referrer\":null}'"_s),
            row(4, u"'u4'"_s, 0, u"'Signup'"_s, u"'2026-03-20 00:00:00'"_s, u"'hello'"_s),
        });
        int exitCode = -1;
        const QList<QByteArray> lines = cli({u"schema"_s, url}, &exitCode);
        QCOMPARE(exitCode, 0);
        const QList<QByteArray> expected = {
            R"j({"type":"Signup","path":"","value_types":{"not_json":1},"events":1,"first_time":"2026-03-20T00:00:00.000Z","last_time":"2026-03-20T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"plan","value_types":{"string":2,"object":1},"events":3,"first_time":"2026-01-10T00:00:00.000Z","last_time":"2026-03-10T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"plan.name","value_types":{"string":1},"events":1,"first_time":"2026-03-10T00:00:00.000Z","last_time":"2026-03-10T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"referrer","value_types":{"string":1,"null":1},"events":2,"first_time":"2026-02-10T00:00:00.000Z","last_time":"2026-03-10T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"tags","value_types":{"array":2},"events":2,"first_time":"2026-01-10T00:00:00.000Z","last_time":"2026-02-10T00:00:00.000Z"})j",
            R"j({"type":"Signup","path":"tags[]","value_types":{"string":2},"events":1,"first_time":"2026-01-10T00:00:00.000Z","last_time":"2026-01-10T00:00:00.000Z"})j",
        };
        QCOMPARE(lines, expected);
    }

    void search_data()
    {
        QTest::addColumn<QString>("dataType");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QList<qint64>>("expected");
        // By hand, as in tst_storechecks (jsonb keeps the last of duplicate keys, as Qt does).
        // All but `missing` are narrowed in SQL where the payload is jsonb.
        const QList<std::tuple<const char *, QString, QList<qint64>>> cases = {
            {"duplicate key", u"a == 2"_s, {1, 7, 10}},
            {"1.0 is 1", u"a == 1"_s, {2}},
            {"string 1", u"a == \"1\""_s, {3}},
            {"null", u"a == null"_s, {4}},
            {"exists", u"a exists"_s, {1, 2, 3, 4, 6, 7, 8, 10, 12, 14}},
            {"missing", u"a missing"_s, {5, 9, 11, 13}},
            {"array contains", u"a contains \"x\""_s, {6}},
            {"greater", u"a > 1"_s, {1, 7, 8, 10}},
            {"64-bit integer", u"a == 9007199254740993"_s, {8}},
            {"64-bit integer, one off", u"a == 9007199254740992"_s, {}},
            {"text order", u"a < \"z\""_s, {3}},
            {"nested", u"b.c contains \"\u00e9l\""_s, {9}},
            {"metadata", u"metadata.m == \"x\""_s, {10}},
            {"quoted key", u"\"a b\" == 2"_s, {13}},
            {"underscore key", u"a_b == 1"_s, {13}},
            {"minus zero", u"a == 0"_s, {14}},
            {"index", u"a[0] == 1"_s, {6}},
            {"or, and, not", u"(a == 1 or a == \"1\") and not (a == null)"_s, {2, 3}},
        };
        for (const QString &type : {u"jsonb"_s, u"text"_s}) {
            for (const auto &[name, where, expected] : cases)
                QTest::newRow(qPrintable(type + u": "_s + QString::fromLatin1(name)))
                    << type << where << expected;
        }
    }

    void search()
    {
        QFETCH(QString, dataType);
        QFETCH(QString, where);
        QFETCH(QList<qint64>, expected);
        static QMap<QString, QString> urls;
        if (!urls.contains(dataType))
            urls.insert(dataType, database(searchRows(dataType)));
        auto store = open(urls.value(dataType));
        QVERIFY(store);
        QueryError error;
        const auto predicate = Predicate::parse(where, &error);
        QVERIFY2(predicate, qPrintable(error.text()));
        for (const auto method : {PayloadSearch::Method::Sql, PayloadSearch::Method::Scan}) {
            PayloadSearch search(*store, *predicate, method);
            QList<qint64> found;
            QVERIFY2(search.run({}, std::numeric_limits<qint64>::max(),
                                [&found](const Event &e) {
                                    found << e.position;
                                    return true;
                                }),
                     qPrintable(search.errorString()));
            QCOMPARE(found, expected);
            const bool narrowed = dataType == u"jsonb" && where != u"a missing";
            if (method == PayloadSearch::Method::Sql)
                QCOMPARE(search.method(),
                         narrowed ? PayloadSearch::Method::Sql : PayloadSearch::Method::Scan);
        }
    }

    // "Contains text" over jsonb is narrowed with strpos() on its text form and answers as the
    // scan does, LIKE's metacharacters and case folding from beyond ASCII included.
    void textSearchOnJsonb()
    {
        const auto r = [](qint64 position, const QString &data) {
            return row(position, u"'s'"_s, position, u"'T'"_s, u"'2026-01-01 00:00:01'"_s, data);
        };
        auto store = open(database({
            messagesTable(u"jsonb"_s),
            r(1, u"'{\"note\":\"50% off\"}'"_s),
            r(2, u"'{\"note\":\"a_b c\"}'"_s),
            r(3, u"'{\"path\":\"C:\\\\dir\"}'"_s),
            r(4, u"'{\"unit\":\"12 \u212A\"}'"_s),
            r(5, u"'\"OFF %_\"'"_s),
            r(6, u"'42'"_s),
            r(7, u"'[\"Kilo\", \"O''Hara\"]'"_s),
        }));
        QVERIFY(store);
        const QStringList texts = {u"50%"_s, u"%"_s,  u"_"_s,  u"\\"_s,     u"a_b"_s, u"k"_s,
                                   u"off"_s, u"42"_s, u"\""_s, u"o'hara"_s, u"zzz"_s, u"%_"_s};
        const auto found = [&store](const QString &text, TextSearch::Method method) {
            QList<qint64> positions;
            TextSearch search(*store, text, method);
            if (!search.run({}, std::numeric_limits<qint64>::max(), [&](const Event &e) {
                    positions << e.position;
                    return true;
                }))
                qWarning().noquote() << search.errorString();
            if (method == TextSearch::Method::Sql && search.method() != method)
                qWarning() << "not narrowed:" << text;
            return positions;
        };
        for (const QString &text : texts)
            QCOMPARE(found(text, TextSearch::Method::Sql), found(text, TextSearch::Method::Scan));
        QCOMPARE(found(u"50%"_s, TextSearch::Method::Sql), (QList<qint64>{1}));
        QCOMPARE(found(u"_"_s, TextSearch::Method::Sql), (QList<qint64>{2, 5}));
        QCOMPARE(found(u"\\"_s, TextSearch::Method::Sql), (QList<qint64>{3}));
        QCOMPARE(found(u"k"_s, TextSearch::Method::Sql), (QList<qint64>{4, 7}));
        QCOMPARE(found(u"off"_s, TextSearch::Method::Sql), (QList<qint64>{1, 5}));
        QCOMPARE(found(u"o'hara"_s, TextSearch::Method::Sql), (QList<qint64>{7}));
        TextSearch narrowed(*store, u"zzz"_s);
        QVERIFY(narrowed.run({}, 100, [](const Event &) { return true; }));
        QCOMPARE(narrowed.method(), TextSearch::Method::Sql);
        QCOMPARE(narrowed.eventsRead(), 1); // the number, which the SQL cannot judge
    }
};

QTEST_GUILESS_MAIN(TestStoreChecksPg)
#include "tst_storecheckspg.moc"

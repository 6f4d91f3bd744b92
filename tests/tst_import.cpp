#include "jsonlimporter.h"
#include "ownstorewriter.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

// Every column, NULL shown as "NULL" so that it differs from an empty text.
QStringList storedEvents(const QString &path)
{
    QStringList events;
    const auto rows =
        TestSupport::queryRows(path, u"SELECT global_position, stream_id, stream_version, "
                                     "event_id, type, recorded_at, data, metadata "
                                     "FROM events ORDER BY global_position"_s);
    for (const QVariantList &row : rows) {
        QStringList columns;
        for (const QVariant &value : row)
            columns.append(value.isNull() ? u"NULL"_s : value.toString());
        events.append(columns.join(u'|'));
    }
    return events;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

using Rejections = QVector<QPair<qint64, QString>>;

Rejections rejections(const JsonlImporter::Report &report)
{
    Rejections result;
    for (const JsonlImporter::Rejected &rejected : report.rejected)
        result.append({rejected.line, rejected.reason});
    return result;
}

Event makeEvent(const QString &stream, qint64 version, qint64 position = 0)
{
    Event event;
    event.position = position;
    event.stream = stream;
    event.version = version;
    event.type = u"Happened"_s;
    event.timeMs = 1767571200000; // 2026-01-05T00:00:00.000Z
    event.data = QByteArrayLiteral("{\"n\":1}");
    return event;
}

} // namespace

class TestImport : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void payloadForms();
    void defaultVersions();
    void reportsEveryBadLine();
    void rejectsHugeLine();
    void missingInput();
    void refusesExistingOutput();
    void cancelLeavesNothing();
    void reportsProgress();
    void writerKeepsGoingAfterDuplicate();
    void writerWithoutCommitLeavesNothing();
    void writerNumbersPositions();
    void writerFormatsTimes();

private:
    QTemporaryDir m_dir;
    QString input(const QByteArray &content);
    QString output() const { return m_dir.filePath(QUuid::createUuid().toString() + u".sqlite"_s); }
};

QString TestImport::input(const QByteArray &content)
{
    const QString path = m_dir.filePath(QUuid::createUuid().toString() + u".jsonl"_s);
    if (!writeFile(path, content))
        qWarning().noquote() << u"cannot write"_s << path;
    return path;
}

// A file in the stored form (compact JSON, canonical times, every field given) comes back
// unchanged.
void TestImport::roundTrip()
{
    const QStringList expected = {
        u"3|user-1|1|e-1|UserCreated|2026-01-05T10:00:00.000Z|{\"name\":\"Ada\",\"tags\":[1,2]}"
        "|{\"source\":\"web\"}"_s,
        u"7|user-1|2|e-2|UserRenamed|2026-01-05T10:00:01.250Z|{\"name\":\"Ada L\\u00e9\"}"
        "|NULL"_s,
        u"9|post-1|1|NULL|PostPublished|2026-01-06T23:59:59.999Z|{\"title\":\"\\\"Hi\\\"\"}"
        "|{\"a\":{\"b\":null}}"_s,
    };
    const QByteArray lines =
        "{\"global_position\":3,\"stream_id\":\"user-1\",\"stream_version\":1,\"event_id\":"
        "\"e-1\",\"type\":\"UserCreated\",\"recorded_at\":\"2026-01-05T10:00:00.000Z\","
        "\"data\":{\"name\":\"Ada\",\"tags\":[1,2]},\"metadata\":{\"source\":\"web\"}}\n"
        "{\"global_position\":7,\"stream_id\":\"user-1\",\"stream_version\":2,\"event_id\":"
        "\"e-2\",\"type\":\"UserRenamed\",\"recorded_at\":\"2026-01-05T10:00:01.250Z\","
        "\"data\":{\"name\":\"Ada L\\u00e9\"}}\n"
        "{\"global_position\":9,\"stream_id\":\"post-1\",\"stream_version\":1,"
        "\"type\":\"PostPublished\",\"recorded_at\":\"2026-01-06T23:59:59.999Z\","
        "\"data\":{\"title\":\"\\\"Hi\\\"\"},\"metadata\":{\"a\":{\"b\":null}}}\n"_ba;
    const QString out = output();
    JsonlImporter::Report report;
    QString error;
    QVERIFY2(JsonlImporter::import(input(lines), out, &report, &error), qPrintable(error));
    QCOMPARE(report.imported, 3);
    QVERIFY(report.rejected.isEmpty());

    QStringList stored = storedEvents(out);
    // The UTF-8 "é" is read back as such; compare with the escaped form written above.
    stored[1].replace(QChar(0xe9), u"\\u00e9"_s);
    QCOMPARE(stored, expected);
    const auto types = TestSupport::queryRows(out, u"SELECT DISTINCT typeof(data) FROM events"_s);
    QCOMPARE(types, QVector<QVariantList>{{u"text"_s}});
}

void TestImport::payloadForms()
{
    const QByteArray lines =
        "{\"stream_id\":\"s\",\"type\":\"T\",\"recorded_at\":1767571200000,\"data\":\"plain "
        "text\",\"metadata\":42}\n"
        "{\"stream_id\":\"s\",\"type\":\"T\",\"recorded_at\":1767571200001,\"data\":\"\","
        "\"metadata\":true}\n"
        "{\"stream_id\":\"s\",\"type\":\"T\",\"recorded_at\":\"2026-01-05T00:00:00.002Z\","
        "\"data\":null,\"metadata\":[1,\"x\"]}\n"_ba;
    const QString out = output();
    QString error;
    QVERIFY2(JsonlImporter::import(input(lines), out, nullptr, &error), qPrintable(error));
    const auto rows =
        TestSupport::queryRows(out, u"SELECT recorded_at, data, typeof(data), metadata "
                                    "FROM events ORDER BY global_position"_s);
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0],
             (QVariantList{u"2026-01-05T00:00:00.000Z"_s, u"plain text"_s, u"text"_s, u"42"_s}));
    QCOMPARE(rows[1], (QVariantList{u"2026-01-05T00:00:00.001Z"_s, u""_s, u"text"_s, u"true"_s}));
    QCOMPARE(rows[2][2], QVariant(u"null"_s));
    QCOMPARE(rows[2][3], QVariant(u"[1,\"x\"]"_s));
}

// Without stream_version each stream counts on from its highest version so far; without
// global_position the file order numbers the events.
void TestImport::defaultVersions()
{
    const QByteArray lines = "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":1}\n"
                             "{\"stream_id\":\"b\",\"type\":\"T\",\"recorded_at\":2}\n"
                             "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":3}\n"
                             "{\"stream_id\":\"b\",\"type\":\"T\",\"recorded_at\":4,"
                             "\"stream_version\":10}\n"
                             "{\"stream_id\":\"b\",\"type\":\"T\",\"recorded_at\":5}\n"
                             "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":6}\n"_ba;
    const QString out = output();
    QString error;
    QVERIFY2(JsonlImporter::import(input(lines), out, nullptr, &error), qPrintable(error));
    const auto rows =
        TestSupport::queryRows(out, u"SELECT global_position, stream_id, stream_version "
                                    "FROM events ORDER BY global_position"_s);
    const QVector<QVariantList> expected = {
        {1, u"a"_s, 1},  {2, u"b"_s, 1},  {3, u"a"_s, 2},
        {4, u"b"_s, 10}, {5, u"b"_s, 11}, {6, u"a"_s, 3},
    };
    QCOMPARE(rows.size(), expected.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QCOMPARE(rows[i][0].toLongLong(), expected[i][0].toLongLong());
        QCOMPARE(rows[i][1].toString(), expected[i][1].toString());
        QCOMPARE(rows[i][2].toLongLong(), expected[i][2].toLongLong());
    }
}

void TestImport::reportsEveryBadLine()
{
    const QByteArray lines =
        "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":1000}\n"                       // 1
        "\n"                                                                                // 2
        "this is not json\n"                                                                // 3
        "[1,2]\n"                                                                           // 4
        "{\"type\":\"T\",\"recorded_at\":1000}\n"                                           // 5
        "{\"stream_id\":\"a\",\"type\":\"\",\"recorded_at\":1000}\n"                        // 6
        "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":\"yesterday\"}\n"              // 7
        "{\"stream_id\":\"a\",\"type\":\"T\"}\n"                                            // 8
        "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":1,\"stream_version\":1}\n"     // 9
        "{\"stream_id\":\"b\",\"type\":\"T\",\"recorded_at\":1,\"global_position\":1}\n"    // 10
        "   \t \n"                                                                          // 11
        "{\"stream_id\":\"b\",\"type\":\"T\",\"recorded_at\":2000}\r\n"                     // 12
        "{\"stream_id\":\"b\",\"type\":\"T\",\"recorded_at\":1,\"stream_version\":\"x\"}\n" // 13
        "{\"stream_id\":\"b\",\"type\":\"T\",\"recorded_at\":1,\"global_position\":0}\n"    // 14
        "{\"stream_id\":7,\"type\":\"T\",\"recorded_at\":1}\n"                              // 15
        "{\"stream_id\":\"b\",\"type\":\"T\",\"recorded_at\":1,\"event_id\":5}\n"           // 16
        "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":3000}"_ba;                     // 17
    const QString out = output();
    JsonlImporter::Report report;
    QString error;
    QVERIFY2(JsonlImporter::import(input(lines), out, &report, &error), qPrintable(error));
    QCOMPARE(report.imported, 3);

    Rejections rejected = rejections(report);
    QCOMPARE(rejected.size(), 12);
    QCOMPARE(rejected[0].first, 3);
    QVERIFY2(rejected[0].second.startsWith(u"not JSON: "_s), qPrintable(rejected[0].second));
    rejected.removeFirst();
    const Rejections expected = {
        {4, u"not a JSON object"_s},
        {5, u"missing field stream_id"_s},
        {6, u"field type must be a non-empty string"_s},
        {7, u"bad time in recorded_at: \"yesterday\""_s},
        {8, u"missing field recorded_at"_s},
        {9, u"duplicate stream version (a, 1)"_s},
        {10, u"duplicate global_position 1"_s},
        {13, u"field stream_version must be an integer"_s},
        {14, u"field global_position must be a positive integer"_s},
        {15, u"field stream_id must be a non-empty string"_s},
        {16, u"field event_id must be a string"_s},
    };
    QCOMPARE(rejected, expected);
    QCOMPARE(storedEvents(out),
             (QStringList{u"1|a|1|NULL|T|1970-01-01T00:00:01.000Z|NULL|NULL"_s,
                          u"2|b|1|NULL|T|1970-01-01T00:00:02.000Z|NULL|NULL"_s,
                          u"3|a|2|NULL|T|1970-01-01T00:00:03.000Z|NULL|NULL"_s}));
}

void TestImport::rejectsHugeLine()
{
    QByteArray huge = "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":1,\"data\":\""_ba;
    huge.append(QByteArray(17 * 1024 * 1024, 'x'));
    huge.append("\"}\n"_ba);
    const QByteArray lines = "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":1}\n"_ba + huge +
                             "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":2}\n"_ba;
    const QString out = output();
    JsonlImporter::Report report;
    QString error;
    QVERIFY2(JsonlImporter::import(input(lines), out, &report, &error), qPrintable(error));
    QCOMPARE(report.imported, 2);
    QCOMPARE(rejections(report), (Rejections{{2, u"line too large (over 16 MiB)"_s}}));
    QCOMPARE(
        TestSupport::queryRows(out, u"SELECT max(stream_version) FROM events"_s)[0][0].toLongLong(),
        2);
}

void TestImport::missingInput()
{
    const QString missing = m_dir.filePath(u"nowhere.jsonl"_s);
    const QString out = output();
    QString error;
    QVERIFY(!JsonlImporter::import(missing, out, nullptr, &error));
    QVERIFY2(error.contains(missing), qPrintable(error));
    QVERIFY(!QFile::exists(out));
}

void TestImport::refusesExistingOutput()
{
    const QString out = output();
    QVERIFY(writeFile(out, QByteArrayLiteral("keep me")));
    QString error;
    QVERIFY(!JsonlImporter::import(input("{}\n"_ba), out, nullptr, &error));
    QVERIFY2(error.contains(out), qPrintable(error));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArrayLiteral("keep me"));
}

void TestImport::cancelLeavesNothing()
{
    QTemporaryDir dir;
    const QString in = dir.filePath(u"in.jsonl"_s);
    QVERIFY(writeFile(in, "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":1}\n"_ba));
    std::atomic_bool cancel(true);
    JobControl job;
    job.cancel = &cancel;
    QString error;
    QVERIFY(!JsonlImporter::import(in, dir.filePath(u"out.sqlite"_s), nullptr, &error, job));
    QCOMPARE(error, u"cancelled"_s);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"in.jsonl"_s});
}

void TestImport::reportsProgress()
{
    QByteArray lines;
    for (int i = 1; i <= 10000; ++i)
        lines += "{\"stream_id\":\"a\",\"type\":\"T\",\"recorded_at\":"_ba + QByteArray::number(i) +
                 "}\n"_ba;
    const QString in = input(lines);
    QVector<QPair<qint64, qint64>> reports;
    JobControl job;
    job.progress = [&reports](qint64 done, qint64 total) {
        reports.append({done, total});
    };
    JsonlImporter::Report report;
    QString error;
    QVERIFY2(JsonlImporter::import(in, output(), &report, &error, job), qPrintable(error));
    QCOMPARE(report.imported, 10000);
    QVERIFY(reports.size() >= 2);
    QCOMPARE(reports.constLast(), qMakePair(qint64(lines.size()), qint64(lines.size())));
}

void TestImport::writerKeepsGoingAfterDuplicate()
{
    const QString out = output();
    OwnStoreWriter writer(out);
    QVERIFY2(writer.begin(), qPrintable(writer.errorString()));
    QVERIFY(writer.append(makeEvent(u"a"_s, 1, 5)));
    QVERIFY(!writer.append(makeEvent(u"a"_s, 1)));
    QCOMPARE(writer.lastConflict(), OwnStoreWriter::Conflict::StreamVersion);
    QVERIFY2(writer.errorString().contains(out), qPrintable(writer.errorString()));
    QVERIFY(!writer.append(makeEvent(u"b"_s, 1, 5)));
    QCOMPARE(writer.lastConflict(), OwnStoreWriter::Conflict::Position);
    QVERIFY(writer.append(makeEvent(u"a"_s, 2)));
    QCOMPARE(writer.lastConflict(), OwnStoreWriter::Conflict::None);
    QVERIFY2(writer.commit(), qPrintable(writer.errorString()));
    QCOMPARE(storedEvents(out),
             (QStringList{u"5|a|1|NULL|Happened|2026-01-05T00:00:00.000Z|{\"n\":1}|NULL"_s,
                          u"6|a|2|NULL|Happened|2026-01-05T00:00:00.000Z|{\"n\":1}|NULL"_s}));
}

void TestImport::writerWithoutCommitLeavesNothing()
{
    QTemporaryDir dir;
    {
        OwnStoreWriter writer(dir.filePath(u"never.sqlite"_s));
        QVERIFY(writer.begin());
        QVERIFY(writer.append(makeEvent(u"a"_s, 1)));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
    }
    QVERIFY(QDir(dir.path()).isEmpty());
}

void TestImport::writerNumbersPositions()
{
    const QString out = output();
    OwnStoreWriter writer(out);
    QVERIFY(writer.begin());
    QVERIFY(writer.append(makeEvent(u"a"_s, 1, -3)));
    QVERIFY(writer.append(makeEvent(u"a"_s, 2, 0)));
    QVERIFY(writer.commit());
    const auto rows =
        TestSupport::queryRows(out, u"SELECT global_position FROM events ORDER BY 1"_s);
    QCOMPARE(rows, (QVector<QVariantList>{{qint64(1)}, {qint64(2)}}));
    const auto indexes =
        TestSupport::queryRows(out, u"SELECT name FROM sqlite_master WHERE type = 'index' "
                                    "AND sql IS NOT NULL ORDER BY name"_s);
    QCOMPARE(indexes, (QVector<QVariantList>{{u"events_recorded_at"_s}, {u"events_type"_s}}));
}

// Times across day boundaries, out of order and before 1970 keep their own day.
void TestImport::writerFormatsTimes()
{
    const QVector<QPair<qint64, QString>> times = {
        {1767657599999, u"2026-01-05T23:59:59.999Z"_s},
        {1767657600000, u"2026-01-06T00:00:00.000Z"_s},
        {1767571200000, u"2026-01-05T00:00:00.000Z"_s},
        {1767614706042, u"2026-01-05T12:05:06.042Z"_s},
        {-1, u"1969-12-31T23:59:59.999Z"_s},
        {0, u"1970-01-01T00:00:00.000Z"_s},
    };
    const QString out = output();
    OwnStoreWriter writer(out);
    QVERIFY(writer.begin());
    for (qsizetype i = 0; i < times.size(); ++i) {
        Event event = makeEvent(u"a"_s, i + 1);
        event.timeMs = times.at(i).first;
        QVERIFY2(writer.append(event), qPrintable(writer.errorString()));
    }
    QVERIFY(writer.commit());
    const auto rows =
        TestSupport::queryRows(out, u"SELECT recorded_at FROM events ORDER BY global_position"_s);
    QCOMPARE(rows.size(), times.size());
    for (qsizetype i = 0; i < times.size(); ++i)
        QCOMPARE(rows.at(i)[0].toString(), times.at(i).second);
}

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"

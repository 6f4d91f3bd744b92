// Export and repro slices: export -> import -> export gives the same bytes (JSON Lines and CSV)
// over odd values; the imported store holds the same events; slices reopen as own-layout
// stores whose streams replay to the source's states, from the own layout and from a mapped
// table with integer-millisecond times.

#include "store/eventstore.h"
#include "testsupport.h"
#include "writers/eventexporter.h"
#include "writers/eventimporter.h"
#include "writers/storeslicer.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString OwnTable =
    u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
    "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at TEXT "
    "NOT NULL, data TEXT, metadata TEXT, UNIQUE(stream_id, stream_version))"_s;

// Positions past 2^53 (no double holds them), a version near the 64-bit end, times with
// milliseconds and before 1970, Unicode names, a delimiter and quotes in a type, line breaks,
// commas and quotes in text, JSON objects as the importer writes them and not, JSON scalars,
// a lone-surrogate escape, NULL and empty payloads, text that looks like bytea.
const QStringList OddRows = {
    uR"((9007199254740993, 'ström-ü😀', 1, 'Odd,"Type"', '2026-01-05T08:00:00.123Z', '{"b":1, "a":[1.0]}', NULL))"_s,
    uR"((9007199254740994, 'ström-ü😀', 2, 'Plain', '1969-12-31T23:59:59.999Z', '{"a":1,"b":[true,null],"c":{"d":"ü"}}', '{"m":"x"}'))"_s,
    uR"((9007199254740995, 'lines', 9223372036854775806, 'Text', '2026-01-05T08:00:00.001Z', 'line1' || char(10) || 'line2, "q"' || char(13) || 'end', 'plain text'))"_s,
    uR"((9007199254740996, 'lines', 9223372036854775807, 'Empty', '2026-01-05T08:00:00.002Z', '', NULL))"_s,
    uR"((9007199254740997, 'scalars', 0, 'Scalar', '2026-01-05T08:00:00.010Z', '"just a string"', '42'))"_s,
    uR"((9007199254740998, 'scalars', 1, 'Null', '2026-01-05T08:00:00.100Z', 'null', '\x41'))"_s,
    uR"((9007199254740999, 'tab	stream', 1, 'Unicode', '2026-01-05T08:00:00.999Z', '{"s":"\ud800","u":"😀 ' || char(8232) || '"}', '[1,2]'))"_s,
    uR"((9007199254741000, ' spaced ', 1, ' T ', '2026-01-05T08:00:00.000Z', ' ', ',,'))"_s,
};

bool createOddStore(const QString &path)
{
    QStringList sql{OwnTable};
    for (const QString &row : OddRows)
        sql << u"INSERT INTO events (global_position, stream_id, stream_version, type, "
               "recorded_at, data, metadata) VALUES "_s +
                   row;
    return TestSupport::execSql(path, sql);
}

std::unique_ptr<EventStore> open(const QString &path, const QString &map = {})
{
    StoreError error;
    auto store = EventStore::open(StoreLocation::parse(path), {map, {}}, &error);
    if (!store)
        qWarning().noquote() << error.message;
    return store;
}

QVector<Event> allEvents(EventStore &store)
{
    EventFilter filter;
    filter.limit = 100000;
    return store.events(filter).value_or(QVector<Event>());
}

// Every field of every event, as text, for comparing two stores.
QStringList describe(const QVector<Event> &events)
{
    QStringList lines;
    for (const Event &e : events)
        lines << QStringList{QString::number(e.position),
                             e.stream,
                             QString::number(e.version),
                             e.type,
                             QString::number(e.timeMs),
                             e.data.isNull() ? u"NULL"_s : QString::fromLatin1(e.data.toHex()),
                             e.metadata.isNull() ? u"NULL"_s
                                                 : QString::fromLatin1(e.metadata.toHex())}
                     .join(u'|');
    return lines;
}

QByteArray exportAll(EventStore &store, EventExporter::Format format)
{
    QByteArray text;
    QString error;
    const auto written = EventExporter::exportEvents(
        store, {}, std::numeric_limits<qint64>::max(), format,
        [&text](const QByteArray &line) {
            text += line + '\n';
            return true;
        },
        &error);
    if (!written)
        qWarning().noquote() << error;
    return text;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::NewOnly) &&
           file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

using TestSupport::runCli;

const QString MappedSpec = u"table=events_v2,stream=aggregate_id,version=seq,type=kind,"
                           "time=created,data=body,position=id"_s;

} // namespace

// The test bodies are defined below the class: moc does not read raw string literals.
class TestExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exactLines();
    void roundTrip_data();
    void roundTrip();
    void cliExport();
    void cliFilters_data();
    void cliFilters();
    void cliWhere_data();
    void cliWhere();
    void slice_data();
    void slice();
    void sliceLeavesOutWhatTheOwnLayoutCannotHold();

private:
    QTemporaryDir m_dir;
    QString m_odd;
    QString m_small;
    QString m_mapped;
};

void TestExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_odd = m_dir.filePath(u"odd.db"_s);
    QVERIFY(createOddStore(m_odd));
    m_small = m_dir.filePath(u"small.db"_s);
    QVERIFY(TestSupport::createSmallStore(m_small));
    m_mapped = m_dir.filePath(u"mapped.db"_s);
    QVERIFY(TestSupport::createMappedStore(m_mapped, u"ms"_s));
}

void TestExport::exactLines()
{
    // What import reads without --map: the own layout's names; JSON embedded only where
    // it is already the compact form the importer stores, else the text as a string.
    Event e;
    e.position = 9007199254740993;
    e.stream = u"s,1"_s;
    e.version = 7;
    e.type = u"T\"q"_s;
    e.timeMs = -1;
    e.data = R"({"a":1})";
    e.metadata = R"({"b": 2})";
    QCOMPARE(EventExporter::line(EventExporter::Format::Jsonl, e),
             QByteArray(R"({"global_position":9007199254740993,"stream_id":"s,1",)"
                        R"("stream_version":7,"type":"T\"q",)"
                        R"("recorded_at":"1969-12-31T23:59:59.999Z","data":{"a":1},)"
                        R"("metadata":"{\"b\": 2}"})"));
    QCOMPARE(EventExporter::line(EventExporter::Format::Csv, e),
             QByteArray(R"(9007199254740993,"s,1",7,"T""q",1969-12-31T23:59:59.999Z,)"
                        R"("{""a"":1}","{""b"": 2}")"));
    // NULL, the empty payload, bytes that are not UTF-8 and text shaped like bytea.
    e.data = QByteArray();
    e.metadata = QByteArray("", 0);
    QVERIFY(EventExporter::line(EventExporter::Format::Jsonl, e)
                .endsWith(R"("data":null,"metadata":"\\x"})"));
    QVERIFY(EventExporter::line(EventExporter::Format::Csv, e).endsWith(",,\\x"));
    e.data = QByteArray("\xff\x00", 2);
    e.metadata = "\\x41";
    QVERIFY(EventExporter::line(EventExporter::Format::Jsonl, e)
                .endsWith(R"("data":"\\xff00","metadata":"\\x5c783431"})"));
    QVERIFY(EventExporter::line(EventExporter::Format::Csv, e).endsWith(",\\xff00,\\x5c783431"));
    QCOMPARE(EventExporter::header(EventExporter::Format::Csv),
             QByteArray("global_position,stream_id,stream_version,type,recorded_at,data,"
                        "metadata"));
}

void TestExport::roundTrip_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("store");
    QTest::addColumn<QString>("map");
    QTest::newRow("jsonl odd") << int(EventExporter::Format::Jsonl) << m_odd << QString();
    QTest::newRow("csv odd") << int(EventExporter::Format::Csv) << m_odd << QString();
    QTest::newRow("jsonl small") << int(EventExporter::Format::Jsonl) << m_small << QString();
    QTest::newRow("csv small") << int(EventExporter::Format::Csv) << m_small << QString();
    QTest::newRow("jsonl mapped ms") << int(EventExporter::Format::Jsonl) << m_mapped << MappedSpec;
    QTest::newRow("csv mapped ms") << int(EventExporter::Format::Csv) << m_mapped << MappedSpec;
}

void TestExport::roundTrip()
{
    QFETCH(int, format);
    QFETCH(QString, store);
    QFETCH(QString, map);
    const auto f = EventExporter::Format(format);
    const QString tag = QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-');
    auto source = open(store, map);
    QVERIFY(source);
    const QVector<Event> events = allEvents(*source);
    QVERIFY(!events.isEmpty());
    const QByteArray first = exportAll(*source, f);
    const QString file = m_dir.filePath(tag + u".export"_s);
    QVERIFY(writeFile(file, first));

    const QString imported = m_dir.filePath(tag + u".db"_s);
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(file, imported, &report, &error), qPrintable(error));
    QCOMPARE(report.fields, u"Eventscope"_s); // recognised without a mapping
    QVERIFY2(report.rejected.isEmpty(), qPrintable(report.rejected.value(0).reason));
    QCOMPARE(report.imported, events.size());

    auto copy = open(imported);
    QVERIFY(copy);
    QCOMPARE(describe(allEvents(*copy)), describe(events));
    QCOMPARE(exportAll(*copy, f), first);
}

void TestExport::cliExport()
{
    for (const QString &format : {u"jsonl"_s, u"csv"_s}) {
        const QString a = m_dir.filePath(u"cli-a."_s + format);
        const QString b = m_dir.filePath(u"cli-b."_s + format);
        const QString db = m_dir.filePath(u"cli-"_s + format + u".db"_s);
        TestSupport::CliRun run =
            runCli({u"export"_s, m_odd, u"--format"_s, format, u"--out"_s, a});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, u"{\"path\":\"%1\",\"format\":\"%2\",\"events\":%3}\n"_s.arg(a, format)
                              .arg(OddRows.size())
                              .toUtf8());
        QCOMPARE(runCli({u"import"_s, a, db}).exitCode, 0);
        QCOMPARE(runCli({u"export"_s, db, u"--format"_s, format, u"--out"_s, b}).exitCode, 0);
        QCOMPARE(readFile(b), readFile(a));
        // stdout gives the same bytes as --out.
        run = runCli({u"export"_s, db, u"--format"_s, format});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, readFile(a));

        // An existing file, the store above all, is never replaced.
        const QByteArray storeBytes = readFile(m_odd);
        for (const QString &existing : {b, m_odd}) {
            const QByteArray before = readFile(existing);
            run = runCli({u"export"_s, m_odd, u"--format"_s, format, u"--out"_s, existing});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(u"already exists; refusing to overwrite it"_s),
                     qPrintable(run.err));
            QCOMPARE(readFile(existing), before);
        }
        QCOMPARE(readFile(m_odd), storeBytes);
    }
    TestSupport::CliRun bad = runCli({u"export"_s, m_odd, u"--format"_s, u"xml"_s});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(u"--format is jsonl or csv"_s), qPrintable(bad.err));
}

void TestExport::cliFilters_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::newRow("stream") << QStringList{u"--stream"_s, u"user-1"_s};
    QTest::newRow("types") << QStringList{u"--type"_s, u"Clicked"_s, u"--type"_s, u"UserCreated"_s};
    QTest::newRow("time") << QStringList{u"--from-time"_s, u"2026-01-05T09:15:00Z"_s,
                                         u"--to-time"_s, u"2026-01-12T00:00:00Z"_s};
    QTest::newRow("after, limit") << QStringList{u"--after"_s, u"3"_s, u"--limit"_s, u"4"_s};
}

void TestExport::cliFilters()
{
    // The same events as `events` selects with the same options, in the same order.
    QFETCH(QStringList, options);
    const TestSupport::CliRun events = runCli(QStringList{u"events"_s, m_small} + options);
    const TestSupport::CliRun exported = runCli(QStringList{u"export"_s, m_small} + options);
    QCOMPARE(events.exitCode, 0);
    QCOMPARE(exported.exitCode, 0);
    const QList<QByteArray> eventLines = events.out.trimmed().split('\n');
    const QList<QByteArray> exportLines = exported.out.trimmed().split('\n');
    QCOMPARE(exportLines.size(), eventLines.size());
    QVERIFY(!eventLines.isEmpty());
    for (qsizetype i = 0; i < eventLines.size(); ++i) {
        const QJsonObject e = QJsonDocument::fromJson(eventLines.at(i)).object();
        const QJsonObject x = QJsonDocument::fromJson(exportLines.at(i)).object();
        QCOMPARE(x.value(u"global_position"_s), e.value(u"position"_s));
        QCOMPARE(x.value(u"stream_id"_s), e.value(u"stream"_s));
        QCOMPARE(x.value(u"stream_version"_s), e.value(u"version"_s));
        QCOMPARE(x.value(u"recorded_at"_s), e.value(u"time"_s));
    }
}

void TestExport::cliWhere_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QList<qint64>>("positions");
    // Row 10's data is not JSON: it has no postId. Every row's metadata is {"source":"test"}.
    QTest::newRow("data") << QStringList{u"--where"_s, u"postId == \"post-1\""_s}
                          << QList<qint64>{3, 6, 7, 12};
    QTest::newRow("and metadata") << QStringList{u"--where"_s,
                                                 u"name exists and metadata.source == \"test\""_s}
                                  << QList<qint64>{1, 4, 5, 11};
    QTest::newRow("metadata only")
        << QStringList{u"--where"_s, u"metadata.source != \"test\""_s} << QList<qint64>{};
    // --limit counts the events that match, read across pages of those that do not.
    QTest::newRow("limit, stream") << QStringList{u"--where"_s, u"postId exists"_s, u"--limit"_s,
                                                  u"2"_s,       u"--stream"_s,      u"user-1"_s}
                                   << QList<qint64>{3, 7};
    QTest::newRow("nested, csv")
        << QStringList{u"--where"_s, u"profile.city == \"Paris\" or tags contains \"intro\""_s,
                       u"--format"_s, u"csv"_s}
        << QList<qint64>{2, 9};
}

void TestExport::cliWhere()
{
    QFETCH(QStringList, options);
    QFETCH(QList<qint64>, positions);
    const TestSupport::CliRun run = runCli(QStringList{u"export"_s, m_small} + options);
    QCOMPARE(run.exitCode, 0);
    QList<qint64> found;
    const bool csv = options.contains(u"csv"_s);
    QList<QByteArray> lines = run.out.split('\n');
    lines.removeAll(QByteArray());
    if (csv) {
        QCOMPARE(lines.value(0), EventExporter::header(EventExporter::Format::Csv));
        lines.removeFirst();
    }
    for (const QByteArray &line : std::as_const(lines))
        found << (csv ? line.left(line.indexOf(',')).toLongLong()
                      : QJsonDocument::fromJson(line)
                            .object()
                            .value(u"global_position"_s)
                            .toInteger());
    QCOMPARE(found, positions);

    const TestSupport::CliRun bad = runCli({u"export"_s, m_small, u"--where"_s, u"postId =="_s});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(u"--where: column 10: expected a value"_s), qPrintable(bad.err));
}

void TestExport::slice_data()
{
    QTest::addColumn<QString>("store");
    QTest::addColumn<QString>("map");
    QTest::addColumn<QStringList>("streams");
    QTest::addColumn<QStringList>("range"); // --from-time, --to-time
    const QString drop = u"user'; DROP TABLE events;--"_s;
    QTest::newRow("own") << m_small << QString() << QStringList{u"user-1"_s, drop} << QStringList();
    QTest::newRow("own, time range")
        << m_small << QString() << QStringList{u"user-1"_s, u"user-2"_s}
        << QStringList{u"--from-time"_s, u"2026-01-05T09:15:00Z"_s, u"--to-time"_s,
                       u"2026-01-12T00:00:00Z"_s};
    QTest::newRow("odd values") << m_odd << QString()
                                << QStringList{u"ström-ü😀"_s, u"lines"_s, u"scalars"_s,
                                               u"tab\tstream"_s, u" spaced "_s}
                                << QStringList();
    QTest::newRow("mapped, ms times")
        << m_mapped << MappedSpec << QStringList{u"user-2"_s, u"post-1"_s, drop} << QStringList();
}

void TestExport::slice()
{
    QFETCH(QString, store);
    QFETCH(QString, map);
    QFETCH(QStringList, streams);
    QFETCH(QStringList, range);
    const QString out = m_dir.filePath(
        QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-').remove(u',') +
        u"-slice.sqlite"_s);
    const QStringList mapArgs = map.isEmpty() ? QStringList() : QStringList{u"--map"_s, map};
    const QByteArray sourceHash =
        QCryptographicHash::hash(readFile(store), QCryptographicHash::Sha256);

    QStringList args{u"slice"_s, store, out};
    for (const QString &s : streams)
        args << u"--stream"_s << s;
    const TestSupport::CliRun run = runCli(args + range + mapArgs);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    const QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(report.value(u"path"_s).toString(), out);
    // The source is only read.
    QCOMPARE(QCryptographicHash::hash(readFile(store), QCryptographicHash::Sha256), sourceHash);

    // The slice opens as the own layout, the note table beside its events.
    const TestSupport::CliRun info = runCli({u"info"_s, out});
    QCOMPARE(info.exitCode, 0);
    const QJsonObject summary = QJsonDocument::fromJson(info.out).object();
    QCOMPARE(summary.value(u"layout"_s).toString(), u"eventscope"_s);
    QCOMPARE(summary.value(u"streams"_s).toInteger(), streams.size());
    QCOMPARE(summary.value(u"events"_s).toInteger(), report.value(u"events"_s).toInteger());

    // Each stream: the same events (positions, versions, times, data, metadata) and the
    // same replayed state as the source's.
    qint64 total = 0;
    for (const QString &stream : streams) {
        const TestSupport::CliRun sourceEvents =
            runCli(QStringList{u"events"_s, store, u"--stream"_s, stream} + range + mapArgs);
        const TestSupport::CliRun sliceEvents = runCli({u"events"_s, out, u"--stream"_s, stream});
        QCOMPARE(sourceEvents.exitCode, 0);
        QCOMPARE(sliceEvents.out, sourceEvents.out);
        const qint64 count = sourceEvents.out.count('\n');
        QVERIFY(count > 0);
        QCOMPARE(report.value(u"streams"_s).toObject().value(stream).toInteger(), count);
        total += count;
        if (!range.isEmpty())
            continue; // a replay folds the whole stream
        const TestSupport::CliRun sourceState =
            runCli(QStringList{u"replay"_s, store, u"--stream"_s, stream} + mapArgs);
        const TestSupport::CliRun sliceState = runCli({u"replay"_s, out, u"--stream"_s, stream});
        QCOMPARE(sourceState.exitCode, 0);
        QCOMPARE(sliceState.out, sourceState.out);
    }
    QCOMPARE(report.value(u"events"_s).toInteger(), total);

    // Where the events came from, and how they were chosen.
    QMap<QString, QString> notes;
    for (const QVariantList &row :
         TestSupport::queryRows(out, u"SELECT name, value FROM slice_source"_s))
        notes.insert(row.at(0).toString(), row.at(1).toString());
    QCOMPARE(notes.value(u"source"_s), store);
    QCOMPARE(notes.value(u"map"_s), map);
    QCOMPARE(QJsonDocument::fromJson(notes.value(u"streams"_s).toUtf8()).array().toVariantList(),
             QVariant(streams).toList());
    QCOMPARE(notes.value(u"from_time"_s),
             range.isEmpty() ? QString() : u"2026-01-05T09:15:00.000Z"_s);
    QCOMPARE(notes.value(u"events"_s), QString::number(total));

    // A second slice to the same file is refused, the first left as it is.
    const QByteArray sliceBytes = readFile(out);
    const TestSupport::CliRun again = runCli(args + range + mapArgs);
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains(u"already exists; refusing to overwrite it"_s),
             qPrintable(again.err));
    QCOMPARE(readFile(out), sliceBytes);
}

void TestExport::sliceLeavesOutWhatTheOwnLayoutCannotHold()
{
    // A mapped table may hold events without a time and positions below 1.
    const QString path = m_dir.filePath(u"holes.db"_s);
    QVERIFY(TestSupport::execSql(
        path, {u"CREATE TABLE ev(id INTEGER PRIMARY KEY, s TEXT, v INTEGER, k TEXT, t INTEGER, "
               "d TEXT)"_s,
               u"INSERT INTO ev VALUES (0, 'a', 1, 'T', 1767600000000, '{\"x\":0}')"_s,
               u"INSERT INTO ev VALUES (1, 'a', 2, 'T', 1767600000001, '{\"x\":1}')"_s,
               u"INSERT INTO ev VALUES (2, 'a', 3, 'T', NULL, '{\"x\":2}')"_s,
               u"INSERT INTO ev VALUES (3, 'b', 1, 'T', 1767600000003, '{\"x\":3}')"_s}));
    const QString map = u"table=ev,stream=s,version=v,type=k,time=t,data=d,position=id"_s;
    auto source = open(path, map);
    QVERIFY(source);
    const QString out = m_dir.filePath(u"holes-slice.sqlite"_s);
    SliceRequest request;
    request.streams = {u"a"_s, u"none"_s};
    SliceReport report;
    QString error;
    QVERIFY2(StoreSlicer::slice(*source, request, out, &report, &error), qPrintable(error));
    QCOMPARE(report.events, 1);
    QCOMPARE(report.withoutTime, 1);
    QCOMPARE(report.withoutPosition, 1);
    QCOMPARE(report.eventsByStream.value(u"a"_s), 1);
    QVERIFY(report.eventsByStream.contains(u"none"_s));
    QCOMPARE(report.eventsByStream.value(u"none"_s), 0);
    auto slice = open(out);
    QVERIFY(slice);
    const QStringList events = describe(allEvents(*slice));
    QCOMPARE(events.size(), 1);
    QVERIFY2(events.first().startsWith(u"1|a|2|T|1767600000001|"_s), qPrintable(events.first()));

    // Through the CLI, each left-out kind and the empty stream are said on stderr.
    const TestSupport::CliRun run =
        runCli({u"slice"_s, path, m_dir.filePath(u"holes-cli.sqlite"_s), u"--stream"_s, u"a"_s,
                u"--stream"_s, u"none"_s, u"--map"_s, map});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.err.contains(u"1 event(s) without a time are left out"_s), qPrintable(run.err));
    QVERIFY2(run.err.contains(u"1 event(s) with a position below 1 are left out"_s),
             qPrintable(run.err));
    QVERIFY2(run.err.contains(u"no event of stream 'none'"_s), qPrintable(run.err));
    QCOMPARE(runCli({u"slice"_s, path, m_dir.filePath(u"x.sqlite"_s)}).exitCode, 2);
}

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"

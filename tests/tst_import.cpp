// EventImporter end to end: each format and each library's field names imported into a new
// own-layout file and read back, rejections with their lines and reasons, progress and cancel;
// and the OwnStoreWriter underneath.

#include "decoding/timecodec.h"
#include "store/eventstore.h"
#include "testsupport.h"
#include "writers/eventimporter.h"
#include "writers/ownstorewriter.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
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

Rejections rejections(const EventImporter::Report &report)
{
    Rejections result;
    for (const EventImporter::Rejected &rejected : report.rejected)
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

// What EventStore reads back: position|stream|version|type|time|data|metadata.
QStringList readBack(const QString &path)
{
    StoreError error;
    const auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
    if (!store) {
        qWarning().noquote() << error.message;
        return {};
    }
    EventFilter filter;
    filter.limit = 1000;
    const auto events = store->events(filter);
    QStringList result;
    for (const Event &e : events.value_or(QVector<Event>()))
        result << QStringList{QString::number(e.position),  e.stream,
                              QString::number(e.version),   e.type,
                              TimeCodec::format(e.timeMs),  QString::fromUtf8(e.data),
                              QString::fromUtf8(e.metadata)}
                      .join(u'|');
    return result;
}

// PostgreSQL's bytea text "\x…", as a JSON string's content (the backslash escaped).
QByteArray byteaInJson(const QByteArray &bytes)
{
    return "\\\\x"_ba + bytes.toHex();
}

} // namespace

class TestImport : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void libraryFieldNames_data();
    void libraryFieldNames();
    void mappingOverridesRecognisedNames();
    void timeForms_data();
    void timeForms();
    void detectsFormat_data();
    void detectsFormat();
    void lineEnds_data();
    void lineEnds();
    void keepsTextOrRejectsIt();
    void formatOption();
    void atomPageNewestFirst();
    void atomSeveralPages_data();
    void atomSeveralPages();
    void atomRejectsWithLines();
    void csvQuoting_data();
    void csvQuoting();
    void csvRejectsWithLines();
    void cancelMidway_data();
    void cancelMidway();
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
    void writerStoresEncodedEvents();

private:
    QTemporaryDir m_dir;
    QString input(const QByteArray &content, const QString &suffix = u".jsonl"_s);
    QString output() const { return m_dir.filePath(QUuid::createUuid().toString() + u".sqlite"_s); }
};

QString TestImport::input(const QByteArray &content, const QString &suffix)
{
    const QString path = m_dir.filePath(QUuid::createUuid().toString() + suffix);
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
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(lines), out, &report, &error), qPrintable(error));
    QCOMPARE(report.imported, 3);
    QVERIFY(report.rejected.isEmpty());
    QCOMPARE(report.format, ImportFormat::Jsonl);
    QCOMPARE(report.fields, u"Eventscope"_s);

    QStringList stored = storedEvents(out);
    // The UTF-8 "é" is read back as such; compare with the escaped form written above.
    stored[1].replace(QChar(0xe9), u"\\u00e9"_s);
    QCOMPARE(stored, expected);
    const auto types = TestSupport::queryRows(out, u"SELECT DISTINCT typeof(data) FROM events"_s);
    QCOMPARE(types, QVector<QVariantList>{{u"text"_s}});
}

// One dump per library, in the field names of its tables (LAYOUTS.md), read back exactly.
void TestImport::libraryFieldNames_data()
{
    QTest::addColumn<QByteArray>("lines");
    QTest::addColumn<QString>("fields");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("Message DB")
        << R"({"global_position":11,"stream_name":"account-1","position":0,"type":"Opened","time":"2026-01-05T10:00:00.123456","data":{"owner":"Ada"},"metadata":{"correlationStreamName":"x"},"id":"6e0b3c1c-0f0e-4f43-9d53-d1c1f2a0b001"}
{"global_position":12,"stream_name":"account-1","position":1,"type":"Deposited","time":"2026-01-05 10:00:01.5","data":{"amount":5},"metadata":null,"id":"6e0b3c1c-0f0e-4f43-9d53-d1c1f2a0b002"}
)"_ba << u"Message DB"_s
        << QStringList{
               uR"(11|account-1|0|Opened|2026-01-05T10:00:00.123Z|{"owner":"Ada"}|{"correlationStreamName":"x"})"_s,
               uR"(12|account-1|1|Deposited|2026-01-05T10:00:01.500Z|{"amount":5}|)"_s};
    QTest::newRow("Marten")
        << R"({"seq_id":5,"id":"a1","stream_id":"0f8fad5b-d9cb-469f-a165-70867728950e","version":1,"type":"order_placed","timestamp":"2026-01-05T10:00:00.000000+01:00","data":"{\"total\":12}","mt_dotnet_type":"Shop.OrderPlaced, Shop","tenant_id":"*DEFAULT*"}
{"seq_id":6,"id":"a2","stream_id":"0f8fad5b-d9cb-469f-a165-70867728950e","version":2,"type":"order_shipped","timestamp":"2026-01-05T10:30:00.25+01:00","data":{},"headers":{"user":"bob"}}
)"_ba << u"Marten"_s
        << QStringList{
               uR"(5|0f8fad5b-d9cb-469f-a165-70867728950e|1|order_placed|2026-01-05T09:00:00.000Z|{"total":12}|)"_s,
               uR"(6|0f8fad5b-d9cb-469f-a165-70867728950e|2|order_shipped|2026-01-05T09:30:00.250Z|{}|{"user":"bob"})"_s};
    // "type" is the aggregate type in Axon, the event type is payload_type.
    QTest::newRow("Axon")
        << R"({"global_index":1,"event_identifier":"e-1","aggregate_identifier":"cart-9","sequence_number":0,"type":"Cart","payload_type":"com.shop.CartCreated","payload_revision":null,"time_stamp":"2026-01-05T10:00:00.123456789Z","payload":")"_ba +
               byteaInJson(R"({"cartId":"9"})") + R"(","meta_data":")"_ba +
               byteaInJson(R"({"traceId":"t"})") + R"("}
{"global_index":2,"event_identifier":"e-2","aggregate_identifier":"cart-9","sequence_number":1,"type":"Cart","payload_type":"com.shop.ItemAdded","time_stamp":"2026-01-05T10:00:01Z","payload":{"sku":"A"}}
)"_ba << u"Axon"_s
        << QStringList{
               uR"(1|cart-9|0|com.shop.CartCreated|2026-01-05T10:00:00.123Z|{"cartId":"9"}|{"traceId":"t"})"_s,
               uR"(2|cart-9|1|com.shop.ItemAdded|2026-01-05T10:00:01.000Z|{"sku":"A"}|)"_s};
    // The messages table's stream_id is a number; a dump joined with streams names it.
    QTest::newRow("Eventuous")
        << R"({"global_position":3,"stream_id":7,"stream_name":"Booking-1","stream_position":0,"message_id":"m1","message_type":"V1.RoomBooked","json_data":{"room":"2"},"json_metadata":{"by":"x"},"created":"2026-01-05T10:00:00Z"}
{"global_position":4,"stream_id":7,"stream_name":"Booking-1","stream_position":1,"message_id":"m2","message_type":"V1.Paid","json_data":"{\"amount\":3}","json_metadata":null,"created":"2026-01-05T11:00:00Z"}
)"_ba << u"Eventuous"_s
        << QStringList{
               uR"(3|Booking-1|0|V1.RoomBooked|2026-01-05T10:00:00.000Z|{"room":"2"}|{"by":"x"})"_s,
               uR"(4|Booking-1|1|V1.Paid|2026-01-05T11:00:00.000Z|{"amount":3}|)"_s};
    QTest::newRow("SQLStreamStore")
        << R"({"position":7,"stream_id":"order-1","stream_version":0,"message_id":"m1","type":"Created","created_utc":"2026-01-05T10:00:00.000","json_data":"{\"x\":1}","json_metadata":"{\"y\":2}"}
{"position":9,"stream_id":"order-1","stream_version":1,"message_id":"m2","type":"Closed","created_utc":"2026-01-05T10:00:00.001","json_data":"{}"}
)"_ba << u"SQLStreamStore"_s
        << QStringList{uR"(7|order-1|0|Created|2026-01-05T10:00:00.000Z|{"x":1}|{"y":2})"_s,
                       uR"(9|order-1|1|Closed|2026-01-05T10:00:00.001Z|{}|)"_s};
    // Events linked into no stream position have a NULL position: the next version.
    QTest::newRow("Rails Event Store")
        << R"({"stream":"Order$1","position":0,"event_id":"r1","event_type":"OrderPlaced","data":{"total":12},"metadata":"{\"remote_ip\":\"127.0.0.1\"}","created_at":"2026-01-05 10:00:00.000000"}
{"stream":"Order$1","position":null,"event_id":"r2","event_type":"OrderPaid","data":{},"metadata":{},"created_at":"2026-01-05 10:05:00.000000"}
)"_ba << u"Rails Event Store"_s
        << QStringList{
               uR"(1|Order$1|0|OrderPlaced|2026-01-05T10:00:00.000Z|{"total":12}|{"remote_ip":"127.0.0.1"})"_s,
               uR"(2|Order$1|1|OrderPaid|2026-01-05T10:05:00.000Z|{}|{})"_s};
    QTest::newRow("Commanded")
        << R"({"stream_uuid":"account-42","stream_version":1,"event_id":"c1","event_type":"Elixir.Bank.Deposited","data":")"_ba +
               byteaInJson(R"({"amount":10})") + R"(","metadata":")"_ba + byteaInJson("{}") +
               R"(","created_at":"2026-01-05T10:00:00.000000Z"}
{"stream_uuid":"account-42","stream_version":2,"event_id":"c2","event_type":"Elixir.Bank.Withdrawn","data":{"amount":4},"metadata":{},"created_at":"2026-01-05T10:00:02.000000Z"}
)"_ba << u"Commanded"_s
        << QStringList{
               uR"(1|account-42|1|Elixir.Bank.Deposited|2026-01-05T10:00:00.000Z|{"amount":10}|{})"_s,
               uR"(2|account-42|2|Elixir.Bank.Withdrawn|2026-01-05T10:00:02.000Z|{"amount":4}|{})"_s};
    // write_timestamp is epoch milliseconds; serializer 31 is Jackson JSON.
    QTest::newRow("Akka")
        << R"({"ordering":1,"persistence_id":"counter|1","sequence_number":1,"deleted":false,"writer":"w","write_timestamp":1767607200000,"adapter_manifest":"","event_ser_id":31,"event_ser_manifest":"Incremented","event_payload":")"_ba +
               byteaInJson(R"({"by":2})") + R"("}
{"ordering":2,"persistence_id":"counter|1","sequence_number":2,"deleted":false,"writer":"w","write_timestamp":1767607201500,"event_ser_id":31,"event_ser_manifest":"Reset","event_payload":{}}
)"_ba << u"Akka Persistence"_s
        << QStringList{uR"(1|counter|1|1|Incremented|2026-01-05T10:00:00.000Z|{"by":2}|)"_s,
                       uR"(2|counter|1|2|Reset|2026-01-05T10:00:01.500Z|{}|)"_s};
    // Type and time are in Metadata, which EventFlow writes as JSON text.
    QTest::newRow("EventFlow")
        << R"({"GlobalSequenceNumber":1,"BatchId":"b1","AggregateId":"thingy-1","AggregateName":"Thingy","Data":"{\"PingId\":\"p1\"}","Metadata":"{\"timestamp\":\"2026-01-05T11:00:00.1234567+01:00\",\"event_name\":\"ThingyPinged\",\"event_id\":\"event-1\"}","AggregateSequenceNumber":1}
)"_ba << u"EventFlow"_s
        << QStringList{
               uR"(1|thingy-1|1|ThingyPinged|2026-01-05T10:00:00.123Z|{"PingId":"p1"}|{"timestamp":"2026-01-05T11:00:00.1234567+01:00","event_name":"ThingyPinged","event_id":"event-1"})"_s};
    // PostgreSQL folds unquoted names to lower case.
    QTest::newRow("EventFlow, lower case")
        << R"({"globalsequencenumber":4,"aggregateid":"thingy-2","data":"{}","metadata":{"timestamp":"2026-01-05T10:00:00Z","event_name":"ThingyDone"},"aggregatesequencenumber":3}
)"_ba << u"EventFlow"_s
        << QStringList{
               uR"(4|thingy-2|3|ThingyDone|2026-01-05T10:00:00.000Z|{}|{"event_name":"ThingyDone","timestamp":"2026-01-05T10:00:00Z"})"_s};
    QTest::newRow("Prooph")
        << R"({"no":1,"event_id":"p1","event_name":"UserRegistered","payload":{"name":"Ada"},"metadata":{"_aggregate_id":"user-7","_aggregate_type":"User","_aggregate_version":1},"created_at":"2026-01-05 10:00:00.000000"}
)"_ba << u"Prooph"_s
        << QStringList{
               uR"(1|user-7|1|UserRegistered|2026-01-05T10:00:00.000Z|{"name":"Ada"}|{"_aggregate_id":"user-7","_aggregate_type":"User","_aggregate_version":1})"_s};
    // Emmett's SQLite times are CURRENT_TIMESTAMP text; its dumps name every column.
    QTest::newRow("Emmett")
        << R"({"stream_id":"user-1","stream_position":1,"partition":"emt:default","message_kind":"E","message_data":{"name":"Ada"},"message_metadata":{"streamName":"user-1"},"message_schema_version":"1","message_type":"UserRegistered","message_id":"e1","is_archived":0,"global_position":3,"created":"2026-01-05 10:00:00"}
)"_ba << u"Emmett"_s
        << QStringList{
               uR"(3|user-1|1|UserRegistered|2026-01-05T10:00:00.000Z|{"name":"Ada"}|{"streamName":"user-1"})"_s};
    // A stream is two columns, named as the store shows it: USERS/<aggregate id>.
    QTest::newRow("Castore")
        << R"({"id":8,"aggregate_name":"USERS","aggregate_id":"da6f75d0-1c2b-4c3d-8e9f-001122334455","version":1,"type":"USER_CREATED","timestamp":"2026-01-05T10:00:00.123Z","data":{"name":"Ada"},"metadata":null}
)"_ba << u"Castore"_s
        << QStringList{
               uR"(8|USERS/da6f75d0-1c2b-4c3d-8e9f-001122334455|1|USER_CREATED|2026-01-05T10:00:00.123Z|{"name":"Ada"}|)"_s};
    QTest::newRow("Acuris")
        << R"({"position":"5","stream_category":"user","stream_id":"42","event_number":0,"event_type":"Registered","timestamp":"2026-01-05T10:00:00.5","data":{"name":"Ada"},"metadata":{}}
)"_ba << u"Acuris"_s
        << QStringList{uR"(5|user/42|0|Registered|2026-01-05T10:00:00.500Z|{"name":"Ada"}|{})"_s};
    QTest::newRow("KurrentDB")
        << R"({"streamId":"user-1","eventNumber":0,"eventType":"Registered","data":"{\"name\":\"Ada\"}","metaData":"{\"$correlationId\":\"c\"}","updated":"2026-01-05T10:00:00.1234567Z","eventId":"k1"}
{"streamId":"user-1","eventNumber":1,"eventType":"Renamed","data":{"name":"Ada L"},"updated":"2026-01-05T10:00:01Z","eventId":"k2"}
)"_ba << u"KurrentDB"_s
        << QStringList{
               uR"(1|user-1|0|Registered|2026-01-05T10:00:00.123Z|{"name":"Ada"}|{"$correlationId":"c"})"_s,
               uR"(2|user-1|1|Renamed|2026-01-05T10:00:01.000Z|{"name":"Ada L"}|)"_s};
}

void TestImport::libraryFieldNames()
{
    QFETCH(QByteArray, lines);
    QFETCH(QString, fields);
    QFETCH(QStringList, expected);
    const QString out = output();
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(lines), out, &report, &error), qPrintable(error));
    QCOMPARE(rejections(report), Rejections());
    QCOMPARE(report.format, ImportFormat::Jsonl);
    QCOMPARE(report.fields, fields);
    QCOMPARE(report.imported, expected.size());
    QCOMPARE(readBack(out), expected);
}

// A mapping replaces the roles it names and keeps the recognised names of the others.
void TestImport::mappingOverridesRecognisedNames()
{
    const QByteArray lines =
        R"({"global_position":1,"stream_name":"a-1","position":0,"type":"T","kind":"Real","time":1000,"data":{}}
)"_ba;
    ImportOptions options;
    QString error;
    options.fields = *ColumnMapping().withSpec(u"type=kind,time_format=s"_s, &error);
    const QString out = output();
    EventImporter::Report report;
    QVERIFY2(EventImporter::import(input(lines), out, &report, &error, {}, options),
             qPrintable(error));
    QCOMPARE(report.fields, u"Message DB + mapping"_s);
    QCOMPARE(readBack(out), QStringList{u"1|a-1|0|Real|1970-01-01T00:16:40.000Z|{}|"_s});
}

void TestImport::timeForms_data()
{
    QTest::addColumn<QByteArray>("time");
    QTest::addColumn<QString>("expected"); // empty: rejected as a bad time

    QTest::newRow("Z") << R"("2026-01-05T10:00:00Z")"_ba << u"2026-01-05T10:00:00.000Z"_s;
    QTest::newRow("1 fraction digit")
        << R"("2026-01-05T10:00:00.1Z")"_ba << u"2026-01-05T10:00:00.100Z"_s;
    QTest::newRow("9 fraction digits")
        << R"("2026-01-05T10:00:00.123456789Z")"_ba << u"2026-01-05T10:00:00.123Z"_s;
    QTest::newRow("space and offset")
        << R"("2026-01-05 10:00:00.5+02:00")"_ba << u"2026-01-05T08:00:00.500Z"_s;
    QTest::newRow("negative offset without colon")
        << R"("2026-01-05T10:00:00-0530")"_ba << u"2026-01-05T15:30:00.000Z"_s;
    QTest::newRow("PostgreSQL +00")
        << R"("2026-01-05 10:00:00.123456+00")"_ba << u"2026-01-05T10:00:00.123Z"_s;
    QTest::newRow("no zone is UTC")
        << R"("2026-01-05T10:00:00")"_ba << u"2026-01-05T10:00:00.000Z"_s;
    QTest::newRow("epoch seconds") << "1767607200"_ba << u"2026-01-05T10:00:00.000Z"_s;
    QTest::newRow("epoch seconds, fraction") << "1767607200.25"_ba << u"2026-01-05T10:00:00.250Z"_s;
    QTest::newRow("epoch ms") << "1767607200000"_ba << u"2026-01-05T10:00:00.000Z"_s;
    QTest::newRow("epoch ms as text") << R"("1767607200000")"_ba << u"2026-01-05T10:00:00.000Z"_s;
    QTest::newRow("small ms") << "1000"_ba << u"1970-01-01T00:00:01.000Z"_s;
    QTest::newRow("words") << R"("yesterday")"_ba << QString();
    QTest::newRow("boolean") << "true"_ba << QString();
    QTest::newRow("no such day") << R"("2026-02-30T00:00:00Z")"_ba << QString();
    QTest::newRow("past year 9999") << R"("1e300")"_ba << QString();
}

void TestImport::timeForms()
{
    QFETCH(QByteArray, time);
    QFETCH(QString, expected);
    const QString out = output();
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(
                 input(R"({"stream_id":"s","type":"T","recorded_at":)"_ba + time + "}\n"), out,
                 &report, &error),
             qPrintable(error));
    if (expected.isEmpty()) {
        QCOMPARE(report.imported, 0);
        QCOMPARE(rejections(report),
                 (Rejections{{1, u"bad time in recorded_at: "_s + QString::fromUtf8(time)}}));
        return;
    }
    QCOMPARE(report.imported, 1);
    QCOMPARE(readBack(out), QStringList{u"1|s|1|T|"_s + expected + u"||"_s});
}

void TestImport::detectsFormat_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<ImportFormat>("format");
    QTest::addColumn<QString>("fields");
    QTest::addColumn<qint64>("imported");

    const QByteArray entry =
        R"({"eventId":"k1","eventType":"T","eventNumber":0,"streamId":"s","data":"{}","updated":"2026-01-05T10:00:00Z"})"_ba;
    QTest::newRow("JSON Lines") << R"({"stream_id":"s","type":"T","recorded_at":1})"_ba
                                << ImportFormat::Jsonl << u"Eventscope"_s << qint64(1);
    QTest::newRow("JSON Lines, byte order mark")
        << "\xEF\xBB\xBF{\"stream_name\":\"s\",\"type\":\"T\",\"time\":1}\n"_ba
        << ImportFormat::Jsonl << u"Message DB"_s << qint64(1);
    QTest::newRow("Atom page") << "{\n  \"entries\": [\n    "_ba + entry + "\n  ]\n}\n"_ba
                               << ImportFormat::Atom << u"KurrentDB"_s << qint64(1);
    QTest::newRow("Atom page on one line")
        << R"({"streamId":"s","entries":[)"_ba + entry + "]}\n"_ba << ImportFormat::Atom
        << u"KurrentDB"_s << qint64(1);
    QTest::newRow("Atom pages in an array") << R"([{"entries":[)"_ba + entry + "]}]"_ba
                                            << ImportFormat::Atom << u"KurrentDB"_s << qint64(1);
    QTest::newRow("CSV") << "stream_id,type,recorded_at\ns,T,1\n"_ba << ImportFormat::Csv
                         << u"Eventscope"_s << qint64(1);
    QTest::newRow("CSV, Akka columns")
        << "ordering,persistence_id,sequence_number,write_timestamp,event_ser_manifest\n"
           "1,p,1,1767607200000,T\n"_ba
        << ImportFormat::Csv << u"Akka Persistence"_s << qint64(1);
    QTest::newRow("empty") << QByteArray() << ImportFormat::Jsonl << QString() << qint64(0);
    // A file converted twice starts with two byte order marks; both are skipped.
    const QByteArray bom = "\xEF\xBB\xBF"_ba;
    QByteArray lines;
    for (int i = 1; i <= 5; ++i)
        lines +=
            R"({"stream_id":"s","type":"T","recorded_at":)"_ba + QByteArray::number(i) + "}\n"_ba;
    QTest::newRow("JSON Lines, two byte order marks")
        << bom + bom + lines << ImportFormat::Jsonl << u"Eventscope"_s << qint64(5);
    QTest::newRow("Atom page, two byte order marks")
        << bom + bom + R"({"entries":[)"_ba + entry + "]}\n"_ba << ImportFormat::Atom
        << u"KurrentDB"_s << qint64(1);
    QTest::newRow("CSV, two byte order marks")
        << bom + bom + "stream_id,type,recorded_at\ns,T,1\n"_ba << ImportFormat::Csv
        << u"Eventscope"_s << qint64(1);
}

// Each format reads LF, CRLF and lone-CR line ends alike: the same events, the same lines in
// the rejections. The files are written with LF and converted.
void TestImport::lineEnds_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<qint64>("imported");
    QTest::addColumn<qint64>("rejectedLine");

    const QByteArray jsonl = R"({"stream_id":"s","type":"T","recorded_at":1})"
                             "\n\n"
                             R"({"stream_id":"s","type":"T","recorded_at":"never"})"
                             "\n"
                             R"({"stream_id":"s","type":"T","recorded_at":2})"_ba;
    const QByteArray csv = "stream_id,type,recorded_at,data\n"
                           "s,T,1,\"quoted\"\n"
                           "s,T,never,\n"
                           "s,T,2,\n"_ba;
    const QByteArray atomLines =
        R"({"entries":[{"eventType":"T","eventNumber":0,"streamId":"s","updated":1}]})"
        "\n"
        R"({"entries":[{"eventType":"T","eventNumber":1,"streamId":"s","updated":"never"}]})"
        "\n"
        R"({"entries":[{"eventType":"T","eventNumber":2,"streamId":"s","updated":2}]})"
        "\n"_ba;
    const QByteArray atomPage =
        "{\n"
        "  \"entries\": [\n"
        R"(    {"eventType":"T","eventNumber":1,"streamId":"s","updated":"never"},)"
        "\n"
        R"(    {"eventType":"T","eventNumber":0,"streamId":"s","updated":1})"
        "\n"
        "  ]\n"
        "}\n"_ba;
    const struct
    {
        const char *name;
        QByteArray content;
        QString suffix;
        qint64 imported;
        qint64 rejectedLine;
    } files[] = {{"JSON Lines", jsonl, u".jsonl"_s, 2, 3},
                 {"CSV", csv, u".csv"_s, 2, 3},
                 {"Atom, a page per line", atomLines, u".json"_s, 2, 2},
                 {"Atom, one page", atomPage, u".json"_s, 1, 3}};
    const struct
    {
        const char *name;
        QByteArray bytes;
    } lineEnds[] = {{"LF", "\n"_ba}, {"CRLF", "\r\n"_ba}, {"CR", "\r"_ba}};
    for (const auto &file : files) {
        for (const auto &lineEnd : lineEnds) {
            QByteArray content = file.content;
            content.replace("\n"_ba, lineEnd.bytes);
            QTest::addRow("%s, %s", file.name, lineEnd.name)
                << content << file.suffix << file.imported << file.rejectedLine;
        }
    }
}

void TestImport::lineEnds()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, suffix);
    QFETCH(qint64, imported);
    QFETCH(qint64, rejectedLine);
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(content, suffix), output(), &report, &error),
             qPrintable(error));
    QCOMPARE(report.imported, imported);
    QCOMPARE(report.rejected.size(), 1);
    QCOMPARE(report.rejected.at(0).line, rejectedLine);
    QVERIFY2(report.rejected.at(0).reason.startsWith(u"bad time in "_s),
             qPrintable(report.rejected.at(0).reason));
}

// Text is stored exactly as the file has it, or the record is rejected saying why: a lone
// UTF-16 surrogate (which JSON's \u escapes can express and UTF-8 cannot) in a name or in text
// data, or bytes that are not UTF-8 in a CSV cell, never become '?' or U+FFFD. A surrogate
// pair is a character like any other, and JSON data keeps a lone surrogate as its escape.
void TestImport::keepsTextOrRejectsIt()
{
    const QByteArray jsonl =
        R"({"stream_id":"s\ud800","type":"T","recorded_at":1})"
        "\n"
        R"({"stream_id":"s","type":"T\udc00x","recorded_at":2})"
        "\n"
        R"({"stream_id":"s","type":"T","recorded_at":3,"event_id":"\udbff"})"
        "\n"
        R"({"stream_id":"s","type":"T","recorded_at":4,"data":"text \ud83d"})"
        "\n"
        R"({"stream_id":"s","type":"T","recorded_at":5,"metadata":"\ude00 text"})"
        "\n"
        R"({"stream_id":"s\ud83d\ude00","type":"T","recorded_at":6,"data":{"k":"\ud800"}})"
        "\n"_ba;
    const QString out = output();
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(jsonl), out, &report, &error), qPrintable(error));
    QCOMPARE(report.imported, 1);
    const auto lone = [](const char *field, const char *escape, int at) {
        return u"field %1 holds a lone UTF-16 surrogate (\\%2 at character %3), which UTF-8 "
               "text cannot store"_s.arg(QLatin1String(field), QLatin1String(escape))
                   .arg(at);
    };
    QCOMPARE(rejections(report), (Rejections{{1, lone("stream_id", "ud800", 2)},
                                             {2, lone("type", "udc00", 2)},
                                             {3, lone("event_id", "udbff", 1)},
                                             {4, lone("data", "ud83d", 6)},
                                             {5, lone("metadata", "ude00", 1)}}));
    const auto rows = TestSupport::queryRows(out, u"SELECT stream_id, data FROM events"_s);
    QCOMPARE(rows, (QVector<QVariantList>{{u"s\U0001F600"_s, uR"({"k":"\ud800"})"_s}}));

    const QByteArray csv = "stream_id,type,recorded_at\n"
                           "s\xFF,T,1\n"
                           "s,T\xC3,2\n"
                           "s\xC3\xA9,T,3\n"_ba;
    const QString csvOut = output();
    QVERIFY2(EventImporter::import(input(csv, u".csv"_s), csvOut, &report, &error),
             qPrintable(error));
    QCOMPARE(report.imported, 1);
    QCOMPARE(rejections(report), (Rejections{{2, u"field stream_id is not UTF-8 text"_s},
                                             {3, u"field type is not UTF-8 text"_s}}));
    QCOMPARE(TestSupport::queryRows(csvOut, u"SELECT stream_id FROM events"_s),
             (QVector<QVariantList>{{u"s\u00E9"_s}}));
}

void TestImport::detectsFormat()
{
    QFETCH(QByteArray, content);
    QFETCH(ImportFormat, format);
    QFETCH(QString, fields);
    QFETCH(qint64, imported);
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(content, u".dump"_s), output(), &report, &error),
             qPrintable(error));
    QCOMPARE(rejections(report), Rejections());
    QCOMPARE(report.format, format);
    QCOMPARE(report.fields, fields);
    QCOMPARE(report.imported, imported);
}

// Told the format, the importer reads the file that way: Atom pages read as JSON Lines are
// objects that name no stream.
void TestImport::formatOption()
{
    const QByteArray page =
        R"({"entries":[{"eventType":"T","eventNumber":0,"streamId":"s","updated":"2026-01-05T10:00:00Z"}]})"_ba;
    ImportOptions options;
    options.format = ImportFormat::Jsonl;
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(page + '\n'), output(), &report, &error, {}, options),
             qPrintable(error));
    QCOMPARE(report.format, ImportFormat::Jsonl);
    QCOMPARE(report.imported, 0);
    QCOMPARE(report.rejected.size(), 1);
    QVERIFY2(report.rejected.at(0).reason.startsWith(u"no stream field (one of stream_id, "_s),
             qPrintable(report.rejected.at(0).reason));

    options.format = ImportFormat::Atom;
    QVERIFY2(EventImporter::import(input(page + '\n'), output(), &report, &error, {}, options),
             qPrintable(error));
    QCOMPARE(report.imported, 1);
}

// A page as KurrentDB serves it (GET /streams/user-1?embed=body): newest first, data and
// metaData as JSON text.
void TestImport::atomPageNewestFirst()
{
    const QByteArray page = R"({
  "title": "Event stream 'user-1'",
  "id": "http://127.0.0.1:2113/streams/user-1",
  "updated": "2026-01-05T10:00:02.000000Z",
  "streamId": "user-1",
  "author": { "name": "EventStore" },
  "headOfStream": true,
  "selfUrl": "http://127.0.0.1:2113/streams/user-1",
  "eTag": "2;-1296467268",
  "links": [
    { "uri": "http://127.0.0.1:2113/streams/user-1", "relation": "self" },
    { "uri": "http://127.0.0.1:2113/streams/user-1/head/backward/20", "relation": "first" }
  ],
  "entries": [
    {
      "eventId": "9d3bd9b2-1ac7-4b1c-9b50-0f0a5e2c0003",
      "eventType": "Renamed",
      "eventNumber": 2,
      "data": "{\n  \"name\": \"Ada L\"\n}",
      "metaData": "{\"by\":\"admin\"}",
      "streamId": "user-1",
      "isJson": true,
      "isMetaData": true,
      "isLinkMetaData": false,
      "positionEventNumber": 2,
      "positionStreamId": "user-1",
      "title": "2@user-1",
      "id": "http://127.0.0.1:2113/streams/user-1/2",
      "updated": "2026-01-05T10:00:02.000000Z",
      "author": { "name": "EventStore" },
      "summary": "Renamed",
      "links": [ { "uri": "http://127.0.0.1:2113/streams/user-1/2", "relation": "edit" } ]
    },
    {
      "eventId": "9d3bd9b2-1ac7-4b1c-9b50-0f0a5e2c0002",
      "eventType": "EmailSet",
      "eventNumber": 1,
      "data": { "email": "ada@example.com" },
      "streamId": "user-1",
      "positionEventNumber": 1,
      "positionStreamId": "user-1",
      "updated": "2026-01-05T10:00:01.500000Z"
    },
    {
      "eventId": "9d3bd9b2-1ac7-4b1c-9b50-0f0a5e2c0001",
      "eventType": "Registered",
      "eventNumber": 0,
      "data": "{\"name\":\"Ada\"}",
      "streamId": "user-1",
      "positionEventNumber": 0,
      "positionStreamId": "user-1",
      "updated": "2026-01-05T10:00:00.000000Z"
    }
  ]
}
)"_ba;
    const QString out = output();
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(page, u".json"_s), out, &report, &error),
             qPrintable(error));
    QCOMPARE(rejections(report), Rejections());
    QCOMPARE(report.format, ImportFormat::Atom);
    QCOMPARE(report.fields, u"KurrentDB"_s);
    QCOMPARE(readBack(out),
             (QStringList{
                 uR"(1|user-1|0|Registered|2026-01-05T10:00:00.000Z|{"name":"Ada"}|)"_s,
                 uR"(2|user-1|1|EmailSet|2026-01-05T10:00:01.500Z|{"email":"ada@example.com"}|)"_s,
                 u"3|user-1|2|Renamed|2026-01-05T10:00:02.000Z|{\n  \"name\": \"Ada L\"\n}|"
                 "{\"by\":\"admin\"}"_s}));
    const auto ids =
        TestSupport::queryRows(out, u"SELECT event_id FROM events ORDER BY global_position"_s);
    QCOMPARE(ids.constLast().constFirst().toString(), u"9d3bd9b2-1ac7-4b1c-9b50-0f0a5e2c0003"_s);
}

namespace {

QByteArray atomEntry(const QString &stream, qint64 number, const QString &readStream = {},
                     qint64 readNumber = -1)
{
    QJsonObject entry{{u"eventId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                      {u"eventType"_s, u"E%1"_s.arg(number)},
                      {u"eventNumber"_s, number},
                      {u"streamId"_s, stream},
                      {u"data"_s, u"{\"n\":%1}"_s.arg(number)},
                      {u"updated"_s, TimeCodec::format(1767607200000 + number * 1000)}};
    if (readNumber >= 0) {
        entry.insert(u"positionStreamId"_s, readStream);
        entry.insert(u"positionEventNumber"_s, readNumber);
    }
    return QJsonDocument(entry).toJson(QJsonDocument::Compact);
}

QByteArray atomPage(const QList<QByteArray> &entries)
{
    return R"({"streamId":"x","entries":[)"_ba + entries.join(',') + "]}"_ba;
}

} // namespace

void TestImport::atomSeveralPages_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("expected"); // stream/version in import order

    // Two pages of user-1, the newer page first, as one walks them from the head.
    const QByteArray newer =
        atomPage({atomEntry(u"user-1"_s, 4), atomEntry(u"user-1"_s, 3), atomEntry(u"user-1"_s, 2)});
    const QByteArray older = atomPage({atomEntry(u"user-1"_s, 1), atomEntry(u"user-1"_s, 0)});
    const QStringList userOne = {u"user-1/0"_s, u"user-1/1"_s, u"user-1/2"_s, u"user-1/3"_s,
                                 u"user-1/4"_s};
    QTest::newRow("one page per line") << newer + '\n' + older + '\n' << userOne;
    QTest::newRow("array of pages") << "[\n"_ba + newer + ",\n"_ba + older + "\n]\n"_ba << userOne;
    const auto indented = [](const QByteArray &page) {
        return QJsonDocument::fromJson(page).toJson(QJsonDocument::Indented);
    };
    QTest::newRow("pages one after the other") << indented(newer) + indented(older) << userOne;
    QTest::newRow("pages back to back on one line") << newer + older << userOne;
    // A category stream interleaves the users' streams; its own numbers give the order.
    QTest::newRow("category stream")
        << atomPage({atomEntry(u"user-2"_s, 1, u"$ce-user"_s, 3),
                     atomEntry(u"user-1"_s, 1, u"$ce-user"_s, 2),
                     atomEntry(u"user-2"_s, 0, u"$ce-user"_s, 1),
                     atomEntry(u"user-1"_s, 0, u"$ce-user"_s, 0)}) +
               '\n'
        << QStringList{u"user-1/0"_s, u"user-2/0"_s, u"user-1/1"_s, u"user-2/1"_s};
    QTest::newRow("two streams without read positions")
        << atomPage({atomEntry(u"b"_s, 1), atomEntry(u"a"_s, 1), atomEntry(u"b"_s, 0),
                     atomEntry(u"a"_s, 0)})
        << QStringList{u"b/0"_s, u"b/1"_s, u"a/0"_s, u"a/1"_s};
}

void TestImport::atomSeveralPages()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, expected);
    const QString out = output();
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(content, u".json"_s), out, &report, &error),
             qPrintable(error));
    QCOMPARE(rejections(report), Rejections());
    QCOMPARE(report.format, ImportFormat::Atom);
    QStringList order;
    const auto rows = TestSupport::queryRows(
        out, u"SELECT stream_id, stream_version FROM events ORDER BY global_position"_s);
    for (const QVariantList &row : rows)
        order << row.at(0).toString() + u'/' + row.at(1).toString();
    QCOMPARE(order, expected);
}

// Each rejected entry is reported on the line its object starts on.
void TestImport::atomRejectsWithLines()
{
    const QByteArray page = R"({
  "streamId": "user-1",
  "entries": [
    {"eventId": "e4", "eventType": "D", "eventNumber": 3, "streamId": "user-1", "updated": "2026-01-05T10:00:03Z", "data": "{\"entries\": [1, 2]}"},
    {"eventId": "e3", "eventNumber": 2, "streamId": "user-1", "updated": "2026-01-05T10:00:02Z"},
    {
      "eventId": "e2", "eventType": "B", "eventNumber": 1, "streamId": "user-1",
      "updated": "soon"
    },
    7,
    {"eventId": "e1", "eventType": "A", "eventNumber": 3, "streamId": "user-1", "updated": "2026-01-05T10:00:00Z"}
  ]
}
)"_ba;
    const QString out = output();
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(page, u".json"_s), out, &report, &error),
             qPrintable(error));
    QCOMPARE(report.imported, 1);
    QCOMPARE(rejections(report), (Rejections{{5, u"missing field eventType"_s},
                                             {6, u"bad time in updated: \"soon\""_s},
                                             {10, u"entry is not a JSON object"_s},
                                             {11, u"duplicate stream version (user-1, 3)"_s}}));

    // Pages one after the other count their lines on.
    const QByteArray pages = R"({"entries": [
  {"eventType": "A", "eventNumber": 0, "streamId": "s", "updated": "2026-01-05T10:00:00Z"}
]}
{"entries": [
  {"eventType": "B", "eventNumber": 1, "streamId": "s", "updated": "2026-01-05T10:00:01Z"},
  {"eventNumber": 2, "streamId": "s", "updated": "2026-01-05T10:00:02Z"}
]}
)"_ba;
    QVERIFY2(EventImporter::import(input(pages), output(), &report, &error), qPrintable(error));
    QCOMPARE(report.format, ImportFormat::Atom);
    QCOMPARE(report.imported, 2);
    QCOMPARE(rejections(report), (Rejections{{6, u"missing field eventType"_s}}));

    // A page that is not JSON is one rejection, on the line where parsing failed.
    QVERIFY2(EventImporter::import(input("{\n  \"entries\": [\n    {,}\n  ]\n}\n"_ba), output(),
                                   &report, &error),
             qPrintable(error));
    QCOMPARE(report.format, ImportFormat::Atom);
    QCOMPARE(report.rejected.size(), 1);
    QCOMPARE(report.rejected.at(0).line, 3);
    QVERIFY2(report.rejected.at(0).reason.startsWith(u"not JSON: "_s),
             qPrintable(report.rejected.at(0).reason));
}

void TestImport::csvQuoting_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QVector<QVariantList>>("expected"); // stream, data, metadata

    const QByteArray header = "stream_id,type,recorded_at,data,metadata\n"_ba;
    QTest::newRow("comma and doubled quotes")
        << header + R"(s,T,2026-01-05T10:00:00Z,"{""a"":""x,y""}",{"b":1})"
                    "\n"_ba
        << QVector<QVariantList>{{u"s"_s, uR"({"a":"x,y"})"_s, uR"({"b":1})"_s}};
    QTest::newRow("line breaks inside quotes")
        << header + "s,T,2026-01-05T10:00:00Z,\"{\n\"\"a\"\": 1\n}\",\n"_ba
        << QVector<QVariantList>{{u"s"_s, u"{\n\"a\": 1\n}"_s, QVariant()}};
    QTest::newRow("CRLF, CR inside quotes kept")
        << "stream_id,type,recorded_at,data,metadata\r\n"
           "s,T,2026-01-05T10:00:00Z,\"a\r\nb\",\r\n"
           "t,T,2026-01-05T10:00:01Z,x,y\r\n"_ba
        << QVector<QVariantList>{{u"s"_s, u"a\r\nb"_s, QVariant()}, {u"t"_s, u"x"_s, u"y"_s}};
    QTest::newRow("quoted empty is empty, unquoted empty is NULL")
        << header + "s,T,2026-01-05T10:00:00Z,\"\",\n"_ba
        << QVector<QVariantList>{{u"s"_s, u""_s, QVariant()}};
    QTest::newRow("quoted stream with a comma")
        << header + "\"order,1\",T,2026-01-05T10:00:00Z,1,2\n"_ba
        << QVector<QVariantList>{{u"order,1"_s, u"1"_s, u"2"_s}};
    QTest::newRow("no line break at the end") << header + "s,T,2026-01-05T10:00:00Z,\"x\"\"\",z"_ba
                                              << QVector<QVariantList>{{u"s"_s, u"x\""_s, u"z"_s}};
    QTest::newRow("semicolons, byte order mark, blank lines")
        << "\xEF\xBB\xBFstream_id;type;recorded_at;data;metadata\n\n"
           "s;T;2026-01-05T10:00:00Z;\"a;b\";c,d\n\n"_ba
        << QVector<QVariantList>{{u"s"_s, u"a;b"_s, u"c,d"_s}};
    QTest::newRow("tabs") << "stream_id\ttype\trecorded_at\tdata\tmetadata\n"
                             "s\tT\t2026-01-05T10:00:00Z\t{\"a\":1}\t\n"_ba
                          << QVector<QVariantList>{{u"s"_s, uR"({"a":1})"_s, QVariant()}};
    QTest::newRow("header in other case, Message DB names")
        << "Stream_Name,Position,Type,Time,Data\n"
           "s,0,T,2026-01-05 10:00:00,\"{\"\"a\"\":1}\"\n"_ba
        << QVector<QVariantList>{{u"s"_s, uR"({"a":1})"_s, QVariant()}};
    QTest::newRow("bytea hex payload") << header + "s,T,2026-01-05T10:00:00Z,\\x"_ba +
                                              QByteArray(R"({"a":1})").toHex() + ",\\x\n"_ba
                                       << QVector<QVariantList>{{u"s"_s, uR"({"a":1})"_s, u""_s}};
}

void TestImport::csvQuoting()
{
    QFETCH(QByteArray, csv);
    QFETCH(QVector<QVariantList>, expected);
    const QString out = output();
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(csv, u".csv"_s), out, &report, &error), qPrintable(error));
    QCOMPARE(rejections(report), Rejections());
    QCOMPARE(report.format, ImportFormat::Csv);
    const auto rows = TestSupport::queryRows(
        out, u"SELECT stream_id, data, metadata FROM events ORDER BY global_position"_s);
    QCOMPARE(rows.size(), expected.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        for (qsizetype c = 0; c < 3; ++c) {
            QCOMPARE(rows[i][c].isNull(), expected[i][c].isNull());
            QCOMPARE(rows[i][c].toString(), expected[i][c].toString());
        }
    }
}

void TestImport::csvRejectsWithLines()
{
    const QByteArray csv = "stream_id,type,recorded_at,data\n"            // 1
                           "a,T,2026-01-05T10:00:00Z,\"{\n"               // 2
                           "\"\"x\"\": 1\n"                               // 3
                           "}\"\n"                                        // 4
                           "a,T,yesterday,\n"                             // 5
                           ",T,2026-01-05T10:00:01Z,\n"                   // 6
                           "a,T,2026-01-05T10:00:02Z\n"                   // 7
                           "a,T,2026-01-05T10:00:03Z,\"x\"y\n"            // 8
                           "a,T,2026-01-05T10:00:04Z,\"{\"\"multi\"\":\n" // 9
                           "\"\"line\"\"}\"\n"                            // 10
                           "a,T,2026-01-05T10:00:05Z,1,extra\n"           // 11
                           "a,T,2026-01-05T10:00:06Z,\"never closed\n"    // 12
                           "more\n"_ba;                                   // 13
    const QString out = output();
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(csv, u".csv"_s), out, &report, &error), qPrintable(error));
    QCOMPARE(report.imported, 2);
    QCOMPARE(rejections(report),
             (Rejections{{5, u"bad time in recorded_at: \"yesterday\""_s},
                         {6, u"field stream_id must be a non-empty string"_s},
                         {7, u"3 fields where the header has 4"_s},
                         {8, u"text after the closing quote of field 4"_s},
                         {11, u"5 fields where the header has 4"_s},
                         {12, u"a quoted field is not closed before the end of the file"_s}}));
    const auto rows = TestSupport::queryRows(
        out, u"SELECT stream_version, data FROM events ORDER BY global_position"_s);
    QCOMPARE(rows, (QVector<QVariantList>{{qint64(1), u"{\n\"x\": 1\n}"_s},
                                          {qint64(2), u"{\"multi\":\n\"line\"}"_s}}));
}

void TestImport::cancelMidway_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("suffix");

    QByteArray jsonl;
    QByteArray csv = "stream_id,type,recorded_at\n"_ba;
    QList<QByteArray> entries;
    for (int i = 0; i < 10000; ++i) {
        const QByteArray n = QByteArray::number(i);
        jsonl += R"({"stream_id":"a","type":"T","recorded_at":)"_ba + n + "}\n"_ba;
        csv += "a,T,"_ba + n + '\n';
        entries << atomEntry(u"a"_s, i);
    }
    QTest::newRow("jsonl") << jsonl << u".jsonl"_s;
    QTest::newRow("atom") << atomPage(entries) << u".json"_s;
    QTest::newRow("csv") << csv << u".csv"_s;
}

// The first progress report cancels: the import stops there and leaves no file behind.
void TestImport::cancelMidway()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, suffix);
    QTemporaryDir dir;
    const QString in = dir.filePath(u"in"_s + suffix);
    QVERIFY(writeFile(in, content));
    std::atomic_bool cancel(false);
    qint64 reported = -1;
    JobControl job;
    job.cancel = &cancel;
    job.progress = [&](qint64 done, qint64 total) {
        QCOMPARE(total, qint64(content.size()));
        reported = done;
        cancel = true;
    };
    QString error;
    QVERIFY(!EventImporter::import(in, dir.filePath(u"out.db"_s), nullptr, &error, job));
    QCOMPARE(error, u"cancelled"_s);
    QVERIFY(reported > 0 && reported < content.size());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"in"_s + suffix});
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
    QVERIFY2(EventImporter::import(input(lines), out, nullptr, &error), qPrintable(error));
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
    QVERIFY2(EventImporter::import(input(lines), out, nullptr, &error), qPrintable(error));
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
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(lines), out, &report, &error), qPrintable(error));
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
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(input(lines), out, &report, &error), qPrintable(error));
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
    QVERIFY(!EventImporter::import(missing, out, nullptr, &error));
    QVERIFY2(error.contains(missing), qPrintable(error));
    QVERIFY(!QFile::exists(out));
}

void TestImport::refusesExistingOutput()
{
    const QString out = output();
    QVERIFY(writeFile(out, QByteArrayLiteral("keep me")));
    QString error;
    QVERIFY(!EventImporter::import(input("{}\n"_ba), out, nullptr, &error));
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
    QVERIFY(!EventImporter::import(in, dir.filePath(u"out.sqlite"_s), nullptr, &error, job));
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
    EventImporter::Report report;
    QString error;
    QVERIFY2(EventImporter::import(in, output(), &report, &error, job), qPrintable(error));
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

// The byte-level append stores texts as TEXT, a null view as NULL and an empty one as an
// empty text, as the Event one does.
void TestImport::writerStoresEncodedEvents()
{
    const QString out = output();
    OwnStoreWriter writer(out);
    QVERIFY(writer.begin());
    const QByteArray data = QByteArrayLiteral("{\"n\":\"\u00e9\"}");
    OwnStoreWriter::EncodedEvent event;
    event.stream = "a";
    event.version = 1;
    event.eventId = "id-1";
    event.type = "Happened";
    event.timeMs = 1767571200000;
    event.data = data;
    QVERIFY2(writer.append(event), qPrintable(writer.errorString()));
    event.version = 2;
    event.eventId = QByteArrayView();
    event.data = "";
    event.metadata = "{}";
    QVERIFY2(writer.append(event), qPrintable(writer.errorString()));
    QVERIFY(!writer.append(event));
    QCOMPARE(writer.lastConflict(), OwnStoreWriter::Conflict::StreamVersion);
    QVERIFY2(writer.commit(), qPrintable(writer.errorString()));
    QCOMPARE(storedEvents(out),
             (QStringList{u"1|a|1|id-1|Happened|2026-01-05T00:00:00.000Z|{\"n\":\"\u00e9\"}|NULL"_s,
                          u"2|a|2|NULL|Happened|2026-01-05T00:00:00.000Z||{}"_s}));
    const auto types = TestSupport::queryRows(
        out, u"SELECT DISTINCT typeof(stream_id) || typeof(type) || typeof(recorded_at) || "
             "typeof(data) FROM events"_s);
    QCOMPARE(types, (QVector<QVariantList>{{u"texttexttexttext"_s}}));
}

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"

// PayloadDecoder: every encoding the known layouts write, the hex dump, the limits (zip bombs,
// nested compression, entity expansion), random and truncated input, and how a decoded payload
// reaches the JSON output and the inspector.

#include "decoding/payloaddecoder.h"
#include "eventinspector.h"
#include "replay/eventjson.h"
#include "testsupport.h"

#include <QLabel>
#include <QRandomGenerator>
#include <QtTest>
#include <QXmlStreamReader>

#include <zlib.h>

#include <iterator>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(DecodedPayload::Kind)

namespace {

using Kind = DecodedPayload::Kind;

// A bare zlib stream, as Python's zlib.compress writes it: qCompress's output without the
// 4-byte length qCompress puts in front.
QByteArray zlibStream(const QByteArray &data)
{
    return qCompress(data).mid(4);
}

// Streams `size` bytes of `fill` through deflate in 1 MiB pieces, so that a bomb's
// inflated size never has to exist in memory here.
QByteArray deflated(qint64 size, bool gzip, char fill = '\0')
{
    z_stream zs = {};
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, gzip ? 16 + MAX_WBITS : MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        qFatal("deflateInit2 failed");
    const QByteArray piece(qMin(size, qint64(1) << 20), fill);
    QByteArray out;
    QByteArray buffer(1 << 16, Qt::Uninitialized);
    qint64 left = size;
    int flush = Z_NO_FLUSH;
    do {
        const qint64 n = qMin(left, qint64(piece.size()));
        left -= n;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(piece.constData()));
        zs.avail_in = uInt(n);
        do {
            zs.next_out = reinterpret_cast<Bytef *>(buffer.data());
            zs.avail_out = uInt(buffer.size());
            deflate(&zs, flush);
            out.append(buffer.constData(), buffer.size() - zs.avail_out);
        } while (zs.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&zs);
    return out;
}

// What holds for every result, whatever the input.
void checkInvariants(const QByteArray &raw, const DecodedPayload &d)
{
    switch (d.kind) {
    case Kind::Empty:
        QVERIFY(d.bytes.isEmpty());
        break;
    case Kind::Json:
    case Kind::Yaml:
    case Kind::Text:
        QVERIFY(!d.bytes.isEmpty());
        break;
    case Kind::Xml: {
        QVERIFY(QByteArrayView(d.bytes).isValidUtf8());
        QXmlStreamReader again(d.bytes);
        while (!again.atEnd())
            again.readNext();
        QVERIFY2(!again.hasError(), qPrintable(again.errorString()));
        break;
    }
    case Kind::Binary:
        QVERIFY(d.bytes.startsWith("00000000  "));
        QVERIFY2(d.note.contains(u" bytes, not decodable: "_s), qPrintable(d.note));
        break;
    }
    if (d.kind == Kind::Text || d.kind == Kind::Yaml)
        QVERIFY(QByteArrayView(d.bytes).isValidUtf8());
    if (d.note.isEmpty())
        QVERIFY(d.kind == Kind::Empty || d.kind == Kind::Json);
    if (raw.isEmpty())
        QCOMPARE(d.kind, Kind::Empty);
}

} // namespace

class TestPayload : public QObject
{
    Q_OBJECT

private slots:
    void decode_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<bool>("unwrap");
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<QByteArray>("bytes"); // expected output; null: the input as it is
        QTest::addColumn<QString>("note");     // a part of the note; null: no note at all

        const QByteArray same;
        const QByteArray json = R"({"orderId":42,"lines":[{"sku":"A-1","qty":2}]})";
        QTest::newRow("empty") << QByteArray() << false << Kind::Empty << same << QString();
        QTest::newRow("object") << json << false << Kind::Json << same << QString();
        QTest::newRow("array after white space")
            << QByteArray(" \r\n\t[1,2]") << false << Kind::Json << same << QString();
        QTest::newRow("string") << QByteArray(R"("hello")") << false << Kind::Json << same
                                << QString();
        // The fast path does not parse: whoever shows the JSON reports its errors.
        QTest::newRow("broken object on the fast path")
            << QByteArray(R"({"a":)") << false << Kind::Json << same << QString();
        QTest::newRow("number") << QByteArray("42") << false << Kind::Json << same << QString();
        QTest::newRow("negative number")
            << QByteArray("-1.5e3") << false << Kind::Json << same << QString();
        QTest::newRow("true") << QByteArray("true") << false << Kind::Json << same << QString();
        QTest::newRow("null") << QByteArray("null\n") << false << Kind::Json << same << QString();

        QTest::newRow("text") << QByteArray("hello world") << false << Kind::Text << same
                              << u"not JSON, shown as text"_s;
        QTest::newRow("number with junk names the JSON error")
            << QByteArray("123abc") << false << Kind::Text << same
            << u"not JSON (missing value separator at offset "_s;
        QTest::newRow("two numbers") << QByteArray("1,2") << false << Kind::Text << same
                                     << u"not JSON (more than one value)"_s;
        QTest::newRow("prose starting with a dash")
            << QByteArray("- not a number") << false << Kind::Text << same
            << u"not JSON, shown as text"_s;
        QTest::newRow("words starting like true") << QByteArray("trust me") << false << Kind::Text
                                                  << same << u"not JSON, shown as text"_s;
        QTest::newRow("white space only") << QByteArray(" \n ") << false << Kind::Text << same
                                          << u"3 bytes of white space only"_s;
        QTest::newRow("UTF-8 text")
            << QByteArray("Grüße, 世界") << false << Kind::Text << same << u"not JSON"_s;
        QTest::newRow("byte order mark before JSON")
            << QByteArray("\xEF\xBB\xBF{\"a\":1}") << false << Kind::Json << QByteArray("{\"a\":1}")
            << u"UTF-8 byte order mark removed"_s;
        QTest::newRow("byte order mark only")
            << QByteArray("\xEF\xBB\xBF") << false << Kind::Empty << QByteArray("")
            << u"UTF-8 byte order mark removed"_s;

        // Compression (Python eventsourcing's compressor, Akka's gzip for large payloads).
        const QByteArray zlibJson = zlibStream(json);
        QTest::newRow("zlib JSON")
            << zlibJson << false << Kind::Json << json
            << u"zlib-compressed, %1 bytes inflated to %2"_s.arg(zlibJson.size()).arg(json.size());
        const QByteArray gzipJson = TestSupport::gzip(json);
        QTest::newRow("gzip JSON")
            << gzipJson << false << Kind::Json << json
            << u"gzip-compressed, %1 bytes inflated to %2"_s.arg(gzipJson.size()).arg(json.size());
        QTest::newRow("two gzip members are one file")
            << TestSupport::gzip(R"({"a":)") + TestSupport::gzip("1}") << false << Kind::Json
            << QByteArray(R"({"a":1})") << u"gzip-compressed"_s;
        QTest::newRow("zlib with bytes after the stream")
            << zlibJson + "xyz" << false << Kind::Json << json
            << u"(3 bytes after the stream ignored)"_s;
        QTest::newRow("zlib of nothing")
            << deflated(0, false) << false << Kind::Empty << QByteArray("") << u"inflated to 0"_s;
        QTest::newRow("zlib text")
            << zlibStream("plain words") << false << Kind::Text << QByteArray("plain words")
            << u"zlib-compressed, %1 bytes inflated to 11; not JSON, shown as text"_s.arg(
                   zlibStream("plain words").size());
        QTest::newRow("zlib of zlib")
            << zlibStream(zlibJson) << false << Kind::Json << json
            << u"zlib-compressed, %1 bytes inflated to %2; zlib-compressed"_s
                   .arg(zlibStream(zlibJson).size())
                   .arg(zlibJson.size());
        QTest::newRow("corrupt zlib")
            << QByteArray("\x78\x9C\xFF\xFF\xFF\xFF", 6) << false << Kind::Binary << same
            << u"6 bytes, not decodable: zlib stream is corrupt: invalid "_s;
        QTest::newRow("zlib with a wrong checksum")
            << zlibJson.left(zlibJson.size() - 1) + char(zlibJson.back() ^ 1) << false
            << Kind::Binary << same << u"zlib stream is corrupt: incorrect data check"_s;
        QTest::newRow("truncated gzip")
            << gzipJson.left(gzipJson.size() / 2) << false << Kind::Binary << same
            << u"gzip stream is corrupt: the stream ends early (truncated?)"_s;
        // 'x' then '^', ' ', '?' or '}' passes the zlib header check; it is still text.
        QTest::newRow("text that starts like zlib")
            << QByteArray("x^2 + y^2") << false << Kind::Text << same << u"not JSON"_s;
        QTest::newRow("another text that starts like zlib")
            << QByteArray("x marks the spot") << false << Kind::Text << same << u"not JSON"_s;

        // Python eventsourcing's typed values.
        const QByteArray typed =
            R"({"id":{"_type_":"uuid_hex","_data_":"0123456789abcdef0123456789abcdef"},)"
            R"("timestamp":{"_type_":"datetime_iso","_data_":"2024-03-01T12:34:56.123456+00:00"},)"
            R"("amount":{"_type_":"decimal_str","_data_":"9.99"},"n":1})";
        const QByteArray plain =
            R"({"amount":"9.99","id":"0123456789abcdef0123456789abcdef","n":1,)"
            R"("timestamp":"2024-03-01T12:34:56.123456+00:00"})";
        QTest::newRow("typed values unwrapped") << typed << true << Kind::Json << plain
                                                << u"3 typed values (_type_/_data_) unwrapped"_s;
        QTest::newRow("typed values left alone unless asked")
            << typed << false << Kind::Json << same << QString();
        QTest::newRow("typed values in arrays and in _data_")
            << QByteArray(R"([{"_type_":"t","_data_":{"in":{"_type_":"uuid_hex","_data_":"ab"}}},)"
                          R"([{"_type_":"decimal_str","_data_":"1.5"}]])")
            << true << Kind::Json << QByteArray(R"([{"in":"ab"},["1.5"]])") << u"3 typed values"_s;
        QTest::newRow("a typed value at the top")
            << QByteArray(R"({"_type_":"uuid_hex","_data_":"ab"})") << true << Kind::Json
            << QByteArray(R"("ab")") << u"1 typed value (_type_/_data_) unwrapped"_s;
        QTest::newRow("not a typed value: a third key")
            << QByteArray(R"({"_type_":"t","_data_":1,"x":2})") << true << Kind::Json << same
            << QString();
        QTest::newRow("not a typed value: no _data_")
            << QByteArray(R"({"_type_":"t","data":1})") << true << Kind::Json << same << QString();
        QTest::newRow("unwrap of plain JSON keeps the bytes")
            << json << true << Kind::Json << same << QString();
        QTest::newRow("unwrap of a scalar")
            << QByteArray("42") << true << Kind::Json << same << QString();
        QTest::newRow("unwrap of broken JSON")
            << QByteArray(R"({"a":)") << true << Kind::Text << same
            << u"not JSON (unterminated object at offset 5), shown as text"_s;
        QTest::newRow("unwrap inside zlib")
            << zlibStream(R"({"_type_":"decimal_str","_data_":"2.50"})") << true << Kind::Json
            << QByteArray(R"("2.50")") << u"inflated to 40; 1 typed value"_s;

        // Axon's XStream XML.
        QTest::newRow("XStream XML indented")
            << QByteArray("<com.example.OrderPlaced><orderId>42</orderId><lines><line>"
                          "<sku>A-1</sku><qty>2</qty></line></lines></com.example.OrderPlaced>")
            << false << Kind::Xml
            << QByteArray("<com.example.OrderPlaced>\n"
                          "  <orderId>42</orderId>\n"
                          "  <lines>\n"
                          "    <line>\n"
                          "      <sku>A-1</sku>\n"
                          "      <qty>2</qty>\n"
                          "    </line>\n"
                          "  </lines>\n"
                          "</com.example.OrderPlaced>\n")
            << u"XML, indented for display"_s;
        QTest::newRow("XML re-indented, text kept")
            << QByteArray("\n<a>\n        <b attr=\"1\">  two  spaces </b>\n<c/></a>") << false
            << Kind::Xml << QByteArray("<a>\n  <b attr=\"1\">  two  spaces </b>\n  <c/>\n</a>\n")
            << u"XML"_s;
        QTest::newRow("Latin-1 XML becomes UTF-8")
            << QByteArray("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xE9</a>") << false
            << Kind::Xml << QByteArray("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>café</a>\n")
            << u"XML"_s;
        QTest::newRow("XML comments, CDATA and entities")
            << QByteArray("<a><!-- why --><b><![CDATA[x < y]]></b><c>&lt;&amp;</c></a>") << false
            << Kind::Xml
            << QByteArray("<a>\n  <!-- why -->\n  <b><![CDATA[x < y]]></b>\n"
                          "  <c>&lt;&amp;</c>\n</a>\n")
            << u"XML"_s;
        QTest::newRow("broken XML is text") << QByteArray("<a>\n<b></a>") << false << Kind::Text
                                            << same << u"not well-formed XML, shown as text: "_s;
        QTest::newRow("broken XML names the line")
            << QByteArray("<a>\n<b></a>") << false << Kind::Text << same << u"(line 2, column"_s;
        QTest::newRow("two roots")
            << QByteArray("<a/><b/>") << false << Kind::Text << same << u"not well-formed XML"_s;
        QTest::newRow("angle bracket then binary")
            << QByteArray("<\xFF\xFE\x01", 4) << false << Kind::Binary << same
            << u"4 bytes, not decodable: not UTF-8 text"_s;

        // Rails Event Store's YAML.
        const QByteArray rails = "--- !ruby/hash:ActiveSupport::HashWithIndifferentAccess\n"
                                 "order_id: 42\nlines:\n- sku: A-1\n  qty: 2\n";
        QTest::newRow("Rails YAML")
            << rails << false << Kind::Yaml << same << u"YAML, shown as text"_s;
        QTest::newRow("YAML with symbol keys")
            << QByteArray("---\n:order_id: 42\n:placed_at: 2024-03-01 12:34:56.000000000 Z\n")
            << false << Kind::Yaml << same << u"YAML"_s;
        QTest::newRow("YAML without a document start")
            << QByteArray("order_id: 42\ncustomer:\n  name: Ada\n# a comment\n\ntags:\n- new\n")
            << false << Kind::Yaml << same << u"YAML"_s;
        QTest::newRow("a Ruby tag anywhere") << QByteArray("x: !ruby/object:BigDecimal 18:0.5e1\n")
                                             << false << Kind::Yaml << same << u"YAML"_s;
        QTest::newRow("prose with a colon is text") << QByteArray("Dear Ada: thanks.\nSee you soon")
                                                    << false << Kind::Text << same << u"not JSON"_s;
        QTest::newRow("a URL is text") << QByteArray("https://example.com/a:b") << false
                                       << Kind::Text << same << u"not JSON"_s;

        // What cannot be shown as text.
        QTest::newRow("encrypted")
            << QByteArray("\x8F\x01\xC3\x28\x9A\xFF\x00\x10\x20\x30\x40\x50", 12) << false
            << Kind::Binary << same
            << u"12 bytes, not decodable: not UTF-8 text (AES-GCM encrypted or a binary "
               "serialisation)"_s;
        QTest::newRow("protobuf that is valid UTF-8")
            << QByteArray("\x0A\x03"
                          "abc\x10\x2A",
                          7)
            << false << Kind::Binary << same
            << u"7 bytes, not decodable: control characters, not text"_s;
        QTest::newRow("text with a NUL") << QByteArray("abc\0def", 7) << false << Kind::Binary
                                         << same << u"control characters"_s;
        QTest::newRow("Java serialisation")
            << QByteArray("\xAC\xED\x00\x05sr\x00\x10", 8) << false << Kind::Binary << same
            << u"8 bytes, not decodable: Java serialisation"_s;
        // Three layers are inflated; the fourth is shown as the hex of its compressed bytes.
        const QByteArray one = zlibStream(json);
        const QByteArray two = zlibStream(one);
        const QByteArray three = zlibStream(two);
        const QByteArray four = zlibStream(three);
        QTest::newRow("compression four layers deep")
            << four << false << Kind::Binary << PayloadDecoder::hexDump(one)
            << u"zlib-compressed, %1 bytes inflated to %2; zlib-compressed, %2 bytes inflated to "
               "%3; zlib-compressed, %3 bytes inflated to %4; %4 bytes, not decodable: "
               "compressed again inside 3 layers of compression; not inflated further"_s.arg(
                   QString::number(four.size()), QString::number(three.size()),
                   QString::number(two.size()), QString::number(one.size()));
    }

    void decode()
    {
        QFETCH(QByteArray, raw);
        QFETCH(bool, unwrap);
        QFETCH(Kind, kind);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, note);
        PayloadDecoder::Options options;
        options.unwrapTypedValues = unwrap;
        const DecodedPayload d = PayloadDecoder::decode(raw, options);
        QCOMPARE(d.kind, kind);
        if (!bytes.isNull())
            QCOMPARE(d.bytes, bytes);
        else if (kind == Kind::Binary)
            QCOMPARE(d.bytes, PayloadDecoder::hexDump(raw));
        else
            QCOMPARE(d.bytes, raw);
        if (note.isNull())
            QVERIFY2(d.note.isEmpty(), qPrintable(d.note));
        else
            QVERIFY2(d.note.contains(note), qPrintable(d.note));
        checkInvariants(raw, d);
    }

    // JSON is passed on without a copy: the result shares the input's buffer, and the note
    // is a null string (no allocation).
    void fastPathSharesTheBytes()
    {
        for (const QByteArray &raw :
             {QByteArray(R"({"a":1})"), QByteArray("\n [1]"), QByteArray(R"("s")")}) {
            const DecodedPayload d = PayloadDecoder::decode(raw);
            QCOMPARE(d.kind, Kind::Json);
            QCOMPARE(d.bytes.constData(), raw.constData());
            QVERIFY(d.note.isNull());
        }
        QVERIFY(PayloadDecoder::decode({}).note.isNull());
        // Defaults: no unwrapping. Options spell as the interface promises.
        PayloadDecoder::Options options;
        QVERIFY(!options.unwrapTypedValues);
        QCOMPARE(PayloadDecoder::decode(R"({"_type_":"t","_data_":1})", {true}).bytes,
                 QByteArray("1"));
    }

    void hexDump_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qsizetype>("maxBytes");
        QTest::addColumn<QByteArray>("dump");
        QTest::newRow("nothing") << QByteArray() << qsizetype(4096) << QByteArray();
        QTest::newRow("short line")
            << QByteArray("{\"a\":1}\n") << qsizetype(4096)
            << QByteArray("00000000  7b 22 61 22 3a 31 7d 0a                           "
                          "|{\"a\":1}.|\n");
        QTest::newRow("line and a bit")
            << QByteArray("0123456789abcdef\x00\xFF", 18) << qsizetype(4096)
            << QByteArray("00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  "
                          "|0123456789abcdef|\n"
                          "00000010  00 ff                                             "
                          "|..|\n");
        QTest::newRow("cut") << QByteArray(40, 'A') << qsizetype(16)
                             << QByteArray(
                                    "00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  "
                                    "|AAAAAAAAAAAAAAAA|\n"
                                    "... 24 more bytes not shown (40 in all)\n");
        QTest::newRow("cut to nothing") << QByteArray(3, 'A') << qsizetype(0)
                                        << QByteArray("... 3 more bytes not shown (3 in all)\n");
        QTest::newRow("no limit")
            << QByteArray(17, '\x7F') << qsizetype(-1)
            << QByteArray("00000000  7f 7f 7f 7f 7f 7f 7f 7f  7f 7f 7f 7f 7f 7f 7f 7f  "
                          "|................|\n"
                          "00000010  7f                                                "
                          "|.|\n");
    }

    void hexDump()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(qsizetype, maxBytes);
        QFETCH(QByteArray, dump);
        QCOMPARE(PayloadDecoder::hexDump(bytes, maxBytes), dump);
    }

    void hexDumpDefaultsTo4KiB()
    {
        const QByteArray dump = PayloadDecoder::hexDump(QByteArray(5000, 'x'));
        QCOMPARE(dump.count('\n'), 4096 / 16 + 1);
        QVERIFY(dump.contains("\n00000ff0  "));
        QVERIFY(dump.endsWith("... 904 more bytes not shown (5000 in all)\n"));
        // A binary payload's hex dump is cut the same way.
        const DecodedPayload d = PayloadDecoder::decode(QByteArray(5000, '\xFF'));
        QCOMPARE(d.kind, Kind::Binary);
        QVERIFY(d.bytes.endsWith("(5000 in all)\n"));
    }

    void zipBombIsRefused_data()
    {
        QTest::addColumn<bool>("gzip");
        QTest::newRow("zlib") << false;
        QTest::newRow("gzip") << true;
    }

    void zipBombIsRefused()
    {
        QFETCH(bool, gzip);
        // A few hundred KiB that inflate to 1 byte past the limit.
        const QByteArray bomb = deflated(PayloadDecoder::MaxInflatedBytes + 1, gzip);
        QVERIFY(bomb.size() < 1024 * 1024);
        const DecodedPayload d = PayloadDecoder::decode(bomb);
        QCOMPARE(d.kind, Kind::Binary);
        QVERIFY2(d.note.contains(u"compressed data that inflates to more than 256 MiB; not "
                                 "inflated (a zip bomb?)"_s),
                 qPrintable(d.note));
        QVERIFY(d.note.startsWith(QString::number(bomb.size()) + u" bytes, not decodable: "_s));
        QCOMPARE(d.bytes, PayloadDecoder::hexDump(bomb));
    }

    void exactlyTheLimitInflates()
    {
        const DecodedPayload d =
            PayloadDecoder::decode(deflated(PayloadDecoder::MaxInflatedBytes, false, '['));
        QCOMPARE(d.kind, Kind::Json); // the fast path: not parsed, however broken
        QCOMPARE(d.bytes.size(), PayloadDecoder::MaxInflatedBytes);
        QVERIFY(d.note.endsWith(u"inflated to %1"_s.arg(PayloadDecoder::MaxInflatedBytes)));
    }

    void nestedStreamsShareTheLimit()
    {
        // Each layer alone is under the limit; together they are not.
        const QByteArray inner = deflated(PayloadDecoder::MaxInflatedBytes - 1000, false, '[');
        const QByteArray outer = zlibStream(inner);
        const DecodedPayload d = PayloadDecoder::decode(outer);
        QCOMPARE(d.kind, Kind::Binary);
        QVERIFY2(d.note.startsWith(u"zlib-compressed, %1 bytes inflated to %2; %2 bytes, not "
                                   "decodable: zlib-compressed data that inflates to more than "
                                   "the %3 bytes left of 256 MiB"_s.arg(outer.size())
                                       .arg(inner.size())
                                       .arg(PayloadDecoder::MaxInflatedBytes - inner.size())),
                 qPrintable(d.note));
        QCOMPARE(d.bytes, PayloadDecoder::hexDump(inner));
    }

    void largeButAllowedInflates()
    {
        // 8 MiB of spaces then a value: inflated, then decoded as JSON after white space.
        const qint64 size = 8 << 20;
        QByteArray data(size, ' ');
        data += "[1]";
        const DecodedPayload d = PayloadDecoder::decode(zlibStream(data));
        QCOMPARE(d.kind, Kind::Json);
        QCOMPARE(d.bytes.size(), size + 3);
        QVERIFY(d.note.contains(u"inflated to %1"_s.arg(size + 3)));
    }

    void entityExpansionIsBounded()
    {
        // "Billion laughs": ten levels of ten references. QXmlStreamReader refuses to expand
        // it; the payload is then shown as text, quickly.
        QByteArray xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n";
        for (int level = 1; level < 10; ++level) {
            xml += "<!ENTITY lol" + QByteArray::number(level) + " \"";
            for (int i = 0; i < 10; ++i)
                xml += "&lol" + QByteArray::number(level - 1) + ';';
            xml += "\">\n";
        }
        xml += "]>\n<lolz>&lol9;</lolz>\n";
        QElapsedTimer timer;
        timer.start();
        const DecodedPayload d = PayloadDecoder::decode(xml);
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(d.kind, Kind::Text);
        QVERIFY2(d.note.startsWith(u"not well-formed XML, shown as text: "_s), qPrintable(d.note));
        QCOMPARE(d.bytes, xml);
    }

    // Indentation grows with the depth: 75 KB nested 10,000 deep would be 200 MB indented.
    // Past its bound the XML is shown as it is, quickly, with a note naming the bound; XML
    // nested as deep as real payloads still is indented.
    void deepXmlIsNotIndented()
    {
        const QByteArray deep = QByteArray("<a>").repeated(10000) + "x" +
                                QByteArray("</a>").repeated(10000);
        QElapsedTimer timer;
        timer.start();
        const DecodedPayload d = PayloadDecoder::decode(deep);
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(d.kind, Kind::Xml);
        QCOMPARE(d.bytes, deep);
        QCOMPARE(d.note, u"XML, shown as it is: indented it would take more than %1 bytes "
                         "(nested too deep)"_s.arg(PayloadDecoder::maxIndentedXmlBytes(deep.size())));
        checkInvariants(deep, d);

        const QByteArray nested = QByteArray("<a>").repeated(30) + "x" +
                                  QByteArray("</a>").repeated(30);
        const DecodedPayload indented = PayloadDecoder::decode(nested);
        QCOMPARE(indented.kind, Kind::Xml);
        QCOMPARE(indented.note, u"XML, indented for display"_s);
        QVERIFY(indented.bytes.size() > nested.size());
        QVERIFY(indented.bytes.size() <= PayloadDecoder::maxIndentedXmlBytes(nested.size()));
    }

    // Random bytes, random bytes behind every prefix that picks a decoder, and every prefix
    // of real compressed streams: no crash (ASan/UBSan watch the dev build), and results that
    // hold together.
    void randomInputNeverCrashes()
    {
        QRandomGenerator random(20240301);
        const QByteArray prefixes[] = {
            QByteArray(),
            QByteArray("\x78\x9C"),
            QByteArray("\x78\x01"),
            QByteArray("\x78\xDA"),
            QByteArray("\x1F\x8B\x08"),
            QByteArray("\x1F\x8B"),
            QByteArray("<"),
            QByteArray("<?xml version=\"1.0\"?><a>"),
            QByteArray("{"),
            QByteArray("["),
            QByteArray("---\n"),
            QByteArray("key: "),
            QByteArray("\xEF\xBB\xBF"),
            QByteArray("-"),
            QByteArray("1"),
            QByteArray("x "),
        };
        QMap<Kind, int> kinds;
        for (int round = 0; round < 3000; ++round) {
            const QByteArray &prefix = prefixes[round % std::size(prefixes)];
            QByteArray raw = prefix;
            const int size = int(random.bounded(round % 10 == 0 ? 2048 : 64));
            // Half of the buffers printable ASCII, so that text-like paths get exercised too.
            const bool printable = round % 2 == 0;
            for (int i = 0; i < size; ++i)
                raw += printable ? char(0x20 + random.bounded(0x5F)) : char(random.bounded(256));
            for (bool unwrap : {false, true}) {
                PayloadDecoder::Options options;
                options.unwrapTypedValues = unwrap;
                const DecodedPayload d = PayloadDecoder::decode(raw, options);
                checkInvariants(raw, d);
                if (QTest::currentTestFailed())
                    QFAIL(qPrintable(
                        u"round %1, input %2"_s.arg(round).arg(QString::fromLatin1(raw.toHex()))));
                ++kinds[d.kind];
            }
        }
        // The prefixes lead into every decoder that random bytes can satisfy.
        for (Kind kind : {Kind::Empty, Kind::Json, Kind::Yaml, Kind::Text, Kind::Binary})
            QVERIFY2(kinds.value(kind) > 0, qPrintable(u"kind %1 never seen"_s.arg(int(kind))));
    }

    void truncatedStreamsNeverCrash()
    {
        const QByteArray json =
            R"({"orderId":42,"lines":[{"sku":"A-1","qty":2},{"sku":"B","qty":1}]})";
        const QByteArray streams[] = {zlibStream(json), TestSupport::gzip(json),
                                      zlibStream(zlibStream(json)),
                                      TestSupport::gzip(zlibStream(json))};
        for (const QByteArray &stream : streams) {
            for (qsizetype cut = 0; cut < stream.size(); ++cut) {
                const QByteArray raw = stream.left(cut);
                const DecodedPayload d = PayloadDecoder::decode(raw);
                checkInvariants(raw, d);
                if (cut >= 2)
                    QVERIFY2(d.kind == Kind::Binary && d.note.contains(u"corrupt"_s),
                             qPrintable(u"cut at %1: %2"_s.arg(cut).arg(d.note)));
            }
            QCOMPARE(PayloadDecoder::decode(stream).bytes, json);
            // A flipped bit anywhere: corrupt, or (rarely) still inflating to something.
            for (qsizetype i = 0; i < stream.size(); ++i) {
                QByteArray raw = stream;
                raw[i] = char(raw.at(i) ^ (1 << (i % 8)));
                checkInvariants(raw, PayloadDecoder::decode(raw));
            }
        }
    }

    void eventJsonCarriesTheNote()
    {
        Event e;
        e.position = 7;
        e.stream = u"order-1"_s;
        e.version = 1;
        e.type = u"OrderPlaced"_s;
        e.data = R"({"a":1})";
        e.metadata = "{}";
        QCOMPARE(EventJson::event(e),
                 QByteArray(R"({"position":7,"stream":"order-1","version":1,"type":"OrderPlaced",)"
                            R"("time":null,"data":{"a":1},"metadata":{}})"));
        e.data = "<a/>\n";
        e.dataNote = u"XML, indented for display"_s;
        QCOMPARE(EventJson::event(e),
                 QByteArray(R"({"position":7,"stream":"order-1","version":1,"type":"OrderPlaced",)"
                            R"("time":null,"data":"<a/>\n","data_note":"XML, indented for )"
                            R"(display","metadata":{}})"));
    }

    void inspectorShowsTheNote()
    {
        EventInspector inspector;
        Event e;
        e.type = u"OrderPlaced"_s;
        e.data = R"({"a":1})";
        inspector.setEvent(e);
        QVERIFY(inspector.note().isEmpty());
        auto *label = inspector.findChild<QLabel *>(u"inspectorNote"_s);
        QVERIFY(label);
        QVERIFY(label->isHidden());

        const DecodedPayload d = PayloadDecoder::decode(QByteArray("\x01\x02\xFF", 3));
        e.data = d.bytes;
        e.dataNote = d.note;
        inspector.setEvent(e);
        QCOMPARE(inspector.note(), d.note);
        QVERIFY(!label->isHidden());
        // The hex dump as it is, without the "not JSON" line plain text gets.
        QCOMPARE(inspector.rawText(), QString::fromUtf8(d.bytes));

        inspector.clear();
        QVERIFY(inspector.note().isEmpty());
        QVERIFY(label->isHidden());
    }
};

QTEST_MAIN(TestPayload)
#include "tst_payload.moc"

#include "decoding/payloaddecoder.h"

#include "decoding/payload.h"

#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <zlib.h>

#include <algorithm>
#include <climits>

using namespace Qt::StringLiterals;

namespace {

using Kind = DecodedPayload::Kind;
using Options = PayloadDecoder::Options;

// Compressed data inside compressed data is legal but rare; deeper than this it is a trap,
// not a payload. (The size limit is shared by all layers, see decodeAt.)
constexpr int MaxNesting = 3;

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

qsizetype firstNonSpace(const QByteArray &bytes)
{
    qsizetype i = 0;
    while (i < bytes.size() && isJsonSpace(bytes.at(i)))
        ++i;
    return i;
}

uchar byteAt(const QByteArray &bytes, qsizetype i)
{
    return static_cast<uchar>(bytes.at(i));
}

bool hasUtf8Bom(const QByteArray &b)
{
    return b.size() >= 3 && byteAt(b, 0) == 0xEF && byteAt(b, 1) == 0xBB && byteAt(b, 2) == 0xBF;
}

bool hasGzipMagic(const QByteArray &b, qsizetype at = 0)
{
    return b.size() >= at + 2 && byteAt(b, at) == 0x1F && byteAt(b, at + 1) == 0x8B;
}

// CMF 0x78 is deflate with a 32 KiB window (what every zlib writer emits by default); FCHECK
// makes the first two bytes a multiple of 31. Text starting with "x ", "x?", "x^" or "x}"
// passes too, which is why a failed inflate of valid text falls back to text.
bool hasZlibHeader(const QByteArray &b)
{
    return b.size() >= 2 && byteAt(b, 0) == 0x78 && (0x78 * 256 + byteAt(b, 1)) % 31 == 0;
}

QString joinNotes(const QString &first, const QString &second)
{
    if (first.isEmpty())
        return second;
    if (second.isEmpty())
        return first;
    return first + u"; "_s + second;
}

enum class TextCheck { Text, NotUtf8, ControlCharacters };

// Text is valid UTF-8 without C0 control characters other than white space: protobuf,
// MessagePack and CBOR payloads are often valid UTF-8 by accident, but full of those.
TextCheck checkText(const QByteArray &bytes)
{
    if (!QByteArrayView(bytes).isValidUtf8())
        return TextCheck::NotUtf8;
    for (const char c : bytes) {
        const uchar u = static_cast<uchar>(c);
        if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f' && u != '\v') ||
            u == 0x7F)
            return TextCheck::ControlCharacters;
    }
    return TextCheck::Text;
}

QString binaryReason(const QByteArray &bytes, TextCheck check)
{
    // 0xACED0005: the stream magic and version of java.io.ObjectOutputStream.
    if (bytes.startsWith(QByteArrayView("\xAC\xED\x00\x05", 4)))
        return u"Java serialisation (Axon's JavaSerializer?), which only the JVM can read"_s;
    if (check == TextCheck::NotUtf8)
        return u"not UTF-8 text (AES-GCM encrypted or a binary serialisation)"_s;
    return u"control characters, not text (a binary serialisation such as protobuf, CBOR or "
           "MessagePack?)"_s;
}

DecodedPayload binary(const QByteArray &bytes, const QString &reason)
{
    return {Kind::Binary, PayloadDecoder::hexDump(bytes),
            u"%1 bytes, not decodable: %2"_s.arg(QString::number(bytes.size()), reason)};
}

struct Inflated
{
    enum class Outcome { Ok, Corrupt, TooLarge };
    Outcome outcome = Outcome::Corrupt;
    QByteArray bytes;
    QString error;          // Corrupt: what zlib (or we) said
    qsizetype trailing = 0; // Ok: bytes after the end of the stream
};

// zlib's own API rather than qUncompress: qUncompress wants a 4-byte length in front that
// real stores never write. Output grows by doubling and stops one byte past the limit, so a
// bomb costs at most that much memory.
Inflated inflateAll(const QByteArray &raw, bool gzip, qsizetype limit)
{
    Inflated result;
    if (raw.size() > qsizetype(UINT_MAX)) {
        result.error = u"too large for zlib"_s;
        return result;
    }
    z_stream zs = {};
    if (inflateInit2(&zs, gzip ? 16 + MAX_WBITS : MAX_WBITS) != Z_OK) {
        result.error = u"zlib could not start"_s;
        return result;
    }
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(raw.constData()));
    zs.avail_in = static_cast<uInt>(raw.size());

    qsizetype capacity = qBound(qsizetype(1), raw.size() * 4, limit + 1);
    QByteArray out(capacity, Qt::Uninitialized);
    qsizetype produced = 0;
    for (;;) {
        zs.next_out = reinterpret_cast<Bytef *>(out.data() + produced);
        zs.avail_out = static_cast<uInt>(capacity - produced);
        const uInt inBefore = zs.avail_in;
        const int rc = inflate(&zs, Z_NO_FLUSH);
        const bool progressed = zs.avail_in != inBefore || capacity - zs.avail_out != produced;
        produced = capacity - zs.avail_out;
        if (rc == Z_STREAM_END) {
            // Concatenated gzip members form one file (gzip -c a b); read them all.
            if (gzip && hasGzipMagic(raw, raw.size() - zs.avail_in) && inflateReset(&zs) == Z_OK)
                continue;
            result.outcome = produced > limit ? Inflated::Outcome::TooLarge : Inflated::Outcome::Ok;
            result.trailing = zs.avail_in;
            break;
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR) {
            if (zs.avail_out == 0) {
                if (capacity > limit) {
                    result.outcome = Inflated::Outcome::TooLarge;
                    break;
                }
                capacity = qMin(capacity * 2, limit + 1);
                out.resize(capacity);
                continue;
            }
            if (zs.avail_in == 0) {
                result.error = u"the stream ends early (truncated?)"_s;
                break;
            }
            if (progressed)
                continue;
            result.error = u"inflate makes no progress"_s;
            break;
        }
        if (zs.msg)
            result.error = QString::fromLatin1(zs.msg);
        else if (rc == Z_NEED_DICT)
            result.error = u"it needs a preset dictionary"_s;
        else if (rc == Z_MEM_ERROR)
            result.error = u"out of memory"_s;
        else
            result.error = u"zlib error %1"_s.arg(rc);
        break;
    }
    inflateEnd(&zs);
    if (result.outcome == Inflated::Outcome::Ok) {
        out.truncate(produced);
        result.bytes = std::move(out);
    }
    return result;
}

// Python eventsourcing stores values JSON has no type for as {"_type_": name, "_data_": value}.
QJsonValue unwrapTypedValues(const QJsonValue &value, int *count)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.size() == 2 && object.contains(u"_type_"_s) && object.contains(u"_data_"_s)) {
            ++*count;
            return unwrapTypedValues(object.value(u"_data_"_s), count);
        }
        QJsonObject result;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            result.insert(it.key(), unwrapTypedValues(it.value(), count));
        return result;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        QJsonArray result;
        for (const QJsonValue &v : array)
            result.append(unwrapTypedValues(v, count));
        return result;
    }
    return value;
}

QString jsonError(const QJsonParseError &error, int offsetShift = 0)
{
    return u"%1 at offset %2"_s.arg(error.errorString(),
                                    QString::number(qMax(0, error.offset - offsetShift)));
}

// A top-level scalar (42, true, "x"): QJsonDocument takes only objects and arrays, so it is
// parsed as the one element of an array; exactly one element means exactly one value.
bool isJsonScalar(const QByteArray &body, QString *error)
{
    QByteArray wrapped;
    wrapped.reserve(body.size() + 2);
    wrapped.append('[').append(body).append(']');
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = jsonError(parseError, 1);
        return false;
    }
    if (document.array().size() != 1) {
        *error = u"more than one value"_s;
        return false;
    }
    return true;
}

struct IndentedXml
{
    enum class Outcome { Indented, NotWellFormed, TooLarge };
    Outcome outcome = Outcome::NotWellFormed;
    QByteArray xml;
    QString error; // NotWellFormed: where and why
};

// Re-indents by dropping the white space between elements and letting the writer indent. The
// output is UTF-8 whatever the input declared, so the declaration is rewritten, not copied.
// Writing stops as soon as the text outgrows its bound (see maxIndentedXmlBytes).
IndentedXml indentXml(const QByteArray &xml)
{
    IndentedXml result;
    const qsizetype limit = PayloadDecoder::maxIndentedXmlBytes(xml.size());
    QXmlStreamReader reader(xml);
    QByteArray out;
    QXmlStreamWriter writer(&out);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(2);
    while (!reader.atEnd()) {
        if (out.size() > limit) {
            result.outcome = IndentedXml::Outcome::TooLarge;
            return result;
        }
        const QXmlStreamReader::TokenType token = reader.readNext();
        if (reader.hasError())
            break;
        switch (token) {
        case QXmlStreamReader::StartDocument: {
            // Reported even without a declaration; write one only if the input had one.
            const QString version = reader.documentVersion().toString();
            if (version.isEmpty())
                break;
            if (reader.isStandaloneDocument())
                writer.writeStartDocument(version, true);
            else
                writer.writeStartDocument(version);
            break;
        }
        case QXmlStreamReader::Characters:
            if (!reader.isWhitespace() || reader.isCDATA())
                writer.writeCurrentToken(reader);
            break;
        case QXmlStreamReader::NoToken:
        case QXmlStreamReader::Invalid:
            break;
        default:
            writer.writeCurrentToken(reader);
            break;
        }
    }
    if (reader.hasError()) {
        result.error = u"%1 (line %2, column %3)"_s.arg(reader.errorString(),
                                                        QString::number(reader.lineNumber()),
                                                        QString::number(reader.columnNumber()));
        return result;
    }
    // Without a declaration the writer still starts with the newline it would put after one.
    if (out.startsWith('\n'))
        out.remove(0, 1);
    if (out.size() > limit) {
        result.outcome = IndentedXml::Outcome::TooLarge;
        return result;
    }
    result.outcome = IndentedXml::Outcome::Indented;
    result.xml = std::move(out);
    return result;
}

bool isYamlKeyLine(QByteArrayView line)
{
    // "key: value" or "key:" (a nested mapping follows); the key may be quoted or a Ruby
    // symbol (":name: x"). A URL's "://" has no space after the colon and does not count.
    for (qsizetype i = 1; i < line.size(); ++i) {
        if (line.at(i) == ':' && (i + 1 == line.size() || line.at(i + 1) == ' '))
            return i <= 200 && line.at(0) != '#' && line.at(0) != '-' && line.at(0) != '{' &&
                   line.at(0) != '[';
    }
    return false;
}

// Rails Event Store writes YAML by default: a "---" document start, Ruby type tags, or at
// least lines that are all "key: value" pairs, indented continuations and list items.
bool looksLikeYaml(const QByteArray &text)
{
    const QByteArrayView body = QByteArrayView(text).sliced(firstNonSpace(text));
    if (body.startsWith("---") && (body.size() == 3 || isJsonSpace(body.at(3))))
        return true;
    if (body.startsWith("%YAML") || text.contains("!ruby/"))
        return true;
    int keys = 0;
    qsizetype start = 0;
    while (start < body.size()) {
        qsizetype end = body.indexOf('\n', start);
        if (end < 0)
            end = body.size();
        QByteArrayView line = body.sliced(start, end - start);
        start = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.trimmed().startsWith('#'))
            continue;
        if (line.startsWith(' ') || line.startsWith('\t')) {
            if (keys == 0)
                return false;
            continue; // a nested value
        }
        if (line == "-" || line.startsWith("- "))
            continue;
        if (!isYamlKeyLine(line))
            return false;
        ++keys;
    }
    return keys > 0;
}

// `budget`: how many bytes inflating may still produce. Nested streams share one budget, so
// that layers of compression cannot multiply the limit.
DecodedPayload decodeAt(const QByteArray &raw, const Options &options, int depth, qsizetype budget);

// Everything but the fast path: compression, a byte order mark, typed JSON, XML, YAML, text.
DecodedPayload decodeSlow(const QByteArray &raw, const Options &options, int depth,
                          qsizetype budget)
{
    if (depth >= MaxNesting && (hasGzipMagic(raw) || hasZlibHeader(raw)))
        return binary(raw, u"compressed again inside %1 layers of compression; not inflated "
                           "further"_s.arg(MaxNesting));
    if (hasGzipMagic(raw) || hasZlibHeader(raw)) {
        const bool gzip = hasGzipMagic(raw);
        const QString method = gzip ? u"gzip"_s : u"zlib"_s;
        const Inflated inflated = inflateAll(raw, gzip, budget);
        switch (inflated.outcome) {
        case Inflated::Outcome::Ok: {
            QString note = u"%1-compressed, %2 bytes inflated to %3"_s.arg(
                method, QString::number(raw.size()), QString::number(inflated.bytes.size()));
            if (inflated.trailing > 0)
                note += u" (%1 bytes after the stream ignored)"_s.arg(inflated.trailing);
            DecodedPayload inner =
                decodeAt(inflated.bytes, options, depth + 1, budget - inflated.bytes.size());
            inner.note = joinNotes(note, inner.note);
            return inner;
        }
        case Inflated::Outcome::TooLarge: {
            const QString limit =
                depth == 0 ? u"%1 MiB"_s.arg(PayloadDecoder::MaxInflatedBytes >> 20)
                           : u"the %1 bytes left of %2 MiB"_s.arg(
                                 QString::number(budget),
                                 QString::number(PayloadDecoder::MaxInflatedBytes >> 20));
            return binary(raw, u"%1-compressed data that inflates to more than %2; not "
                               "inflated (a zip bomb?)"_s.arg(method, limit));
        }
        case Inflated::Outcome::Corrupt:
            // Text that happens to start like a zlib header ("x^...") is still text.
            if (gzip || checkText(raw) != TextCheck::Text)
                return binary(raw, u"%1 stream is corrupt: %2"_s.arg(method, inflated.error));
            break;
        }
    }

    QByteArray body = raw;
    QString note;
    if (hasUtf8Bom(raw)) {
        body = raw.sliced(3);
        note = u"UTF-8 byte order mark removed"_s;
        if (body.isEmpty())
            return {Kind::Empty, body, note};
    }
    const qsizetype first = firstNonSpace(body);
    if (first == body.size())
        return {Kind::Text, body,
                joinNotes(note, u"%1 bytes of white space only"_s.arg(body.size()))};

    const char c = body.at(first);
    QString notJson; // why it is not JSON, when it looked like JSON
    if (c == '"' || ((c == '{' || c == '[') && !options.unwrapTypedValues))
        return {Kind::Json, body, note};
    if (c == '{' || c == '[') {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error == QJsonParseError::NoError) {
            int count = 0;
            const QJsonValue unwrapped = unwrapTypedValues(
                document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array()),
                &count);
            if (count == 0)
                return {Kind::Json, body, note};
            return {Kind::Json, Payload::compact(unwrapped),
                    joinNotes(note, count == 1 ? u"1 typed value (_type_/_data_) unwrapped"_s
                                               : u"%1 typed values (_type_/_data_) unwrapped"_s.arg(
                                                     count))};
        }
        notJson = jsonError(parseError);
    } else if ((c >= '0' && c <= '9') || c == '-' || c == 't' || c == 'f' || c == 'n') {
        QString error;
        if (isJsonScalar(body, &error))
            return {Kind::Json, body, note};
        // "-" starts YAML list items and prose as well as numbers; only a digit says JSON.
        const bool numeric = c != '-' || (first + 1 < body.size() && body.at(first + 1) >= '0' &&
                                          body.at(first + 1) <= '9');
        if (numeric && c != 't' && c != 'f' && c != 'n')
            notJson = error;
    }

    const TextCheck check = checkText(body);
    if (c == '<') {
        // XML declares its own encoding, so it is tried before the UTF-8 check.
        IndentedXml xml = indentXml(body);
        switch (xml.outcome) {
        case IndentedXml::Outcome::Indented:
            return {Kind::Xml, std::move(xml.xml), joinNotes(note, u"XML, indented for display"_s)};
        case IndentedXml::Outcome::TooLarge:
            if (check == TextCheck::Text)
                return {Kind::Xml, body,
                        joinNotes(note, u"XML, shown as it is: indented it would take more than "
                                        "%1 bytes (nested too deep)"_s.arg(
                                            PayloadDecoder::maxIndentedXmlBytes(body.size())))};
            break;
        case IndentedXml::Outcome::NotWellFormed:
            if (check == TextCheck::Text)
                return {
                    Kind::Text, body,
                    joinNotes(note, u"not well-formed XML, shown as text: %1"_s.arg(xml.error))};
            break;
        }
    }
    if (check != TextCheck::Text)
        return binary(raw, binaryReason(raw, check));
    if (looksLikeYaml(body))
        return {Kind::Yaml, body, joinNotes(note, u"YAML, shown as text"_s)};
    return {Kind::Text, body,
            joinNotes(note, notJson.isEmpty() ? u"not JSON, shown as text"_s
                                              : u"not JSON (%1), shown as text"_s.arg(notJson))};
}

DecodedPayload decodeAt(const QByteArray &raw, const Options &options, int depth, qsizetype budget)
{
    if (raw.isEmpty())
        return {};
    // The fast path, taken for nearly every event: JSON is handed on as it is (a shared copy
    // of the bytes, no parse, no allocation). Whoever shows it parses it anyway.
    if (!options.unwrapTypedValues) {
        const qsizetype first = firstNonSpace(raw);
        if (first < raw.size()) {
            const char c = raw.at(first);
            if (c == '{' || c == '[' || c == '"')
                return {Kind::Json, raw, QString()};
        }
    }
    return decodeSlow(raw, options, depth, budget);
}

} // namespace

DecodedPayload PayloadDecoder::decode(const QByteArray &raw, const Options &options)
{
    return decodeAt(raw, options, 0, MaxInflatedBytes);
}

QByteArray PayloadDecoder::hexDump(const QByteArray &bytes, qsizetype maxBytes)
{
    static constexpr char Hex[] = "0123456789abcdef";
    const qsizetype shown = maxBytes < 0 ? bytes.size() : qMin(bytes.size(), maxBytes);
    // "00000000  7b 22 61 22 3a 31 7d 0a  5b 5d 00 00 00 00 00 00  |{"a":1}.[]......|"
    constexpr qsizetype LineLength = 8 + 2 + 16 * 3 + 1 + 2 + 16 + 1 + 1;
    QByteArray out;
    out.reserve((shown + 15) / 16 * LineLength + 64);
    for (qsizetype offset = 0; offset < shown; offset += 16) {
        char line[LineLength];
        std::fill(line, line + LineLength, ' ');
        for (int i = 0; i < 8; ++i)
            line[7 - i] = Hex[(offset >> (4 * i)) & 0xF];
        const qsizetype count = qMin(qsizetype(16), shown - offset);
        char *ascii = line + 8 + 2 + 16 * 3 + 1 + 1;
        *ascii++ = '|';
        for (qsizetype i = 0; i < count; ++i) {
            const uchar b = static_cast<uchar>(bytes.at(offset + i));
            char *hex = line + 10 + i * 3 + (i >= 8 ? 1 : 0);
            hex[0] = Hex[b >> 4];
            hex[1] = Hex[b & 0xF];
            *ascii++ = b >= 0x20 && b < 0x7F ? char(b) : '.';
        }
        *ascii++ = '|';
        *ascii++ = '\n';
        out.append(line, ascii - line);
    }
    if (shown < bytes.size())
        out += "... " + QByteArray::number(bytes.size() - shown) + " more bytes not shown (" +
               QByteArray::number(bytes.size()) + " in all)\n";
    return out;
}

#include "writers/eventexporter.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "query/eventpredicate.h"
#include "replay/eventjson.h"
#include "store/eventstore.h"

#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// How a payload is written so that the importer stores the same bytes.
enum class PayloadForm { Null, Text, Bytea };

bool looksLikeBytea(QByteArrayView bytes)
{
    return bytes.startsWith("\\x") && bytes.size() % 2 == 0 &&
           std::all_of(bytes.begin() + 2, bytes.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

PayloadForm textForm(const QByteArray &bytes)
{
    if (bytes.isNull())
        return PayloadForm::Null;
    // The importer reads an empty text as no payload; "\x" is the empty payload.
    if (bytes.isEmpty() || !QByteArrayView(bytes).isValidUtf8() || looksLikeBytea(bytes))
        return PayloadForm::Bytea;
    return PayloadForm::Text;
}

QByteArray bytea(const QByteArray &bytes)
{
    return "\\x" + bytes.toHex();
}

// The importer stores an embedded object or array as its compact JSON: embed only those
// payloads that are exactly that, so that keys keep their order and numbers their spelling.
bool isCompactJsonContainer(const QByteArray &bytes)
{
    if (!bytes.startsWith('{') && !bytes.startsWith('['))
        return false;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    return error.error == QJsonParseError::NoError &&
           document.toJson(QJsonDocument::Compact) == bytes;
}

QByteArray jsonPayload(const QByteArray &bytes)
{
    switch (textForm(bytes)) {
    case PayloadForm::Null:
        return QByteArrayLiteral("null");
    case PayloadForm::Bytea:
        return Payload::compact(QString::fromLatin1(bytea(bytes)));
    case PayloadForm::Text:
        break;
    }
    return isCompactJsonContainer(bytes) ? bytes : Payload::compact(QString::fromUtf8(bytes));
}

// RFC 4180: a cell with the delimiter, a quote or a line break is quoted, quotes doubled.
// The importer reads an empty unquoted cell as NULL, so the empty text is quoted too.
QByteArray csvCell(QByteArrayView text)
{
    const bool quote = text.isEmpty() || std::any_of(text.begin(), text.end(), [](char c) {
                           return c == ',' || c == '"' || c == '\n' || c == '\r';
                       });
    if (!quote)
        return text.toByteArray();
    QByteArray cell = text.toByteArray();
    cell.replace('"', "\"\"");
    return '"' + cell + '"';
}

QByteArray csvPayload(const QByteArray &bytes)
{
    switch (textForm(bytes)) {
    case PayloadForm::Null:
        return QByteArray();
    case PayloadForm::Bytea:
        return bytea(bytes);
    case PayloadForm::Text:
        break;
    }
    return csvCell(bytes);
}

QByteArray timeText(qint64 ms)
{
    return ms == NoTime ? QByteArray() : TimeCodec::format(ms).toUtf8();
}

} // namespace

bool EventExporter::parseFormatName(const QString &name, Format *format)
{
    if (name == u"jsonl"_s)
        *format = Format::Jsonl;
    else if (name == u"csv"_s)
        *format = Format::Csv;
    else
        return false;
    return true;
}

QString EventExporter::formatName(Format format)
{
    return format == Format::Csv ? u"csv"_s : u"jsonl"_s;
}

QByteArray EventExporter::header(Format format)
{
    return format == Format::Csv ? QByteArrayLiteral("global_position,stream_id,stream_version,"
                                                     "type,recorded_at,data,metadata")
                                 : QByteArray();
}

QByteArray EventExporter::line(Format format, const Event &event)
{
    if (format == Format::Jsonl) {
        return EventJson::Object()
            .add("global_position", event.position)
            .add("stream_id", event.stream)
            .add("stream_version", event.version)
            .add("type", event.type)
            .add("recorded_at", EventJson::time(event.timeMs))
            .addJson("data", jsonPayload(event.data))
            .addJson("metadata", jsonPayload(event.metadata))
            .bytes();
    }
    QByteArray row = QByteArray::number(event.position);
    row += ',' + csvCell(event.stream.toUtf8());
    row += ',' + QByteArray::number(event.version);
    row += ',' + csvCell(event.type.toUtf8());
    row += ',' + timeText(event.timeMs); // no time: an empty cell, NULL
    row += ',' + csvPayload(event.data);
    row += ',' + csvPayload(event.metadata);
    return row;
}

std::optional<qint64> EventExporter::exportEvents(EventStore &store, EventFilter filter,
                                                  qint64 limit, Format format, const Sink &sink,
                                                  QString *error, const JobControl &job,
                                                  const EventPredicate *where)
{
    const auto stopped = [error] {
        *error = u"the output cannot be written"_s;
        return std::nullopt;
    };
    if (format == Format::Csv && !sink(header(format)))
        return stopped();
    const auto range = store.positionRange();
    if (!range) {
        *error = store.errorString();
        return std::nullopt;
    }
    const qint64 total = range->second >= range->first ? range->second - range->first + 1 : 0;
    qint64 written = 0;
    while (written < limit) {
        if (job.cancelled()) {
            *error = u"cancelled"_s;
            return std::nullopt;
        }
        // With a predicate, a page may hold fewer matches than it has events.
        filter.limit = where ? PageSize : int(qMin<qint64>(limit - written, PageSize));
        const auto page = store.events(filter);
        if (!page) {
            *error = store.errorString();
            return std::nullopt;
        }
        for (const Event &event : *page) {
            if (written == limit)
                break;
            if (where && !where->holds(event))
                continue;
            if (!sink(line(format, event)))
                return stopped();
            ++written;
        }
        if (page->size() < filter.limit)
            break;
        filter.afterPosition = page->constLast().position;
        job.report(filter.afterPosition - range->first + 1, total);
    }
    job.report(total, total);
    return written;
}

#include "writers/eventimporter.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "replay/eventjson.h"
#include "writers/fieldnaming.h"
#include "writers/ownstorewriter.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 NotAnInteger = std::numeric_limits<qint64>::min();
constexpr int ProgressEveryRecords = 4096;
// 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: what the own layout's text can hold.
constexpr qint64 FirstMs = -62135596800000;
constexpr qint64 LastMs = 253402300799999;

bool isAbsent(const QJsonValue &value)
{
    return value.isUndefined() || value.isNull();
}

// A JSON number, or text that holds one (CSV has nothing else).
qint64 integer(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toInteger(NotAnInteger);
    bool ok = false;
    const qint64 n = value.toString().trimmed().toLongLong(&ok);
    return ok ? n : NotAnInteger;
}

// Numbers (or text holding one) between 1e9 and 1e11 are epoch seconds (2001 to 5138), the
// others milliseconds: as milliseconds that band would be early 1970, where no store's
// events lie.
qint64 decodeTime(const QJsonValue &value, TimeFormat format)
{
    QVariant number;
    if (value.isString()) {
        const QString text = value.toString().trimmed();
        if (format == TimeFormat::IsoText) {
            const qint64 ms = TimeCodec::parseIso(text);
            if (ms != NoTime)
                return ms;
        }
        number = text;
    } else if (value.isDouble()) {
        number = value.toVariant();
    } else {
        return NoTime;
    }
    if (format == TimeFormat::IsoText) {
        bool ok = false;
        const double n = std::abs(number.toDouble(&ok));
        if (!ok)
            return NoTime;
        format = n >= 1e9 && n < 1e11 ? TimeFormat::EpochSeconds : TimeFormat::EpochMillis;
    }
    const qint64 ms = TimeCodec::decode(number, format);
    return ms >= FirstMs && ms <= LastMs ? ms : NoTime;
}

// PostgreSQL's text form of bytea, as row_to_json and COPY write the payloads of Axon, Akka
// and Commanded: "\x" and two hex digits per byte.
bool isByteaHex(const QString &text)
{
    return text.startsWith(u"\\x"_s) && text.size() % 2 == 0 &&
           std::all_of(text.cbegin() + 2, text.cend(), [](QChar c) {
               return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') ||
                      (c >= u'A' && c <= u'F');
           });
}

// JSON's "\ud800" escapes can put half of a UTF-16 surrogate pair in a string; UTF-8 has no
// form for it, so storing the text would turn it into '?'. The place of the first, or -1.
qsizetype loneSurrogateAt(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        else if (c.isSurrogate())
            return i;
    }
    return -1;
}

// Text that UTF-8 can store unchanged; else the reason to reject the record.
bool storableText(const QString &text, const QString &field, QString *reason)
{
    const qsizetype at = loneSurrogateAt(text);
    if (at < 0)
        return true;
    *reason = u"field %1 holds a lone UTF-16 surrogate (\\u%2 at character %3), which UTF-8 "
              "text cannot store"_s.arg(field, QString::number(text.at(at).unicode(), 16),
                                        QString::number(at + 1));
    return false;
}

// Text is kept as it is (JSON held in a string is that JSON); null and a missing field mean
// "no payload". JSON objects and arrays keep lone surrogates as \u escapes; text cannot.
bool payload(const QJsonValue &value, const QString &field, QByteArray *out, QString *reason)
{
    *out = QByteArray();
    if (isAbsent(value))
        return true;
    if (!value.isString()) {
        *out = Payload::compact(value);
        return true;
    }
    const QString text = value.toString();
    if (!isByteaHex(text)) {
        *out = text.toUtf8();
        return storableText(text, field, reason);
    }
    const QByteArray bytes = QByteArray::fromHex(QStringView(text).mid(2).toLatin1());
    *out = bytes.isNull() ? QByteArray("", 0) : bytes; // empty, not NULL
    return true;
}

class RecordParser
{
public:
    explicit RecordParser(const ColumnMapping &mapping) : m_mapping(mapping) {}

    // Fills event and eventId from one record, or says why it cannot be imported.
    bool parse(const QJsonObject &record, Event *event, QString *eventId, QString *reason);
    void accepted(const Event &event);
    // Empty until a record named a stream.
    QString namingTitle() const { return m_naming ? m_naming->title : QString(); }
    QString positionName() const { return m_naming->describe(FieldNaming::Position); }

private:
    bool requiredText(const QJsonObject &record, FieldNaming::Role role, QString *out,
                      QString *reason) const;
    bool time(const QJsonObject &record, qint64 *ms, QString *reason) const;
    bool version(const QJsonObject &record, const QString &stream, qint64 *out,
                 QString *reason) const;
    bool position(const QJsonObject &record, qint64 *out, QString *reason) const;
    bool eventId(const QJsonObject &record, QString *out, QString *reason) const;

    ColumnMapping m_mapping;
    std::optional<FieldNaming> m_naming;
    // Highest version accepted so far per stream; a missing version continues from it.
    QHash<QString, qint64> m_lastVersion;
};

bool RecordParser::parse(const QJsonObject &record, Event *event, QString *eventId, QString *reason)
{
    if (!m_naming) {
        m_naming = FieldNaming::detect(record, m_mapping);
        if (!m_naming) {
            *reason =
                u"no stream field (one of %1)"_s.arg(FieldNaming::streamCandidates(m_mapping));
            return false;
        }
    }
    if (!requiredText(record, FieldNaming::Stream, &event->stream, reason) ||
        !requiredText(record, FieldNaming::Type, &event->type, reason) ||
        !time(record, &event->timeMs, reason) ||
        !version(record, event->stream, &event->version, reason) ||
        !position(record, &event->position, reason) || !this->eventId(record, eventId, reason))
        return false;
    QString data, metadata;
    return payload(m_naming->value(record, FieldNaming::Data, &data), data, &event->data, reason) &&
           payload(m_naming->value(record, FieldNaming::Metadata, &metadata), metadata,
                   &event->metadata, reason);
}

void RecordParser::accepted(const Event &event)
{
    qint64 &last = m_lastVersion[event.stream];
    last = std::max(last, event.version);
}

bool RecordParser::requiredText(const QJsonObject &record, FieldNaming::Role role, QString *out,
                                QString *reason) const
{
    QString name;
    const QJsonValue value = m_naming->value(record, role, &name);
    if (value.isUndefined()) {
        *reason = u"missing field "_s + m_naming->describe(role);
        return false;
    }
    *out = value.toString();
    if (!value.isString() || out->isEmpty()) {
        *reason = u"field "_s + name + u" must be a non-empty string"_s;
        return false;
    }
    return storableText(*out, name, reason);
}

bool RecordParser::time(const QJsonObject &record, qint64 *ms, QString *reason) const
{
    QString name;
    const QJsonValue value = m_naming->value(record, FieldNaming::Time, &name);
    if (value.isUndefined()) {
        *reason = u"missing field "_s + m_naming->describe(FieldNaming::Time);
        return false;
    }
    *ms = decodeTime(value, m_naming->timeFormat);
    if (*ms == NoTime) {
        *reason = u"bad time in %1: %2"_s.arg(name, QString::fromUtf8(Payload::compact(value)));
        return false;
    }
    return true;
}

bool RecordParser::version(const QJsonObject &record, const QString &stream, qint64 *out,
                           QString *reason) const
{
    QString name;
    const QJsonValue value = m_naming->value(record, FieldNaming::Version, &name);
    if (isAbsent(value)) {
        *out = m_lastVersion.value(stream, 0) + 1;
        return true;
    }
    *out = integer(value);
    if (*out == NotAnInteger) {
        *reason = u"field %1 must be an integer"_s.arg(name);
        return false;
    }
    return true;
}

bool RecordParser::position(const QJsonObject &record, qint64 *out, QString *reason) const
{
    QString name;
    const QJsonValue value = m_naming->value(record, FieldNaming::Position, &name);
    *out = isAbsent(value) ? 0 : integer(value);
    if (*out < 0 || (*out == 0 && !isAbsent(value))) {
        *reason = u"field %1 must be a positive integer"_s.arg(name);
        return false;
    }
    return true;
}

bool RecordParser::eventId(const QJsonObject &record, QString *out, QString *reason) const
{
    QString name;
    const QJsonValue value = m_naming->value(record, FieldNaming::EventId, &name);
    if (!isAbsent(value) && !value.isString()) {
        *reason = u"field %1 must be a string"_s.arg(name);
        return false;
    }
    *out = value.toString();
    return storableText(*out, name, reason);
}

class Import
{
public:
    Import(ImportReader &reader, OwnStoreWriter &writer, EventImporter::Report &report,
           const JobControl &job, const ColumnMapping &fields)
        : m_reader(reader), m_writer(writer), m_report(report), m_job(job), m_parser(fields)
    {
    }
    bool run(QString *error);

private:
    bool importRecord(const ImportRecord &record, QString *error);
    void reject(qint64 line, const QString &reason);

    ImportReader &m_reader;
    OwnStoreWriter &m_writer;
    EventImporter::Report &m_report;
    const JobControl &m_job;
    RecordParser m_parser;
};

bool Import::run(QString *error)
{
    m_report.format = m_reader.format();
    ImportRecord record;
    for (qint64 count = 1; m_reader.next(&record); ++count) {
        if (m_job.cancelled()) {
            *error = u"cancelled"_s;
            return false;
        }
        if (count % ProgressEveryRecords == 0)
            m_job.report(m_reader.bytesRead(), m_reader.size());
        if (!record.error.isEmpty())
            reject(record.line, record.error);
        else if (!importRecord(record, error))
            return false;
    }
    if (!m_reader.errorString().isEmpty()) {
        *error = m_reader.errorString();
        return false;
    }
    m_report.fields = m_parser.namingTitle();
    // Atom entries are imported in event order, not in the file's.
    std::stable_sort(m_report.rejected.begin(), m_report.rejected.end(),
                     [](const EventImporter::Rejected &a, const EventImporter::Rejected &b) {
                         return a.line < b.line;
                     });
    m_job.report(m_reader.size(), m_reader.size());
    return true;
}

bool Import::importRecord(const ImportRecord &record, QString *error)
{
    Event event;
    QString eventId;
    QString reason;
    if (!m_parser.parse(record.fields, &event, &eventId, &reason)) {
        reject(record.line, reason);
        return true;
    }
    if (m_writer.append(event, eventId)) {
        m_parser.accepted(event);
        ++m_report.imported;
        return true;
    }
    switch (m_writer.lastConflict()) {
    case OwnStoreWriter::Conflict::Position:
        reject(record.line,
               u"duplicate %1 %2"_s.arg(m_parser.positionName(), QString::number(event.position)));
        return true;
    case OwnStoreWriter::Conflict::StreamVersion:
        reject(record.line, u"duplicate stream version (%1, %2)"_s.arg(
                                event.stream, QString::number(event.version)));
        return true;
    case OwnStoreWriter::Conflict::None:
        break;
    }
    *error = m_writer.errorString();
    return false;
}

void Import::reject(qint64 line, const QString &reason)
{
    m_report.rejected.append({line, reason});
}

} // namespace

bool EventImporter::import(const QString &inputPath, const QString &outputPath, Report *report,
                           QString *error, const JobControl &job, const ImportOptions &options)
{
    Report localReport;
    QString localError;
    Report &out = report ? *report : localReport;
    QString &message = error ? *error : localError;
    out = Report();

    const std::unique_ptr<ImportReader> reader =
        ImportReader::open(inputPath, options.format, &message);
    if (!reader)
        return false;
    OwnStoreWriter writer(outputPath);
    if (!writer.begin()) {
        message = writer.errorString();
        return false;
    }
    if (!Import(*reader, writer, out, job, options.fields).run(&message))
        return false;
    if (!writer.commit()) {
        message = writer.errorString();
        return false;
    }
    return true;
}

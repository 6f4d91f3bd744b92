#include "jsonlimporter.h"
#include "eventjson.h"
#include "ownstorewriter.h"
#include "timecodec.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MaxLineBytes = 16 * 1024 * 1024;
constexpr qint64 NotAnInteger = std::numeric_limits<qint64>::min();
constexpr int ProgressEveryLines = 4096;

// A JSON string is kept as its own text; null and a missing field mean "no payload".
QByteArray payloadText(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return {};
    return value.isString() ? value.toString().toUtf8() : EventJson::compact(value);
}

bool isBlank(const QByteArray &line)
{
    return std::all_of(line.cbegin(), line.cend(), [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    });
}

class LineParser
{
public:
    // fields: the layout whose column names are the JSON field names.
    explicit LineParser(const ColumnMapping &fields) : m_fields(fields) {}

    // Fills event and eventId from one line, or says why the line cannot be imported.
    bool parse(const QByteArray &line, Event *event, QString *eventId, QString *reason);
    void accepted(const Event &event);

private:
    bool requiredText(const QJsonObject &object, const QString &key, QString *out,
                      QString *reason) const;
    bool time(const QJsonObject &object, qint64 *ms, QString *reason) const;
    bool version(const QJsonObject &object, const QString &stream, qint64 *out,
                 QString *reason) const;

    ColumnMapping m_fields;
    // Highest version accepted so far per stream; a missing stream_version continues from it.
    QHash<QString, qint64> m_lastVersion;
};

bool LineParser::parse(const QByteArray &line, Event *event, QString *eventId, QString *reason)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *reason = u"not JSON: %1 at offset %2"_s.arg(parseError.errorString(),
                                                     QString::number(parseError.offset));
        return false;
    }
    if (!document.isObject()) {
        *reason = u"not a JSON object"_s;
        return false;
    }
    const QJsonObject object = document.object();
    if (!requiredText(object, m_fields.stream, &event->stream, reason) ||
        !requiredText(object, m_fields.type, &event->type, reason) ||
        !time(object, &event->timeMs, reason) ||
        !version(object, event->stream, &event->version, reason))
        return false;

    const QJsonValue position = object.value(m_fields.position);
    event->position = 0;
    if (!position.isUndefined()) {
        event->position = position.toInteger(NotAnInteger);
        if (event->position < 1) {
            *reason = u"field %1 must be a positive integer"_s.arg(m_fields.position);
            return false;
        }
    }

    const QJsonValue id = object.value("event_id"_L1);
    if (!id.isUndefined() && !id.isNull() && !id.isString()) {
        *reason = u"field event_id must be a string"_s;
        return false;
    }
    *eventId = id.toString();
    event->data = payloadText(object.value(m_fields.data));
    event->metadata = payloadText(object.value(m_fields.metadata));
    return true;
}

void LineParser::accepted(const Event &event)
{
    qint64 &last = m_lastVersion[event.stream];
    last = std::max(last, event.version);
}

bool LineParser::requiredText(const QJsonObject &object, const QString &key, QString *out,
                              QString *reason) const
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined()) {
        *reason = u"missing field "_s + key;
        return false;
    }
    *out = value.toString();
    if (!value.isString() || out->isEmpty()) {
        *reason = u"field "_s + key + u" must be a non-empty string"_s;
        return false;
    }
    return true;
}

bool LineParser::time(const QJsonObject &object, qint64 *ms, QString *reason) const
{
    const QJsonValue value = object.value(m_fields.time);
    if (value.isUndefined()) {
        *reason = u"missing field "_s + m_fields.time;
        return false;
    }
    *ms = value.isString() ? TimeCodec::parseIso(value.toString()) : value.toInteger(NoTime);
    if (*ms == NoTime) {
        *reason = u"bad time in %1: %2"_s.arg(m_fields.time,
                                              QString::fromUtf8(EventJson::compact(value)));
        return false;
    }
    return true;
}

bool LineParser::version(const QJsonObject &object, const QString &stream, qint64 *out,
                         QString *reason) const
{
    const QJsonValue value = object.value(m_fields.version);
    if (value.isUndefined()) {
        *out = m_lastVersion.value(stream, 0) + 1;
        return true;
    }
    *out = value.toInteger(NotAnInteger);
    if (*out == NotAnInteger) {
        *reason = u"field %1 must be an integer"_s.arg(m_fields.version);
        return false;
    }
    return true;
}

class Import
{
public:
    Import(QFile &input, OwnStoreWriter &writer, JsonlImporter::Report &report,
           const JobControl &job, const ColumnMapping &fields)
        : m_input(input), m_writer(writer), m_report(report), m_job(job), m_parser(fields)
    {
    }
    bool run(QString *error);

private:
    bool readLine(QByteArray *line, bool *tooLarge);
    bool importLine(const QByteArray &line, qint64 lineNumber, QString *error);
    void reject(qint64 lineNumber, const QString &reason);

    QFile &m_input;
    OwnStoreWriter &m_writer;
    JsonlImporter::Report &m_report;
    const JobControl &m_job;
    LineParser m_parser;
    // One buffer for all lines; a line that does not fit is too large anyway.
    QByteArray m_buffer = QByteArray(MaxLineBytes + 4, Qt::Uninitialized);
};

bool Import::run(QString *error)
{
    const qint64 size = m_input.size();
    QByteArray line;
    bool tooLarge = false;
    for (qint64 lineNumber = 1; readLine(&line, &tooLarge); ++lineNumber) {
        if (m_job.cancelled()) {
            *error = u"cancelled"_s;
            return false;
        }
        if (lineNumber % ProgressEveryLines == 0)
            m_job.report(m_input.pos(), size);
        if (tooLarge)
            reject(lineNumber, u"line too large (over %1 MiB)"_s.arg(MaxLineBytes >> 20));
        else if (!isBlank(line) && !importLine(line, lineNumber, error))
            return false;
    }
    m_job.report(size, size);
    return true;
}

// The line without its line break, as a view into m_buffer. A line longer than the limit is
// skipped to its end without being kept.
bool Import::readLine(QByteArray *line, bool *tooLarge)
{
    if (m_input.atEnd())
        return false;
    qint64 length = m_input.readLine(m_buffer.data(), m_buffer.size());
    if (length <= 0)
        return false;
    const auto complete = [&] {
        return m_buffer.at(length - 1) == '\n' || m_input.atEnd();
    };
    *tooLarge = !complete();
    if (*tooLarge) {
        while (length > 0 && !complete())
            length = m_input.readLine(m_buffer.data(), m_buffer.size());
        return true;
    }
    while (length > 0 && (m_buffer.at(length - 1) == '\n' || m_buffer.at(length - 1) == '\r'))
        --length;
    *tooLarge = length > MaxLineBytes;
    *line = QByteArray::fromRawData(m_buffer.constData(), length);
    return true;
}

bool Import::importLine(const QByteArray &line, qint64 lineNumber, QString *error)
{
    Event event;
    QString eventId;
    QString reason;
    if (!m_parser.parse(line, &event, &eventId, &reason)) {
        reject(lineNumber, reason);
        return true;
    }
    if (m_writer.append(event, eventId)) {
        m_parser.accepted(event);
        ++m_report.imported;
        return true;
    }
    switch (m_writer.lastConflict()) {
    case OwnStoreWriter::Conflict::Position:
        reject(lineNumber, u"duplicate global_position %1"_s.arg(event.position));
        return true;
    case OwnStoreWriter::Conflict::StreamVersion:
        reject(lineNumber, u"duplicate stream version (%1, %2)"_s.arg(
                               event.stream, QString::number(event.version)));
        return true;
    case OwnStoreWriter::Conflict::None:
        break;
    }
    *error = m_writer.errorString();
    return false;
}

void Import::reject(qint64 lineNumber, const QString &reason)
{
    m_report.rejected.append({lineNumber, reason});
}

} // namespace

bool JsonlImporter::import(const QString &inputPath, const QString &outputPath, Report *report,
                           QString *error, const JobControl &job, const ColumnMapping &fields)
{
    Report localReport;
    QString localError;
    Report &out = report ? *report : localReport;
    QString &message = error ? *error : localError;
    out = Report();

    QFile input(inputPath);
    if (!input.open(QIODevice::ReadOnly)) {
        message = u"cannot open %1: %2"_s.arg(inputPath, input.errorString());
        return false;
    }
    OwnStoreWriter writer(outputPath);
    if (!writer.begin()) {
        message = writer.errorString();
        return false;
    }
    if (!Import(input, writer, out, job, fields).run(&message))
        return false;
    if (!writer.commit()) {
        message = writer.errorString();
        return false;
    }
    return true;
}

#include "exportcommands.h"

#include "clioutput.h"
#include "clisupport.h"
#include "query/eventpredicate.h"
#include "query/readmodel.h"
#include "replay/eventjson.h"
#include "writers/eventexporter.h"
#include "writers/storeslicer.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

#include <limits>

using namespace Qt::StringLiterals;
using namespace CliSupport;

namespace {

int readmodel(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    if (!parser.isSet(u"projection"_s))
        throw BadUsage{u"readmodel needs --projection FILE, a projection with a \"key\""_s};
    const qint64 limit = integerOption(parser, u"limit"_s, std::numeric_limits<qint64>::max(), 0);
    const auto projection = loadProjection(parser, out, ProjectionUse::ReadModel);
    if (!projection)
        return CliCommands::StoreFailed;
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    QString error;
    const auto model = ReadModel::compute(*store, *projection, parser.values(u"type"_s), &error);
    if (!model) {
        out.error(error);
        return CliCommands::StoreFailed;
    }
    const qsizetype rows = qsizetype(qMin<qint64>(limit, model->rows.size()));
    for (qsizetype i = 0; i < rows; ++i) {
        const ReadModelRow &row = model->rows.at(i);
        if (!out.line(EventJson::Object()
                          .add("key", row.key)
                          .add("events", row.events)
                          .add("state", row.state)
                          .bytes()))
            return CliCommands::StoreFailed;
    }
    if (model->skipped > 0 && !out.line(EventJson::Object().add("skipped", model->skipped).bytes()))
        return CliCommands::StoreFailed;
    return CliCommands::Ok;
}

// A file that did not exist before: the export never replaces anything, the store least of
// all. Removed again unless kept, so that a failed export leaves no partial file.
class NewOutputFile
{
public:
    explicit NewOutputFile(const QString &path) : m_file(path) {}
    ~NewOutputFile()
    {
        if (!m_kept && m_file.isOpen()) {
            m_file.close();
            m_file.remove();
        }
    }
    bool open(QString *error)
    {
        if (m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return true;
        *error = QFileInfo::exists(m_file.fileName())
                     ? u"%1 already exists; refusing to overwrite it"_s.arg(m_file.fileName())
                     : u"cannot create %1: %2"_s.arg(m_file.fileName(), m_file.errorString());
        return false;
    }
    bool write(const QByteArray &line)
    {
        m_failed = m_file.write(line) != line.size() || !m_file.putChar('\n');
        return !m_failed;
    }
    bool keep()
    {
        m_failed = !m_file.flush();
        if (m_failed)
            return false;
        m_file.close();
        m_kept = true;
        return true;
    }
    // Whether writing failed, and why.
    bool failed() const { return m_failed; }
    QString errorString() const
    {
        return u"cannot write %1: %2"_s.arg(m_file.fileName(), m_file.errorString());
    }

private:
    QFile m_file;
    bool m_kept = false;
    bool m_failed = false;
};

int exportEvents(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    EventExporter::Format format = EventExporter::Format::Jsonl;
    if (parser.isSet(u"format"_s) &&
        !EventExporter::parseFormatName(parser.value(u"format"_s), &format))
        throw BadUsage{u"--format is jsonl or csv, not '%1'"_s.arg(parser.value(u"format"_s))};
    const qint64 limit = integerOption(parser, u"limit"_s, std::numeric_limits<qint64>::max(), 0);
    EventFilter filter;
    filter.stream = parser.value(u"stream"_s);
    filter.types = parser.values(u"type"_s);
    filter.fromTimeMs = timeOption(parser, u"from-time"_s);
    filter.toTimeMs = timeOption(parser, u"to-time"_s);
    filter.afterPosition = integerOption(parser, u"after"_s, filter.afterPosition);
    const QString outPath = parser.value(u"out"_s);
    if (parser.isSet(u"out"_s) && outPath.isEmpty())
        throw BadUsage{u"--out needs a file name"_s};
    std::optional<EventPredicate> where;
    if (parser.isSet(u"where"_s)) {
        QueryError problem;
        auto predicate = Predicate::parse(parser.value(u"where"_s), &problem);
        if (!predicate)
            throw BadUsage{u"--where: "_s + problem.text()};
        where.emplace(*std::move(predicate));
    }
    const EventPredicate *wherePointer = where ? &*where : nullptr;

    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    QString error;
    std::optional<NewOutputFile> file;
    if (!outPath.isEmpty() && !file.emplace(outPath).open(&error)) {
        out.error(error);
        return CliCommands::StoreFailed;
    }
    const EventExporter::Sink sink = [&out, &file](const QByteArray &line) {
        return file ? file->write(line) : out.line(line);
    };
    const auto written =
        EventExporter::exportEvents(*store, filter, limit, format, sink, &error, {}, wherePointer);
    if (!written || (file && !file->keep())) {
        out.error(file && file->failed() ? file->errorString() : error);
        return CliCommands::StoreFailed;
    }
    if (file)
        out.line(EventJson::Object()
                     .add("path", outPath)
                     .add("format", EventExporter::formatName(format))
                     .add("events", *written)
                     .bytes());
    return CliCommands::Ok;
}

int slice(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    SliceRequest request;
    request.streams = parser.values(u"stream"_s);
    if (request.streams.isEmpty())
        throw BadUsage{u"slice needs --stream NAME (repeat it for several streams)"_s};
    request.streams.removeDuplicates();
    request.fromTimeMs = timeOption(parser, u"from-time"_s);
    request.toTimeMs = timeOption(parser, u"to-time"_s);
    // The writer refuses too; asking first spares opening (and snapshotting) the store.
    if (QFileInfo::exists(args.at(1))) {
        out.error(u"%1 already exists; refusing to overwrite it"_s.arg(args.at(1)));
        return CliCommands::StoreFailed;
    }
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    QString error;
    SliceReport report;
    if (!StoreSlicer::slice(*store, request, args.at(1), &report, &error)) {
        out.error(error);
        return CliCommands::StoreFailed;
    }
    QJsonObject byStream;
    for (auto it = report.eventsByStream.cbegin(); it != report.eventsByStream.cend(); ++it) {
        if (it.value() == 0)
            out.error(u"note: the slice holds no event of stream '%1'"_s.arg(it.key()));
        byStream.insert(it.key(), it.value());
    }
    if (report.withoutTime > 0)
        out.error(u"note: %1 event(s) without a time are left out: the own layout needs one"_s.arg(
            report.withoutTime));
    if (report.withoutPosition > 0)
        out.error(u"note: %1 event(s) with a position below 1 are left out: the own layout "
                  "would renumber them"_s.arg(report.withoutPosition));
    out.line(EventJson::Object()
                 .add("path", args.at(1))
                 .add("events", report.events)
                 .add("streams", byStream)
                 .add("left_out_without_time", report.withoutTime)
                 .add("left_out_without_position", report.withoutPosition)
                 .bytes());
    return CliCommands::Ok;
}

} // namespace

QList<CliCommand> ExportCommands::all()
{
    return {
        {u"readmodel"_s,
         {u"STORE"_s},
         u"Fold the store's events into one state per key (a projection with \"key\"), one JSON "
         "object per key in key order."_s,
         {option(u"projection"_s,
                 u"Projection file with a \"key\": a data path, $stream or $category (see "
                 "README)."_s,
                 u"FILE"_s),
          option(u"type"_s, u"Only events of this type; repeat for several."_s, u"T"_s),
          option(u"limit"_s, u"At most the first N keys."_s, u"N"_s), mapOption(), tableOption()},
         readmodel},
        {u"export"_s,
         {u"STORE"_s},
         u"Write events as JSON Lines or CSV in the own layout's field names, which import reads "
         "back as they were."_s,
         {option(u"format"_s, u"jsonl (default) or csv."_s, u"F"_s),
          option(u"out"_s, u"Write to this new file (never overwritten) instead of stdout."_s,
                 u"FILE"_s),
          option(u"stream"_s, u"Only this stream."_s, u"S"_s),
          option(u"type"_s, u"Only this event type; repeat for several."_s, u"T"_s),
          option(u"from-time"_s, u"Only events at or after this time."_s, u"ISO"_s),
          option(u"to-time"_s, u"Only events before this time."_s, u"ISO"_s),
          option(u"after"_s, u"Start after this position."_s, u"POSITION"_s),
          option(u"where"_s,
                 u"Only events whose data satisfies this predicate, e.g. 'amount > 100 and "
                 "metadata.user == \"u2\"' (metadata. reads the metadata; see README)."_s,
                 u"EXPR"_s),
          option(u"limit"_s, u"At most N events."_s, u"N"_s), mapOption(), tableOption()},
         exportEvents},
        {u"slice"_s,
         {u"STORE"_s, u"OUT"_s},
         u"Write some streams of a store to a new SQLite store in the own layout, positions, "
         "versions and times kept, for reproducing a bug."_s,
         {option(u"stream"_s, u"A stream to take (required); repeat for several."_s, u"S"_s),
          option(u"from-time"_s, u"Only events at or after this time."_s, u"ISO"_s),
          option(u"to-time"_s, u"Only events before this time."_s, u"ISO"_s), mapOption(),
          tableOption()},
         slice},
    };
}

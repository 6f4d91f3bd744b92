#include "clicommands.h"

#include "aggregatecommands.h"
#include "clioutput.h"
#include "clisupport.h"
#include "decoding/timecodec.h"
#include "exportcommands.h"
#include "index/eventindexbuilder.h"
#include "manpage.h"
#include "replay/eventjson.h"
#include "replay/projection.h"
#include "replay/replayengine.h"
#include "replay/snapshotcomparison.h"
#include "store/eventstore.h"
#include "store/knownlayouts.h"
#include "storecheckcommands.h"
#include "writers/demogenerator.h"
#include "writers/eventimporter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QThread>

#include <limits>
#include <optional>

using namespace Qt::StringLiterals;
using namespace CliSupport;

namespace {

int info(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    const auto summary = EventIndexBuilder::exactSummary(*store);
    if (!summary)
        return storeFailed(out, store->lastError());
    out.line(EventJson::summary(*summary));
    return CliCommands::Ok;
}

int streams(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    qint64 remaining = integerOption(parser, u"limit"_s, std::numeric_limits<qint64>::max(), 0);
    StreamQuery query;
    query.filter = parser.value(u"filter"_s);
    const QString order = parser.value(u"order"_s);
    if (order == u"events")
        query.order = StreamQuery::Order::MostEvents;
    else if (!order.isEmpty() && order != u"name")
        throw BadUsage{u"--order is name or events, not '%1'"_s.arg(order)};
    if (parser.isSet(u"after"_s) && query.order == StreamQuery::Order::MostEvents)
        throw BadUsage{u"--after pages in name order only"_s};
    if (parser.isSet(u"after"_s))
        query.after = parser.value(u"after"_s);
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    return writePages<StreamQuery, StreamInfo>(
        *store, query, remaining, &EventStore::streams, &EventJson::stream,
        [](StreamQuery &q, const StreamInfo &last) {
            q.after = last.stream;
            q.afterEvents = last.events;
        },
        out);
}

// Writes the events after filter.afterPosition, page by page, moving it past each; stops at
// the end or when `remaining` events are written.
enum class Written { All, OutputClosed, ReadFailed };
Written writeEventsAfter(EventStore &store, EventFilter &filter, qint64 &remaining, CliOutput &out)
{
    while (remaining > 0) {
        filter.limit = int(qMin<qint64>(remaining, PageSize));
        const auto page = store.events(filter);
        if (!page)
            return Written::ReadFailed;
        for (const Event &event : *page) {
            if (!out.line(EventJson::event(event)))
                return Written::OutputClosed;
        }
        remaining -= page->size();
        if (!page->isEmpty())
            filter.afterPosition = page->constLast().position;
        if (page->size() < filter.limit)
            break;
    }
    return Written::All;
}

// `events --follow`: the events as they are committed, tail -f style, until the output
// closes, --limit events are written or the store fails. New events are those past the last
// position written: on PostgreSQL, a transaction that commits after a later one with a higher
// position is not seen (positions are taken before commit).
int followEvents(const QCommandLineParser &parser, const QString &location,
                 std::unique_ptr<EventStore> store, EventFilter filter, qint64 remaining,
                 CliOutput &out)
{
    constexpr int PollMs = 250;
    store->endSnapshot();
    for (;;) {
        // Where the store is now, then what was committed up to it: a commit after the mark
        // is read now or flagged by the next poll, never lost between the two.
        const bool marked = store->hasChanged().has_value();
        const Written written =
            marked ? writeEventsAfter(*store, filter, remaining, out) : Written::ReadFailed;
        if (written == Written::OutputClosed)
            return CliCommands::StoreFailed;
        if (written == Written::All) {
            if (remaining <= 0)
                return CliCommands::Ok;
            if (!out.flush())
                return CliCommands::StoreFailed;
            std::optional<bool> changed;
            do {
                QThread::msleep(PollMs);
                changed = store->hasChanged();
            } while (changed == false);
            if (!changed && !store->needsReopen())
                return storeFailed(out, store->lastError());
        } else if (!store->needsReopen()) {
            return storeFailed(out, store->lastError());
        }
        // A store read in a way that cannot see new commits is opened again (a read also
        // fails when a writer closing last removes the -wal and -shm it reads by); reading
        // goes on after the last event written.
        if (store->needsReopen()) {
            store = openStore(parser, location, out);
            if (!store)
                return CliCommands::StoreFailed;
            store->endSnapshot();
        }
    }
}

int events(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    qint64 remaining = integerOption(parser, u"limit"_s, std::numeric_limits<qint64>::max(), 0);
    EventFilter filter;
    filter.stream = parser.value(u"stream"_s);
    filter.types = parser.values(u"type"_s);
    filter.fromTimeMs = timeOption(parser, u"from-time"_s);
    filter.toTimeMs = timeOption(parser, u"to-time"_s);
    filter.afterPosition = integerOption(parser, u"after"_s, filter.afterPosition);
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    if (parser.isSet(u"follow"_s))
        return followEvents(parser, args.at(0), std::move(store), filter, remaining, out);
    switch (writeEventsAfter(*store, filter, remaining, out)) {
    case Written::All:
        return CliCommands::Ok;
    case Written::OutputClosed:
        return CliCommands::StoreFailed;
    case Written::ReadFailed:
        break;
    }
    return storeFailed(out, store->lastError());
}

int replay(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    const QString stream = parser.value(u"stream"_s);
    if (stream.isEmpty())
        throw BadUsage{u"replay needs --stream NAME"_s};
    if (parser.isSet(u"at"_s) && parser.isSet(u"time"_s))
        throw BadUsage{u"give --at or --time, not both"_s};
    const qint64 at = integerOption(parser, u"at"_s, std::numeric_limits<qint64>::max());
    const qint64 time = timeOption(parser, u"time"_s);

    const auto projection = loadProjection(parser, out);
    if (!projection)
        return CliCommands::StoreFailed;
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    ReplayEngine engine(*store, stream, *projection);
    // A version needs the events up to it (and the one after, to know it is the last at or
    // before it); a time or the end needs them all.
    const bool toVersion = parser.isSet(u"at"_s);
    if (!(toVersion ? engine.loadPastVersion(at) : engine.load()))
        return storeFailed(out, engine.lastError());
    const auto unordered = store->eventsWithoutVersion(stream);
    if (!unordered)
        return storeFailed(out, store->lastError());
    if (*unordered > 0)
        out.error(u"note: %1 event(s) of stream '%2' have no version (NULL, or the lowest 64-bit "
                  "integer) and are not replayed"_s.arg(*unordered)
                      .arg(stream));
    const auto state = time != NoTime          ? engine.stateAtTime(time)
                       : parser.isSet(u"at"_s) ? engine.stateAtVersion(at)
                                               : engine.stateAtIndex(engine.eventCount() - 1);
    if (!state)
        return storeFailed(out, engine.lastError());
    out.line(EventJson::replay(*state));
    return CliCommands::Ok;
}

int snapshots(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    const QString stream = parser.value(u"stream"_s);
    if (stream.isEmpty())
        throw BadUsage{u"snapshots needs --stream NAME"_s};
    const bool compare = parser.isSet(u"compare"_s);
    const auto projection = loadProjection(parser, out);
    if (!projection)
        return CliCommands::StoreFailed;
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    const auto first = store->streamEvents(stream, std::numeric_limits<qint64>::min(), 1);
    if (first && first->isEmpty()) {
        out.error(u"%1: no stream named '%2'"_s.arg(store->location().displayName(), stream));
        return CliCommands::StoreFailed;
    }
    const auto snapshots = first ? store->snapshots(stream) : std::nullopt;
    if (!snapshots)
        return storeFailed(out, store->lastError());
    ReplayEngine engine(*store, stream, *projection);
    if (compare && !snapshots->isEmpty() && !engine.load())
        return storeFailed(out, engine.lastError());
    for (const StoredSnapshot &snapshot : *snapshots) {
        const QByteArray line =
            compare ? EventJson::snapshotComparison(SnapshotComparison::compare(snapshot, engine))
                    : EventJson::snapshot(snapshot);
        if (!out.line(line))
            return CliCommands::StoreFailed;
    }
    return CliCommands::Ok;
}

int stats(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    BucketSize size = BucketSize::Day;
    if (parser.isSet(u"bucket"_s) && !EventStore::parseBucketName(parser.value(u"bucket"_s), &size))
        throw BadUsage{
            u"--bucket is minute, hour, day or week, not '%1'"_s.arg(parser.value(u"bucket"_s))};
    BucketFilter filter;
    filter.stream = parser.value(u"stream"_s);
    filter.type = parser.value(u"type"_s);
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    const auto buckets = store->buckets(size, filter);
    if (!buckets)
        return storeFailed(out, store->lastError());
    // What no bucket counts, said once: the events `events` shows with a null time.
    const auto summary = store->summary();
    if (summary && summary->eventsWithoutTime > 0)
        out.error(
            u"note: %1 event(s) of the store have no valid time (null in events, "
            "events_without_time in info) and are in no bucket"_s.arg(summary->eventsWithoutTime));
    for (const Bucket &bucket : *buckets) {
        if (!out.line(EventJson::bucket(bucket)))
            return CliCommands::StoreFailed;
    }
    return CliCommands::Ok;
}

int demo(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    if (parser.isSet(mapOption()))
        throw BadUsage{u"demo writes Eventscope's own layout; --map does not apply to it"_s};
    DemoGenerator::Options options;
    options.events = integerOption(parser, u"events"_s, options.events, 1);
    options.users = int(qMin<qint64>(integerOption(parser, u"users"_s, options.users, 1), 1000000));
    options.days = int(qMin<qint64>(integerOption(parser, u"days"_s, options.days, 1), 3650));
    options.seed = quint64(integerOption(parser, u"seed"_s, qint64(options.seed), 0));
    QString error;
    if (!DemoGenerator::generate(args.at(0), options, &error)) {
        out.error(error);
        return CliCommands::StoreFailed;
    }
    out.line(EventJson::Object()
                 .add("path", args.at(0))
                 .add("events", options.events)
                 .add("users", options.users)
                 .add("days", options.days)
                 .add("seed", qint64(options.seed))
                 .bytes());
    return CliCommands::Ok;
}

int import(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    QString error;
    ImportOptions options;
    if (parser.isSet(u"format"_s) &&
        !ImportReader::parseFormatName(parser.value(u"format"_s), &options.format))
        throw BadUsage{
            u"--format is jsonl, atom or csv, not '%1'"_s.arg(parser.value(u"format"_s))};
    const auto fields = ColumnMapping().withSpec(parser.value(mapOption()), &error);
    if (!fields)
        throw BadUsage{error};
    options.fields = *fields;
    EventImporter::Report report;
    if (!EventImporter::import(args.at(0), args.at(1), &report, &error, {}, options)) {
        out.error(error);
        return CliCommands::StoreFailed;
    }
    QJsonArray rejected;
    for (const auto &r : std::as_const(report.rejected)) {
        out.error(u"%1:%2: %3"_s.arg(args.at(0)).arg(r.line).arg(r.reason));
        rejected.append(QJsonObject{{u"line"_s, r.line}, {u"reason"_s, r.reason}});
    }
    out.line(EventJson::Object()
                 .add("path", args.at(1))
                 .add("format", ImportReader::formatName(report.format))
                 .add("fields", report.fields)
                 .add("imported", report.imported)
                 .add("rejected", rejected)
                 .bytes());
    return CliCommands::Ok;
}

QString commandSynopsis(const CliCommand &command)
{
    QString text = command.name;
    for (const QString &arg : command.arguments)
        text += u' ' + arg;
    return text;
}

// Builds the parser of one command and checks its arguments; throws BadUsage.
QStringList parseCommand(QCommandLineParser &parser, const CliCommand &command,
                         const QStringList &arguments)
{
    parser.setApplicationDescription(command.summary);
    parser.addHelpOption();
    parser.addOptions(command.options);
    for (const QString &arg : command.arguments)
        parser.addPositionalArgument(arg, QString());
    if (!parser.parse(arguments))
        throw BadUsage{parser.errorText()};
    if (parser.isSet(u"help"_s))
        return {};
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != command.arguments.size())
        throw BadUsage{
            u"usage: eventscope-cli %1 [options] (see --help)"_s.arg(commandSynopsis(command))};
    return positional;
}

// The commands that list and replay what a store holds, and write new stores.
QList<CliCommand> storeCommands()
{
    return {
        {u"info"_s,
         {u"STORE"_s},
         u"Summarise a store: layout, counts, time range, event types. Layouts: "_s +
             KnownLayouts::ids().join(u", "_s) + u'.',
         {mapOption(), tableOption()},
         info},
        {u"streams"_s,
         {u"STORE"_s},
         u"List streams in natural name order (post-2 before post-10), one JSON object per "
         "line."_s,
         {option(u"filter"_s, u"Only streams whose name contains TEXT (any case)."_s, u"TEXT"_s),
          option(u"limit"_s, u"At most N streams."_s, u"N"_s),
          option(u"order"_s, u"name (default) or events: the most events first."_s, u"ORDER"_s),
          option(u"after"_s, u"Start after this stream name (paging in name order)."_s,
                 u"STREAM"_s),
          mapOption(), tableOption()},
         streams},
        {u"events"_s,
         {u"STORE"_s},
         u"List events in position order, one JSON object per line."_s,
         {option(u"stream"_s, u"Only this stream."_s, u"S"_s),
          option(u"type"_s, u"Only this event type; repeat for several."_s, u"T"_s),
          option(u"from-time"_s, u"Only events at or after this time."_s, u"ISO"_s),
          option(u"to-time"_s, u"Only events before this time."_s, u"ISO"_s),
          option(u"after"_s, u"Start after this position (paging)."_s, u"POSITION"_s),
          option(u"limit"_s, u"At most N events."_s, u"N"_s),
          option(u"follow"_s, u"Then wait for new events and print them as they are committed "
                              "(like tail -f); Ctrl+C stops."_s),
          mapOption(), tableOption()},
         events},
        {u"replay"_s,
         {u"STORE"_s},
         u"Rebuild a stream's state by folding its events."_s,
         {option(u"stream"_s, u"The stream to replay (required)."_s, u"S"_s),
          option(u"at"_s, u"State after the last event with version <= VERSION."_s, u"VERSION"_s),
          option(u"time"_s, u"State after the last event at or before this time."_s, u"ISO"_s),
          option(u"projection"_s, u"Projection file: operations per event type (see README)."_s,
                 u"FILE"_s),
          mapOption(), tableOption()},
         replay},
        {u"snapshots"_s,
         {u"STORE"_s},
         u"List the snapshots a library stored for a stream, and compare them with the replay."_s,
         {option(u"stream"_s, u"The stream whose snapshots to list (required)."_s, u"S"_s),
          option(u"compare"_s, u"Add the replay's state at each snapshot's version and the "
                               "differences."_s),
          option(u"projection"_s, u"Projection file for --compare (see README)."_s, u"FILE"_s),
          mapOption(), tableOption()},
         snapshots},
        {u"stats"_s,
         {u"STORE"_s},
         u"Count events per time bucket and type."_s,
         {option(u"bucket"_s, u"minute, hour, day (default) or week."_s, u"SIZE"_s),
          option(u"stream"_s, u"Only this stream."_s, u"S"_s),
          option(u"type"_s, u"Only this event type."_s, u"T"_s), mapOption(), tableOption()},
         stats},
        {u"demo"_s,
         {u"OUT"_s},
         u"Write the demo store (a blog click-tracker) to a new file."_s,
         {option(u"events"_s, u"Number of events (default 20000)."_s, u"N"_s),
          option(u"users"_s, u"Number of users (default 200)."_s, u"N"_s),
          option(u"days"_s, u"Days of activity (default 30)."_s, u"N"_s),
          option(u"seed"_s, u"Random seed (default 42); the same seed gives the same store."_s,
                 u"N"_s),
          mapOption()},
         demo},
        {u"import"_s,
         {u"INPUT"_s, u"OUT"_s},
         u"Import events from JSON Lines, KurrentDB Atom pages or CSV into a new store in "
         "Eventscope's own layout."_s,
         {option(u"format"_s, u"jsonl, atom or csv; by default recognised from the content."_s,
                 u"F"_s),
          QCommandLineOption(u"map"_s,
                             u"Field names of the input by role, e.g. stream=aggregate,type=kind,"
                             "time=at,version=seq,data=payload (the others are recognised); "
                             "time_format=s, ms or ticks reads every time that way."_s,
                             u"SPEC"_s)},
         import},
    };
}

} // namespace

// Each area's commands come from its own file; the overview lists them in this order.
const QList<CliCommand> &CliCommands::all()
{
    static const QList<CliCommand> commands = [] {
        QList<CliCommand> list = storeCommands();
        list += aggregateCommands();
        list += ExportCommands::all();
        list += storeCheckCommands();
        return list;
    }();
    return commands;
}

QString CliCommands::overview()
{
    QString text =
        u"Usage: eventscope-cli COMMAND [options]\n\n"_s + description() + u"\n\nCommands:\n"_s;
    for (const CliCommand &command : all())
        text += u"  "_s + commandSynopsis(command).leftJustified(26) + command.summary + u'\n';
    text += u"\nRun eventscope-cli COMMAND --help for its options.\n"_s;
    return text;
}

QString CliCommands::description()
{
    return u"Explore an event store from the shell. STORE is an SQLite file.\n"
           "Output is JSON (one object per line); errors go to stderr."_s;
}

QString CliCommands::manPage()
{
    ManPage page(u"eventscope-cli"_s, u"explore event-sourced data from the shell"_s,
                 QStringLiteral(EVENTSCOPE_VERSION));
    page.addSynopsis({u"COMMAND"_s, u"[options]"_s, u"ARGUMENTS"_s});
    page.addSynopsis({u"COMMAND"_s, u"--help"_s});
    page.addSynopsis({u"--version"_s});
    page.addSection(u"Description"_s);
    page.addParagraph(description());
    page.addSection(u"Commands"_s);
    for (const CliCommand &command : all()) {
        page.addSubsection(commandSynopsis(command) + u" [options]"_s);
        page.addParagraph(command.summary);
        page.addOptions(command.options);
    }
    page.addSection(u"Exit status"_s);
    page.addItem(QString::number(Ok), u"Success."_s);
    page.addItem(QString::number(StoreFailed),
                 u"The store or another input file cannot be opened or read; one line on stderr, "
                 "starting \"eventscope-cli: \", names the problem."_s);
    page.addItem(QString::number(UsageError), u"A usage error."_s);
    page.addSection(u"See also"_s);
    page.addParagraph(u"eventscope(1)"_s);
    return page.text();
}

int CliCommands::run(const QStringList &arguments)
{
    CliOutput out;
    const QString program = arguments.value(0, u"eventscope-cli"_s);
    const QString first = arguments.value(1);
    if (first.isEmpty() || first == u"--help" || first == u"-h" || first == u"help") {
        out.line(overview().toUtf8().chopped(1));
        return first.isEmpty() ? UsageError : Ok;
    }
    // Not in the overview: it is how the build writes the man page.
    if (first == u"--man") {
        out.line(manPage().toUtf8().chopped(1));
        return Ok;
    }
    if (first == u"--version" || first == u"-v") {
        out.line(QByteArrayLiteral("eventscope-cli " EVENTSCOPE_VERSION));
        return Ok;
    }
    for (const CliCommand &command : all()) {
        if (command.name != first)
            continue;
        QCommandLineParser parser;
        QStringList rest = arguments.mid(2);
        rest.prepend(program);
        try {
            const QStringList positional = parseCommand(parser, command, rest);
            if (parser.isSet(u"help"_s)) {
                out.line(parser.helpText()
                             .replace(u"Usage: "_s + program + u" [options]"_s,
                                      u"Usage: eventscope-cli "_s + command.name + u" [options]"_s)
                             .toUtf8()
                             .chopped(1));
                return Ok;
            }
            return command.run(parser, positional, out);
        } catch (const BadUsage &e) {
            out.error(e.message);
            return UsageError;
        }
    }
    QStringList names;
    for (const CliCommand &command : all())
        names << command.name;
    out.error(u"unknown command '%1' (commands: %2; see --help)"_s.arg(first, names.join(u", "_s)));
    return UsageError;
}

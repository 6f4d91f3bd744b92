#include "benchoptions.h"

#include "foreignstores.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace {

bool readNumber(const QCommandLineParser &parser, const QString &name, qint64 minimum,
                qint64 *value, QString *error)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    const qint64 number = parser.value(name).toLongLong(&ok);
    if (!ok || number < minimum) {
        *error = u"--%1 needs a whole number of at least %2"_s.arg(name).arg(minimum);
        return false;
    }
    *value = number;
    return true;
}

} // namespace

std::optional<BenchOptions> BenchOptions::parse(const QStringList &arguments, QString *error)
{
    BenchOptions o;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Measures Eventscope's engine and timeline on large demo stores, each figure next to "
        "a baseline run in the same process, and prints a table."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"events"_s,
         u"Events per store (default %1; the issue's size is 10000000)."_s.arg(o.events), u"N"_s},
        {u"users"_s, u"Users in the main store (default %1)."_s.arg(o.users), u"N"_s},
        {u"postgres-events"_s,
         u"Events in the PostgreSQL store (default %1, the target's size)."_s.arg(o.postgresEvents),
         u"N"_s},
        {u"stream-users"_s, u"Users in the stream-list store (default %1)."_s.arg(o.streamUsers),
         u"N"_s},
        {u"seed"_s, u"Demo seed (default %1)."_s.arg(o.seed), u"N"_s},
        {u"data"_s, u"Cache folder for the stores (default %1)."_s.arg(o.dataDir), u"DIR"_s},
        {u"fresh"_s, u"Regenerate the stores even when cached, so that generation is timed."_s},
        {u"grabs"_s, u"Timeline repaints per zoom level (default %1)."_s.arg(o.timelineGrabs),
         u"N"_s},
        {u"only"_s,
         u"Measure only the SQLite figures, only the PostgreSQL one (a Message DB store of "
         "--postgres-events events in --users streams on a temporary local server), only "
         "the main store's timeline, only the matrix of foreign store shapes, or only the "
         "questions about one aggregate (history, bisect) on a stream of --events events, or "
         "only the questions about the whole store (search, check, schema, read model) on "
         "the main store, or only an NEventStore store of --nes-commits commits."_s,
         u"sqlite|postgres|timeline|shapes|aggregate|store|neventstore"_s},
        {u"nes-commits"_s, u"Commits in the NEventStore store (default %1)."_s.arg(o.nesCommits),
         u"N"_s},
        {u"shapes"_s,
         u"The foreign store shapes to measure, comma-separated, or all (default): %1."_s.arg(
             ForeignStores::names().join(u", "_s)),
         u"LIST"_s},
        {u"shape-events"_s, u"Events per shape store (default %1)."_s.arg(o.shapeEvents), u"N"_s},
        {u"shape-big-stream"_s,
         u"Events of the big stream replayed in each shape store (default %1)."_s.arg(
             o.shapeBigStream),
         u"N"_s},
        {u"shape-streams"_s, u"Streams per shape store (default %1)."_s.arg(o.shapeStreams),
         u"N"_s},
        {u"paint-events"_s,
         u"Events of a second store of each SQLite shape for the first paint, info and the "
         "window (the issue's 10000000; default: the shape store itself)."_s,
         u"N"_s},
        {u"window-repeats"_s,
         u"Window openings per shape store (default %1)."_s.arg(o.windowRepeats), u"N"_s},
        {u"keep-shape-stores"_s,
         u"Keep the foreign stores of 1 GB or more in the cache after the run."_s},
    });
    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(u"help"_s))
        parser.showHelp(0);
    if (!parser.positionalArguments().isEmpty()) {
        *error = u"unexpected argument %1"_s.arg(parser.positionalArguments().constFirst());
        return std::nullopt;
    }
    qint64 users = o.users;
    qint64 streamUsers = o.streamUsers;
    qint64 seed = qint64(o.seed);
    qint64 grabs = o.timelineGrabs;
    qint64 shapeStreams = o.shapeStreams;
    qint64 windowRepeats = o.windowRepeats;
    if (!readNumber(parser, u"events"_s, 1000, &o.events, error) ||
        !readNumber(parser, u"postgres-events"_s, 1000, &o.postgresEvents, error) ||
        !readNumber(parser, u"users"_s, 1, &users, error) ||
        !readNumber(parser, u"stream-users"_s, 1, &streamUsers, error) ||
        !readNumber(parser, u"seed"_s, 0, &seed, error) ||
        !readNumber(parser, u"grabs"_s, 1, &grabs, error) ||
        !readNumber(parser, u"shape-events"_s, 2000, &o.shapeEvents, error) ||
        !readNumber(parser, u"shape-big-stream"_s, 1000, &o.shapeBigStream, error) ||
        !readNumber(parser, u"shape-streams"_s, 2, &shapeStreams, error) ||
        !readNumber(parser, u"paint-events"_s, 2000, &o.paintEvents, error) ||
        !readNumber(parser, u"window-repeats"_s, 1, &windowRepeats, error) ||
        !readNumber(parser, u"nes-commits"_s, 1000, &o.nesCommits, error))
        return std::nullopt;
    if (o.shapeBigStream >= o.shapeEvents) {
        *error = u"--shape-big-stream must be below --shape-events"_s;
        return std::nullopt;
    }
    o.shapeStreams = int(shapeStreams);
    o.windowRepeats = int(windowRepeats);
    o.keepShapeStores = parser.isSet(u"keep-shape-stores"_s);
    if (parser.isSet(u"shapes"_s) && parser.value(u"shapes"_s) != u"all") {
        o.shapeNames = parser.value(u"shapes"_s).split(u',', Qt::SkipEmptyParts);
        for (const QString &name : std::as_const(o.shapeNames)) {
            if (!ForeignStores::find(name)) {
                *error = u"no shape %1; the shapes: %2"_s.arg(name,
                                                              ForeignStores::names().join(u", "_s));
                return std::nullopt;
            }
        }
    }
    o.users = int(users);
    o.streamUsers = int(streamUsers);
    o.seed = quint64(seed);
    o.timelineGrabs = int(grabs);
    if (parser.isSet(u"data"_s))
        o.dataDir = parser.value(u"data"_s);
    o.fresh = parser.isSet(u"fresh"_s);
    if (parser.isSet(u"only"_s)) {
        const QString only = parser.value(u"only"_s);
        if (only != u"sqlite" && only != u"postgres" && only != u"timeline" && only != u"shapes" &&
            only != u"aggregate" && only != u"store" && only != u"neventstore") {
            *error = u"--only needs sqlite, postgres, timeline, shapes, aggregate, store or "
                     "neventstore, not %1"_s.arg(only);
            return std::nullopt;
        }
        o.sqlite = only == u"sqlite" || only == u"timeline";
        o.postgres = only == u"postgres";
        o.timelineOnly = only == u"timeline";
        o.shapes = only == u"shapes";
        o.aggregate = only == u"aggregate";
        o.storeQuestions = only == u"store";
        o.neventstore = only == u"neventstore";
    }
    return o;
}

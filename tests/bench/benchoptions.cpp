#include "benchoptions.h"

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
         "--postgres-events events in --users streams on a temporary local server), or only "
         "the main store's timeline."_s,
         u"sqlite|postgres|timeline"_s},
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
    if (!readNumber(parser, u"events"_s, 1000, &o.events, error) ||
        !readNumber(parser, u"postgres-events"_s, 1000, &o.postgresEvents, error) ||
        !readNumber(parser, u"users"_s, 1, &users, error) ||
        !readNumber(parser, u"stream-users"_s, 1, &streamUsers, error) ||
        !readNumber(parser, u"seed"_s, 0, &seed, error) ||
        !readNumber(parser, u"grabs"_s, 1, &grabs, error))
        return std::nullopt;
    o.users = int(users);
    o.streamUsers = int(streamUsers);
    o.seed = quint64(seed);
    o.timelineGrabs = int(grabs);
    if (parser.isSet(u"data"_s))
        o.dataDir = parser.value(u"data"_s);
    o.fresh = parser.isSet(u"fresh"_s);
    if (parser.isSet(u"only"_s)) {
        const QString only = parser.value(u"only"_s);
        if (only != u"sqlite" && only != u"postgres" && only != u"timeline") {
            *error = u"--only needs sqlite, postgres or timeline, not %1"_s.arg(only);
            return std::nullopt;
        }
        o.sqlite = only != u"postgres";
        o.postgres = only == u"postgres";
        o.timelineOnly = only == u"timeline";
    }
    return o;
}

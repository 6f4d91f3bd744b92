#include "aggregatecommands.h"

#include "clioutput.h"
#include "clisupport.h"
#include "query/fieldhistory.h"
#include "query/predicate.h"
#include "query/statebisect.h"
#include "query/statediff.h"
#include "replay/eventjson.h"
#include "replay/replayengine.h"

#include <QCommandLineParser>

#include <limits>

using namespace Qt::StringLiterals;
using namespace CliSupport;

namespace {

QString requiredStream(const QCommandLineParser &parser, const QString &command)
{
    const QString stream = parser.value(u"stream"_s);
    if (stream.isEmpty())
        throw BadUsage{u"%1 needs --stream NAME"_s.arg(command)};
    return stream;
}

// before/after only when there is a value: an absent field and a null one read apart.
EventJson::Object &addChange(EventJson::Object &object, const JsonChange &change)
{
    object.add("change", JsonDiff::kindName(change.kind));
    if (!change.before.isUndefined())
        object.add("before", change.before);
    if (!change.after.isUndefined())
        object.add("after", change.after);
    return object;
}

QByteArray sideJson(const ReplayState &state)
{
    // The state before the first event has no version.
    return EventJson::Object()
        .add("stream", state.stream)
        .add("version", state.index < 0 ? QJsonValue() : QJsonValue(state.version))
        .bytes();
}

int history(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    const QString stream = requiredStream(parser, u"history"_s);
    if (!parser.isSet(u"path"_s))
        throw BadUsage{u"history needs --path PATH"_s};
    QueryError error;
    const auto path = Predicate::parsePath(parser.value(u"path"_s), &error);
    if (!path)
        throw BadUsage{u"--path is malformed at "_s + error.text()};
    const auto projection = loadProjection(parser, out);
    if (!projection)
        return CliCommands::StoreError;
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreError;
    ReplayEngine engine(*store, stream, *projection);
    bool written = true;
    QString failure;
    const bool walked = FieldHistory::walk(
        engine, *path,
        [&](const FieldChange &change) {
            EventJson::Object line;
            line.add("version", change.version)
                .add("position", change.position)
                .add("time", EventJson::time(change.timeMs))
                .add("type", change.type);
            written = out.line(addChange(line, change.change).bytes());
            return written;
        },
        {}, &failure);
    if (!walked) {
        out.error(failure);
        return CliCommands::StoreError;
    }
    return written ? CliCommands::Ok : CliCommands::StoreError;
}

// --NAME (a version) or --NAME-time (a time) for one side of a diff, exactly one of them.
DiffSide diffSide(const QCommandLineParser &parser, const QString &name, const QString &stream)
{
    const QString timeName = name + u"-time"_s;
    if (parser.isSet(name) == parser.isSet(timeName))
        throw BadUsage{u"diff needs --%1 VERSION or --%2 ISO (one of them)"_s.arg(name, timeName)};
    DiffSide side;
    side.stream = stream;
    side.version = integerOption(parser, name, 0);
    side.timeMs = timeOption(parser, timeName);
    return side;
}

int diff(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    const QString stream = requiredStream(parser, u"diff"_s);
    const QString otherStream =
        parser.isSet(u"other-stream"_s) ? parser.value(u"other-stream"_s) : stream;
    if (otherStream.isEmpty())
        throw BadUsage{u"--other-stream needs a stream name"_s};
    const DiffSide left = diffSide(parser, u"from"_s, stream);
    const DiffSide right = diffSide(parser, u"to"_s, otherStream);
    const auto projection = loadProjection(parser, out);
    if (!projection)
        return CliCommands::StoreError;
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreError;
    QString error;
    const auto result = StateDiff::compare(*store, *projection, left, right, {}, &error);
    if (!result) {
        out.error(error);
        return CliCommands::StoreError;
    }
    QByteArray changes = "[";
    for (const JsonChange &change : result->changes) {
        if (changes.size() > 1)
            changes += ',';
        EventJson::Object object;
        object.add("path", change.path);
        changes += addChange(object, change).bytes();
    }
    changes += ']';
    const bool written = out.line(EventJson::Object()
                                      .addJson("left", sideJson(result->left))
                                      .addJson("right", sideJson(result->right))
                                      .addJson("changes", changes)
                                      .bytes());
    return written ? CliCommands::Ok : CliCommands::StoreError;
}

int bisect(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    const QString stream = requiredStream(parser, u"bisect"_s);
    if (!parser.isSet(u"predicate"_s))
        throw BadUsage{u"bisect needs --predicate EXPR"_s};
    QueryError parseError;
    const auto predicate = Predicate::parse(parser.value(u"predicate"_s), &parseError);
    if (!predicate)
        throw BadUsage{u"--predicate is malformed at "_s + parseError.text()};
    const auto projection = loadProjection(parser, out);
    if (!projection)
        return CliCommands::StoreError;
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreError;
    ReplayEngine engine(*store, stream, *projection);
    QString error;
    const auto result = StateBisect::find(engine, *predicate, {}, &error);
    if (!result) {
        out.error(error);
        return CliCommands::StoreError;
    }
    if (!result->found) {
        return out.line(EventJson::Object()
                            .add("found", false)
                            .add("events_applied", result->eventsApplied)
                            .bytes())
                   ? CliCommands::Ok
                   : CliCommands::StoreError;
    }
    const ReplayState &state = *result->found;
    return out.line(EventJson::Object()
                        .add("found", true)
                        .add("version", state.version)
                        .add("position", state.position)
                        .add("time", EventJson::time(state.timeMs))
                        .add("type", state.type)
                        .add("state", state.state)
                        .bytes())
               ? CliCommands::Ok
               : CliCommands::StoreError;
}

QCommandLineOption projectionOption()
{
    return option(u"projection"_s, u"Projection file: operations per event type (see README)."_s,
                  u"FILE"_s);
}

} // namespace

QList<CliCommand> aggregateCommands()
{
    return {
        {u"history"_s,
         {u"STORE"_s},
         u"List the events that changed the value at a path of a stream's state, with the "
         "value before and after, one JSON object per line."_s,
         {option(u"stream"_s, u"The stream (required)."_s, u"S"_s),
          option(u"path"_s,
                 u"The field: dotted keys, [n] for array items, \"quoted\" keys (required)."_s,
                 u"PATH"_s),
          projectionOption(), mapOption(), tableOption()},
         history},
        {u"diff"_s,
         {u"STORE"_s},
         u"Compare a stream's state at two moments, or with another stream's: the paths "
         "added, changed and removed from left to right."_s,
         {option(u"stream"_s, u"The stream (required)."_s, u"S"_s),
          option(u"from"_s, u"Left: the state after the last event with version <= VERSION."_s,
                 u"VERSION"_s),
          option(u"from-time"_s, u"Left: the state after the last event at or before ISO."_s,
                 u"ISO"_s),
          option(u"to"_s, u"Right: the state after the last event with version <= VERSION."_s,
                 u"VERSION"_s),
          option(u"to-time"_s, u"Right: the state after the last event at or before ISO."_s,
                 u"ISO"_s),
          option(u"other-stream"_s, u"Right side from this stream instead."_s, u"S2"_s),
          projectionOption(), mapOption(), tableOption()},
         diff},
        {u"bisect"_s,
         {u"STORE"_s},
         u"Find the first event after which a condition holds on a stream's state, e.g. "
         "--predicate 'balance.cents < 0 and not (status == \"frozen\")'."_s,
         {option(u"stream"_s, u"The stream (required)."_s, u"S"_s),
          option(u"predicate"_s,
                 u"PATH OP VALUE (== != < <= > >= contains matches), PATH exists, PATH "
                 "missing; and, or, not, parentheses; values are JSON (required)."_s,
                 u"EXPR"_s),
          projectionOption(), mapOption(), tableOption()},
         bisect},
    };
}

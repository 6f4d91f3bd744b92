#include "clisupport.h"

#include "decoding/timecodec.h"

using namespace Qt::StringLiterals;

namespace CliSupport {

const QCommandLineOption &mapOption()
{
    static const QCommandLineOption option(
        u"map"_s,
        u"Read the events from a table given as a column mapping, "
        "e.g. table=events_v2,stream=aggregate_id,version=seq,"
        "type=kind,time=created,data=body,position=id."_s,
        u"SPEC"_s);
    return option;
}

const QCommandLineOption &tableOption()
{
    static const QCommandLineOption option(u"table"_s,
                                           u"Of several tables holding events, read this one "
                                           "(info lists them)."_s,
                                           u"NAME"_s);
    return option;
}

QCommandLineOption option(const QString &name, const QString &description,
                          const QString &valueName)
{
    return QCommandLineOption(name, description, valueName);
}

qint64 integerOption(const QCommandLineParser &parser, const QString &name, qint64 fallback,
                     qint64 minimum)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < minimum)
        throw BadUsage{minimum == std::numeric_limits<qint64>::min()
                           ? u"--%1 needs a whole number, not '%2'"_s.arg(name, parser.value(name))
                           : u"--%1 needs a whole number of at least %2, not '%3'"_s.arg(name)
                                 .arg(minimum)
                                 .arg(parser.value(name))};
    return value;
}

qint64 timeOption(const QCommandLineParser &parser, const QString &name)
{
    if (!parser.isSet(name))
        return NoTime;
    const qint64 ms = TimeCodec::parseIso(parser.value(name));
    if (ms == NoTime)
        throw BadUsage{u"--%1 needs an ISO-8601 time such as 2026-01-05T14:30:00Z, not '%2'"_s.arg(
            name, parser.value(name))};
    return ms;
}

int storeFailed(CliOutput &out, const StoreError &error)
{
    out.error(error.message);
    return CliCommands::StoreFailed;
}

std::unique_ptr<EventStore> openStore(const QCommandLineParser &parser, const QString &store,
                                      CliOutput &out)
{
    StoreError error;
    const StoreOpenOptions options{parser.value(mapOption()), parser.value(tableOption())};
    auto opened = EventStore::open(StoreLocation::parse(store), options, &error);
    if (!opened) {
        out.error(error.message);
        return nullptr;
    }
    if (!opened->readNotice().isEmpty())
        out.error(opened->readNotice()); // on stderr, the answer on stdout stays as it is
    // A command's answer is one state of the store, however many statements and pages it
    // takes while another process writes.
    if (!opened->beginSnapshot()) {
        out.error(opened->lastError().message);
        return nullptr;
    }
    return opened;
}

std::optional<Projection> loadProjection(const QCommandLineParser &parser, CliOutput &out,
                                         ProjectionUse use)
{
    if (!parser.isSet(u"projection"_s))
        return Projection();
    const QString path = parser.value(u"projection"_s);
    QString error;
    auto loaded = Projection::fromFile(path, &error);
    if (!loaded) {
        out.error(error);
    } else if (use == ProjectionUse::Replay && loaded->isReadModel()) {
        out.error(u"%1 has a \"key\": it is a read model's projection, folding the whole store "
                  "into one state per key; run it with eventscope-cli readmodel, or remove "
                  "\"key\" to replay one stream with it"_s.arg(path));
        loaded.reset();
    } else if (use == ProjectionUse::ReadModel && !loaded->isReadModel()) {
        out.error(u"%1 has no \"key\": a read model needs one, a data path (\"page\"), "
                  "\"$stream\" or \"$category\", to fold each key's events into a state"_s.arg(
                      path));
        loaded.reset();
    }
    return loaded;
}

} // namespace CliSupport

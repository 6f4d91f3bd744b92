#include "storecheckcommands.h"

#include "clioutput.h"
#include "clisupport.h"
#include "query/integritycheck.h"
#include "query/schemasurvey.h"
#include "replay/eventjson.h"
#include "store/eventstore.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;
using namespace CliSupport;

namespace {

int check(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreError;
    IntegrityCheck integrity(*store, parser.value(u"stream"_s));
    const bool done = integrity.run(
        [&out](const IntegrityProblem &problem) {
            return out.line(EventJson::integrityProblem(problem));
        });
    if (!done) {
        // Never a short answer: the lines so far stand, without a summary, and the exit
        // code says the check did not finish.
        out.error(integrity.errorString());
        return CliCommands::StoreError;
    }
    return out.line(EventJson::integritySummary(integrity.summary())) ? CliCommands::Ok
                                                                      : CliCommands::StoreError;
}

int schema(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreError;
    SchemaSurvey survey(*store, parser.value(u"type"_s));
    if (!survey.run()) {
        out.error(survey.errorString());
        return CliCommands::StoreError;
    }
    for (const QString &type : survey.typesOverBound())
        out.error(u"note: type '%1' has more than %2 paths, or paths longer than %3 bytes; "
                  "those are counted together in its line with \"path\": null"_s.arg(type)
                      .arg(SchemaSurvey::MaxPathsPerType)
                      .arg(SchemaSurvey::MaxPathBytes));
    if (survey.typesOverflowed())
        out.error(u"note: the store has more than %1 event types; the others are counted "
                  "together in the line with \"type\": null"_s.arg(SchemaSurvey::MaxTypes));
    for (const SchemaField &field : survey.fields()) {
        if (!out.line(EventJson::schemaField(field)))
            return CliCommands::StoreError;
    }
    return CliCommands::Ok;
}

} // namespace

QList<CliCommand> storeCheckCommands()
{
    return {
        {u"check"_s,
         {u"STORE"_s},
         u"Check a store's integrity: one JSON line per problem (version_gap, "
         "duplicate_version, time_backwards, unparseable_data, missing_time, missing_type, "
         "missing_stream), then a summary line."_s,
         {option(u"stream"_s, u"Only this stream."_s, u"S"_s), mapOption(), tableOption()},
         check},
        {u"schema"_s,
         {u"STORE"_s},
         u"Survey the payloads' shape: one JSON line per event type and path, with the JSON "
         "types found there, the events holding it and their first and last time."_s,
         {option(u"type"_s, u"Only this event type."_s, u"T"_s), mapOption(), tableOption()},
         schema},
    };
}

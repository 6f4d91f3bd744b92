#include "storecheckcommands.h"

#include "clioutput.h"
#include "clisupport.h"
#include "query/integritycheck.h"
#include "query/payloadsearch.h"
#include "query/predicate.h"
#include "query/schemasurvey.h"
#include "replay/eventjson.h"
#include "store/eventstore.h"

#include <QCommandLineParser>

#include <limits>

using namespace Qt::StringLiterals;
using namespace CliSupport;

namespace {

int check(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    IntegrityCheck integrity(*store, parser.value(u"stream"_s));
    const bool done = integrity.run([&out](const IntegrityProblem &problem) {
        return out.line(EventJson::integrityProblem(problem));
    });
    if (!done) {
        // Never a short answer: the lines so far stand, without a summary, and the exit
        // code says the check did not finish.
        out.error(integrity.errorString());
        return CliCommands::StoreFailed;
    }
    return out.line(EventJson::integritySummary(integrity.summary())) ? CliCommands::Ok
                                                                      : CliCommands::StoreFailed;
}

int schema(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    SchemaSurvey survey(*store, parser.value(u"type"_s));
    if (!survey.run()) {
        out.error(survey.errorString());
        return CliCommands::StoreFailed;
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
            return CliCommands::StoreFailed;
    }
    return CliCommands::Ok;
}

int search(const QCommandLineParser &parser, const QStringList &args, CliOutput &out)
{
    if (!parser.isSet(u"where"_s))
        throw BadUsage{u"search needs --where EXPR"_s};
    QueryError error;
    const auto predicate = Predicate::parse(parser.value(u"where"_s), &error);
    if (!predicate)
        throw BadUsage{u"--where: "_s + error.text()};
    const qint64 limit = integerOption(parser, u"limit"_s, std::numeric_limits<qint64>::max(), 0);
    EventFilter filter;
    filter.stream = parser.value(u"stream"_s);
    filter.types = parser.values(u"type"_s);
    filter.fromTimeMs = timeOption(parser, u"from-time"_s);
    filter.toTimeMs = timeOption(parser, u"to-time"_s);
    filter.afterPosition = integerOption(parser, u"after"_s, filter.afterPosition);
    auto store = openStore(parser, args.at(0), out);
    if (!store)
        return CliCommands::StoreFailed;
    PayloadSearch payloadSearch(*store, *predicate,
                                parser.isSet(u"scan"_s) ? PayloadSearch::Method::Scan
                                                        : PayloadSearch::Method::Sql);
    const bool done = payloadSearch.run(
        filter, limit, [&out](const Event &event) { return out.line(EventJson::event(event)); });
    if (!done) {
        out.error(payloadSearch.errorString());
        return CliCommands::StoreFailed;
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
        {u"search"_s,
         {u"STORE"_s},
         u"List the events whose payload satisfies a predicate, in position order, one JSON "
         "object per line as events prints them."_s,
         {option(u"where"_s,
                 u"The predicate over the data (required), e.g. 'plan == \"pro\" and "
                 "profile.city exists'; paths starting metadata. read the metadata."_s,
                 u"EXPR"_s),
          option(u"stream"_s, u"Only this stream."_s, u"S"_s),
          option(u"type"_s, u"Only this event type; repeat for several."_s, u"T"_s),
          option(u"from-time"_s, u"Only events at or after this time."_s, u"ISO"_s),
          option(u"to-time"_s, u"Only events before this time."_s, u"ISO"_s),
          option(u"after"_s, u"Start after this position (paging)."_s, u"POSITION"_s),
          option(u"limit"_s, u"At most N events."_s, u"N"_s),
          option(u"scan"_s, u"Test every event here, without narrowing the rows in SQL first "
                            "(the same answer; for comparison)."_s),
          mapOption(), tableOption()},
         search},
    };
}

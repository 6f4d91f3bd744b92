// Measures a replay from zero of one long stream of a Message DB store on a throwaway local
// server: ReplayEngine's default merge (the libpq hot path), the same fold down the generic
// path (QSqlQuery chunks and Projection, what PostgreSQL replays took before), and the
// libpq + simdjson baseline (PgBaseline). Not a test; run it on a Release build:
//   pgreplaymeasure [events=2000000] [streams=4] [runs=3]
// With 4 streams, about half the events fall into user-0.

#include "pgbaseline.h"
#include "pgdemostore.h"
#include "replay/projection.h"
#include "replay/replayengine.h"
#include "samples.h"
#include "store/eventstore.h"

#include <QCoreApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

int fail(const QString &message)
{
    std::fprintf(stderr, "%s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qint64 events = args.size() > 1 ? args.at(1).toLongLong() : 2000000;
    const int streams = args.size() > 2 ? args.at(2).toInt() : 4;
    const int runs = args.size() > 3 ? args.at(3).toInt() : 3;

    PgDemoStore demo;
    QString error;
    if (!demo.create(events, streams, &error))
        return fail(error);
    std::printf("store: %lld events over %d streams, generated in %.0f ms\n",
                static_cast<long long>(events), streams, demo.generationMs());
    StoreError openError;
    auto store = EventStore::open(StoreLocation::parse(demo.url()), {}, &openError);
    if (!store)
        return fail(openError.message);
    const QString stream = u"user-0"_s;
    QString problem;
    const Projection generic =
        Projection::fromJson(R"({"*": [{"op": "merge"}]})", &error).value_or(Projection());

    Samples engine, before, baseline;
    qint64 engineEvents = 0, baselineEvents = 0;
    for (int run = 0; run < runs; ++run) {
        engine.add(timeMs([&] {
            ReplayEngine replay(*store, stream);
            if (!replay.load())
                problem = replay.errorString();
            engineEvents = replay.eventCount();
        }));
        baseline.add(timeMs([&] {
            const auto fold = PgBaseline::foldMessageDbStream(demo.url(), stream, &error);
            if (!fold)
                problem = error;
            else
                baselineEvents = fold->versions.size();
        }));
        if (run == 0) {
            before.add(timeMs([&] {
                ReplayEngine replay(*store, stream, generic);
                if (!replay.load())
                    problem = replay.errorString();
            }));
        }
        if (!problem.isEmpty())
            return fail(problem);
    }
    if (engineEvents != baselineEvents)
        return fail(u"the engine read %1 events, the baseline %2"_s.arg(engineEvents)
                        .arg(baselineEvents));
    std::printf("stream %s: %lld events\n", qPrintable(stream),
                static_cast<long long>(engineEvents));
    std::printf("engine replay (libpq hot path), median of %d: %.0f ms\n", runs, engine.median());
    std::printf("generic path (QSqlQuery + Projection), once: %.0f ms\n", before.median());
    std::printf("libpq single-row + simdjson baseline, median of %d: %.0f ms\n", runs,
                baseline.median());
    std::printf("ratio engine / baseline: %.2f\n", engine.median() / baseline.median());
    return 0;
}

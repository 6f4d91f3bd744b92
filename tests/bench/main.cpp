// eventscope-bench: the figures of the scale issue (10 million events), measured on demo
// stores with today's engine and views, each next to the baseline the issue names, run in the
// same process on the same data. Prints a table; it asserts nothing, so it is not a test.

#include "benchoptions.h"
#include "machineinfo.h"
#include "modelfigures.h"
#include "resulttable.h"
#include "sqlitebaseline.h"
#include "storecache.h"
#include "timelinefigure.h"

#include "eventstore.h"

#include <QApplication>
#include <QFileInfo>
#include <QLocale>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 IssueEvents = 10000000;
constexpr double GenerateIssueMs = 60000;
constexpr double PeakBytes = 1024.0 * 1024 * 1024;
constexpr int TimelineLanes = 8; // as many as the window shows

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

int fail(const QString &message)
{
    err() << "eventscope-bench: " << message << Qt::endl;
    return 1;
}

QString count(qint64 n)
{
    return QLocale::c().toString(n);
}

void printMachine(QTextStream &out)
{
    out << "machine: " << MachineInfo::cpuModel() << ", " << MachineInfo::cores() << " cores\n"
        << "build:   " << MachineInfo::buildType() << '\n';
    const QString warning = MachineInfo::buildWarning();
    if (!warning.isEmpty())
        out << "\n!!!!! WARNING: " << warning << " !!!!!\n\n";
}

// Generation time, measured, and the issue's 10M figure from its rate, labelled as such.
void addGeneration(const StoreCache::Store &store, ResultTable &table)
{
    const QString what =
        u"generate %1 events, %2 users (DemoGenerator)"_s.arg(count(store.events)).arg(store.users);
    if (!store.generationMs) {
        table.addInfo(what, u"reused from cache, not timed (--fresh times it)"_s);
        return;
    }
    const double ms = *store.generationMs;
    const auto rate = qint64(double(store.events) / ms * 1000);
    table.addInfo(what, ResultTable::duration(ms) + u", %1 events/s"_s.arg(count(rate)));
    const bool measured = store.events == IssueEvents;
    const double issueMs = ms * double(IssueEvents) / double(store.events);
    table.addTimed(measured ? u"generate 10M events"_s
                            : u"generate 10M events, EXTRAPOLATED linearly from the rate"_s,
                   issueMs, std::nullopt, GenerateIssueMs);
}

struct OpenStore
{
    std::unique_ptr<EventStore> store;
    std::unique_ptr<SqliteBaseline> baseline;
    StoreSummary summary;
};

std::optional<OpenStore> openStore(const StoreCache::Store &file, QString *error)
{
    OpenStore open;
    open.store = EventStore::open(StoreLocation::parse(file.path), {}, error);
    if (!open.store)
        return std::nullopt;
    open.baseline = SqliteBaseline::open(file.path, error);
    if (!open.baseline)
        return std::nullopt;
    const auto summary = open.store->summary();
    if (!summary) {
        *error = open.store->errorString();
        return std::nullopt;
    }
    open.summary = *summary;
    err() << "store: " << file.path << ": " << count(summary->events) << " events, "
          << count(summary->streams) << " streams, "
          << ResultTable::megabytes(double(QFileInfo(file.path).size())) << Qt::endl;
    return open;
}

std::optional<QStringList> busiestStreams(EventStore &store, int limit)
{
    StreamQuery query;
    query.order = StreamQuery::Order::MostEvents;
    query.limit = limit;
    const auto streams = store.streams(query);
    if (!streams || streams->isEmpty())
        return std::nullopt;
    QStringList names;
    for (const StreamInfo &info : *streams)
        names << info.stream;
    return names;
}

// Everything measured on the main store: long user streams.
bool measureMainStore(OpenStore &open, const BenchOptions &options, ResultTable &table,
                      QString *error)
{
    ModelFigures figures(*open.store, *open.baseline, table, options.seed);
    const auto busiest = busiestStreams(*open.store, TimelineLanes);
    if (!busiest) {
        *error = open.store->errorString();
        return false;
    }
    if (!options.timelineOnly) {
        const QString stream = busiest->constFirst();
        err() << "measuring: open, replay of " << stream << ", pages, buckets" << Qt::endl;
        const bool ok =
            figures.openToFirstFigures() && figures.replayAndScrub(stream) &&
            figures.pages({}, open.summary.events, [](qint64 row) { return row; }) &&
            figures.pages(stream, figures.streamPositions().size(),
                          [&figures](qint64 row) {
                              return row == 0 ? 0 : figures.streamPositions().at(row - 1);
                          }) &&
            figures.buckets();
        if (!ok) {
            *error = figures.errorString();
            return false;
        }
    }
    err() << "measuring: timeline" << Qt::endl;
    return TimelineFigure::measure(*open.store, open.summary, *busiest, options.timelineGrabs,
                                   options.seed, table, error);
}

bool measureStreamStore(OpenStore &open, const BenchOptions &options, ResultTable &table,
                        QString *error)
{
    err() << "measuring: stream list" << Qt::endl;
    ModelFigures figures(*open.store, *open.baseline, table, options.seed);
    if (figures.streamList(open.summary.streams))
        return true;
    *error = figures.errorString();
    return false;
}

void addPeakMemory(ResultTable &table)
{
    const qint64 bytes = MachineInfo::peakResidentBytes();
    table.add({u"peak resident memory (VmHWM), whole run"_s,
               ResultTable::megabytes(double(bytes)),
               {},
               {},
               u"<= "_s + ResultTable::megabytes(PeakBytes),
               ResultTable::verdict(bytes >= 0 && double(bytes) <= PeakBytes)});
}

} // namespace

int main(int argc, char **argv)
{
    // The timeline is measured offscreen whatever display there is, so that runs compare.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QString error;
    const auto options = BenchOptions::parse(app.arguments(), &error);
    if (!options)
        return fail(error);

    QTextStream out(stdout);
    printMachine(out);
    out.flush();

    const StoreCache cache(options->dataDir);
    ResultTable table;
    err() << "store with " << options->users << " users (generated if missing)" << Qt::endl;
    const auto mainFile =
        cache.demoStore(options->events, options->users, options->seed, options->fresh, &error);
    if (!mainFile)
        return fail(error);
    addGeneration(*mainFile, table);
    auto mainStore = openStore(*mainFile, &error);
    if (!mainStore || !measureMainStore(*mainStore, *options, table, &error))
        return fail(error);
    if (options->timelineOnly) {
        out << "store:   " << count(mainStore->summary.events) << " events in "
            << count(mainStore->summary.streams) << " streams (" << options->users
            << " users), seed " << options->seed << "\n\n";
        table.print(out);
        return 0;
    }

    err() << "store with " << options->streamUsers << " users (generated if missing)" << Qt::endl;
    const auto streamFile = cache.demoStore(options->events, options->streamUsers, options->seed,
                                            options->fresh, &error);
    if (!streamFile)
        return fail(error);
    addGeneration(*streamFile, table);
    auto streamStore = openStore(*streamFile, &error);
    if (!streamStore || !measureStreamStore(*streamStore, *options, table, &error))
        return fail(error);
    addPeakMemory(table);

    out << "stores:  " << count(mainStore->summary.events) << " events in "
        << count(mainStore->summary.streams) << " streams (" << options->users << " users); "
        << count(streamStore->summary.events) << " events in "
        << count(streamStore->summary.streams) << " streams (" << options->streamUsers
        << " users), seed " << options->seed << "\n\n";
    table.print(out);
    return 0;
}

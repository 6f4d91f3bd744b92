// eventscope-bench: the figures of the scale issue (10 million events), measured on demo
// stores with today's engine and views, each next to the baseline the issue names, run in the
// same process on the same data. Prints a table; it asserts nothing, so it is not a test.

#include "aggregatefigure.h"
#include "benchoptions.h"
#include "machineinfo.h"
#include "modelfigures.h"
#include "neventstorefigure.h"
#include "pgdemostore.h"
#include "pgfigure.h"
#include "resulttable.h"
#include "shapebaseline.h"
#include "shapefigures.h"
#include "sqlitebaseline.h"
#include "storecache.h"
#include "storefigures.h"
#include "timelinefigure.h"
#include "windowfigure.h"

#include "foreignstores.h"
#include "pgtestserver.h"
#include "store/eventstore.h"

#include <QApplication>
#include <QFileInfo>
#include <QLocale>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 IssueEvents = 10000000;
constexpr double GenerateIssueMs = 60000;
constexpr int CliDemoUsers = 200; // eventscope-cli demo's default
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
        << "load:    " << MachineInfo::loadAverage() << " (1, 5, 15 min, at the start)\n"
        << "build:   " << MachineInfo::buildType() << '\n';
    const QString warning = MachineInfo::buildWarning();
    if (!warning.isEmpty())
        out << "\n!!!!! WARNING: " << warning << " !!!!!\n\n";
}

// Generation time, measured; for the store `eventscope-cli demo` writes by default (200
// users), the issue's 10M figure too, from its rate when the store is smaller.
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
    if (store.users != CliDemoUsers)
        return;
    const bool measured = store.events == IssueEvents;
    const double issueMs = ms * double(IssueEvents) / double(store.events);
    table.addTimed(measured
                       ? u"eventscope-cli demo --events 10000000"_s
                       : u"eventscope-cli demo --events 10000000, EXTRAPOLATED from the rate"_s,
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
    StoreError openError;
    open.store = EventStore::open(StoreLocation::parse(file.path), {}, &openError);
    if (!open.store)
        *error = openError.message;
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
    if (!TimelineFigure::measure(*open.store, open.summary, *busiest, options.timelineGrabs,
                                 options.seed, table, error))
        return false;
    if (options.timelineOnly)
        return true;
    err() << "measuring: the window's first paint" << Qt::endl;
    return WindowFigure::measure(open.store->location().path(), table, error);
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

// The SQLite figures: the main store (long user streams) and the stream-list store. *stores
// gets a line describing both.
bool measureSqlite(const BenchOptions &options, ResultTable &table, QString *stores, QString *error)
{
    const StoreCache cache(options.dataDir);
    err() << "store with " << options.users << " users (generated if missing)" << Qt::endl;
    const auto mainFile =
        cache.demoStore(options.events, options.users, options.seed, options.fresh, error);
    if (!mainFile)
        return false;
    addGeneration(*mainFile, table);
    auto mainStore = openStore(*mainFile, error);
    if (!mainStore || !measureMainStore(*mainStore, options, table, error))
        return false;
    if (options.timelineOnly) {
        *stores = u"store:   %1 events in %2 streams (%3 users), seed %4\n"_s
                      .arg(count(mainStore->summary.events), count(mainStore->summary.streams))
                      .arg(options.users)
                      .arg(options.seed);
        return true;
    }

    err() << "store with " << options.streamUsers << " users (generated if missing)" << Qt::endl;
    const auto streamFile =
        cache.demoStore(options.events, options.streamUsers, options.seed, options.fresh, error);
    if (!streamFile)
        return false;
    addGeneration(*streamFile, table);
    auto streamStore = openStore(*streamFile, error);
    if (!streamStore || !measureStreamStore(*streamStore, options, table, error))
        return false;
    *stores = u"stores:  %1 events in %2 streams (%3 users); %4 events in %5 streams (%6 users), "
              "seed %7\n"_s.arg(count(mainStore->summary.events), count(mainStore->summary.streams))
                  .arg(options.users)
                  .arg(count(streamStore->summary.events), count(streamStore->summary.streams))
                  .arg(options.streamUsers)
                  .arg(options.seed);
    return true;
}

// The PostgreSQL figure on a Message DB store of --postgres-events events over --users streams, on
// a server of its own; generating the store is not part of the figure.
bool measurePostgres(const BenchOptions &options, ResultTable &table, QString *error)
{
    err() << "PostgreSQL: starting a local server, filling a Message DB store" << Qt::endl;
    PgDemoStore store;
    if (!store.create(options.postgresEvents, options.users, error))
        return false;
    const QString what = u"PostgreSQL: generate %1 events over %2 streams, server-side"_s.arg(
        count(options.postgresEvents), QString::number(options.users));
    table.addInfo(what, ResultTable::duration(store.generationMs()));
    err() << "measuring: PostgreSQL open to first paint" << Qt::endl;
    return PgFigure::measure(store, table, error);
}

void addPeakMemory(ResultTable &table, const QString &what = u"whole run"_s)
{
    const qint64 bytes = MachineInfo::peakResidentBytes();
    table.add({u"peak resident memory (VmHWM), "_s + what,
               ResultTable::megabytes(double(bytes)),
               {},
               {},
               u"<= "_s + ResultTable::megabytes(PeakBytes),
               ResultTable::verdict(bytes >= 0 && double(bytes) <= PeakBytes)});
}

constexpr double SettledMs = 6000; // open until settled, SQLite

ForeignStores::Options shapeOptions(const BenchOptions &options, qint64 events)
{
    ForeignStores::Options o;
    o.events = events;
    o.streams = options.shapeStreams;
    o.bigStreamEvents = options.shapeBigStream;
    o.seed = options.seed;
    return o;
}

void addShapeGeneration(const ForeignStores::Written &store, const QString &shape,
                        ResultTable &table)
{
    const QString what = u"%1: generate %2 events, big stream %3"_s.arg(
        shape, count(store.events), count(store.bigStreamEvents));
    if (store.generationMs <= 0) {
        table.addInfo(what, u"reused from cache, not timed (--fresh times it)"_s);
        return;
    }
    const auto rate = qint64(double(store.events) / store.generationMs * 1000);
    table.addInfo(what,
                  ResultTable::duration(store.generationMs) + u", %1 events/s"_s.arg(count(rate)));
}

// The engine's figures of one shape store: first paint, the big stream's replay, pages, info;
// and the window's. paintStore, when set, is the larger store for the first paint, info and
// the window.
bool measureShape(const ForeignStores::Shape &shape, const ForeignStores::Written &store,
                  const std::optional<ForeignStores::Written> &paintStore,
                  const BenchOptions &options, ResultTable &table, QString *error)
{
    StoreOpenOptions open;
    open.mapSpec = shape.mapSpec;
    const auto measureOn = [&](const ForeignStores::Written &written, bool replay, bool paint) {
        StoreError openError;
        auto eventStore =
            EventStore::open(StoreLocation::parse(written.location), open, &openError);
        if (!eventStore)
            *error = openError.message;
        if (!eventStore)
            return false;
        auto baseline = ShapeBaseline::open(shape, written.location, error);
        if (!baseline)
            return false;
        ShapeFigures figures(shape, *eventStore, *baseline, table, options.seed);
        const bool ok = (!paint || figures.firstPaint()) &&
                        (!replay || (figures.replay(written.bigStream) && figures.pages())) &&
                        (!paint || figures.info());
        if (!ok)
            *error = figures.errorString();
        return ok;
    };
    err() << "measuring: " << shape.name << Qt::endl;
    const ForeignStores::Written &paint = paintStore ? *paintStore : store;
    if (!measureOn(store, true, !paintStore) || (paintStore && !measureOn(paint, false, true)))
        return false;
    WindowFigure::Options window;
    window.mapSpec = shape.mapSpec;
    window.label =
        shape.name + (paintStore ? u" (%1 events): "_s.arg(count(paint.events)) : u": "_s);
    window.repeats = options.windowRepeats;
    // Smaller stores get exact counts at once, and with them no density estimate.
    window.needsDensity = paint.events > EventStore::QuickSummaryAbove;
    if (shape.dialect == SqlDialect::Sqlite)
        window.settledLimitMs = SettledMs;
    return WindowFigure::measure(paint.location, window, table, error);
}

QVector<ForeignStores::Shape> selectedShapes(const BenchOptions &options)
{
    QVector<ForeignStores::Shape> selected;
    for (const ForeignStores::Shape &shape : ForeignStores::shapes()) {
        if (options.shapeNames.isEmpty() || options.shapeNames.contains(shape.name))
            selected << shape;
    }
    return selected;
}

// The matrix of foreign store shapes: SQLite stores from the cache (generated if missing),
// PostgreSQL ones on a local server of their own. Each shape's peak memory is its own.
bool measureShapes(const BenchOptions &options, ResultTable &table, QString *stores, QString *error)
{
    const StoreCache cache(options.dataDir);
    const auto shapes = selectedShapes(options);
    std::unique_ptr<PgTestServer> server;
    for (const ForeignStores::Shape &shape : shapes) {
        std::optional<ForeignStores::Written> store;
        std::optional<ForeignStores::Written> paintStore;
        err() << "shape " << shape.name << ": store (generated if missing)" << Qt::endl;
        if (shape.dialect == SqlDialect::Sqlite) {
            store = cache.foreignStore(shape, shapeOptions(options, options.shapeEvents),
                                       options.fresh, error);
            if (store && options.paintEvents > 0) {
                paintStore = cache.foreignStore(shape, shapeOptions(options, options.paintEvents),
                                                options.fresh, error);
                if (!paintStore)
                    return false;
            }
        } else {
            if (!server) {
                server = std::make_unique<PgTestServer>();
                if (!server->start(error))
                    return false;
            }
            QString database = shape.name;
            store = ForeignStores::writePostgres(shape, *server, database.replace(u'-', u'_'),
                                                 shapeOptions(options, options.shapeEvents), error);
        }
        if (!store)
            return false;
        addShapeGeneration(*store, shape.name, table);
        if (paintStore)
            addShapeGeneration(*paintStore, shape.name, table);
        MachineInfo::resetPeakResident();
        if (!measureShape(shape, *store, paintStore, options, table, error))
            return false;
        addPeakMemory(table, shape.name);
    }
    if (!options.keepShapeStores) {
        const QStringList removed = cache.removeForeignStores(qint64(1) << 30);
        for (const QString &file : removed)
            err() << "removed " << file << " (--keep-shape-stores keeps it)" << Qt::endl;
    }
    *stores += u"shapes:  %1 events in %2 streams, big stream %3 events%4, seed %5\n"_s
                   .arg(count(options.shapeEvents), count(options.shapeStreams),
                        count(options.shapeBigStream),
                        options.paintEvents > 0
                            ? u"; first paint, info and window on %1-event SQLite stores"_s.arg(
                                  count(options.paintEvents))
                            : QString())
                   .arg(options.seed);
    return true;
}

// The questions about the whole store on the main demo store (--events, --users).
bool measureStoreQuestions(const BenchOptions &options, ResultTable &table, QString *stores,
                           QString *error)
{
    const StoreCache cache(options.dataDir);
    err() << "store with " << options.users << " users (generated if missing)" << Qt::endl;
    const auto file =
        cache.demoStore(options.events, options.users, options.seed, options.fresh, error);
    if (!file)
        return false;
    StoreError openError;
    auto store = EventStore::open(StoreLocation::parse(file->path), {}, &openError);
    if (!store) {
        *error = openError.message;
        return false;
    }
    err() << "measuring: search, check, schema and read model" << Qt::endl;
    if (!StoreFigures::measure(*store, file->path, table, error))
        return false;
    *stores += u"store:   %1 events (%2 users), seed %3\n"_s.arg(count(options.events))
                   .arg(options.users)
                   .arg(options.seed);
    return true;
}

// The questions about one aggregate on a stream of --events events, from the cache.
bool measureAggregate(const BenchOptions &options, ResultTable &table, QString *stores,
                      QString *error)
{
    const StoreCache cache(options.dataDir);
    err() << "aggregate store with " << count(options.events)
          << " events in one stream (generated if missing)" << Qt::endl;
    const auto store = cache.aggregateStore(options.events, options.fresh, error);
    if (!store)
        return false;
    const QString what =
        u"generate %1 events in one stream (AggregateFigure)"_s.arg(count(store->events));
    table.addInfo(what, store->generationMs ? ResultTable::duration(*store->generationMs)
                                            : u"reused from cache, not timed"_s);
    err() << "measuring: history and bisect, engine and window" << Qt::endl;
    if (!AggregateFigure::measure(store->path, store->events, table, error))
        return false;
    *stores += u"aggregate: %1 events in stream %2\n"_s.arg(count(store->events),
                                                            AggregateFigure::streamName());
    return true;
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

    ResultTable table;
    QString stores;
    if (options->sqlite && !measureSqlite(*options, table, &stores, &error))
        return fail(error);
    if (options->postgres && !measurePostgres(*options, table, &error))
        return fail(error);
    if (options->shapes && !measureShapes(*options, table, &stores, &error))
        return fail(error);
    if (options->aggregate && !measureAggregate(*options, table, &stores, &error))
        return fail(error);
    if (options->storeQuestions && !measureStoreQuestions(*options, table, &stores, &error))
        return fail(error);
    if (options->neventstore && !NEventStoreFigure::measure(*options, table, &stores, &error))
        return fail(error);
    addPeakMemory(table);

    out << stores << '\n';
    table.print(out);
    return 0;
}

#include "shapefigures.h"

#include "samples.h"

#include "index/eventindexbuilder.h"
#include "replay/replayengine.h"
#include "store/eventstore.h"

#include <QLocale>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr int FirstPaintRepeats = 3;
constexpr int ScrubJumps = 1000;
// Where each jump re-reads the store, 1,000 jumps can take many minutes: past this, the jumps
// made so far make the figure, and the row says how many.
constexpr double ScrubBudgetMs = 30000;
constexpr int PagePositions = 20;
constexpr int PageRepeats = 5;
constexpr int PageSize = 200;
constexpr int ScanThreads = 2;
constexpr qint64 AtIndex = 999; // `replay --at 1000`: the state after the 1,000th event

// The targets.
constexpr double SqliteFirstPaintMs = 500;
constexpr double PostgresFirstPaintMs = 1000;
constexpr double ReplayRatio = 1.3;
constexpr double ReplayAtMs = 50;
constexpr double FrameMs = 16;
constexpr double PageMs = 2;
constexpr double InfoRatio = 1.5;

QString count(qint64 n)
{
    return QLocale::c().toString(n);
}

} // namespace

ShapeFigures::ShapeFigures(const ForeignStores::Shape &shape, EventStore &store,
                           ShapeBaseline &baseline, ResultTable &table, quint64 seed)
    : m_shape(shape), m_store(store), m_baseline(baseline), m_table(table), m_rng(quint32(seed))
{
}

bool ShapeFigures::failed(const QString &message)
{
    m_error = m_shape.name + u": "_s + message;
    return false;
}

bool ShapeFigures::firstPaint()
{
    Samples engine;
    bool inexact = false;
    for (int i = 0; i < FirstPaintRepeats; ++i) {
        StoreError error;
        bool ok = false;
        engine.add(timeMs([&] {
            auto store = EventStore::open(m_store.location(), m_store.openOptions(), &error);
            const auto summary = store ? store->quickSummary() : std::nullopt;
            ok = summary.has_value();
            inexact = ok && !summary->exact;
            if (store && !ok)
                error = store->lastError();
        }));
        if (!ok)
            return failed(error.message);
    }
    const double limit =
        m_shape.dialect == SqlDialect::Sqlite ? SqliteFirstPaintMs : PostgresFirstPaintMs;
    m_table.addTimed(what(inexact ? u"open + quick summary (engine side, counts to follow)"_s
                                  : u"open + quick summary (engine side, exact: full scans)"_s),
                     engine.median(), std::nullopt, limit);
    return true;
}

bool ShapeFigures::replay(const QString &stream)
{
    // The better of two runs each, alternated: the first replay of a process pays for what it
    // sets up once (0.8 s of a 2 s replay at 10M, whichever of the two comes first).
    std::unique_ptr<ReplayEngine> engine;
    std::optional<ShapeBaseline::Fold> fold;
    double engineMs = std::numeric_limits<double>::max();
    double baselineMs = std::numeric_limits<double>::max();
    for (int run = 0; run < 2; ++run) {
        engine = std::make_unique<ReplayEngine>(m_store, stream);
        bool ok = false;
        engineMs = std::min(engineMs, timeMs([&] { ok = engine->load(); }));
        if (!ok)
            return failed(engine->errorString());
        baselineMs = std::min(baselineMs, timeMs([&] { fold = m_baseline.foldStream(stream); }));
        if (!fold)
            return failed(m_baseline.errorString());
    }
    const QString api =
        m_shape.dialect == SqlDialect::Sqlite ? u" C API+simdjson"_s : u" libpq+simdjson"_s;
    m_table.add({what(u"replay %1 events from zero"_s.arg(count(engine->eventCount()))),
                 ResultTable::duration(engineMs), ResultTable::duration(baselineMs) + api,
                 ResultTable::ratio(engineMs, baselineMs), u"<= %1x"_s.arg(ReplayRatio),
                 ResultTable::verdict(engineMs / baselineMs <= ReplayRatio)});
    const auto last = engine->stateAtIndex(engine->eventCount() - 1);
    if (!last)
        return failed(engine->errorString());
    // The baseline is only a fair yardstick if it computes the same state from the same rows.
    const bool same = last->state == fold->state.toJsonObject() &&
                      engine->positions() == fold->positions &&
                      engine->versions() == fold->versions;
    m_table.add({what(u"replay: baseline state equals engine's"_s),
                 same ? u"yes"_s : u"no"_s,
                 {},
                 {},
                 u"identical"_s,
                 ResultTable::verdict(same)});
    m_streamPositions = engine->positions();
    if (!scrub(*engine))
        return false;
    if (m_streamPositions.size() <= AtIndex)
        return true;
    const qint64 atVersion = engine->versions().at(AtIndex);
    engine.reset();

    // As the CLI answers `replay --at V`: the first pass stops just past V.
    ReplayEngine fresh(m_store, stream);
    bool ok = false;
    const double atMs =
        timeMs([&] { ok = fresh.loadPastVersion(atVersion) && fresh.stateAtVersion(atVersion); });
    if (!ok)
        return failed(fresh.errorString());
    m_table.addTimed(what(u"replay --at 1000, fresh engine, load included"_s), atMs, std::nullopt,
                     ReplayAtMs);
    return true;
}

bool ShapeFigures::scrub(ReplayEngine &engine)
{
    Samples jumps;
    double spentMs = 0;
    int made = 0;
    for (; made < ScrubJumps && spentMs < ScrubBudgetMs; ++made) {
        const qint64 index = qint64(m_rng.bounded(quint64(engine.eventCount())));
        bool ok = false;
        const double ms = timeMs([&] { ok = engine.stateAtIndex(index).has_value(); });
        if (!ok)
            return failed(engine.errorString());
        jumps.add(ms);
        spentMs += ms;
    }
    m_table.addTimed(what(made == ScrubJumps
                              ? u"scrub: %1 random jumps, p99"_s.arg(ScrubJumps)
                              : u"scrub: %1 random jumps (30 s budget), p99"_s.arg(made)),
                     jumps.percentile(99), std::nullopt, FrameMs);
    return true;
}

bool ShapeFigures::pages()
{
    if (m_streamPositions.isEmpty())
        return failed(u"pages need the replayed stream's positions"_s);
    Samples engine;
    for (int i = 0; i < PagePositions; ++i) {
        EventFilter filter;
        filter.afterPosition =
            m_streamPositions.at(qsizetype(m_rng.bounded(quint64(m_streamPositions.size()))));
        filter.limit = PageSize;
        for (int r = 0; r < PageRepeats; ++r) {
            bool ok = false;
            engine.add(timeMs([&] { ok = m_store.events(filter).has_value(); }));
            if (!ok)
                return failed(m_store.errorString());
        }
    }
    const QString figure = what(u"page of %1, all streams, p99"_s.arg(PageSize));
    if (m_shape.dialect == SqlDialect::Sqlite)
        m_table.addTimed(figure, engine.percentile(99), std::nullopt, PageMs);
    else // the issue sets the page target for SQLite only
        m_table.addInfo(figure, ResultTable::duration(engine.percentile(99)));
    return true;
}

bool ShapeFigures::info()
{
    StoreError error;
    bool ok = false;
    const double engineMs = timeMs([&] {
        auto store = EventStore::open(m_store.location(), m_store.openOptions(), &error);
        ok = store && EventIndexBuilder::exactSummary(*store).has_value();
        if (store && !ok)
            error = store->lastError();
    });
    if (!ok)
        return failed(error.message);
    std::optional<qint64> rows;
    const double scanMs = timeMs([&] { rows = m_baseline.rawScan(ScanThreads); });
    if (!rows)
        return failed(m_baseline.errorString());
    m_table.add({what(u"info (open, index, exact summary)"_s), ResultTable::duration(engineMs),
                 ResultTable::duration(scanMs) + u" raw 2-thread scan"_s,
                 ResultTable::ratio(engineMs, scanMs), u"<= %1x"_s.arg(InfoRatio),
                 ResultTable::verdict(engineMs / scanMs <= InfoRatio)});
    if (m_shape.dialect == SqlDialect::Postgres)
        return indexOverLibpq(scanMs);
    return true;
}

// PostgreSQL's summary is the server's aggregation; the window builds the in-memory index
// instead, over libpq, for its lanes and buckets. Both against the same raw scan.
bool ShapeFigures::indexOverLibpq(double scanMs)
{
    QString error;
    std::shared_ptr<const EventIndex> index;
    const double indexMs = timeMs([&] {
        StoreError openError;
        if (auto store = EventStore::open(m_store.location(), m_store.openOptions(), &openError))
            index = EventIndexBuilder::build(*store, {}, &error);
        else
            error = openError.message;
    });
    if (!index)
        return failed(error);
    m_table.addInfo(what(u"open + in-memory index over libpq (the window's)"_s),
                    ResultTable::duration(indexMs),
                    ResultTable::duration(scanMs) + u" raw 2-thread scan"_s,
                    ResultTable::ratio(indexMs, scanMs));
    return true;
}

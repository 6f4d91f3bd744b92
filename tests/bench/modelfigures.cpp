#include "modelfigures.h"

#include "index/eventindex.h"
#include "index/eventindexbuilder.h"
#include "replay/replayengine.h"
#include "samples.h"
#include "store/eventstore.h"

#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// Repetitions: enough for a stable median without making a 10M run take an hour.
constexpr int ScanRepeats = 3;
constexpr int PagePositions = 20;
constexpr int PageRepeats = 5;
constexpr int PageSize = 200;
constexpr int ScrubJumps = 1000;
constexpr int StreamPage = 200;
constexpr int BucketRepeats = 10;
constexpr qint64 HourSeconds = 3600;

// The targets.
constexpr double FirstFiguresMs = 500;
constexpr double ReplayRatio = 1.3;
constexpr double FrameMs = 16;
constexpr double CheckpointBytes = 256.0 * 1024 * 1024;
constexpr double PageMs = 2;
constexpr double StreamPageMs = 5;
constexpr double KeystrokeMs = 50;
constexpr double RebucketMs = 50;
constexpr double IndexRatio = 1.5;
constexpr int ScanThreads = 2;

// What a user types into the stream filter, one keystroke at a time.
const QStringList Keystrokes = {u"r"_s, u"r-"_s, u"r-1"_s, u"r-12"_s, u"r-123"_s};

QString count(qint64 n)
{
    return QLocale::c().toString(n);
}

// Counts per hour of an in-memory time column: what re-bucketing costs once the times are
// in memory.
std::size_t bucketByHour(const std::vector<qint64> &seconds)
{
    if (seconds.empty())
        return 0;
    const auto [first, last] = std::minmax_element(seconds.cbegin(), seconds.cend());
    std::vector<qint64> counts(std::size_t((*last - *first) / HourSeconds + 1));
    for (qint64 s : seconds)
        ++counts[std::size_t((s - *first) / HourSeconds)];
    return counts.size();
}

} // namespace

ModelFigures::ModelFigures(EventStore &store, SqliteBaseline &baseline, ResultTable &table,
                           quint64 seed)
    : m_store(store), m_baseline(baseline), m_table(table), m_rng(quint32(seed))
{
}

bool ModelFigures::failed(const QString &message)
{
    m_error = message;
    return false;
}

bool ModelFigures::openToFirstFigures()
{
    Samples engine;
    Samples exact;
    Samples baseline;
    for (int i = 0; i < ScanRepeats; ++i) {
        StoreError error;
        bool ok = false;
        bool inexact = false;
        // What the window waits for before its first paint.
        engine.add(timeMs([&] {
            auto store = EventStore::open(m_store.location(), {}, &error);
            const auto summary = store ? store->quickSummary() : std::nullopt;
            ok = summary.has_value();
            inexact = ok && !summary->exact;
        }));
        if (!ok)
            return failed(error.isError() ? error.message : m_store.errorString());
        m_quickSummaryInexact = inexact;
        exact.add(timeMs([&] { ok = m_store.summary().has_value(); }));
        if (!ok)
            return failed(m_store.errorString());
        bool baseOk = false;
        baseline.add(timeMs([&] { baseOk = m_baseline.firstFigures(); }));
        if (!baseOk)
            return failed(m_baseline.errorString());
    }
    m_table.addTimed(m_quickSummaryInexact
                         ? u"open + quick summary (engine side, warm cache; counts to follow)"_s
                         : u"open + summary (engine side, warm cache; exact, store is small)"_s,
                     engine.median(), baseline.median(), FirstFiguresMs);
    m_table.addInfo(u"summary with exact counts (scans, after the first paint)"_s,
                    ResultTable::duration(exact.median()));
    return true;
}

bool ModelFigures::replayAndScrub(const QString &stream)
{
    Samples engineMs;
    Samples baselineMs;
    std::unique_ptr<ReplayEngine> engine;
    std::optional<SqliteBaseline::Fold> fold;
    // Alternated, so that neither side always runs on a cache the other warmed.
    for (int i = 0; i < ScanRepeats; ++i) {
        engine = std::make_unique<ReplayEngine>(m_store, stream);
        bool ok = false;
        engineMs.add(timeMs([&] { ok = engine->load(); }));
        if (!ok)
            return failed(engine->errorString());
        baselineMs.add(timeMs([&] { fold = m_baseline.foldStream(stream); }));
        if (!fold)
            return failed(m_baseline.errorString());
    }
    const double ratio = engineMs.median() / baselineMs.median();
    m_table.add({u"replay %1 from zero (%2 events)"_s.arg(stream, count(engine->eventCount())),
                 ResultTable::duration(engineMs.median()),
                 ResultTable::duration(baselineMs.median()) + u" C API+simdjson"_s,
                 ResultTable::ratio(engineMs.median(), baselineMs.median()),
                 u"<= %1x"_s.arg(ReplayRatio), ResultTable::verdict(ratio <= ReplayRatio)});
    m_streamPositions = engine->positions();
    return compareStates(*engine, *fold) && scrub(*engine);
}

// The baseline is only a fair yardstick if it computes the same state.
bool ModelFigures::compareStates(ReplayEngine &engine, const SqliteBaseline::Fold &fold)
{
    const auto last = engine.stateAtIndex(engine.eventCount() - 1);
    if (!last)
        return failed(engine.errorString());
    const bool same = last->state == fold.state.toJsonObject() &&
                      engine.positions() == fold.positions && engine.versions() == fold.versions;
    m_table.add({u"replay: baseline state equals engine's"_s,
                 same ? u"yes"_s : u"no"_s,
                 {},
                 {},
                 u"identical"_s,
                 ResultTable::verdict(same)});
    return true;
}

bool ModelFigures::scrub(ReplayEngine &engine)
{
    Samples jumps;
    for (int i = 0; i < ScrubJumps; ++i) {
        const qint64 index = qint64(m_rng.bounded(quint64(engine.eventCount())));
        bool ok = false;
        jumps.add(timeMs([&] { ok = engine.stateAtIndex(index).has_value(); }));
        if (!ok)
            return failed(engine.errorString());
    }
    const QString what = u"scrub: %1 random jumps"_s.arg(ScrubJumps);
    m_table.addInfo(what + u", p50"_s, ResultTable::duration(jumps.median()));
    m_table.addTimed(what + u", p99"_s, jumps.percentile(99), std::nullopt, FrameMs);
    m_table.addInfo(what + u", max"_s, ResultTable::duration(jumps.max()));
    const double bytes = double(engine.checkpointBytes());
    m_table.add(
        {u"scrub: checkpoint memory (%1 checkpoints, every %2)"_s.arg(engine.checkpointCount())
             .arg(engine.checkpointInterval()),
         ResultTable::megabytes(bytes),
         {},
         {},
         u"<= "_s + ResultTable::megabytes(CheckpointBytes),
         ResultTable::verdict(bytes <= CheckpointBytes)});
    return true;
}

bool ModelFigures::pages(const QString &stream, qint64 rows,
                         const std::function<qint64(qint64)> &positionBefore)
{
    Samples engine;
    Samples keyset;
    Samples offset;
    for (int i = 0; i < PagePositions; ++i) {
        const auto row = qint64(m_rng.bounded(quint64(rows)));
        EventFilter filter;
        filter.stream = stream;
        filter.afterPosition = positionBefore(row);
        filter.limit = PageSize;
        for (int r = 0; r < PageRepeats; ++r) {
            bool ok = false;
            engine.add(timeMs([&] { ok = m_store.events(filter).has_value(); }));
            if (!ok)
                return failed(m_store.errorString());
            keyset.add(timeMs([&] {
                ok = m_baseline.keysetPage(stream, filter.afterPosition, PageSize).has_value();
            }));
            if (!ok)
                return failed(m_baseline.errorString());
        }
        // OFFSET to the same place, once: it is slow, and shown only for contrast.
        bool ok = false;
        offset.add(timeMs([&] { ok = m_baseline.offsetPage(stream, row, PageSize).has_value(); }));
        if (!ok)
            return failed(m_baseline.errorString());
    }
    const QString scope = stream.isEmpty() ? u"all streams"_s : u"stream "_s + stream;
    const QString what = u"page of %1, %2"_s.arg(PageSize).arg(scope);
    m_table.addInfo(what + u", p50"_s, ResultTable::duration(engine.median()),
                    ResultTable::duration(keyset.median()) + u" C API"_s,
                    ResultTable::ratio(engine.median(), keyset.median()));
    m_table.add({what + u", p99"_s, ResultTable::duration(engine.percentile(99)),
                 ResultTable::duration(keyset.percentile(99)) + u" C API"_s,
                 ResultTable::ratio(engine.percentile(99), keyset.percentile(99)),
                 u"<= "_s + ResultTable::duration(PageMs),
                 ResultTable::verdict(engine.percentile(99) <= PageMs)});
    m_table.addInfo(what + u", C API OFFSET p50 (contrast)"_s,
                    ResultTable::duration(offset.median()));
    return true;
}

template<typename Work> void ModelFigures::withoutIndex(Work work)
{
    const auto index = m_store.index();
    m_store.attachIndex(nullptr);
    work();
    m_store.attachIndex(index);
}

bool ModelFigures::indexBuild()
{
    Samples engine;
    Samples raw;
    std::shared_ptr<const EventIndex> index;
    for (int i = 0; i < ScanRepeats; ++i) {
        QString error;
        engine.add(timeMs([&] { index = EventIndexBuilder::build(m_store, {}, &error); }));
        if (!index)
            return failed(error);
        std::optional<qint64> rows;
        raw.add(timeMs([&] {
            rows = SqliteBaseline::rawScan(m_store.location().path(), ScanThreads, &error);
        }));
        if (!rows)
            return failed(error);
        if (*rows != index->eventCount())
            return failed(u"the raw scan read %1 rows, the index holds %2"_s.arg(*rows).arg(
                index->eventCount()));
    }
    const double ratio = engine.median() / raw.median();
    m_table.add({u"in-memory index build, %1 threads (%2 events)"_s.arg(ScanThreads)
                     .arg(count(index->eventCount())),
                 ResultTable::duration(engine.median()),
                 ResultTable::duration(raw.median()) + u" raw 2-thread C API scan"_s,
                 ResultTable::ratio(engine.median(), raw.median()), u"<= %1x"_s.arg(IndexRatio),
                 ResultTable::verdict(ratio <= IndexRatio)});
    m_table.addInfo(u"in-memory index memory"_s,
                    ResultTable::megabytes(double(index->memoryBytes())));
    m_store.attachIndex(index);
    bool ok = false;
    const double summaryMs = timeMs([&] { ok = m_store.summary().has_value(); });
    if (!ok)
        return failed(m_store.errorString());
    m_table.addInfo(u"summary with exact counts, from the index"_s,
                    ResultTable::duration(summaryMs));
    return true;
}

bool ModelFigures::buckets()
{
    bool ok = false;
    double sqlMs = 0;
    withoutIndex(
        [&] { sqlMs = timeMs([&] { ok = m_store.buckets(BucketSize::Hour, {}).has_value(); }); });
    if (!ok)
        return failed(m_store.errorString());
    m_table.addInfo(u"re-bucket whole store by hour, SQL GROUP BY (contrast)"_s,
                    ResultTable::duration(sqlMs));
    if (!indexBuild())
        return false;
    Samples engine;
    for (int i = 0; i < BucketRepeats; ++i) {
        engine.add(timeMs([&] { ok = m_store.buckets(BucketSize::Hour, {}).has_value(); }));
        if (!ok)
            return failed(m_store.errorString());
    }
    std::optional<std::vector<qint64>> column;
    const double scanMs = timeMs([&] { column = m_baseline.timeColumn(); });
    if (!column)
        return failed(m_baseline.errorString());
    Samples inMemory;
    std::size_t hours = 0;
    for (int i = 0; i < BucketRepeats; ++i)
        inMemory.add(timeMs([&] { hours = bucketByHour(*column); }));
    m_table.addInfo(u"time column: C API scan into memory (1 thread)"_s,
                    ResultTable::duration(scanMs));
    m_table.addTimed(u"re-bucket whole store by hour (%1 buckets), from the index"_s.arg(hours),
                     engine.median(), inMemory.median(), RebucketMs);
    return true;
}

bool ModelFigures::streamList(qint64 streamCount)
{
    if (!indexBuild())
        return false;
    Samples engine;
    Samples baseline;
    StreamQuery query;
    query.limit = StreamPage;
    for (int i = 0; i < ScanRepeats; ++i) {
        bool ok = false;
        engine.add(timeMs([&] { ok = m_store.streams(query).has_value(); }));
        if (!ok)
            return failed(m_store.errorString());
        baseline.add(timeMs([&] { ok = m_baseline.skipSeekStreams(StreamPage).has_value(); }));
        if (!ok)
            return failed(m_baseline.errorString());
    }
    m_table.addTimed(
        u"stream list, first %1 of %2 streams"_s.arg(StreamPage).arg(count(streamCount)),
        engine.median(), baseline.median(), StreamPageMs);
    const auto type = [&](Samples &typing) {
        for (const QString &text : Keystrokes) {
            query.filter = text;
            bool ok = false;
            typing.add(timeMs([&] { ok = m_store.streams(query).has_value(); }));
            if (!ok)
                return failed(m_store.errorString());
        }
        return true;
    };
    Samples typing;
    Samples sqlTyping;
    bool sqlOk = false;
    withoutIndex([&] { sqlOk = type(sqlTyping); });
    if (!sqlOk || !type(typing))
        return false;
    const QString what =
        u"stream filter as you type, worst of %1 keystrokes"_s.arg(Keystrokes.size());
    m_table.addInfo(what + u", SQL LIKE (contrast)"_s, ResultTable::duration(sqlTyping.max()));
    m_table.addTimed(what, typing.max(), std::nullopt, KeystrokeMs);
    return true;
}

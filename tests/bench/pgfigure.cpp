#include "pgfigure.h"

#include "pgdemostore.h"
#include "samples.h"

#include "eventtablemodel.h"
#include "store/eventstore.h"
#include "streamlistmodel.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <functional>
#include <limits>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr int Repeats = 5;
constexpr double FirstPaintMs = 1000; // the target
constexpr int TimelineLanes = 8;      // as many as the window shows
// The buckets the window asks for first: it picks days for a span of 21 to 400 days.
constexpr BucketSize FirstBuckets = BucketSize::Day;
static_assert(PgDemoStore::SpanDays > 21 && PgDemoStore::SpanDays <= 400);

const QString BaselineConnection = u"eventscope-bench-pg-baseline"_s;

// The steps of one sequence and their durations over the runs; a run is their sum.
class Steps
{
public:
    explicit Steps(const QStringList &names) : m_names(names), m_ms(std::size_t(names.size())) {}

    // Times each step in order, skipping empty ones; stops at the first that fails.
    bool run(const std::vector<std::function<bool()>> &steps)
    {
        double total = 0;
        for (std::size_t i = 0; i < steps.size(); ++i) {
            if (!steps[i])
                continue;
            bool ok = false;
            const double ms = timeMs([&] { ok = steps[i](); });
            if (!ok)
                return false;
            m_ms[i].add(ms);
            total += ms;
        }
        m_total.add(total);
        return true;
    }
    double median() const { return m_total.median(); }
    // Empty for a step that never ran.
    QString stepMedian(int i) const
    {
        const Samples &ms = m_ms[std::size_t(i)];
        return ms.isEmpty() ? QString() : ResultTable::duration(ms.median());
    }
    QString stepRatio(int i, const Steps &baseline) const
    {
        const Samples &base = baseline.m_ms[std::size_t(i)];
        return base.isEmpty() ? QString()
                              : ResultTable::ratio(m_ms[std::size_t(i)].median(), base.median());
    }
    const QStringList &names() const { return m_names; }

private:
    QStringList m_names;
    std::vector<Samples> m_ms;
    Samples m_total;
};

// Adds how long f took to samples; false when f failed.
bool timed(Samples *samples, const std::function<bool()> &f)
{
    bool ok = false;
    samples->add(timeMs([&] { ok = f(); }));
    return ok;
}

// The window's first paint, through the engine: the session's worker opens the store and
// asks for the quick summary; the window then opens its own store for the stream list and the
// event table, which load their first pages; the worker counts the charts' buckets. After the
// first paint come the exact counts and the timeline's lanes (the busiest streams' events).
class EngineRun
{
public:
    explicit EngineRun(const StoreLocation &location) : m_location(location) {}

    static QStringList names()
    {
        return {u"open + quick summary (worker)"_s, u"open (window's own store)"_s,
                u"stream list, first %1 by name"_s.arg(StreamListModel::PageSize),
                u"event table, first %1"_s.arg(EventTableModel::PageSize),
                u"%1 buckets by type (charts)"_s.arg(EventStore::bucketName(FirstBuckets))};
    }

    std::unique_ptr<EventStore> open()
    {
        StoreError error;
        auto store = EventStore::open(m_location, {}, &error);
        if (!store)
            m_error = error.message;
        return store;
    }

    std::vector<std::function<bool()>> steps()
    {
        return {[this] {
                    m_worker = open();
                    const auto summary = m_worker ? m_worker->quickSummary() : std::nullopt;
                    if (summary)
                        m_exact = summary->exact;
                    return summary.has_value() || failed(m_worker.get());
                },
                [this] {
                    m_window = open();
                    return m_window != nullptr;
                },
                [this] {
                    StreamQuery query;
                    query.limit = StreamListModel::PageSize;
                    return m_window->streams(query).has_value() || failed(m_window.get());
                },
                [this] {
                    EventFilter filter;
                    filter.limit = EventTableModel::PageSize;
                    return m_window->events(filter).has_value() || failed(m_window.get());
                },
                [this] {
                    return m_worker->buckets(FirstBuckets, {}).has_value() ||
                           failed(m_worker.get());
                }};
    }

    bool exactSummary() { return m_worker->summary().has_value() || failed(m_worker.get()); }
    bool busiestStreams()
    {
        StreamQuery query;
        query.order = StreamQuery::Order::MostEvents;
        query.limit = TimelineLanes;
        m_busiest = m_worker->streams(query).value_or(QVector<StreamInfo>());
        return !m_busiest.isEmpty() || failed(m_worker.get());
    }
    // The busiest streams' events in pages, as StoreSession loads a lane; -1 on failure.
    qint64 laneEvents()
    {
        constexpr int LanePage = 5000;
        qint64 events = 0;
        for (const StreamInfo &info : std::as_const(m_busiest)) {
            qint64 after = std::numeric_limits<qint64>::min();
            for (;;) {
                const auto page = m_worker->streamEvents(info.stream, after, LanePage);
                if (!page) {
                    failed(m_worker.get());
                    return -1;
                }
                events += page->size();
                if (page->size() < LanePage)
                    break;
                after = page->constLast().version;
            }
        }
        return events;
    }

    bool exact() const { return m_exact; }
    QString errorString() const { return m_error; }

private:
    bool failed(const EventStore *store)
    {
        if (store)
            m_error = store->errorString();
        return false;
    }

    StoreLocation m_location;
    std::unique_ptr<EventStore> m_worker;
    std::unique_ptr<EventStore> m_window;
    QVector<StreamInfo> m_busiest;
    bool m_exact = true;
    QString m_error;
};

// The same figures written by hand, over one connection: every row is read and each value
// converted, as a caller would.
class BaselineRun
{
public:
    explicit BaselineRun(const PgDemoStore &store) : m_store(store) {}
    ~BaselineRun()
    {
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(BaselineConnection);
    }
    BaselineRun(const BaselineRun &) = delete;
    BaselineRun &operator=(const BaselineRun &) = delete;

    std::vector<std::function<bool()>> steps()
    {
        return {[this] {
                    if (!m_store.connect(BaselineConnection, &m_error))
                        return false;
                    m_db = QSqlDatabase::database(BaselineConnection, false);
                    return select(u"SELECT count(*), min(time), max(time) FROM "
                                  "message_store.messages"_s) &&
                           select(u"SELECT type, count(*) FROM message_store.messages GROUP BY "
                                  "type"_s);
                },
                nullptr, // one connection serves it all
                [this] {
                    return select(u"SELECT stream_name, count(*), min(position), max(position), "
                                  "min(time), max(time) FROM message_store.messages GROUP BY "
                                  "stream_name ORDER BY stream_name LIMIT %1"_s.arg(
                                      StreamListModel::PageSize));
                },
                [this] {
                    return select(u"SELECT global_position, stream_name, position, type, time, "
                                  "data, metadata FROM message_store.messages ORDER BY "
                                  "global_position LIMIT %1"_s.arg(EventTableModel::PageSize));
                },
                [this] {
                    return select(u"SELECT date_trunc('%1', time), type, count(*) FROM "
                                  "message_store.messages GROUP BY 1, 2 ORDER BY 1, 2"_s.arg(
                                      EventStore::bucketName(FirstBuckets)));
                }};
    }

    // The exact counts of summary(): events and time range, streams, types.
    bool exactSummary()
    {
        return select(u"SELECT count(*), min(time), max(time) FROM message_store.messages"_s) &&
               select(u"SELECT count(DISTINCT stream_name) FROM message_store.messages"_s) &&
               select(u"SELECT type, count(*) FROM message_store.messages GROUP BY type"_s);
    }
    bool busiestStreams()
    {
        return select(u"SELECT stream_name, count(*) FROM message_store.messages GROUP BY "
                      "stream_name ORDER BY 2 DESC, 1 LIMIT %1"_s.arg(TimelineLanes));
    }

    QString errorString() const { return m_error; }

private:
    bool select(const QString &sql)
    {
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        if (!query.exec(sql)) {
            m_error = u"baseline: %1 failed: %2"_s.arg(sql, query.lastError().text());
            return false;
        }
        const int columns = query.record().count();
        while (query.next()) {
            for (int i = 0; i < columns; ++i)
                query.value(i);
        }
        return true;
    }

    const PgDemoStore &m_store;
    QSqlDatabase m_db;
    QString m_error;
};

// A figure of the engine and the baseline, timed once per repetition.
struct Pair
{
    Samples engine;
    Samples baseline;

    void addRow(ResultTable &table, const QString &figure) const
    {
        table.addInfo(figure, ResultTable::duration(engine.median()),
                      ResultTable::duration(baseline.median()),
                      ResultTable::ratio(engine.median(), baseline.median()));
    }
};

} // namespace

bool PgFigure::measure(const PgDemoStore &store, ResultTable &table, QString *error)
{
    const StoreLocation location = StoreLocation::parse(store.url());
    Steps engine(EngineRun::names());
    Steps baseline(EngineRun::names());
    Pair exact;
    Pair busiest;
    bool quickIsExact = true;
    std::unique_ptr<EngineRun> last;
    // Alternated, so that neither side always runs on a cache the other warmed.
    for (int i = 0; i < Repeats; ++i) {
        last = std::make_unique<EngineRun>(location);
        EngineRun &run = *last;
        bool ok = engine.run(run.steps());
        quickIsExact = run.exact();
        ok = ok && timed(&exact.engine, [&] { return run.exactSummary(); }) &&
             timed(&busiest.engine, [&] { return run.busiestStreams(); });
        if (!ok) {
            *error = run.errorString();
            return false;
        }
        BaselineRun base(store);
        if (!baseline.run(base.steps()) ||
            !timed(&exact.baseline, [&] { return base.exactSummary(); }) ||
            !timed(&busiest.baseline, [&] { return base.busiestStreams(); })) {
            *error = base.errorString();
            return false;
        }
    }
    table.addTimed(quickIsExact
                       ? u"PostgreSQL: open to first paint (engine side; exact counts)"_s
                       : u"PostgreSQL: open to first paint (engine side; streams counted after)"_s,
                   engine.median(), baseline.median(), FirstPaintMs);
    for (int i = 0; i < engine.names().size(); ++i)
        table.addInfo(u"PostgreSQL first paint: "_s + engine.names().at(i), engine.stepMedian(i),
                      baseline.stepMedian(i), engine.stepRatio(i, baseline));
    exact.addRow(table, u"PostgreSQL after it: summary with exact counts"_s);
    busiest.addRow(
        table, u"PostgreSQL after it: %1 busiest streams (timeline lanes)"_s.arg(TimelineLanes));

    // Timed once, for the record: it is the part of opening that grows with the streams.
    qint64 events = 0;
    const double lanesMs = timeMs([&] { events = last->laneEvents(); });
    if (events < 0) {
        *error = last->errorString();
        return false;
    }
    table.addInfo(u"PostgreSQL after it: the lanes' events (%1 events)"_s.arg(events),
                  ResultTable::duration(lanesMs));
    return true;
}

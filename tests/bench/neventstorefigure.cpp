#include "neventstorefigure.h"

#include "benchoptions.h"
#include "samples.h"
#include "windowfigure.h"

#include "neventstorecommits.h"
#include "store/eventstore.h"

#include <QDir>
#include <QFile>
#include <QLocale>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace {

constexpr int OpenRepeats = 3;
constexpr int PagePositions = 20;
constexpr int PageRepeats = 5;
constexpr int PageSize = 200;
constexpr int Streams = 200;
// Where each read scans every commit, 100 pages take many minutes: past this, the reads made
// so far make the figure, and the row says how many.
constexpr double BudgetMs = 30000;

// The targets.
constexpr double FirstPaintMs = 500;
constexpr double PageMs = 2;

QString count(qint64 n)
{
    return QLocale::c().toString(n);
}

// The cached store of these options, written under a temporary name first so that an
// interrupted run leaves nothing that looks complete; generationMs 0 when it was reused.
std::optional<QString> cachedStore(const BenchOptions &options,
                                   const NEventStoreCommits::Options &commits, double *generationMs,
                                   QString *error)
{
    if (!QDir().mkpath(options.dataDir)) {
        *error = u"cannot create the cache folder %1"_s.arg(options.dataDir);
        return std::nullopt;
    }
    const QString path =
        QDir(options.dataDir)
            .absoluteFilePath(u"neventstore-%1-commits-%2-streams-seed-%3.db"_s.arg(commits.commits)
                                  .arg(commits.streams)
                                  .arg(commits.seed));
    *generationMs = 0;
    if (QFile::exists(path) && !options.fresh)
        return path;
    const QString part = path + u".part"_s;
    bool ok = false;
    *generationMs = timeMs([&] { ok = NEventStoreCommits::writeSqlite(part, commits, error); });
    if (!ok)
        return std::nullopt;
    if ((QFile::exists(path) && !QFile::remove(path)) || !QFile::rename(part, path)) {
        *error = u"cannot move %1 to %2"_s.arg(part, path);
        return std::nullopt;
    }
    return path;
}

class Figures
{
public:
    Figures(EventStore &store, const QVector<qint64> &positions, ResultTable &table, quint64 seed)
        : m_store(store), m_positions(positions), m_table(table), m_rng(quint32(seed))
    {
    }
    QString errorString() const { return m_error; }

    bool open()
    {
        Samples opened;
        Samples painted;
        for (int i = 0; i < OpenRepeats; ++i) {
            StoreError error;
            bool ok = false;
            opened.add(
                timeMs([&] { ok = EventStore::open(m_store.location(), {}, &error) != nullptr; }));
            if (!ok)
                return failed(error.message);
            painted.add(timeMs([&] {
                auto store = EventStore::open(m_store.location(), {}, &error);
                ok = store && store->quickSummary().has_value();
                if (store && !ok)
                    error = store->lastError();
            }));
            if (!ok)
                return failed(error.message);
        }
        m_table.addInfo(u"neventstore: open (layout, read notice)"_s,
                        ResultTable::duration(opened.median()));
        m_table.addTimed(u"neventstore: open + quick summary (engine side)"_s, painted.median(),
                         std::nullopt, FirstPaintMs);
        return true;
    }

    // Pages after random positions of the store, of all streams or of the stream of the
    // event at that position.
    bool pages(bool ofStream)
    {
        Samples engine;
        double spentMs = 0;
        int made = 0;
        for (int i = 0; i < PagePositions && spentMs < BudgetMs; ++i) {
            EventFilter filter;
            filter.afterPosition = randomPosition();
            filter.limit = PageSize;
            if (ofStream) {
                filter.stream = streamAt(filter.afterPosition);
                if (filter.stream.isEmpty())
                    return false;
            }
            for (int r = 0; r < PageRepeats; ++r, ++made) {
                bool ok = false;
                const double ms = timeMs([&] { ok = m_store.events(filter).has_value(); });
                if (!ok)
                    return failed(m_store.errorString());
                engine.add(ms);
                spentMs += ms;
            }
        }
        const QString what = u"neventstore: page of %1, %2 (%3 pages), "_s.arg(
            QString::number(PageSize), ofStream ? u"one stream"_s : u"all streams"_s,
            QString::number(made));
        m_table.addInfo(what + u"p50"_s, ResultTable::duration(engine.median()));
        m_table.addTimed(what + u"p99"_s, engine.percentile(99), std::nullopt, PageMs);
        return true;
    }

    // What the lists ask besides pages: the row of an event, and where a page back starts.
    bool keysetReads()
    {
        Samples counts;
        Samples seeks;
        double spentMs = 0;
        for (int i = 0; i < PagePositions && spentMs < BudgetMs; ++i) {
            const qint64 position = randomPosition();
            bool ok = false;
            const double countMs =
                timeMs([&] { ok = m_store.countEvents({}, position).has_value(); });
            if (!ok)
                return failed(m_store.errorString());
            const double seekMs =
                timeMs([&] { ok = m_store.seekPosition({}, position, -PageSize).has_value(); });
            if (!ok)
                return failed(m_store.errorString());
            counts.add(countMs);
            seeks.add(seekMs);
            spentMs += countMs + seekMs;
        }
        m_table.addInfo(u"neventstore: row of a random event (count before it), median"_s,
                        ResultTable::duration(counts.median()));
        m_table.addInfo(
            u"neventstore: seek %1 rows back from a random event, median"_s.arg(PageSize),
            ResultTable::duration(seeks.median()));
        return true;
    }

private:
    bool failed(const QString &message)
    {
        m_error = u"neventstore: "_s + message;
        return false;
    }
    qint64 randomPosition()
    {
        return m_positions.at(qsizetype(m_rng.bounded(quint64(m_positions.size()))));
    }
    QString streamAt(qint64 position)
    {
        EventFilter filter;
        filter.afterPosition = position - 1;
        filter.limit = 1;
        const auto events = m_store.events(filter);
        if (!events || events->isEmpty()) {
            failed(events ? u"no event at %1"_s.arg(position) : m_store.errorString());
            return {};
        }
        return events->constFirst().stream;
    }

    EventStore &m_store;
    const QVector<qint64> &m_positions;
    ResultTable &m_table;
    QRandomGenerator m_rng;
    QString m_error;
};

} // namespace

bool NEventStoreFigure::measure(const BenchOptions &options, ResultTable &table, QString *stores,
                                QString *error)
{
    NEventStoreCommits::Options commits;
    commits.commits = options.nesCommits;
    commits.streams = Streams;
    commits.seed = options.seed;
    double generationMs = 0;
    const auto path = cachedStore(options, commits, &generationMs, error);
    if (!path)
        return false;
    QVector<qint64> positions;
    for (const NEventStoreCommits::Event &e : NEventStoreCommits::events(commits))
        positions << e.position;
    table.addInfo(u"neventstore: generate %1 commits, %2 events"_s.arg(count(commits.commits),
                                                                       count(positions.size())),
                  generationMs > 0 ? ResultTable::duration(generationMs)
                                   : u"reused from cache, not timed (--fresh times it)"_s);
    StoreError openError;
    auto store = EventStore::open(StoreLocation::parse(*path), {}, &openError);
    if (!store) {
        *error = openError.message;
        return false;
    }
    Figures figures(*store, positions, table, options.seed);
    if (!figures.open() || !figures.pages(false) || !figures.pages(true) ||
        !figures.keysetReads()) {
        *error = figures.errorString();
        return false;
    }
    WindowFigure::Options window;
    window.label = u"neventstore: "_s;
    window.repeats = options.windowRepeats;
    if (!WindowFigure::measure(*path, window, table, error))
        return false;
    *stores += u"neventstore: %1 commits, %2 events in %3 streams, seed %4\n"_s.arg(
        count(commits.commits), count(positions.size()), count(Streams),
        QString::number(options.seed));
    return true;
}

#pragma once

// The engine-side figures of the scale issue on one store: each runs the engine's call and
// the baseline (sqlite3 C API, simdjson, an in-memory column) on the same data and
// adds a row to the table. A function returns false, with errorString(), when a call fails.

#include "resulttable.h"
#include "sqlitebaseline.h"

#include <QRandomGenerator>
#include <QString>
#include <QVector>

#include <functional>

class EventStore;
class ReplayEngine;

class ModelFigures
{
public:
    ModelFigures(EventStore &store, SqliteBaseline &baseline, ResultTable &table, quint64 seed);

    QString errorString() const { return m_error; }
    // The replayed stream's event positions, after replayAndScrub().
    const QVector<qint64> &streamPositions() const { return m_streamPositions; }

    // EventStore::open + quickSummary(), a fresh store each time, against the cheap first
    // queries; then summary(), the exact counts the window gets later.
    bool openToFirstFigures();
    // ReplayEngine::load against the C API + simdjson fold, then random jumps.
    bool replayAndScrub(const QString &stream);
    // Pages of 200 at random rows of `rows`; stream empty = all streams. positionBefore(n) is
    // the position of the row before row n (any position below the first for row 0).
    bool pages(const QString &stream, qint64 rows,
               const std::function<qint64(qint64)> &positionBefore);
    // EventIndexBuilder::build against a raw two-thread C API scan of the same columns; the
    // index is attached to the store, so the figures after this one use it as the window does.
    bool indexBuild();
    // EventStore::buckets(hour) over the whole store against an in-memory time column; with
    // the index, and once through SQL for contrast.
    bool buckets();
    // EventStore::streams first page and filter-as-you-type against skip-seeks; with the
    // index, and the filter once through SQL for contrast.
    bool streamList(qint64 streamCount);

private:
    bool scrub(ReplayEngine &engine);
    bool compareStates(ReplayEngine &engine, const SqliteBaseline::Fold &fold);
    bool failed(const QString &message);
    // The index leaves the store for `work` (a contrast with SQL), then comes back.
    template<typename Work> void withoutIndex(Work work);

    EventStore &m_store;
    SqliteBaseline &m_baseline;
    ResultTable &m_table;
    QRandomGenerator m_rng;
    QString m_error;
    QVector<qint64> m_streamPositions;
    bool m_quickSummaryInexact = false;
};

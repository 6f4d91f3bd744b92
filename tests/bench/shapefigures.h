#pragma once

// The figures on one foreign store (tests/foreignstores), each row labelled with the
// shape: replay of the big stream from zero against the shape's own C API/libpq + simdjson
// fold (and that both end in the same state), `replay --at 1000` from a fresh engine, open to
// first paint (engine side), scrub p99, page of 200 p99, and `info` against a two-thread raw
// scan of the shape's columns. A function returns false, with errorString(), when a call fails.

#include "resulttable.h"
#include "shapebaseline.h"

#include <QRandomGenerator>
#include <QString>
#include <QVector>

class EventStore;
class ReplayEngine;

class ShapeFigures
{
public:
    ShapeFigures(const ForeignStores::Shape &shape, EventStore &store, ShapeBaseline &baseline,
                 ResultTable &table, quint64 seed);

    QString errorString() const { return m_error; }

    // EventStore::open + quickSummary(), a fresh store each time.
    bool firstPaint();
    // ReplayEngine::load of the stream against the baseline's fold, their states compared,
    // then random jumps; then a fresh engine's state at index 999, load included.
    bool replay(const QString &stream);
    // Pages of 200 of all streams after random positions of the replayed stream (spread over
    // the store); after replay().
    bool pages();
    // What `eventscope-cli info` does (open + summary) against the raw two-thread scan; on
    // PostgreSQL also the in-memory index the window builds, against the same scan.
    bool info();

private:
    bool scrub(ReplayEngine &engine);
    bool indexOverLibpq(double scanMs);
    bool failed(const QString &message);
    QString what(const QString &figure) const
    {
        return m_shape.name + QStringLiteral(": ") + figure;
    }

    ForeignStores::Shape m_shape;
    EventStore &m_store;
    ShapeBaseline &m_baseline;
    ResultTable &m_table;
    QRandomGenerator m_rng;
    QString m_error;
    QVector<qint64> m_streamPositions;
};

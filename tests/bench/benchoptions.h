#pragma once

// What the benchmark measures on: store sizes, seed, cache folder, repetitions.

#include <QString>
#include <QStringList>

#include <optional>

struct BenchOptions
{
    qint64 events = 1000000;
    int users = 200;                 // the main store: DemoGenerator's default, long user streams
    qint64 postgresEvents = 1000000; // the PostgreSQL target's size, whatever --events says
    int streamUsers = 100000;        // the second store, for the stream list: many short streams
    quint64 seed = 42;
    QString dataDir = QStringLiteral("build/bench-data");
    bool fresh = false;      // regenerate cached stores, so that generation is timed
    int timelineGrabs = 100; // per zoom level
    // Which figures to measure: the SQLite stores' (with the timeline) and PostgreSQL's; or
    // only the main store's timeline, to iterate on it.
    bool sqlite = true;
    bool postgres = true;
    bool timelineOnly = false;
    // The questions about one aggregate on a stream of --events events (AggregateFigure).
    bool aggregate = false;
    // The questions about the whole store (search, check, schema, read model) on the main
    // store: only when asked for (--only store), each reads all of it.
    bool storeQuestions = false;
    // An NEventStore store of nesCommits commits (NEventStoreFigure): only when asked for
    // (--only neventstore).
    bool neventstore = false;
    qint64 nesCommits = 200000;
    // The matrix of foreign stores (tests/foreignstores): which shapes, and their sizes. The
    // big stream's replay is the 1M-event figure; the first-paint store, when set,
    // is a second, larger SQLite store of each shape for the first paint, `info` and the
    // window (the 10M).
    bool shapes = true;
    QStringList shapeNames; // empty = all
    qint64 shapeEvents = 2000000;
    qint64 shapeBigStream = 1000000;
    int shapeStreams = 200;
    qint64 paintEvents = 0; // 0 = measure first paint on the shape store itself
    int windowRepeats = 1;
    bool keepShapeStores = false; // else foreign stores of 1 GB or more are deleted at the end

    // nullopt with a message in *error on a usage error.
    static std::optional<BenchOptions> parse(const QStringList &arguments, QString *error);
};

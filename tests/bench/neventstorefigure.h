#pragma once

// The figures of an NEventStore store of --nes-commits commits (tests/foreignstores'
// NEventStoreCommits: one row per commit holding a list of events, which Eventscope expands in
// SQL): open alone (its read notice looks at payloads), open + quick summary (what the window
// waits for before its first paint), a page of 200 of all streams and of one stream after
// random positions, the row count before a position and a seek a page back (the lists'
// keyset reads), and the window's first paint.

#include "resulttable.h"

#include <QString>

struct BenchOptions;

class NEventStoreFigure
{
public:
    // The store is generated into the cache folder if missing. *stores gets a line.
    static bool measure(const BenchOptions &options, ResultTable &table, QString *stores,
                        QString *error);
};

#pragma once

// The figures of the questions about one aggregate (issue #14) on a stream of --events events
// whose `balance` changes every tenth event and whose `risk` turns "high" for the last 5%:
// the engine's history of `balance` (time, peak memory) and bisect of `risk == "high"` (time),
// and the window's responsiveness while each runs through StoreSession: the longest gap
// between turns of the GUI event loop, seen by a QTimer ticking every 10 ms, from asking
// until the panel shows the answer; its baseline is the longest gap of the idle window.

#include "resulttable.h"

#include <QString>

namespace AggregateFigure {
// The stream the store holds, and the store: written by StoreCache::aggregateStore().
QString streamName();
bool writeStore(const QString &path, qint64 events, QString *error);

bool measure(const QString &storePath, qint64 events, ResultTable &table, QString *error);
} // namespace AggregateFigure

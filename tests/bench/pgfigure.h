#pragma once

// The PostgreSQL figure of the scale issue: a large Message DB store on a local server opens
// to the window's first paint in a second, counts and buckets computed by the server. The
// engine runs what the window waits for, in the window's order; the baseline runs the same
// aggregates written by hand over one QPSQL connection, so that the ratio is the engine's
// overhead. Each step's median is an info row.

#include "resulttable.h"

#include <QString>

class PgDemoStore;

namespace PgFigure {
// Repeats the sequence on the store and adds the rows; false with *error when a call fails.
bool measure(const PgDemoStore &store, ResultTable &table, QString *error);
} // namespace PgFigure

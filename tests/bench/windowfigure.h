#pragma once

// The window's first paint on a store (the "open to first paint", window side): a
// MainWindow, offscreen at a maximised size with settings of its own, timed from openStore()
// until it has painted the counts, the time range, the timeline's density, the first streams
// and the first events (storeOpened, then both lists' first rows, then a paint of the whole
// window); and, for information, until the index, timeline lanes and charts have settled too.

#include "resulttable.h"

#include <QString>

#include <optional>

class WindowFigure
{
public:
    struct Options
    {
        QString mapSpec;          // for a store read through a column mapping
        QString label;            // put before each row's figure ("own-int-ms: "); may be empty
        int repeats = 3;          // the rows show the median
        bool needsDensity = true; // the first paint must show the timeline's density
        // A target for "until settled"; none = the row is for information.
        std::optional<double> settledLimitMs;
    };

    static bool measure(const QString &store, const Options &options, ResultTable &table,
                        QString *error);
    static bool measure(const QString &storePath, ResultTable &table, QString *error)
    {
        return measure(storePath, Options(), table, error);
    }
};

#pragma once

// The window's first paint on a store (the "open to first paint", window side): a
// MainWindow, offscreen at a maximised size with settings of its own, timed from openStore()
// until it has painted the counts, the time range, the timeline's density, the first streams
// and the first events (storeOpened, then a paint of the whole window); and, for
// information, until the index, timeline lanes and charts have settled too.

#include "resulttable.h"

#include <QString>

class WindowFigure
{
public:
    static bool measure(const QString &storePath, ResultTable &table, QString *error);
};

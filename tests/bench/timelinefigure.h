#pragma once

// The timeline's repaint time: a TimelineView (offscreen) fed the busiest streams' lanes,
// grabbed repeatedly at several zoom levels.

#include "resulttable.h"

#include <QString>
#include <QStringList>

class EventStore;
struct StoreSummary;

namespace TimelineFigure {
// False with *error when reading the lanes fails.
bool measure(EventStore &store, const StoreSummary &summary, const QStringList &streams,
             int grabsPerZoom, quint64 seed, ResultTable &table, QString *error);
} // namespace TimelineFigure

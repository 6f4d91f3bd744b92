#pragma once

// The timeline's lanes from the columns the store read for the busiest streams: each event's
// type as its index in the palette's types (the form TimelineView paints from).

#include "index/eventindex.h"
#include "timelineview.h"

#include <QStringList>
#include <QVector>

// A type the palette does not know gets index 0.
QVector<TimelineLane> timelineLanes(const QVector<StreamColumns> &columns,
                                    const QStringList &paletteTypes);

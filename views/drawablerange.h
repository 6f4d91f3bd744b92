#pragma once

// The store's time range as the timeline and the replay bar lay it out.

#include <QtGlobal>

#include <optional>

struct TimeRange
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
};

// A missing end (NoTime) is the other end (a store whose last time does not parse still has
// its first), ends out of order are swapped, and both are kept where the timeline's math
// works. None when the store has no time at all.
std::optional<TimeRange> drawableRange(qint64 firstMs, qint64 lastMs);

// A little room on both sides (a fiftieth, at least a second), so that the first and last
// marks are not cut.
TimeRange withMargin(const TimeRange &range);

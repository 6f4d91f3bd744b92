#include "drawablerange.h"

#include "core/event.h"
#include "timescale.h"

std::optional<TimeRange> drawableRange(qint64 firstMs, qint64 lastMs)
{
    if (firstMs == NoTime && lastMs == NoTime)
        return std::nullopt;
    if (firstMs == NoTime)
        firstMs = lastMs;
    if (lastMs == NoTime)
        lastMs = firstMs;
    return TimeRange{TimeScale::clampTime(qMin(firstMs, lastMs)),
                     TimeScale::clampTime(qMax(firstMs, lastMs))};
}

TimeRange withMargin(const TimeRange &range)
{
    const qint64 margin = qMax<qint64>(1000, (range.toMs - range.fromMs) / 50);
    return {range.fromMs - margin, range.toMs + margin};
}

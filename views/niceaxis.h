#pragma once

// A count axis from zero with whole-number ticks at 1, 2 or 5 times a power of ten, so that
// small counts do not get ticks like 2.5 events. QValueAxis::applyNiceNumbers can pick
// fractional steps for small ranges.

#include <QtGlobal>

struct NiceAxis
{
    qreal maximum = 1;
    int tickCount = 2;

    static NiceAxis forMaximum(qint64 maximum, int maxIntervals = 5);
};

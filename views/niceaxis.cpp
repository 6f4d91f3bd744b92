#include "niceaxis.h"

NiceAxis NiceAxis::forMaximum(qint64 maximum, int maxIntervals)
{
    const qint64 top = qMax<qint64>(1, maximum);
    qint64 step = 1;
    for (qint64 magnitude = 1;; magnitude *= 10) {
        const qint64 candidates[] = {magnitude, 2 * magnitude, 5 * magnitude};
        bool found = false;
        for (qint64 c : candidates) {
            if ((top + c - 1) / c <= maxIntervals) {
                step = c;
                found = true;
                break;
            }
        }
        if (found)
            break;
    }
    const qint64 intervals = (top + step - 1) / step;
    return NiceAxis{qreal(intervals * step), int(intervals) + 1};
}

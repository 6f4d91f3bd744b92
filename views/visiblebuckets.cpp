#include "visiblebuckets.h"

BucketSize bucketSizeFor(qint64 spanMs)
{
    if (spanMs <= 12 * 3600000LL)
        return BucketSize::Minute;
    if (spanMs <= 21 * 86400000LL)
        return BucketSize::Hour;
    if (spanMs <= 400 * 86400000LL)
        return BucketSize::Day;
    return BucketSize::Week;
}

VisibleBuckets visibleBuckets(const QVector<Bucket> &buckets, qint64 bucketMs, qint64 startMs,
                              qint64 endMs)
{
    VisibleBuckets visible;
    for (const Bucket &b : buckets) {
        if (b.startMs + bucketMs <= startMs) {
            for (auto it = b.byType.cbegin(); it != b.byType.cend(); ++it)
                visible.earlier[it.key()] += it.value();
        } else if (b.startMs < endMs) {
            visible.buckets << b;
        }
    }
    return visible;
}

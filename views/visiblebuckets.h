#pragma once

// What the charts show of a store's buckets: the bucket size that suits the timeline's
// visible span, and the buckets inside the visible range, so that the charts follow its zoom.

#include "core/event.h"

#include <QMap>
#include <QString>
#include <QVector>

// The bucket that gives a readable chart for a visible span: a few hundred bars at most.
BucketSize bucketSizeFor(qint64 spanMs);

struct VisibleBuckets
{
    QVector<Bucket> buckets; // those overlapping [startMs, endMs)
    // Events per type of the buckets that end at or before startMs, so that running click
    // counts start at the beginning.
    QMap<QString, qint64> earlier;
};

// buckets ascending by start, each bucketMs wide.
VisibleBuckets visibleBuckets(const QVector<Bucket> &buckets, qint64 bucketMs, qint64 startMs,
                              qint64 endMs);

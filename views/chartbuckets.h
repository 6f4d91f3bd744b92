#pragma once

// The numbers behind the activity and click charts, worked out once per setBuckets: the types
// in stacking order, clicks per bucket and their running total, step-shaped points, and the
// lookups by time that hover, selection and the playhead label need. A value type whose
// vectors are shared on copy, so each chart keeps its own copy cheaply.

#include "core/event.h"

#include <QList>
#include <QMap>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

class ChartBuckets
{
public:
    ChartBuckets() = default;
    // buckets ascending by start; clickTypes empty = automaticClickTypes of the buckets' types.
    // earlier: events per type before the first bucket (a chart of a zoomed-in range), so
    // that running click totals count from the start of the data, not of the chart.
    ChartBuckets(const QVector<Bucket> &buckets, qint64 bucketMs, const QStringList &clickTypes,
                 const QMap<QString, qint64> &earlier = {});

    // Types whose name contains "click", ignoring case.
    static QStringList automaticClickTypes(const QStringList &types);

    bool isEmpty() const { return m_buckets.isEmpty(); }
    const QVector<Bucket> &buckets() const { return m_buckets; }
    qint64 bucketMs() const { return m_bucketMs; }
    QStringList types() const { return m_types; } // every type in the buckets, in name order
    QStringList clickTypes() const { return m_clickTypes; }
    qint64 startMs() const; // start of the first bucket, NoTime when empty
    qint64 endMs() const;   // end of the last bucket, NoTime when empty
    qint64 maxEvents() const { return m_maxEvents; }

    // The bucket whose [start, start + bucketMs) holds ms; -1 in a gap or outside.
    int indexAt(qint64 ms) const;
    // Events of types().at(typeIndex) per bucket.
    const QVector<qint64> &counts(int typeIndex) const { return m_counts.at(typeIndex); }
    const QVector<qint64> &clicks() const { return m_clicks; }
    const QVector<qint64> &runningClicks() const { return m_runningClicks; }
    qint64 totalClicks() const;
    // Clicks in the buckets starting at or before ms (and before the chart). Counts are per
    // bucket, so the bucket under the playhead counts whole: the label never claims a click
    // the chart does not show. -1 when ms is before the chart and clicks happened before it:
    // how many of those came before ms is not known here.
    qint64 clicksUpTo(qint64 ms) const;

    // Bucket edges on the grid of the first bucket (weeks start on Mondays, not at the epoch).
    qint64 snapDown(qint64 ms) const;
    qint64 snapUp(qint64 ms) const;

    enum class Peak { Events, Clicks };
    // At most maxColumns buckets, each group of neighbours shown by its busiest bucket (most
    // events or most clicks), on a grid of whole multiples of bucketMs; *this when it has no
    // more slots than that. Running click totals of the result count only the peaks.
    // Painting thousands of noisy steps narrower than a pixel costs Qt's rasterizer hundreds
    // of milliseconds and shows nothing more than the peaks do.
    ChartBuckets peaks(int maxColumns, Peak by) const;

    // Step-shaped points, one value per bucket: each bucket a flat segment from its start to
    // its end. Across a gap between buckets the line drops to zero, or with holdAcrossGaps
    // keeps its level, as a running total does.
    QList<QPointF> steps(const QVector<qint64> &values, bool holdAcrossGaps) const;

    QString activityText(qint64 ms) const; // empty outside the buckets
    QString clicksText(qint64 ms) const;   // empty outside the buckets

private:
    QString rangeText(int index) const;

    QVector<Bucket> m_buckets;
    qint64 m_bucketMs = 1;
    QStringList m_types;
    QStringList m_clickTypes;
    QVector<QVector<qint64>> m_counts; // [type][bucket]
    QVector<qint64> m_clicks;
    QVector<qint64> m_runningClicks;
    QMap<QString, qint64> m_earlier;
    qint64 m_earlierClicks = 0;
    qint64 m_maxEvents = 0;
};

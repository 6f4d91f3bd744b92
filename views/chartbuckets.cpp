#include "chartbuckets.h"

#include "elidedtext.h"

#include "decoding/timecodec.h"

#include <QHash>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

} // namespace

ChartBuckets::ChartBuckets(const QVector<Bucket> &buckets, qint64 bucketMs,
                           const QStringList &clickTypes, const QMap<QString, qint64> &earlier)
    : m_buckets(buckets), m_bucketMs(qMax<qint64>(1, bucketMs)), m_earlier(earlier)
{
    // Counts go into one vector per type here, so that building the series is plain
    // arithmetic: thousands of buckets times a few types of map lookups added up.
    QHash<QString, int> seen;
    for (const Bucket &b : buckets) {
        for (auto it = b.byType.cbegin(); it != b.byType.cend(); ++it) {
            if (!seen.contains(it.key()))
                seen.insert(it.key(), 0);
        }
        m_maxEvents = qMax(m_maxEvents, b.events);
    }
    m_types = seen.keys();
    m_types.sort();
    for (int i = 0; i < m_types.size(); ++i)
        seen[m_types.at(i)] = i;

    const qsizetype n = buckets.size();
    m_counts.fill(QVector<qint64>(n, 0), m_types.size());
    for (qsizetype i = 0; i < n; ++i) {
        const QMap<QString, qint64> &byType = buckets.at(i).byType;
        for (auto it = byType.cbegin(); it != byType.cend(); ++it)
            m_counts[seen.value(it.key())][i] = it.value();
    }

    m_clickTypes = clickTypes.isEmpty() ? automaticClickTypes(m_types) : clickTypes;
    m_clicks.fill(0, n);
    for (const QString &type : std::as_const(m_clickTypes)) {
        const auto found = seen.constFind(type);
        if (found == seen.cend())
            continue; // a chosen click type this scope has no events of
        const QVector<qint64> &counts = m_counts.at(*found);
        for (qsizetype i = 0; i < n; ++i)
            m_clicks[i] += counts.at(i);
    }
    for (const QString &type : std::as_const(m_clickTypes))
        m_earlierClicks += earlier.value(type);
    m_runningClicks.resize(n);
    qint64 running = m_earlierClicks;
    for (qsizetype i = 0; i < n; ++i) {
        running += m_clicks.at(i);
        m_runningClicks[i] = running;
    }
}

QStringList ChartBuckets::automaticClickTypes(const QStringList &types)
{
    QStringList result;
    for (const QString &type : types) {
        if (type.contains(u"click"_s, Qt::CaseInsensitive))
            result.append(type);
    }
    return result;
}

qint64 ChartBuckets::startMs() const
{
    return isEmpty() ? NoTime : m_buckets.constFirst().startMs;
}

qint64 ChartBuckets::endMs() const
{
    return isEmpty() ? NoTime : m_buckets.constLast().startMs + m_bucketMs;
}

int ChartBuckets::indexAt(qint64 ms) const
{
    if (ms == NoTime)
        return -1;
    const auto after = std::upper_bound(m_buckets.cbegin(), m_buckets.cend(), ms,
                                        [](qint64 t, const Bucket &b) { return t < b.startMs; });
    if (after == m_buckets.cbegin())
        return -1;
    const int index = int(after - m_buckets.cbegin()) - 1;
    return ms < m_buckets.at(index).startMs + m_bucketMs ? index : -1;
}

qint64 ChartBuckets::totalClicks() const
{
    return m_runningClicks.isEmpty() ? m_earlierClicks : m_runningClicks.constLast();
}

qint64 ChartBuckets::clicksUpTo(qint64 ms) const
{
    if (ms == NoTime)
        return 0;
    const auto after = std::upper_bound(m_buckets.cbegin(), m_buckets.cend(), ms,
                                        [](qint64 t, const Bucket &b) { return t < b.startMs; });
    const int count = int(after - m_buckets.cbegin());
    if (count == 0)
        return m_earlierClicks == 0 ? 0 : -1;
    return m_runningClicks.at(count - 1);
}

qint64 ChartBuckets::snapDown(qint64 ms) const
{
    if (isEmpty())
        return ms;
    const qint64 origin = startMs();
    return origin + floorDiv(ms - origin, m_bucketMs) * m_bucketMs;
}

qint64 ChartBuckets::snapUp(qint64 ms) const
{
    const qint64 down = snapDown(ms);
    return down == ms ? ms : down + m_bucketMs;
}

ChartBuckets ChartBuckets::peaks(int maxColumns, Peak by) const
{
    if (isEmpty() || maxColumns <= 0)
        return *this;
    const qint64 slotCount = (endMs() - startMs()) / m_bucketMs;
    if (slotCount <= maxColumns)
        return *this;
    const qint64 width = (slotCount + maxColumns - 1) / maxColumns * m_bucketMs;
    const qint64 origin = startMs();
    QVector<Bucket> groups;
    qint64 best = 0;
    for (qsizetype i = 0; i < m_buckets.size(); ++i) {
        const Bucket &b = m_buckets.at(i);
        const qint64 start = origin + floorDiv(b.startMs - origin, width) * width;
        const qint64 weight = by == Peak::Events ? b.events : m_clicks.at(i);
        if (groups.isEmpty() || groups.constLast().startMs != start) {
            groups.append(Bucket{start, b.events, b.byType});
            best = weight;
        } else if (weight > best) {
            groups.last() = Bucket{start, b.events, b.byType};
            best = weight;
        }
    }
    return ChartBuckets(groups, width, m_clickTypes, m_earlier);
}

QList<QPointF> ChartBuckets::steps(const QVector<qint64> &values, bool holdAcrossGaps) const
{
    QList<QPointF> points;
    points.reserve(m_buckets.size() * 3);
    for (qsizetype i = 0; i < m_buckets.size(); ++i) {
        const qreal start = qreal(m_buckets.at(i).startMs);
        if (i > 0) {
            const qreal previousEnd = qreal(m_buckets.at(i - 1).startMs + m_bucketMs);
            if (start > previousEnd) {
                const qreal level = holdAcrossGaps ? qreal(values.at(i - 1)) : 0.0;
                if (!holdAcrossGaps)
                    points.append({previousEnd, level});
                points.append({start, level});
            }
        }
        const qreal v = qreal(values.at(i));
        points.append({start, v});
        points.append({start + qreal(m_bucketMs), v});
    }
    return points;
}

QString ChartBuckets::rangeText(int index) const
{
    const qint64 start = m_buckets.at(index).startMs;
    return TimeCodec::format(start) % u" \u2013 "_s % TimeCodec::format(start + m_bucketMs);
}

QString ChartBuckets::activityText(qint64 ms) const
{
    const int index = indexAt(ms);
    if (index < 0)
        return {};
    const Bucket &b = m_buckets.at(index);
    QString text = rangeText(index) % u"\n%1 events"_s.arg(b.events);
    for (auto it = b.byType.cbegin(); it != b.byType.cend(); ++it) {
        if (it.value() > 0)
            text += u"\n%1: %2"_s.arg(elidedName(it.key())).arg(it.value());
    }
    return text;
}

QString ChartBuckets::clicksText(qint64 ms) const
{
    const int index = indexAt(ms);
    if (index < 0)
        return {};
    return rangeText(index) %
           u"\n%1 clicks in this bucket\n%2 clicks up to its end"_s.arg(m_clicks.at(index))
               .arg(m_runningClicks.at(index));
}

#include "index/eventindex.h"

#include "core/naturalorder.h"

#include <algorithm>
#include <unordered_map>

namespace {

constexpr qint64 MinuteSeconds = 60;
constexpr qint64 HourSeconds = 3600;
constexpr qint64 DaySeconds = 86400;
constexpr qint64 WeekSeconds = 7 * DaySeconds;
// Weeks start on Monday; the epoch was a Thursday (as EventStore's SQL).
constexpr qint64 WeekShiftSeconds = 4 * DaySeconds;
// Counters of a dense bucket-by-type table; beyond it (minutes over years) a map.
constexpr qint64 MaxDenseCells = 8 * 1024 * 1024;

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// The bucket start of EventStore::bucketSecondsSql: the bucket a time is in, floored on both
// sides of the epoch (and of the week's Monday before it).
template<qint64 Width, qint64 Shift> qint64 bucketSeconds(qint64 ms)
{
    return floorDiv(floorDiv(ms, 1000) - Shift, Width) * Width + Shift;
}

char foldAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

// LIKE '%needle%' without ICU: a substring, ASCII letters in either case. needle is folded.
bool containsFolded(const QByteArray &haystack, const QByteArray &needle)
{
    const qsizetype last = haystack.size() - needle.size();
    for (qsizetype at = 0; at <= last; ++at) {
        qsizetype i = 0;
        while (i < needle.size() && foldAscii(haystack[at + i]) == needle[i])
            ++i;
        if (i == needle.size())
            return true;
    }
    return false;
}

} // namespace

qint64 EventIndex::memoryBytes() const
{
    qint64 bytes = qint64(
        m_positions.memoryBytes() + m_versions.memoryBytes() + m_times.capacity() * sizeof(qint64) +
        m_types.capacity() * sizeof(quint16) + m_streams.capacity() * sizeof(quint32) +
        (m_byName.capacity() + m_byEvents.capacity()) * sizeof(quint32));
    bytes += qint64(m_streamTotals.capacity() * sizeof(Totals));
    for (const QByteArray &name : m_streamNames)
        bytes += qint64(sizeof(QByteArray)) + name.capacity();
    return bytes;
}

StoreSummary EventIndex::summary(StoreSummary base) const
{
    base.events = eventCount();
    base.streams = qint64(m_streamTotals.size());
    base.firstTimeMs = m_firstTimeMs;
    base.lastTimeMs = m_lastTimeMs;
    base.eventsWithoutTime = qint64(std::count(m_times.cbegin(), m_times.cend(), NoTime));
    std::vector<qint64> counts(std::size_t(m_typeNames.size()));
    for (const quint16 type : m_types)
        ++counts[type];
    base.typeCounts.clear();
    for (qsizetype i = 0; i < m_typeNames.size(); ++i)
        base.typeCounts.insert(m_typeNames.at(i), counts[std::size_t(i)]);
    base.exact = true;
    return base;
}

StreamInfo EventIndex::info(quint32 stream) const
{
    const Totals &totals = m_streamTotals[stream];
    StreamInfo info;
    info.stream = QString::fromUtf8(m_streamNames[stream]);
    info.events = totals.events;
    info.firstVersion = totals.firstVersion;
    info.lastVersion = totals.lastVersion;
    info.firstTimeMs = totals.firstTimeMs;
    info.lastTimeMs = totals.lastTimeMs;
    return info;
}

QVector<StreamInfo> EventIndex::streams(const StreamQuery &query) const
{
    const QByteArray after = query.after.value_or(QString()).toUtf8();
    const bool byEvents = query.order == StreamQuery::Order::MostEvents;
    const std::vector<quint32> &order = byEvents ? m_byEvents : m_byName;
    // Both orders are sorted by what the keyset compares, so the page starts at a partition.
    auto from = order.cbegin();
    if (query.after) {
        from = std::partition_point(order.cbegin(), order.cend(), [&](quint32 id) {
            const QByteArray &name = m_streamNames[id];
            const qint64 events = m_streamTotals[id].events;
            if (byEvents)
                return events > query.afterEvents ||
                       (events == query.afterEvents && NaturalOrder::compare(name, after) <= 0);
            return NaturalOrder::compare(name, after) <= 0;
        });
    }
    const QByteArray needle = query.filter.toUtf8().toLower(); // QByteArray folds ASCII only
    QVector<StreamInfo> result;
    for (auto it = from; it != order.cend() && result.size() < query.limit; ++it) {
        if (needle.isEmpty() || containsFolded(m_streamNames[*it], needle))
            result << info(*it);
    }
    return result;
}

QVector<StreamColumns> EventIndex::lanes(const QStringList &streams) const
{
    QVector<StreamColumns> result(streams.size());
    // Each stream id's lane, for a pass that looks up every event's stream in one array.
    std::vector<int> laneOf(m_streamTotals.size(), -1);
    std::vector<std::vector<quint32>> events(std::size_t(streams.size())); // indices, per lane
    for (qsizetype lane = 0; lane < streams.size(); ++lane) {
        result[lane].stream = streams.at(lane);
        if (const auto id = streamId(streams.at(lane)); id && laneOf[*id] < 0) {
            laneOf[*id] = int(lane);
            events[std::size_t(lane)].reserve(std::size_t(m_streamTotals[*id].events));
        }
    }
    for (std::size_t i = 0; i < m_streams.size(); ++i) {
        const quint32 stream = m_streams[i];
        if (stream == NullStream || laneOf[stream] < 0)
            continue;
        if (m_times[i] != NoTime && m_versions[i] != NoVersion)
            events[std::size_t(laneOf[stream])].push_back(quint32(i));
    }
    for (qsizetype lane = 0; lane < streams.size(); ++lane) {
        std::vector<quint32> &indices = events[std::size_t(lane)];
        // Appends make position order version order; where a store's are not, as SQL orders.
        const auto byVersion = [this](quint32 a, quint32 b) {
            return m_versions[a] < m_versions[b];
        };
        if (!std::is_sorted(indices.cbegin(), indices.cend(), byVersion))
            std::stable_sort(indices.begin(), indices.end(), byVersion);
        StreamColumns &columns = result[lane];
        const auto n = qsizetype(indices.size());
        columns.times.reserve(n);
        columns.types.reserve(n);
        columns.versions.reserve(n);
        columns.positions.reserve(n);
        for (const quint32 i : indices) {
            columns.times << m_times[i];
            columns.types << m_typeNames.at(m_types[i]);
            columns.versions << m_versions[i];
            columns.positions << m_firstPosition + m_positions[i];
        }
    }
    return result;
}

std::optional<quint32> EventIndex::streamId(const QString &name) const
{
    const QByteArray bytes = name.toUtf8();
    const auto it = std::partition_point(m_byName.cbegin(), m_byName.cend(), [&](quint32 id) {
        return NaturalOrder::less(m_streamNames[id], bytes);
    });
    if (it == m_byName.cend() || m_streamNames[*it] != bytes)
        return std::nullopt;
    return *it;
}

qint64 EventIndex::countUpTo(const QString &stream, const QStringList &types, qint64 ms) const
{
    quint32 id = NullStream; // no stream filter
    if (!stream.isEmpty()) {
        const auto found = streamId(stream);
        if (!found)
            return 0;
        id = *found;
    }
    std::vector<bool> counted(std::size_t(m_typeNames.size()), false);
    for (const QString &type : types) {
        const auto t = m_typeNames.indexOf(type);
        if (t >= 0)
            counted[std::size_t(t)] = true;
    }
    qint64 n = 0;
    for (std::size_t i = 0; i < m_times.size(); ++i) {
        const qint64 t = m_times[i];
        if (t != NoTime && t <= ms && counted[m_types[i]] &&
            (id == NullStream || m_streams[i] == id))
            ++n;
    }
    return n;
}

QVector<Bucket> EventIndex::buckets(BucketSize size, const BucketFilter &filter) const
{
    quint32 stream = NullStream; // no stream filter
    if (!filter.stream.isEmpty()) {
        const auto id = streamId(filter.stream);
        if (!id)
            return {};
        stream = *id;
    }
    int type = -1;
    if (!filter.type.isEmpty()) {
        type = int(m_typeNames.indexOf(filter.type));
        if (type < 0)
            return {};
    }
    if (m_firstTimeMs == NoTime)
        return {};
    switch (size) {
    case BucketSize::Minute:
        return bucketsOf<MinuteSeconds, 0>(stream, type);
    case BucketSize::Hour:
        return bucketsOf<HourSeconds, 0>(stream, type);
    case BucketSize::Day:
        return bucketsOf<DaySeconds, 0>(stream, type);
    case BucketSize::Week:
        return bucketsOf<WeekSeconds, WeekShiftSeconds>(stream, type);
    }
    return {};
}

// Compile-time widths, so that the division per event is a multiplication.
template<qint64 Width, qint64 Shift>
QVector<Bucket> EventIndex::bucketsOf(quint32 stream, int type) const
{
    const qint64 first = bucketSeconds<Width, Shift>(m_firstTimeMs);
    const qint64 last = bucketSeconds<Width, Shift>(m_lastTimeMs);
    const auto typeCount = qint64(m_typeNames.size());
    const qint64 bucketCount = (last - first) / Width + 1;
    const bool dense = bucketCount * typeCount <= MaxDenseCells;
    std::vector<qint64> table(dense ? std::size_t(bucketCount * typeCount) : 0);
    std::unordered_map<qint64, std::vector<qint64>> sparse;

    const std::size_t n = m_times.size();
    const bool filtered = stream != NullStream || type >= 0;
    if (dense && !filtered) {
        // The first bucket starts on a bucket boundary at or before every time, so a bucket
        // is one unsigned division of the milliseconds since it. The charts' usual case.
        constexpr quint64 WidthMs = quint64(Width) * 1000;
        const qint64 originMs = first * 1000;
        for (std::size_t i = 0; i < n; ++i) {
            const qint64 ms = m_times[i];
            if (ms != NoTime)
                ++table[std::size_t(qint64(quint64(ms - originMs) / WidthMs) * typeCount +
                                    m_types[i])];
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            const qint64 ms = m_times[i];
            if (ms == NoTime || (stream != NullStream && m_streams[i] != stream) ||
                (type >= 0 && m_types[i] != type))
                continue;
            const qint64 bucket = (bucketSeconds<Width, Shift>(ms) - first) / Width;
            if (dense) {
                ++table[std::size_t(bucket * typeCount + m_types[i])];
            } else {
                std::vector<qint64> &counts = sparse[bucket];
                counts.resize(std::size_t(typeCount));
                ++counts[m_types[i]];
            }
        }
    }

    QVector<Bucket> result;
    const auto add = [&](qint64 bucket, const qint64 *counts) {
        Bucket b;
        for (qint64 t = 0; t < typeCount; ++t) {
            if (counts[t] == 0)
                continue;
            b.events += counts[t];
            b.byType.insert(m_typeNames.at(t), counts[t]);
        }
        if (b.events == 0)
            return;
        b.startMs = (first + bucket * Width) * 1000;
        result << b;
    };
    if (dense) {
        for (qint64 bucket = 0; bucket < bucketCount; ++bucket)
            add(bucket, table.data() + bucket * typeCount);
    } else {
        std::vector<qint64> keys;
        keys.reserve(sparse.size());
        for (const auto &entry : sparse)
            keys.push_back(entry.first);
        std::sort(keys.begin(), keys.end());
        for (const qint64 bucket : keys)
            add(bucket, sparse.at(bucket).data());
    }
    return result;
}

#include "replay/eventjson.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "query/integritycheck.h"
#include "query/schemasurvey.h"
#include "replay/replayengine.h"
#include "replay/snapshotcomparison.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

QJsonObject counts(const QMap<QString, qint64> &map)
{
    QJsonObject o;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonArray matches(const QVector<LayoutMatch> &list)
{
    QJsonArray result;
    for (const LayoutMatch &m : list)
        result.append(
            QJsonObject{{QStringLiteral("layout"), m.id}, {QStringLiteral("table"), m.table}});
    return result;
}

} // namespace

EventJson::Object &EventJson::Object::add(const char *key, const QJsonValue &value)
{
    return addJson(key, Payload::compact(value));
}

EventJson::Object &EventJson::Object::addJson(const char *key, const QByteArray &json)
{
    if (m_bytes.size() > 1)
        m_bytes += ',';
    // Keys are the code's own plain names, which JSON writes as they are; going through
    // QJsonDocument for each cost a history of a million changes seconds.
    Q_ASSERT(!QByteArrayView(key).contains('"') && !QByteArrayView(key).contains('\\'));
    m_bytes += '"';
    m_bytes += key;
    m_bytes += "\":";
    m_bytes += json;
    return *this;
}

QJsonValue EventJson::time(qint64 ms)
{
    return ms == NoTime ? QJsonValue() : QJsonValue(TimeCodec::format(ms));
}

QByteArray EventJson::summary(const StoreSummary &s)
{
    return Object()
        .add("layout", s.layoutId)
        .add("layout_title", s.layoutTitle)
        .add("table", s.table)
        .add("tables", matches(s.matches))
        .add("snapshots", s.hasSnapshots)
        .add("events", s.events)
        .add("streams", s.streams)
        .add("first_time", time(s.firstTimeMs))
        .add("last_time", time(s.lastTimeMs))
        .add("events_without_time",
             s.eventsWithoutTime < 0 ? QJsonValue() : QJsonValue(s.eventsWithoutTime))
        .add("types", counts(s.typeCounts))
        .bytes();
}

QByteArray EventJson::stream(const StreamInfo &info)
{
    return Object()
        .add("stream", info.stream)
        .add("events", info.events)
        .add("first_version", info.firstVersion)
        .add("last_version", info.lastVersion)
        .add("first_time", time(info.firstTimeMs))
        .add("last_time", time(info.lastTimeMs))
        .bytes();
}

QByteArray EventJson::event(const Event &e)
{
    Object o;
    o.add("position", e.position)
        .add("stream", e.stream)
        .add("version", e.version)
        .add("type", e.type)
        .add("time", time(e.timeMs))
        .add("data", Payload::toJsonOrString(e.data));
    // Only when the data is not the stored JSON as it is, so plain stores' output is unchanged.
    if (!e.dataNote.isEmpty())
        o.add("data_note", e.dataNote);
    return o.add("metadata", Payload::toJsonOrString(e.metadata)).bytes();
}

QByteArray EventJson::bucket(const Bucket &b)
{
    return Object()
        .add("bucket_start", time(b.startMs))
        .add("events", b.events)
        .add("by_type", counts(b.byType))
        .bytes();
}

namespace {

EventJson::Object snapshotObject(const StoredSnapshot &s)
{
    EventJson::Object o;
    o.add("stream", s.stream)
        .add("version", s.version)
        .add("time", EventJson::time(s.timeMs))
        .add("data", Payload::toJsonOrString(s.data));
    return o;
}

} // namespace

QByteArray EventJson::snapshot(const StoredSnapshot &s)
{
    return snapshotObject(s).bytes();
}

QByteArray EventJson::snapshotComparison(const SnapshotComparison &c)
{
    Object o = snapshotObject(c.snapshot());
    o.add("replayed", c.replayed() ? QJsonValue(c.replayed()->state) : QJsonValue());
    if (!c.isComparable())
        return o.add("differences", QJsonValue())
            .add("identical", QJsonValue())
            .add("note", c.problem())
            .bytes();
    QByteArrayList differences;
    for (const JsonChange &change : c.differences()) {
        Object d;
        d.add("path", change.path);
        if (!change.before.isUndefined())
            d.add("stored", change.before);
        if (!change.after.isUndefined())
            d.add("replayed", change.after);
        differences << d.bytes();
    }
    return o.addJson("differences", '[' + differences.join(',') + ']')
        .add("identical", c.isIdentical())
        .bytes();
}

QByteArray EventJson::replay(const ReplayState &r)
{
    const bool applied = r.index >= 0;
    QJsonArray changed;
    for (const JsonChange &c : r.changed)
        changed.append(c.path);
    return Object()
        .add("stream", r.stream)
        .add("version", applied ? QJsonValue(r.version) : QJsonValue())
        .add("position", applied ? QJsonValue(r.position) : QJsonValue())
        .add("time", applied ? time(r.timeMs) : QJsonValue())
        .add("events_applied", r.eventsApplied())
        .add("event_counts", counts(r.eventCounts))
        .add("state", r.state)
        .add("changed", changed)
        .bytes();
}

QByteArray EventJson::integrityProblem(const IntegrityProblem &p)
{
    return Object()
        .add("kind", IntegrityProblem::kindName(p.kind))
        .add("stream", p.stream.isEmpty() ? QJsonValue() : QJsonValue(p.stream))
        .add("version", p.version ? QJsonValue(*p.version) : QJsonValue())
        .add("position", p.position)
        .add("detail", p.detail)
        .bytes();
}

QByteArray EventJson::integritySummary(const IntegritySummary &s)
{
    Object problems;
    for (int kind = 0; kind < IntegrityProblem::KindCount; ++kind)
        problems.add(IntegrityProblem::kindName(IntegrityProblem::Kind(kind)).toLatin1().constData(),
                     s.problems[kind]);
    return Object()
        .addJson("summary", Object()
                                .add("events", s.events)
                                .add("streams", s.streams)
                                .addJson("problems", problems.bytes())
                                .bytes())
        .bytes();
}

QByteArray EventJson::schemaField(const SchemaField &f)
{
    Object valueTypes;
    for (int type = 0; type < SchemaField::ValueTypeCount; ++type) {
        if (f.valueTypes[type] > 0)
            valueTypes.add(SchemaField::valueTypeName(type).toLatin1().constData(),
                           f.valueTypes[type]);
    }
    return Object()
        .add("type", f.type.isNull() ? QJsonValue() : QJsonValue(f.type))
        .add("path", f.path.isNull() ? QJsonValue() : QJsonValue(f.path))
        .addJson("value_types", valueTypes.bytes())
        .add("events", f.events)
        .add("first_time", time(f.firstTimeMs))
        .add("last_time", time(f.lastTimeMs))
        .bytes();
}

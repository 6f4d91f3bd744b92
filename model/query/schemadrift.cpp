#include "schemadrift.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "query/eventwalk.h"
#include "store/eventstore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

int valueTypeOf(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return SchemaField::String;
    case QJsonValue::Double:
        return SchemaField::Number;
    case QJsonValue::Bool:
        return SchemaField::Boolean;
    case QJsonValue::Array:
        return SchemaField::Array;
    case QJsonValue::Object:
        return SchemaField::Object;
    default:
        return SchemaField::Null;
    }
}

QString childPath(const QString &parent, const QString &key)
{
    static const QRegularExpression plain(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (plain.match(key).hasMatch())
        return parent.isEmpty() ? key : parent + u'.' + key;
    QString quoted = key;
    quoted.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
    return parent + u"[\""_s + quoted + u"\"]"_s;
}

// Every path of the value below `path` with its value type (an array's items share `[]`;
// the first type found at a path stands for the event).
void collectPaths(const QJsonValue &value, const QString &path, QMap<QString, int> *paths)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString child = childPath(path, it.key());
            paths->insert(child, valueTypeOf(it.value()));
            collectPaths(it.value(), child, paths);
        }
    } else if (value.isArray()) {
        const QString items = path + u"[]"_s;
        for (const QJsonValue &item : value.toArray()) {
            if (!paths->contains(items))
                paths->insert(items, valueTypeOf(item));
            collectPaths(item, items, paths);
        }
    }
}

struct FieldState
{
    SchemaFieldDrift drift;
    int lastType = -1;
    qint64 lastPosition = 0;
    qint64 lastTimeMs = NoTime;
    bool missedSinceLast = false; // an event of the type without the path since its last holder
};

struct TypeState
{
    qint64 events = 0;
    QVector<qint64> perBucket;
    QHash<QString, FieldState> fields;
};

void addMoment(SchemaFieldDrift &field, SchemaMoment moment)
{
    if (field.moments.size() < SchemaDrift::MaxMoments)
        field.moments.append(std::move(moment));
}

} // namespace

QString SchemaMoment::text() const
{
    const QString when = TimeCodec::format(timeMs).left(16).replace(u'T', u' ');
    switch (kind) {
    case Appeared:
        return QObject::tr("appeared %1").arg(when);
    case ChangedType:
        return QObject::tr("%1 → %2 %3").arg(from, to, when);
    case Vanished:
        return QObject::tr("vanished after %1").arg(when);
    }
    return {};
}

QString SchemaFieldDrift::valueTypesText() const
{
    QStringList parts;
    for (int type = 0; type < SchemaField::ValueTypeCount; ++type) {
        if (valueTypes[type] > 0)
            parts << u"%1 %2"_s.arg(SchemaField::valueTypeName(type)).arg(valueTypes[type]);
    }
    return parts.join(u", "_s);
}

std::optional<SchemaDrift> SchemaDrift::survey(EventStore &store, qint64 fromMs, qint64 toMs,
                                               int buckets, const JobControl &job,
                                               StoreError *error)
{
    SchemaDrift drift;
    drift.fromMs = fromMs;
    drift.toMs = std::max(toMs, fromMs);
    drift.buckets = std::max(buckets, 1);
    const auto bucketOf = [&drift](qint64 ms) {
        if (ms == NoTime || drift.fromMs == NoTime)
            return -1;
        const qint64 span = drift.toMs - drift.fromMs + 1;
        const qint64 at = std::clamp<qint64>(ms - drift.fromMs, 0, span - 1);
        return int(at * drift.buckets / span);
    };

    QMap<QString, TypeState> types;
    EventWalk walk(store, {});
    const bool walked = walk.run(
        [&](const Event &event) {
            TypeState &type = types[event.type];
            if (type.perBucket.isEmpty())
                type.perBucket.resize(drift.buckets);
            ++type.events;
            const int bucket = bucketOf(event.timeMs);
            if (bucket >= 0)
                ++type.perBucket[bucket];
            QMap<QString, int> paths;
            const auto json = Payload::toJson(event.data);
            if (!json)
                paths.insert(QString(), SchemaField::NotJson);
            else if (!json->isObject())
                paths.insert(QString(), valueTypeOf(*json));
            else
                collectPaths(*json, QString(), &paths);
            for (auto it = type.fields.begin(); it != type.fields.end(); ++it) {
                if (!paths.contains(it.key()))
                    it->missedSinceLast = true;
            }
            for (auto it = paths.cbegin(); it != paths.cend(); ++it) {
                auto field = type.fields.find(it.key());
                if (field == type.fields.end()) {
                    if (type.fields.size() >= MaxPathsPerType)
                        continue;
                    field = type.fields.insert(it.key(), FieldState());
                    field->drift.path = it.key();
                    field->drift.presence.resize(drift.buckets);
                    if (type.events > 1)
                        addMoment(field->drift,
                                  {SchemaMoment::Appeared, event.position, event.timeMs, {}, {}});
                } else if (field->lastType != it.value()) {
                    addMoment(field->drift,
                              {SchemaMoment::ChangedType, event.position, event.timeMs,
                               SchemaField::valueTypeName(field->lastType),
                               SchemaField::valueTypeName(it.value())});
                }
                SchemaFieldDrift &d = field->drift;
                ++d.valueTypes[it.value()];
                ++d.events;
                if (bucket >= 0)
                    ++d.presence[bucket];
                field->lastType = it.value();
                field->lastPosition = event.position;
                field->lastTimeMs = event.timeMs;
                field->missedSinceLast = false;
            }
            return true;
        },
        job);
    if (!walked) {
        *error = walk.error();
        return std::nullopt;
    }

    for (auto type = types.cbegin(); type != types.cend(); ++type) {
        SchemaTypeDrift out;
        out.type = type.key();
        out.events = type->events;
        out.perBucket = type->perBucket;
        QStringList paths = type->fields.keys();
        std::sort(paths.begin(), paths.end());
        for (const QString &path : paths) {
            const FieldState &field = type->fields.value(path);
            SchemaFieldDrift d = field.drift;
            if (field.missedSinceLast)
                addMoment(d,
                          {SchemaMoment::Vanished, field.lastPosition, field.lastTimeMs, {}, {}});
            out.fields.append(d);
        }
        drift.types.append(out);
    }
    return drift;
}

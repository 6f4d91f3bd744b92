#include "writers/fieldnaming.h"

#include <QHash>
#include <QJsonDocument>
#include <QVector>

using namespace Qt::StringLiterals;

namespace {

// Eventscope's own names first, then the libraries' in LAYOUTS.md's priority order: their
// columns as dumps of their tables name them (JSON from row_to_json, CSV from COPY,
// KurrentDB's own JSON). Python eventsourcing is missing: its time is a typed value inside a
// state that is often compressed or encrypted. NEventStore is missing: one row holds a commit
// of several events.
// clang-format off
const QVector<FieldNaming> Namings = {
    {u"Eventscope"_s, {{{u"global_position"_s}, {u"stream_id"_s}, {u"stream_version"_s},
                        {u"type"_s}, {u"recorded_at"_s}, {u"data"_s}, {u"metadata"_s},
                        {u"event_id"_s}}}},
    {u"Message DB"_s, {{{u"global_position"_s}, {u"stream_name"_s}, {u"position"_s}, {u"type"_s},
                        {u"time"_s}, {u"data"_s}, {u"metadata"_s}, {u"id"_s}}}},
    {u"Marten"_s, {{{u"seq_id"_s}, {u"stream_id"_s}, {u"version"_s}, {u"type"_s},
                    {u"timestamp"_s}, {u"data"_s}, {u"headers"_s}, {u"id"_s}}}},
    // JPA's snake_case, and the JDBC store's camelCase (lower-cased by PostgreSQL).
    {u"Axon"_s, {{{u"global_index"_s, u"globalIndex"_s},
                  {u"aggregate_identifier"_s, u"aggregateIdentifier"_s},
                  {u"sequence_number"_s, u"sequenceNumber"_s},
                  {u"payload_type"_s, u"payloadType"_s}, {u"time_stamp"_s, u"timeStamp"_s},
                  {u"payload"_s}, {u"meta_data"_s, u"metaData"_s},
                  {u"event_identifier"_s, u"eventIdentifier"_s}}}},
    // messages.stream_id is a number; a dump joined with streams has the readable name.
    {u"Eventuous"_s, {{{u"global_position"_s}, {u"stream_name"_s, u"stream_id"_s},
                       {u"stream_position"_s}, {u"message_type"_s}, {u"created"_s},
                       {u"json_data"_s}, {u"json_metadata"_s}, {u"message_id"_s}}}},
    {u"SQLStreamStore"_s, {{{u"position"_s}, {u"stream_id"_s, u"id_original"_s},
                            {u"stream_version"_s}, {u"type"_s}, {u"created_utc"_s},
                            {u"json_data"_s}, {u"json_metadata"_s}, {u"message_id"_s}}}},
    {u"Rails Event Store"_s, {{{}, {u"stream"_s}, {u"position"_s}, {u"event_type"_s},
                               {u"created_at"_s}, {u"data"_s}, {u"metadata"_s},
                               {u"event_id"_s}}}},
    {u"Commanded"_s, {{{}, {u"stream_uuid"_s}, {u"stream_version"_s}, {u"event_type"_s},
                       {u"created_at"_s}, {u"data"_s}, {u"metadata"_s}, {u"event_id"_s}}}},
    {u"Akka Persistence"_s, {{{u"ordering"_s}, {u"persistence_id"_s}, {u"sequence_number"_s},
                              {u"event_ser_manifest"_s}, {u"write_timestamp"_s},
                              {u"event_payload"_s}, {u"meta_payload"_s}, {}}}},
    {u"EventFlow"_s, {{{u"GlobalSequenceNumber"_s}, {u"AggregateId"_s},
                       {u"AggregateSequenceNumber"_s}, {u"Metadata.event_name"_s},
                       {u"Metadata.timestamp"_s}, {u"Data"_s}, {u"Metadata"_s},
                       {u"Metadata.event_id"_s}}}},
    {u"Prooph"_s, {{{u"no"_s}, {u"metadata._aggregate_id"_s}, {u"metadata._aggregate_version"_s},
                    {u"event_name"_s}, {u"created_at"_s}, {u"payload"_s}, {u"metadata"_s},
                    {u"event_id"_s}}}},
    // Emmett's emt_messages; Castore's and Acuris's streams are two columns (LAYOUTS.md 13-15).
    {u"Emmett"_s, {{{u"global_position"_s}, {u"stream_id"_s}, {u"stream_position"_s},
                    {u"message_type"_s}, {u"created"_s}, {u"message_data"_s},
                    {u"message_metadata"_s}, {u"message_id"_s}}}},
    {u"Castore"_s, {{{u"id"_s}, {u"aggregate_name+aggregate_id"_s}, {u"version"_s}, {u"type"_s},
                     {u"timestamp"_s}, {u"data"_s}, {u"metadata"_s}, {}}}},
    {u"Acuris"_s, {{{u"position"_s}, {u"stream_category+stream_id"_s}, {u"event_number"_s},
                    {u"event_type"_s}, {u"timestamp"_s}, {u"data"_s}, {u"metadata"_s}, {}}}},
    // Its HTTP API's names (Atom entries); "created" is what the gRPC clients write.
    {u"KurrentDB"_s, {{{}, {u"streamId"_s}, {u"eventNumber"_s}, {u"eventType"_s},
                       {u"updated"_s, u"created"_s}, {u"data"_s}, {u"metaData"_s},
                       {u"eventId"_s}}}},
};
// clang-format on

// The roles a ColumnMapping can name, by FieldNaming::Role.
constexpr QString ColumnMapping::*MappedRoles[FieldNaming::RoleCount] = {
    &ColumnMapping::position, &ColumnMapping::stream,
    &ColumnMapping::version,  &ColumnMapping::type,
    &ColumnMapping::time,     &ColumnMapping::data,
    &ColumnMapping::metadata, nullptr,
};

QJsonObject asObject(const QJsonValue &value)
{
    if (value.isObject())
        return value.toObject();
    if (value.isString())
        return QJsonDocument::fromJson(value.toString().toUtf8()).object();
    return {};
}

// The record's spelling of a name (the container's, for "field.key"; each part's, for
// "a+b"), or the name itself.
QString spelledAsIn(const QHash<QString, QString> &keysByLowerCase, const QString &name)
{
    if (name.contains(u'+')) {
        QStringList parts = name.split(u'+');
        for (QString &part : parts)
            part = spelledAsIn(keysByLowerCase, part.trimmed());
        return parts.join(u'+');
    }
    const QString whole = keysByLowerCase.value(name.toLower());
    if (!whole.isEmpty())
        return whole;
    const qsizetype dot = name.indexOf(u'.');
    if (dot < 0)
        return name;
    const QString container = keysByLowerCase.value(name.left(dot).toLower());
    return container.isEmpty() ? name : container + name.mid(dot);
}

// A field, or a key of a field ("field.key"); Undefined when the record has neither.
QJsonValue fieldValue(const QJsonObject &record, const QString &name)
{
    QJsonValue value = record.value(name);
    const qsizetype dot = name.indexOf(u'.');
    if (value.isUndefined() && dot > 0)
        value = asObject(record.value(QStringView(name).left(dot))).value(name.mid(dot + 1));
    return value;
}

// Fields that together name a stream ("aggregate_name+aggregate_id"), joined with '/' as a
// store's composite stream key is; Undefined unless the record has every one.
QJsonValue joinedValue(const QJsonObject &record, const QString &names)
{
    QStringList parts;
    for (const QString &name : names.split(u'+')) {
        const QJsonValue part = fieldValue(record, name.trimmed());
        if (part.isUndefined() || part.isNull())
            return QJsonValue(QJsonValue::Undefined);
        parts << (part.isDouble() ? QString::number(part.toInteger()) : part.toString());
    }
    return parts.join(u'/');
}

FieldNaming withMapping(FieldNaming naming, const ColumnMapping &mapping)
{
    bool mapped = mapping.timeFormat != TimeFormat::IsoText;
    for (int role = 0; role < FieldNaming::RoleCount; ++role) {
        if (!MappedRoles[role] || (mapping.*MappedRoles[role]).isEmpty())
            continue;
        naming.names[role] = QStringList{mapping.*MappedRoles[role]};
        mapped = true;
    }
    naming.timeFormat = mapping.timeFormat;
    if (mapped)
        naming.title += u" + mapping"_s;
    return naming;
}

} // namespace

std::optional<FieldNaming> FieldNaming::detect(const QJsonObject &record,
                                               const ColumnMapping &mapping)
{
    QHash<QString, QString> keysByLowerCase;
    for (auto it = record.constBegin(); it != record.constEnd(); ++it)
        keysByLowerCase.insert(it.key().toLower(), it.key());

    std::optional<FieldNaming> best;
    int bestScore = 0;
    for (const FieldNaming &known : Namings) {
        FieldNaming naming = withMapping(known, mapping);
        for (QStringList &candidates : naming.names) {
            for (QString &name : candidates)
                name = spelledAsIn(keysByLowerCase, name);
        }
        if (naming.value(record, Stream).isUndefined())
            continue;
        int score = 0;
        for (int role = 0; role < RoleCount; ++role)
            score += naming.value(record, Role(role)).isUndefined() ? 0 : 1;
        // Ties go to the earlier naming: the own layout, then LAYOUTS.md's priority order.
        if (score > bestScore) {
            best = std::move(naming);
            bestScore = score;
        }
    }
    return best;
}

QString FieldNaming::streamCandidates(const ColumnMapping &mapping)
{
    if (!mapping.stream.isEmpty())
        return mapping.stream;
    QStringList names;
    for (const FieldNaming &naming : Namings) {
        for (const QString &name : naming.names[Stream]) {
            if (!names.contains(name))
                names << name;
        }
    }
    return names.join(u", "_s);
}

QJsonValue FieldNaming::value(const QJsonObject &record, Role role, QString *name) const
{
    for (const QString &candidate : names[role]) {
        const QJsonValue value = candidate.contains(u'+') ? joinedValue(record, candidate)
                                                          : fieldValue(record, candidate);
        if (value.isUndefined())
            continue;
        if (name)
            *name = candidate;
        return value;
    }
    return QJsonValue(QJsonValue::Undefined);
}

QString FieldNaming::describe(Role role) const
{
    return names[role].join(u" or "_s);
}

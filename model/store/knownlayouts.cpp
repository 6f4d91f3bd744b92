#include "store/knownlayouts.h"

#include <functional>

using namespace Qt::StringLiterals;

namespace {

using Names = QStringList; // spellings of one column, any of which will do

bool isTextType(const QString &type)
{
    return type.isEmpty() || type == u"text" || type.startsWith(u"character") ||
           type.startsWith(u"varchar") || type.startsWith(u"char") || type == u"name";
}

bool isIntegerType(const QString &type)
{
    return type == u"bigint" || type == u"integer" || type == u"smallint" || type == u"int8" ||
           type == u"int4" || type.startsWith(u"numeric");
}

// A catalog table seen through an alias: column expressions spelled as the store spells them.
class Source
{
public:
    Source(const CatalogTable &table, const QString &alias, SqlDialect dialect)
        : m_table(table), m_alias(alias), m_dialect(dialect)
    {
    }

    const CatalogTable &table() const { return m_table; }
    SqlDialect dialect() const { return m_dialect; }
    QString from() const { return m_table.sql() + u" AS "_s + m_alias; }

    const CatalogColumn *find(const Names &names) const
    {
        for (const QString &name : names) {
            if (const CatalogColumn *c = m_table.column(name))
                return c;
        }
        return nullptr;
    }
    QString col(const Names &names) const
    {
        const CatalogColumn *c = find(names);
        return c ? m_alias + u'.' + quotedIdentifier(c->name) : QString();
    }
    QString colType(const Names &names) const
    {
        const CatalogColumn *c = find(names);
        return c ? c->type : QString();
    }
    // The first of each column list that the table lacks, for a near-miss message.
    QStringList missing(const QVector<Names> &required) const
    {
        QStringList result;
        for (const Names &names : required) {
            if (!find(names))
                result << names.constFirst();
        }
        return result;
    }

    // A column as text, for output and substring search (PostgreSQL cannot LIKE a uuid).
    QString text(const Names &names) const
    {
        const QString c = col(names);
        if (m_dialect == SqlDialect::Postgres && !isTextType(colType(names)))
            return u"CAST(%1 AS text)"_s.arg(c);
        return c;
    }
    // The stream role: the column for comparing and grouping, its text for output and search.
    void setStream(StoreLayout &layout, const Names &names) const
    {
        layout.stream = col(names);
        layout.streamText = text(names);
    }
    // A payload column; JPA on PostgreSQL (and any library mapped by JPA) may keep lobs as
    // large objects, read by their oid.
    QString payload(const Names &names) const
    {
        const QString c = col(names);
        if (c.isEmpty())
            return c;
        if (m_dialect == SqlDialect::Postgres && colType(names) == u"oid")
            return u"lo_get(%1)"_s.arg(c);
        return c;
    }

private:
    const CatalogTable &m_table;
    QString m_alias;
    SqlDialect m_dialect;
};

// Sets the time role from a column, its storage read off the PostgreSQL type; SQLite
// declares no reliable types, so there the format given stands until LayoutDetector samples.
template<typename Layout>
void setTime(Layout &layout, const Source &src, const Names &names, TimeFormat format)
{
    layout.time = src.col(names);
    layout.timeFormat = format;
    if (src.dialect() != SqlDialect::Postgres || layout.time.isEmpty())
        return;
    const QString type = src.colType(names);
    if (type.startsWith(u"timestamp")) {
        layout.timeStorage = TimeStorage::PostgresTimestamp;
    } else if (isIntegerType(type)) {
        layout.timeFormat = format == TimeFormat::IsoText ? TimeFormat::EpochMillis : format;
    } else {
        layout.timeFormat = TimeFormat::IsoText;
    }
}

// A JSON string value inside a payload column, read in SQL so that counting and bucketing
// stay in the database. On SQLite only valid JSON is read; PostgreSQL has no safe JSON cast
// before version 16, so there a pattern reads the value from the text (compact or spaced).
QString jsonTextField(const Source &src, const Names &column, const QString &sqlitePath,
                      const QString &pattern)
{
    const QString c = src.col(column);
    if (src.dialect() == SqlDialect::Sqlite) {
        const QString text = u"CAST(%1 AS TEXT)"_s.arg(c);
        return u"CASE WHEN json_valid(%1) THEN json_extract(%1, '%2') END"_s.arg(text, sqlitePath);
    }
    const QString text = src.colType(column) == u"bytea" ? u"encode(%1, 'escape')"_s.arg(c)
                                                         : u"CAST(%1 AS text)"_s.arg(c);
    return u"substring(%1 from '%2')"_s.arg(text, pattern);
}

const CatalogTable *sibling(const StoreCatalog &catalog, const CatalogTable &table,
                            const QString &name)
{
    const auto candidates = catalog.named(name);
    for (const CatalogTable *t : candidates) {
        if (t->schema == table.schema)
            return t;
    }
    return nullptr;
}

struct Definition
{
    QString id;
    QString title;
    // True when the table is one this library names its events table.
    std::function<bool(const CatalogTable &)> names;
    QVector<Names> required;
    // Fills the layout from the events table; false when a companion table is missing.
    std::function<bool(const StoreCatalog &, const Source &, StoreLayout &)> build;
};

bool nameIs(const CatalogTable &t, std::initializer_list<QLatin1String> names)
{
    for (QLatin1String name : names) {
        if (t.name.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

const QString timestampPattern = uR"re("timestamp": ?\{[^}]*"_data_": ?"([^"]+)")re"_s;

// The time inside a Python eventsourcing state: {"timestamp": {"_type_": "datetime_iso", ...}}.
QString eventsourcingTime(const Source &src)
{
    return jsonTextField(src, {u"state"_s}, u"$.timestamp._data_"_s, timestampPattern);
}

QVector<Definition> definitions()
{
    QVector<Definition> defs;

    defs << Definition{u"eventscope"_s,
                       u"Eventscope"_s,
                       [](const CatalogTable &t) { return nameIs(t, {QLatin1String("events")}); },
                       {{u"global_position"_s},
                        {u"stream_id"_s},
                        {u"stream_version"_s},
                        {u"type"_s},
                        {u"recorded_at"_s},
                        {u"data"_s}},
                       [](const StoreCatalog &, const Source &src, StoreLayout &l) {
                           l.position = src.col({u"global_position"_s});
                           src.setStream(l, {u"stream_id"_s});
                           l.version = src.col({u"stream_version"_s});
                           l.type = src.col({u"type"_s});
                           setTime(l, src, {u"recorded_at"_s}, TimeFormat::IsoText);
                           l.canonicalIsoTime = src.dialect() == SqlDialect::Sqlite;
                           l.data = src.payload({u"data"_s});
                           l.metadata = src.payload({u"metadata"_s});
                           return true;
                       }};

    defs << Definition{u"message-db"_s,
                       u"Message DB (Eventide)"_s,
                       [](const CatalogTable &t) { return nameIs(t, {QLatin1String("messages")}); },
                       {{u"global_position"_s},
                        {u"stream_name"_s},
                        {u"position"_s},
                        {u"type"_s},
                        {u"time"_s},
                        {u"data"_s}},
                       [](const StoreCatalog &, const Source &src, StoreLayout &l) {
                           l.position = src.col({u"global_position"_s});
                           src.setStream(l, {u"stream_name"_s});
                           l.version = src.col({u"position"_s});
                           l.type = src.col({u"type"_s});
                           setTime(l, src, {u"time"_s}, TimeFormat::IsoText);
                           l.data = src.payload({u"data"_s});
                           l.metadata = src.payload({u"metadata"_s});
                           return true;
                       }};

    defs << Definition{
        u"marten"_s,
        u"Marten"_s,
        [](const CatalogTable &t) { return nameIs(t, {QLatin1String("mt_events")}); },
        {{u"seq_id"_s},
         {u"stream_id"_s},
         {u"version"_s},
         {u"type"_s},
         {u"timestamp"_s},
         {u"data"_s}},
        [](const StoreCatalog &catalog, const Source &src, StoreLayout &l) {
            l.position = src.col({u"seq_id"_s});
            src.setStream(l, {u"stream_id"_s});
            l.version = src.col({u"version"_s});
            l.type = src.col({u"type"_s});
            setTime(l, src, {u"timestamp"_s}, TimeFormat::IsoText);
            l.data = src.payload({u"data"_s});
            l.metadata = src.payload({u"headers"_s});
            // Marten keeps the latest snapshot of each stream inline in mt_streams.
            const CatalogTable *streams = sibling(catalog, src.table(), u"mt_streams"_s);
            if (streams && streams->column(u"snapshot"_s) &&
                streams->column(u"snapshot_version"_s) && streams->column(u"id"_s)) {
                const Source sn(*streams, u"sn"_s, src.dialect());
                SnapshotLayout s;
                s.table = streams->displayName();
                s.from = sn.from();
                s.where = sn.col({u"snapshot"_s}) + u" IS NOT NULL"_s;
                s.stream = sn.col({u"id"_s});
                s.version = sn.col({u"snapshot_version"_s});
                setTime(s, sn, {u"timestamp"_s}, TimeFormat::IsoText);
                s.data = sn.payload({u"snapshot"_s});
                l.snapshots = s;
            }
            return true;
        }};

    defs << Definition{
        u"eventsourcing-python"_s,
        u"Python eventsourcing"_s,
        [](const CatalogTable &t) {
            return nameIs(t, {QLatin1String("stored_events")}) ||
                   t.name.endsWith(u"_events"_s, Qt::CaseInsensitive);
        },
        {{u"originator_id"_s}, {u"originator_version"_s}, {u"topic"_s}, {u"state"_s}},
        [](const StoreCatalog &catalog, const Source &src, StoreLayout &l) {
            const QString notification = src.col({u"notification_id"_s});
            if (notification.isEmpty() && src.dialect() == SqlDialect::Postgres)
                return false; // PostgreSQL tables have no rowid to order by
            l.position = notification.isEmpty() ? u"ev.rowid"_s : notification;
            src.setStream(l, {u"originator_id"_s});
            l.version = src.col({u"originator_version"_s});
            l.type = src.col({u"topic"_s});
            l.time = eventsourcingTime(src);
            l.timeFormat = TimeFormat::IsoText;
            l.data = src.payload({u"state"_s});
            l.unwrapTypedValues = true;
            l.payloadTimeField = u"timestamp"_s;
            const QString tableName = src.table().name;
            const QString snapshotsName =
                tableName.compare(u"stored_events"_s, Qt::CaseInsensitive) == 0
                    ? u"stored_snapshots"_s
                    : tableName.left(tableName.size() - 7) + u"_snapshots"_s;
            const CatalogTable *snapshots = sibling(catalog, src.table(), snapshotsName);
            if (snapshots && snapshots->column(u"originator_id"_s) &&
                snapshots->column(u"originator_version"_s) && snapshots->column(u"state"_s)) {
                const Source sn(*snapshots, u"sn"_s, src.dialect());
                SnapshotLayout s;
                s.table = snapshots->displayName();
                s.from = sn.from();
                s.stream = sn.col({u"originator_id"_s});
                s.version = sn.col({u"originator_version"_s});
                s.time = eventsourcingTime(sn);
                s.data = sn.payload({u"state"_s});
                s.statePath = u"state"_s; // a Snapshot event: the aggregate is its "state"
                l.snapshots = s;
            }
            return true;
        }};

    defs << Definition{
        u"axon"_s,
        u"Axon Framework"_s,
        [](const CatalogTable &t) {
            return nameIs(t,
                          {QLatin1String("domain_event_entry"), QLatin1String("domainevententry")});
        },
        {{u"global_index"_s, u"globalIndex"_s},
         {u"aggregate_identifier"_s, u"aggregateIdentifier"_s},
         {u"sequence_number"_s, u"sequenceNumber"_s},
         {u"payload_type"_s, u"payloadType"_s},
         {u"time_stamp"_s, u"timeStamp"_s},
         {u"payload"_s}},
        [](const StoreCatalog &catalog, const Source &src, StoreLayout &l) {
            l.position = src.col({u"global_index"_s, u"globalIndex"_s});
            src.setStream(l, {u"aggregate_identifier"_s, u"aggregateIdentifier"_s});
            l.version = src.col({u"sequence_number"_s, u"sequenceNumber"_s});
            l.type = src.col({u"payload_type"_s, u"payloadType"_s});
            setTime(l, src, {u"time_stamp"_s, u"timeStamp"_s}, TimeFormat::IsoText);
            l.data = src.payload({u"payload"_s});
            l.metadata = src.payload({u"meta_data"_s, u"metaData"_s});
            const CatalogTable *snapshots =
                sibling(catalog, src.table(),
                        src.table().name.contains(u'_') ? u"snapshot_event_entry"_s
                                                        : u"snapshotevententry"_s);
            if (snapshots) {
                const Source sn(*snapshots, u"sn"_s, src.dialect());
                if (sn.missing({{u"aggregate_identifier"_s, u"aggregateIdentifier"_s},
                                {u"sequence_number"_s, u"sequenceNumber"_s},
                                {u"payload"_s}})
                        .isEmpty()) {
                    SnapshotLayout s;
                    s.table = snapshots->displayName();
                    s.from = sn.from();
                    s.stream = sn.col({u"aggregate_identifier"_s, u"aggregateIdentifier"_s});
                    s.version = sn.col({u"sequence_number"_s, u"sequenceNumber"_s});
                    setTime(s, sn, {u"time_stamp"_s, u"timeStamp"_s}, TimeFormat::IsoText);
                    s.data = sn.payload({u"payload"_s});
                    l.snapshots = s;
                }
            }
            return true;
        }};

    defs << Definition{
        u"eventuous"_s,
        u"Eventuous"_s,
        [](const CatalogTable &t) {
            return nameIs(t, {QLatin1String("messages"), QLatin1String("eventuous_messages")});
        },
        {{u"global_position"_s},
         {u"stream_id"_s},
         {u"stream_position"_s},
         {u"message_type"_s},
         {u"json_data"_s},
         {u"created"_s}},
        [](const StoreCatalog &catalog, const Source &src, StoreLayout &l) {
            const QString prefix = src.table().name.startsWith(u"eventuous_"_s, Qt::CaseInsensitive)
                                       ? u"eventuous_"_s
                                       : QString();
            const CatalogTable *streams = sibling(catalog, src.table(), prefix + u"streams"_s);
            if (!streams || !streams->column(u"stream_id"_s) || !streams->column(u"stream_name"_s))
                return false;
            const Source st(*streams, u"st"_s, src.dialect());
            l.from = src.from() + u" JOIN "_s + st.from() + u" ON "_s + st.col({u"stream_id"_s}) +
                     u" = "_s + src.col({u"stream_id"_s});
            l.position = src.col({u"global_position"_s});
            st.setStream(l, {u"stream_name"_s});
            l.version = src.col({u"stream_position"_s});
            l.type = src.col({u"message_type"_s});
            setTime(l, src, {u"created"_s}, TimeFormat::IsoText);
            l.data = src.payload({u"json_data"_s});
            l.metadata = src.payload({u"json_metadata"_s});
            return true;
        }};

    defs << Definition{u"sqlstreamstore"_s,
                       u"SQLStreamStore"_s,
                       [](const CatalogTable &t) { return nameIs(t, {QLatin1String("messages")}); },
                       {{u"position"_s},
                        {u"stream_id_internal"_s},
                        {u"stream_version"_s},
                        {u"type"_s},
                        {u"created_utc"_s},
                        {u"json_data"_s}},
                       [](const StoreCatalog &catalog, const Source &src, StoreLayout &l) {
                           const CatalogTable *streams =
                               sibling(catalog, src.table(), u"streams"_s);
                           if (!streams || !streams->column(u"id_internal"_s) ||
                               !streams->column(u"id_original"_s))
                               return false;
                           const Source st(*streams, u"st"_s, src.dialect());
                           l.from = src.from() + u" JOIN "_s + st.from() + u" ON "_s +
                                    st.col({u"id_internal"_s}) + u" = "_s +
                                    src.col({u"stream_id_internal"_s});
                           l.position = src.col({u"position"_s});
                           st.setStream(l, {u"id_original"_s});
                           l.version = src.col({u"stream_version"_s});
                           l.type = src.col({u"type"_s});
                           setTime(l, src, {u"created_utc"_s}, TimeFormat::IsoText);
                           l.data = src.payload({u"json_data"_s});
                           l.metadata = src.payload({u"json_metadata"_s});
                           return true;
                       }};

    defs << Definition{
        u"rails-event-store"_s,
        u"Rails Event Store"_s,
        [](const CatalogTable &t) {
            return nameIs(t, {QLatin1String("event_store_events_in_streams")});
        },
        {{u"id"_s}, {u"stream"_s}, {u"position"_s}, {u"event_id"_s}},
        [](const StoreCatalog &catalog, const Source &src, StoreLayout &l) {
            // A row per (stream, event): linked events show in every stream they are in.
            const CatalogTable *events = sibling(catalog, src.table(), u"event_store_events"_s);
            if (!events)
                return false;
            const Source ev(*events, u"ee"_s, src.dialect());
            if (!ev.missing({{u"event_id"_s}, {u"event_type"_s}, {u"data"_s}, {u"created_at"_s}})
                     .isEmpty())
                return false;
            l.from = src.from() + u" JOIN "_s + ev.from() + u" ON "_s + ev.col({u"event_id"_s}) +
                     u" = "_s + src.col({u"event_id"_s});
            l.position = src.col({u"id"_s});
            src.setStream(l, {u"stream"_s});
            // Streams written with expected_version :any keep no position; their order is
            // the order of the rows.
            l.version = u"COALESCE(%1, %2)"_s.arg(src.col({u"position"_s}), src.col({u"id"_s}));
            l.type = ev.col({u"event_type"_s});
            setTime(l, ev, {u"created_at"_s}, TimeFormat::IsoText);
            l.data = ev.payload({u"data"_s});
            l.metadata = ev.payload({u"metadata"_s});
            return true;
        }};

    defs << Definition{
        u"commanded"_s,
        u"Commanded EventStore"_s,
        [](const CatalogTable &t) { return nameIs(t, {QLatin1String("stream_events")}); },
        {{u"event_id"_s},
         {u"stream_id"_s},
         {u"stream_version"_s},
         {u"original_stream_id"_s},
         {u"original_stream_version"_s}},
        [](const StoreCatalog &catalog, const Source &src, StoreLayout &l) {
            const CatalogTable *streams = sibling(catalog, src.table(), u"streams"_s);
            const CatalogTable *events = sibling(catalog, src.table(), u"events"_s);
            if (!streams || !events || !streams->column(u"stream_uuid"_s) ||
                !events->column(u"event_type"_s) || !events->column(u"data"_s))
                return false;
            // Every event has a row in the $all stream (id 0), whose version is the global
            // order and which names the stream and version the event was written to.
            const Source st(*streams, u"st"_s, src.dialect());
            const Source ev(*events, u"ee"_s, src.dialect());
            l.from = src.from() + u" JOIN "_s + st.from() + u" ON "_s + st.col({u"stream_id"_s}) +
                     u" = "_s + src.col({u"original_stream_id"_s}) + u" JOIN "_s + ev.from() +
                     u" ON "_s + ev.col({u"event_id"_s}) + u" = "_s + src.col({u"event_id"_s});
            l.where = src.col({u"stream_id"_s}) + u" = 0"_s;
            l.position = src.col({u"stream_version"_s});
            st.setStream(l, {u"stream_uuid"_s});
            l.version = src.col({u"original_stream_version"_s});
            l.type = ev.col({u"event_type"_s});
            setTime(l, ev, {u"created_at"_s}, TimeFormat::IsoText);
            l.data = ev.payload({u"data"_s});
            l.metadata = ev.payload({u"metadata"_s});
            return true;
        }};

    defs << Definition{
        u"akka-jdbc"_s,
        u"Akka Persistence JDBC"_s,
        [](const CatalogTable &t) { return nameIs(t, {QLatin1String("event_journal")}); },
        {{u"ordering"_s},
         {u"persistence_id"_s},
         {u"sequence_number"_s},
         {u"write_timestamp"_s},
         {u"event_payload"_s}},
        [](const StoreCatalog &catalog, const Source &src, StoreLayout &l) {
            l.position = src.col({u"ordering"_s});
            src.setStream(l, {u"persistence_id"_s});
            l.version = src.col({u"sequence_number"_s});
            l.type = src.col({u"event_ser_manifest"_s});
            setTime(l, src, {u"write_timestamp"_s}, TimeFormat::EpochMillis);
            l.data = src.payload({u"event_payload"_s});
            l.metadata = src.payload({u"meta_payload"_s});
            const CatalogTable *snapshots = sibling(catalog, src.table(), u"snapshot"_s);
            if (snapshots && snapshots->column(u"persistence_id"_s) &&
                snapshots->column(u"sequence_number"_s) &&
                snapshots->column(u"snapshot_payload"_s)) {
                const Source sn(*snapshots, u"sn"_s, src.dialect());
                SnapshotLayout s;
                s.table = snapshots->displayName();
                s.from = sn.from();
                s.stream = sn.col({u"persistence_id"_s});
                s.version = sn.col({u"sequence_number"_s});
                setTime(s, sn, {u"created"_s}, TimeFormat::EpochMillis);
                s.data = sn.payload({u"snapshot_payload"_s});
                l.snapshots = s;
            }
            return true;
        }};

    defs << Definition{
        u"eventflow"_s,
        u"EventFlow"_s,
        [](const CatalogTable &t) { return nameIs(t, {QLatin1String("eventflow")}); },
        {{u"GlobalSequenceNumber"_s},
         {u"AggregateId"_s},
         {u"AggregateSequenceNumber"_s},
         {u"Data"_s},
         {u"Metadata"_s}},
        [](const StoreCatalog &, const Source &src, StoreLayout &l) {
            // The event's name and time live in its metadata.
            l.position = src.col({u"GlobalSequenceNumber"_s});
            src.setStream(l, {u"AggregateId"_s});
            l.version = src.col({u"AggregateSequenceNumber"_s});
            l.type = jsonTextField(src, {u"Metadata"_s}, u"$.event_name"_s,
                                   uR"re("event_name": ?"([^"]*)")re"_s);
            l.time = jsonTextField(src, {u"Metadata"_s}, u"$.timestamp"_s,
                                   uR"re("timestamp": ?"([^"]*)")re"_s);
            l.timeFormat = TimeFormat::IsoText;
            l.data = src.payload({u"Data"_s});
            l.metadata = src.payload({u"Metadata"_s});
            return true;
        }};

    return defs;
}

const QVector<Definition> &allDefinitions()
{
    static const QVector<Definition> defs = definitions();
    return defs;
}

} // namespace

QVector<StoreLayout> KnownLayouts::match(const StoreCatalog &catalog, QStringList *nearMisses)
{
    QVector<StoreLayout> result;
    for (const Definition &def : allDefinitions()) {
        for (const CatalogTable &table : catalog.tables()) {
            if (!def.names(table))
                continue;
            const Source src(table, u"ev"_s, catalog.dialect());
            const QStringList missing = src.missing(def.required);
            if (!missing.isEmpty()) {
                nearMisses->append(u"%1 is named like the %2 table but has no column %3"_s.arg(
                    table.displayName(), def.title, missing.join(u", "_s)));
                continue;
            }
            StoreLayout layout;
            layout.id = def.id;
            layout.title = def.title;
            layout.table = table.displayName();
            layout.from = src.from();
            if (!def.build(catalog, src, layout))
                continue;
            result << layout;
        }
    }
    return result;
}

StoreLayout KnownLayouts::mapped(const CatalogTable &table, const ColumnMapping &mapping,
                                 SqlDialect dialect)
{
    const Source src(table, u"ev"_s, dialect);
    StoreLayout l;
    l.id = u"mapped"_s;
    l.title = u"Mapped columns"_s;
    l.table = table.displayName();
    l.from = src.from();
    l.position = mapping.position.isEmpty() ? u"ev.rowid"_s : src.col({mapping.position});
    src.setStream(l, {mapping.stream});
    if (!mapping.version.isEmpty())
        l.version = src.col({mapping.version});
    if (!mapping.type.isEmpty())
        l.type = src.col({mapping.type});
    if (!mapping.time.isEmpty())
        setTime(l, src, {mapping.time}, mapping.timeFormat);
    if (!mapping.data.isEmpty())
        l.data = src.payload({mapping.data});
    if (!mapping.metadata.isEmpty())
        l.metadata = src.payload({mapping.metadata});
    return l;
}

QStringList KnownLayouts::ids()
{
    QStringList result;
    for (const Definition &def : allDefinitions())
        result << def.id;
    return result << u"mapped"_s;
}

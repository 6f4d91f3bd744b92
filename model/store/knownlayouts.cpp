#include "store/knownlayouts.h"

#include <deque>
#include <optional>

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

// A table of the library's beside the events table, in its schema, named after it: the events
// table's name with `replace` replaced by `with` (mt_events -> mt_streams, stored_events ->
// stored_snapshots, domainEventEntry -> snapshotEventEntry).
struct Sibling
{
    QString replace;
    QString with;

    const CatalogTable *find(const StoreCatalog &catalog, const CatalogTable &events) const
    {
        QString name = events.name;
        name.replace(replace, with, Qt::CaseInsensitive);
        for (const CatalogTable *t : catalog.named(name)) {
            if (t->schema == events.schema)
                return t;
        }
        return nullptr;
    }
};

// Where a role's value comes from: a column of the events table ("ev") or of a joined table
// (its alias), by any of the spellings the library has used.
enum class Form {
    Column,   // the value as stored
    Payload,  // a payload column (PostgreSQL large objects read by their oid)
    JsonText, // a JSON string inside a payload column
};

struct Role
{
    QString alias;
    Names names;
    Form form = Form::Column;
    QString jsonPath;    // JsonText, on SQLite
    QString jsonPattern; // JsonText, on PostgreSQL
    Names orElse;        // COALESCE(the column, this column of the same table) where set

    bool isSet() const { return !names.isEmpty(); }
};

Role column(const Names &names, const QString &alias = u"ev"_s)
{
    Role role;
    role.alias = alias;
    role.names = names;
    return role;
}

Role payload(const Names &names, const QString &alias = u"ev"_s)
{
    Role role = column(names, alias);
    role.form = Form::Payload;
    return role;
}

Role jsonText(const Names &names, const QString &path, const QString &pattern,
              const QString &alias = u"ev"_s)
{
    Role role = column(names, alias);
    role.form = Form::JsonText;
    role.jsonPath = path;
    role.jsonPattern = pattern;
    return role;
}

// A table joined to the events table: its `key` column equals `equals`.
struct Join
{
    QString alias;
    Sibling table;
    Names key;
    Role equals;
    QVector<Names> required; // beside the key
};

// A condition every event row meets: `test` with %1 for the column (a library's rows that are
// not its readers' events, such as archived ones).
struct Condition
{
    Names column;
    QString test;
};

struct SnapshotDefinition
{
    Sibling table;
    QVector<Names> required;
    Role stream, version, time, data; // over the alias "sn"
    TimeFormat timeFormat = TimeFormat::IsoText;
    bool onlyWithData = false; // the table has a row per stream, snapshot or not
    QString statePath;
};

// One library's layout, as data: which tables it names its events table, the columns a table
// must have to be it, the tables it joins, and where each role lives. build() turns it into
// the StoreLayout of one table.
struct Definition
{
    QString id;
    QString title;
    QStringList tableNames;
    QString tableSuffix; // any table whose name ends so is named like it too
    // The library lets its users name the table: a table of any name with every required
    // column is it, so those columns must be ones no other library's table has together.
    bool anyTableName = false;
    QVector<Names> required;
    QVector<Join> joins;
    Role position, stream, version, type, time, data, metadata;
    // Where a stream is named by several columns: those before `stream`, joined with '/' into
    // one name ("USERS/da6f75d0-..."), which is what the stream is compared and grouped by.
    QVector<Role> streamQualifiers;
    QVector<Condition> conditions;
    QString notice;
    TimeFormat timeFormat = TimeFormat::IsoText;
    bool rowidWithoutPosition = false; // SQLite's rowid when the position column is absent
    Role onlyWhereZero;                // only the rows where this column is 0
    bool canonicalIsoTimeOnSqlite = false;
    bool timeFormatSettled = false;
    bool timeColumnTrusted = true;
    bool unwrapTypedValues = false;
    QString payloadTimeField;
    PayloadEncoding payloadEncoding = PayloadEncoding::Text;
    std::optional<qint64> firstVersion;
    bool consecutiveVersions = true;
    std::optional<SnapshotDefinition> snapshots;

    bool namesTable(const CatalogTable &t) const
    {
        for (const QString &name : tableNames) {
            if (t.name.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return !tableSuffix.isEmpty() && t.name.endsWith(tableSuffix, Qt::CaseInsensitive);
    }
};

class Builder
{
public:
    // `alias` names the table built from: "ev" for events, "sn" for snapshots.
    Builder(const StoreCatalog &catalog, const CatalogTable &table, SqlDialect dialect,
            const QString &alias = u"ev"_s)
        : m_catalog(catalog), m_dialect(dialect)
    {
        m_sources.emplace_back(alias, Source(table, alias, dialect));
    }

    std::optional<StoreLayout> build(const Definition &def)
    {
        const Source &ev = source(u"ev"_s);
        StoreLayout l;
        l.id = def.id;
        l.title = def.title;
        l.table = ev.table().displayName();
        l.from = ev.from();
        for (const Join &join : def.joins) {
            const CatalogTable *table = join.table.find(m_catalog, ev.table());
            if (!table)
                return std::nullopt;
            const Source joined(*table, join.alias, m_dialect);
            if (!joined.find(join.key) || !joined.missing(join.required).isEmpty())
                return std::nullopt;
            l.from += u" JOIN "_s + joined.from() + u" ON "_s + joined.col(join.key) + u" = "_s +
                      expression(join.equals);
            m_sources.emplace_back(join.alias, joined);
        }
        l.position = expression(def.position);
        if (l.position.isEmpty()) {
            if (!def.rowidWithoutPosition || m_dialect == SqlDialect::Postgres)
                return std::nullopt; // PostgreSQL tables have no rowid to order by
            l.position = u"ev.rowid"_s;
        }
        source(def.stream.alias).setStream(l, def.stream.names);
        for (const Join &join : def.joins) {
            if (join.alias != def.stream.alias || !def.streamQualifiers.isEmpty())
                continue;
            const Source &names = source(join.alias);
            if (const CatalogColumn *name = names.find(def.stream.names))
                l.streamNames = StreamNameTable{
                    names.table().displayName(), names.from(), name->name,
                    names.col(join.key),         ev.from(),    expression(join.equals)};
        }
        if (!def.streamQualifiers.isEmpty()) {
            QStringList parts;
            for (const Role &part : def.streamQualifiers)
                parts << source(part.alias).text(part.names);
            parts << l.streamText;
            l.stream = u'(' + parts.join(u" || '/' || "_s) + u')';
            l.streamText = l.stream;
        }
        l.version = expression(def.version);
        if (def.version.form == Form::Column && !def.version.orElse.isEmpty()) {
            const Source &src = source(def.version.alias);
            l.versionFallback = StoreLayout::VersionFallback{src.col(def.version.names),
                                                             src.col(def.version.orElse)};
        }
        l.type = expression(def.type);
        l.typeInJson = jsonStringRole(def.type);
        l.timeInJson = jsonStringRole(def.time);
        if (def.time.form == Form::JsonText) {
            l.time = expression(def.time);
            l.timeFormat = TimeFormat::IsoText;
        } else if (def.time.isSet()) {
            setTime(l, source(def.time.alias), def.time.names, def.timeFormat);
        }
        l.data = expression(def.data);
        l.metadata = expression(def.metadata);
        QStringList where;
        if (def.onlyWhereZero.isSet())
            where << expression(def.onlyWhereZero) + u" = 0"_s;
        for (const Condition &c : def.conditions)
            where << c.test.arg(ev.col(c.column));
        l.where = where.join(u" AND "_s);
        l.notice = def.notice;
        l.canonicalIsoTime = def.canonicalIsoTimeOnSqlite && m_dialect == SqlDialect::Sqlite;
        l.timeFormatSettled = def.timeFormatSettled;
        l.timeColumnTrusted = def.timeColumnTrusted;
        l.unwrapTypedValues = def.unwrapTypedValues;
        l.payloadTimeField = def.payloadTimeField;
        l.payloadEncoding = def.payloadEncoding;
        if (!def.unwrapTypedValues) {
            l.dataJson = jsonColumn(def.data);
            l.metadataJson = jsonColumn(def.metadata);
        }
        l.keyedJoin = keyedJoin(def);
        l.firstVersion = def.firstVersion;
        l.consecutiveVersions = def.consecutiveVersions;
        if (def.snapshots)
            l.snapshots = snapshots(*def.snapshots);
        return l;
    }

private:
    const Source &source(const QString &alias) const
    {
        for (const auto &[name, src] : m_sources) {
            if (name == alias)
                return src;
        }
        Q_UNREACHABLE(); // a definition names only its own joins
    }

    // A payload column the database can read as JSON (StoreLayout::dataJson), else empty.
    QString jsonColumn(const Role &role) const
    {
        if (!role.isSet() || role.form != Form::Payload)
            return {};
        const Source &src = source(role.alias);
        if (m_dialect == SqlDialect::Postgres && src.colType(role.names) != u"jsonb")
            return {};
        return src.col(role.names);
    }

    // The one joined table holding the type and time columns, every other role (and every
    // condition) being the events table's (StoreLayout::keyedJoin); else nullopt.
    std::optional<KeyedJoin> keyedJoin(const Definition &def) const
    {
        if (m_dialect != SqlDialect::Sqlite || def.joins.size() != 1 ||
            !def.streamQualifiers.isEmpty() || !def.conditions.isEmpty() ||
            def.onlyWhereZero.isSet())
            return std::nullopt;
        const Join &join = def.joins.constFirst();
        const auto onEvents = [](const Role &role) {
            return !role.isSet() || role.alias == u"ev"_s;
        };
        if (!onEvents(def.position) || !onEvents(def.stream) || !onEvents(def.version) ||
            !onEvents(join.equals) || join.equals.form != Form::Column ||
            def.type.alias != join.alias || def.type.form != Form::Column ||
            def.time.alias != join.alias || def.time.form != Form::Column)
            return std::nullopt;
        const Source &joined = source(join.alias);
        const Source &events = source(u"ev"_s);
        const CatalogColumn *key = joined.find(join.key);
        const CatalogColumn *eventKey = events.find(join.equals.names);
        const CatalogColumn *position = events.find(def.position.names);
        if (!key || !eventKey || !position || !join.equals.orElse.isEmpty())
            return std::nullopt;
        return KeyedJoin{joined.table().displayName(),
                         key->name,
                         joined.from(),
                         joined.col(join.key),
                         join.alias + u".rowid"_s,
                         events.from(),
                         expression(join.equals),
                         events.table().displayName(),
                         eventKey->name,
                         position->name};
    }

    std::optional<JsonStringRole> jsonStringRole(const Role &role) const
    {
        if (role.form != Form::JsonText || m_dialect != SqlDialect::Sqlite)
            return std::nullopt;
        return JsonStringRole{source(role.alias).col(role.names), role.jsonPath};
    }

    QString expression(const Role &role) const
    {
        if (!role.isSet())
            return {};
        const Source &src = source(role.alias);
        switch (role.form) {
        case Form::Payload:
            return src.payload(role.names);
        case Form::JsonText:
            return jsonTextField(src, role.names, role.jsonPath, role.jsonPattern);
        case Form::Column:
            break;
        }
        const QString c = src.col(role.names);
        if (role.orElse.isEmpty() || c.isEmpty())
            return c;
        return u"COALESCE(%1, %2)"_s.arg(c, src.col(role.orElse));
    }

    std::optional<SnapshotLayout> snapshots(const SnapshotDefinition &def) const
    {
        const CatalogTable *table = def.table.find(m_catalog, source(u"ev"_s).table());
        if (!table)
            return std::nullopt;
        const Builder sn(m_catalog, *table, m_dialect, u"sn"_s);
        const Source &src = sn.source(u"sn"_s);
        if (!src.missing(def.required).isEmpty())
            return std::nullopt;
        SnapshotLayout s;
        s.table = table->displayName();
        s.from = src.from();
        s.stream = sn.expression(def.stream);
        s.version = sn.expression(def.version);
        if (def.time.form == Form::JsonText)
            s.time = sn.expression(def.time);
        else if (def.time.isSet())
            setTime(s, src, def.time.names, def.timeFormat);
        s.data = sn.expression(def.data);
        if (def.onlyWithData)
            s.where = src.col(def.data.names) + u" IS NOT NULL"_s;
        s.statePath = def.statePath;
        return s;
    }

    const StoreCatalog &m_catalog;
    SqlDialect m_dialect;
    std::deque<std::pair<QString, Source>>
        m_sources; // a deque: joins keep earlier references valid
};

const QString timestampPattern = uR"re("timestamp": ?\{[^}]*"_data_": ?"([^"]+)")re"_s;

// The time inside a Python eventsourcing state: {"timestamp": {"_type_": "datetime_iso", ...}}.
Role eventsourcingTime(const QString &alias)
{
    return jsonText({u"state"_s}, u"$.timestamp._data_"_s, timestampPattern, alias);
}

QVector<Definition> definitions()
{
    QVector<Definition> defs;
    Definition d;

    d = {};
    d.id = u"eventscope"_s;
    d.title = u"Eventscope"_s;
    d.tableNames = {u"events"_s};
    d.required = {{u"global_position"_s}, {u"stream_id"_s}, {u"stream_version"_s}, {u"type"_s},
                  {u"recorded_at"_s},     {u"data"_s}};
    d.position = column({u"global_position"_s});
    d.stream = column({u"stream_id"_s});
    d.version = column({u"stream_version"_s});
    d.type = column({u"type"_s});
    d.time = column({u"recorded_at"_s});
    d.canonicalIsoTimeOnSqlite = true;
    d.data = payload({u"data"_s});
    d.metadata = payload({u"metadata"_s});
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 1;
    defs << d;

    d = {};
    d.id = u"message-db"_s;
    d.title = u"Message DB (Eventide)"_s;
    d.tableNames = {u"messages"_s};
    d.required = {{u"global_position"_s},
                  {u"stream_name"_s},
                  {u"position"_s},
                  {u"type"_s},
                  {u"time"_s},
                  {u"data"_s}};
    d.position = column({u"global_position"_s});
    d.stream = column({u"stream_name"_s});
    d.version = column({u"position"_s});
    d.type = column({u"type"_s});
    d.time = column({u"time"_s});
    d.data = payload({u"data"_s});
    d.metadata = payload({u"metadata"_s});
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 0;
    defs << d;

    d = {};
    d.id = u"marten"_s;
    d.title = u"Marten"_s;
    d.tableNames = {u"mt_events"_s};
    d.required = {{u"seq_id"_s}, {u"stream_id"_s}, {u"version"_s},
                  {u"type"_s},   {u"timestamp"_s}, {u"data"_s}};
    d.position = column({u"seq_id"_s});
    d.stream = column({u"stream_id"_s});
    d.version = column({u"version"_s});
    d.type = column({u"type"_s});
    d.time = column({u"timestamp"_s});
    d.data = payload({u"data"_s});
    d.metadata = payload({u"headers"_s});
    // Marten keeps the latest snapshot of each stream inline in mt_streams.
    d.snapshots = SnapshotDefinition{{u"mt_events"_s, u"mt_streams"_s},
                                     {{u"snapshot"_s}, {u"snapshot_version"_s}, {u"id"_s}},
                                     column({u"id"_s}, u"sn"_s),
                                     column({u"snapshot_version"_s}, u"sn"_s),
                                     column({u"timestamp"_s}, u"sn"_s),
                                     payload({u"snapshot"_s}, u"sn"_s),
                                     TimeFormat::IsoText,
                                     true,
                                     {}};
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 1;
    defs << d;

    d = {};
    d.id = u"eventsourcing-python"_s;
    d.title = u"Python eventsourcing"_s;
    d.tableNames = {u"stored_events"_s};
    d.tableSuffix = u"_events"_s;
    d.required = {{u"originator_id"_s}, {u"originator_version"_s}, {u"topic"_s}, {u"state"_s}};
    d.position = column({u"notification_id"_s});
    d.rowidWithoutPosition = true;
    d.stream = column({u"originator_id"_s});
    d.version = column({u"originator_version"_s});
    d.type = column({u"topic"_s});
    d.time = eventsourcingTime(u"ev"_s);
    d.data = payload({u"state"_s});
    d.unwrapTypedValues = true;
    d.payloadTimeField = u"timestamp"_s;
    // A Snapshot event: the aggregate is its "state".
    d.snapshots =
        SnapshotDefinition{{u"_events"_s, u"_snapshots"_s},
                           {{u"originator_id"_s}, {u"originator_version"_s}, {u"state"_s}},
                           column({u"originator_id"_s}, u"sn"_s),
                           column({u"originator_version"_s}, u"sn"_s),
                           eventsourcingTime(u"sn"_s),
                           payload({u"state"_s}, u"sn"_s),
                           TimeFormat::IsoText,
                           false,
                           u"state"_s};
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 1;
    defs << d;

    d = {};
    d.id = u"axon"_s;
    d.title = u"Axon Framework"_s;
    d.tableNames = {u"domain_event_entry"_s, u"domainevententry"_s};
    const Names aggregate = {u"aggregate_identifier"_s, u"aggregateIdentifier"_s};
    const Names sequence = {u"sequence_number"_s, u"sequenceNumber"_s};
    const Names timeStamp = {u"time_stamp"_s, u"timeStamp"_s};
    d.required = {{u"global_index"_s, u"globalIndex"_s}, aggregate, sequence,
                  {u"payload_type"_s, u"payloadType"_s}, timeStamp, {u"payload"_s}};
    d.position = column({u"global_index"_s, u"globalIndex"_s});
    d.stream = column(aggregate);
    d.version = column(sequence);
    d.type = column({u"payload_type"_s, u"payloadType"_s});
    d.time = column(timeStamp);
    d.data = payload({u"payload"_s});
    d.metadata = payload({u"meta_data"_s, u"metaData"_s});
    d.snapshots = SnapshotDefinition{{u"domain"_s, u"snapshot"_s},
                                     {aggregate, sequence, {u"payload"_s}},
                                     column(aggregate, u"sn"_s),
                                     column(sequence, u"sn"_s),
                                     column(timeStamp, u"sn"_s),
                                     payload({u"payload"_s}, u"sn"_s),
                                     TimeFormat::IsoText,
                                     false,
                                     {}};
    d.payloadEncoding = PayloadEncoding::Text;
    d.firstVersion = 0;
    defs << d;

    d = {};
    d.id = u"eventuous"_s;
    d.title = u"Eventuous"_s;
    d.tableNames = {u"messages"_s, u"eventuous_messages"_s};
    d.required = {{u"global_position"_s}, {u"stream_id"_s}, {u"stream_position"_s},
                  {u"message_type"_s},    {u"json_data"_s}, {u"created"_s}};
    d.joins = {Join{u"st"_s,
                    {u"messages"_s, u"streams"_s},
                    {u"stream_id"_s},
                    column({u"stream_id"_s}),
                    {{u"stream_name"_s}}}};
    d.position = column({u"global_position"_s});
    d.stream = column({u"stream_name"_s}, u"st"_s);
    d.version = column({u"stream_position"_s});
    d.type = column({u"message_type"_s});
    d.time = column({u"created"_s});
    d.data = payload({u"json_data"_s});
    d.metadata = payload({u"json_metadata"_s});
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 0;
    defs << d;

    d = {};
    d.id = u"sqlstreamstore"_s;
    d.title = u"SQLStreamStore"_s;
    d.tableNames = {u"messages"_s};
    d.required = {{u"position"_s}, {u"stream_id_internal"_s}, {u"stream_version"_s},
                  {u"type"_s},     {u"created_utc"_s},        {u"json_data"_s}};
    d.joins = {Join{u"st"_s,
                    {u"messages"_s, u"streams"_s},
                    {u"id_internal"_s},
                    column({u"stream_id_internal"_s}),
                    {{u"id_original"_s}}}};
    d.position = column({u"position"_s});
    d.stream = column({u"id_original"_s}, u"st"_s);
    d.version = column({u"stream_version"_s});
    d.type = column({u"type"_s});
    d.time = column({u"created_utc"_s});
    d.data = payload({u"json_data"_s});
    d.metadata = payload({u"json_metadata"_s});
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 0;
    defs << d;

    d = {};
    d.id = u"rails-event-store"_s;
    d.title = u"Rails Event Store"_s;
    d.tableNames = {u"event_store_events_in_streams"_s};
    d.required = {{u"id"_s}, {u"stream"_s}, {u"position"_s}, {u"event_id"_s}};
    // A row per (stream, event): linked events show in every stream they are in.
    d.joins = {Join{u"ee"_s,
                    {u"_in_streams"_s, QString()},
                    {u"event_id"_s},
                    column({u"event_id"_s}),
                    {{u"event_type"_s}, {u"data"_s}, {u"created_at"_s}}}};
    d.position = column({u"id"_s});
    d.stream = column({u"stream"_s});
    // Streams written with expected_version :any keep no position; their order is the order
    // of the rows.
    d.version = column({u"position"_s});
    d.version.orElse = {u"id"_s};
    d.type = column({u"event_type"_s}, u"ee"_s);
    d.time = column({u"created_at"_s}, u"ee"_s);
    d.data = payload({u"data"_s}, u"ee"_s);
    d.metadata = payload({u"metadata"_s}, u"ee"_s);
    d.payloadEncoding = PayloadEncoding::Text;
    d.consecutiveVersions = false;
    defs << d;

    d = {};
    d.id = u"commanded"_s;
    d.title = u"Commanded EventStore"_s;
    d.tableNames = {u"stream_events"_s};
    d.required = {{u"event_id"_s},
                  {u"stream_id"_s},
                  {u"stream_version"_s},
                  {u"original_stream_id"_s},
                  {u"original_stream_version"_s}};
    // Every event has a row in the $all stream (id 0), whose version is the global order and
    // which names the stream and version the event was written to.
    d.joins = {Join{u"st"_s,
                    {u"stream_events"_s, u"streams"_s},
                    {u"stream_id"_s},
                    column({u"original_stream_id"_s}),
                    {{u"stream_uuid"_s}}},
               Join{u"ee"_s,
                    {u"stream_events"_s, u"events"_s},
                    {u"event_id"_s},
                    column({u"event_id"_s}),
                    {{u"event_type"_s}, {u"data"_s}}}};
    d.onlyWhereZero = column({u"stream_id"_s});
    d.position = column({u"stream_version"_s});
    d.stream = column({u"stream_uuid"_s}, u"st"_s);
    d.version = column({u"original_stream_version"_s});
    d.type = column({u"event_type"_s}, u"ee"_s);
    d.time = column({u"created_at"_s}, u"ee"_s);
    d.data = payload({u"data"_s}, u"ee"_s);
    d.metadata = payload({u"metadata"_s}, u"ee"_s);
    d.payloadEncoding = PayloadEncoding::Serialised;
    d.firstVersion = 1;
    defs << d;

    d = {};
    d.id = u"akka-jdbc"_s;
    d.title = u"Akka Persistence JDBC"_s;
    d.tableNames = {u"event_journal"_s};
    d.required = {{u"ordering"_s},
                  {u"persistence_id"_s},
                  {u"sequence_number"_s},
                  {u"write_timestamp"_s},
                  {u"event_payload"_s}};
    d.position = column({u"ordering"_s});
    d.stream = column({u"persistence_id"_s});
    d.version = column({u"sequence_number"_s});
    d.type = column({u"event_ser_manifest"_s});
    d.time = column({u"write_timestamp"_s});
    d.timeFormat = TimeFormat::EpochMillis;
    d.data = payload({u"event_payload"_s});
    d.metadata = payload({u"meta_payload"_s});
    d.snapshots =
        SnapshotDefinition{{u"event_journal"_s, u"snapshot"_s},
                           {{u"persistence_id"_s}, {u"sequence_number"_s}, {u"snapshot_payload"_s}},
                           column({u"persistence_id"_s}, u"sn"_s),
                           column({u"sequence_number"_s}, u"sn"_s),
                           column({u"created"_s}, u"sn"_s),
                           payload({u"snapshot_payload"_s}, u"sn"_s),
                           TimeFormat::EpochMillis,
                           false,
                           {}};
    d.payloadEncoding = PayloadEncoding::Serialised;
    d.firstVersion = 1;
    defs << d;

    d = {};
    d.id = u"eventflow"_s;
    d.title = u"EventFlow"_s;
    d.tableNames = {u"eventflow"_s};
    d.required = {{u"GlobalSequenceNumber"_s},
                  {u"AggregateId"_s},
                  {u"AggregateSequenceNumber"_s},
                  {u"Data"_s},
                  {u"Metadata"_s}};
    // The event's name and time live in its metadata.
    d.position = column({u"GlobalSequenceNumber"_s});
    d.stream = column({u"AggregateId"_s});
    d.version = column({u"AggregateSequenceNumber"_s});
    d.type = jsonText({u"Metadata"_s}, u"$.event_name"_s, uR"re("event_name": ?"([^"]*)")re"_s);
    d.time = jsonText({u"Metadata"_s}, u"$.timestamp"_s, uR"re("timestamp": ?"([^"]*)")re"_s);
    d.data = payload({u"Data"_s});
    d.metadata = payload({u"Metadata"_s});
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 1;
    defs << d;

    d = {};
    d.id = u"emmett"_s;
    d.title = u"Emmett"_s;
    d.tableNames = {u"emt_messages"_s};
    d.required = {{u"global_position"_s}, {u"stream_id"_s},    {u"stream_position"_s},
                  {u"message_type"_s},    {u"message_data"_s}, {u"created"_s},
                  {u"partition"_s},       {u"is_archived"_s}};
    d.position = column({u"global_position"_s});
    d.stream = column({u"stream_id"_s});
    d.version = column({u"stream_position"_s});
    d.type = column({u"message_type"_s});
    d.time = column({u"created"_s});
    d.data = payload({u"message_data"_s});
    d.metadata = payload({u"message_metadata"_s});
    // What Emmett's own reads return: the default partition's messages that are not archived.
    d.conditions = {{{u"partition"_s}, u"%1 = 'emt:default'"_s}, {{u"is_archived"_s}, u"NOT %1"_s}};
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 1;
    defs << d;

    d = {};
    d.id = u"castore"_s;
    d.title = u"Castore"_s;
    d.tableNames = {u"event"_s};
    // PostgresEventStorageAdapter({tableName}) and createEventTable({tableName}) name it freely.
    d.anyTableName = true;
    d.required = {{u"id"_s},   {u"aggregate_name"_s}, {u"aggregate_id"_s}, {u"version"_s},
                  {u"type"_s}, {u"timestamp"_s},      {u"data"_s}};
    // Several event stores share the table: a stream is the store's name and the aggregate.
    d.position = column({u"id"_s});
    d.streamQualifiers = {column({u"aggregate_name"_s})};
    d.stream = column({u"aggregate_id"_s});
    d.version = column({u"version"_s});
    d.type = column({u"type"_s});
    d.time = column({u"timestamp"_s});
    d.data = payload({u"data"_s});
    d.metadata = payload({u"metadata"_s});
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 1;
    defs << d;

    d = {};
    d.id = u"acuris"_s;
    d.title = u"Acuris eventstore-postgresql"_s;
    d.tableNames = {u"event"_s};
    d.required = {{u"position"_s},   {u"stream_category"_s}, {u"stream_id"_s}, {u"event_number"_s},
                  {u"event_type"_s}, {u"timestamp"_s},       {u"data"_s}};
    d.position = column({u"position"_s});
    d.streamQualifiers = {column({u"stream_category"_s})};
    d.stream = column({u"stream_id"_s});
    d.version = column({u"event_number"_s});
    d.type = column({u"event_type"_s});
    d.time = column({u"timestamp"_s});
    d.data = payload({u"data"_s});
    d.metadata = payload({u"metadata"_s});
    d.notice = u"Acuris eventstore keeps its times without a time zone, in the zone of the "
               "session that wrote them: they are read as UTC"_s;
    d.payloadEncoding = PayloadEncoding::Json;
    d.firstVersion = 0;
    defs << d;

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
            const bool named = def.namesTable(table);
            if (!named && !def.anyTableName)
                continue;
            const QStringList missing =
                Source(table, u"ev"_s, catalog.dialect()).missing(def.required);
            if (!missing.isEmpty() && !named)
                continue;
            if (!missing.isEmpty()) {
                nearMisses->append(u"%1 is named like the %2 table but has no column %3"_s.arg(
                    table.displayName(), def.title, missing.join(u", "_s)));
                continue;
            }
            if (auto layout = Builder(catalog, table, catalog.dialect()).build(def))
                result << *layout;
        }
    }
    return result;
}

StoreLayout KnownLayouts::mapped(const StoreCatalog &catalog, const CatalogTable &table,
                                 const ColumnMapping &mapping)
{
    const auto role = [](const QString &name) {
        return name.isEmpty() ? Role{} : column({name});
    };
    Definition d;
    d.id = u"mapped"_s;
    d.title = u"Mapped columns"_s;
    d.position = role(mapping.position);
    d.rowidWithoutPosition = true;
    // A stream named by several columns: "aggregate_name+aggregate_id".
    const QStringList streamParts = mapping.streamColumns();
    d.stream = column({streamParts.constLast()});
    for (qsizetype i = 0; i + 1 < streamParts.size(); ++i)
        d.streamQualifiers << column({streamParts.at(i)});
    d.version = role(mapping.version);
    d.type = role(mapping.type);
    d.time = role(mapping.time);
    d.timeFormat = mapping.timeFormat;
    // The user's format stands, or LayoutDetector samples one as it reads the mapping; the
    // column may simply be the wrong one, which is worth saying at once.
    d.timeFormatSettled = true;
    d.timeColumnTrusted = false;
    d.data = mapping.data.isEmpty() ? Role{} : payload({mapping.data});
    d.metadata = mapping.metadata.isEmpty() ? Role{} : payload({mapping.metadata});
    // Columns already checked, and a position given wherever the rowid is not one.
    return *Builder(catalog, table, catalog.dialect()).build(d);
}

QStringList KnownLayouts::ids()
{
    QStringList result;
    for (const Definition &def : allDefinitions())
        result << def.id;
    // Read by ProophLayout and NEventStoreLayout, which expand tables and rows.
    return result << u"prooph"_s << u"neventstore"_s << u"mapped"_s;
}

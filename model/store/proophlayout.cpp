#include "store/proophlayout.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

// A PostgreSQL string literal for a name read from the store, right whatever
// standard_conforming_strings says.
QString literal(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'\'', u"''"_s);
    return u"E'"_s + escaped + u'\'';
}

bool isJsonType(const QString &type)
{
    return type == u"jsonb" || type == u"json";
}

// One stream table that event_streams lists.
struct StreamTable
{
    QString realName; // the stream's name as Prooph's users know it
    const CatalogTable *table = nullptr;
    qint64 ordinal = 0;        // its place in event_streams order, from 1
    bool perAggregate = false; // single-stream strategy: several aggregates share it
};

// The table event_streams names `stream_name` ("_<sha1>" or "schema._<sha1>"), in the schema
// of event_streams unless the name says another.
const CatalogTable *streamTable(const StoreCatalog &catalog, const CatalogTable &catalogTable,
                                const QString &streamName)
{
    QString schema = catalogTable.schema;
    QString name = streamName.trimmed();
    if (const qsizetype dot = name.indexOf(u'.'); dot > 0) {
        schema = name.left(dot);
        name = name.mid(dot + 1);
    }
    for (const CatalogTable *t : catalog.named(name)) {
        if (t->schema.compare(schema, Qt::CaseInsensitive) != 0)
            continue;
        const bool hasColumns = t->column(u"no"_s) && t->column(u"event_name"_s) &&
                                t->column(u"payload"_s) && t->column(u"created_at"_s) &&
                                t->column(u"metadata"_s) &&
                                isJsonType(t->column(u"metadata"_s)->type);
        return hasColumns ? t : nullptr;
    }
    return nullptr;
}

QString aggregateField(const QString &field)
{
    return u"(s.metadata ->> '%1')"_s.arg(field);
}

// The first aggregate id of the table, and whether any other row names another: the
// single-stream strategy keeps all aggregates of a type in one table. The first differing
// row ends the scan; a table of one aggregate is read to its end, which is what it holds.
QString sharedTest(const StreamTable &t)
{
    const QString table = t.table->sql();
    return u"SELECT %1, EXISTS (SELECT 1 FROM %2 AS s WHERE %3 <> (SELECT %3 FROM %2 AS s "
           "WHERE %3 IS NOT NULL ORDER BY s.no LIMIT 1))"_s.arg(QString::number(t.ordinal), table,
                                                                aggregateField(u"_aggregate_id"_s));
}

// The rows of one stream table in the columns of the union.
QString branch(const StreamTable &t)
{
    const QString name = literal(t.realName);
    QString stream = name;
    QString version = u"s.no"_s;
    if (t.perAggregate) {
        // The aggregate is the stream, named as the aggregate stream strategy would name it
        // (<aggregate type>-<aggregate id>); rows of no aggregate stay in the table's stream.
        const QString id = aggregateField(u"_aggregate_id"_s);
        const QString aggregateVersion = aggregateField(u"_aggregate_version"_s);
        stream = u"COALESCE(COALESCE(%1, %2) || '-' || %3, %2)"_s.arg(
            aggregateField(u"_aggregate_type"_s), name, id);
        version = u"CASE WHEN %1 IS NOT NULL AND %2 ~ '^[0-9]{1,18}$' THEN CAST(%2 AS bigint) "
                  "ELSE s.no END"_s.arg(id, aggregateVersion);
    }
    return u"SELECT CAST(%1 AS bigint) * %2 + s.no AS event_position, %3 AS event_stream, "
           "%4 AS event_version, CAST(s.event_name AS text) AS event_type, "
           "CAST(s.created_at AS timestamp) AS event_time, CAST(s.payload AS text) AS event_data, "
           "CAST(s.metadata AS text) AS event_metadata FROM %5 AS s"_s.arg(
               QString::number(t.ordinal), QString::number(ProophLayout::TableStride), stream,
               version, t.table->sql());
}

QString noEvents()
{
    return u"SELECT CAST(NULL AS bigint) AS event_position, CAST(NULL AS text) AS event_stream, "
           "CAST(NULL AS bigint) AS event_version, CAST(NULL AS text) AS event_type, "
           "CAST(NULL AS timestamp) AS event_time, CAST(NULL AS text) AS event_data, "
           "CAST(NULL AS text) AS event_metadata WHERE false"_s;
}

std::optional<StoreLayout> layoutOf(QSqlDatabase &db, const StoreCatalog &catalog,
                                    const CatalogTable &list, QStringList *nearMisses)
{
    const auto unreadable = [&](const QSqlQuery &query) {
        nearMisses->append(u"%1 (Prooph's list of streams) cannot be read: %2"_s.arg(
            list.displayName(), query.lastError().text()));
        return std::nullopt;
    };
    QSqlQuery query(db);
    query.setForwardOnly(true);
    const QString order = list.column(u"no"_s) ? u"no"_s : u"real_stream_name"_s;
    if (!query.exec(
            u"SELECT real_stream_name, stream_name FROM %1 ORDER BY %2"_s.arg(list.sql(), order)))
        return unreadable(query);
    QVector<StreamTable> tables;
    QStringList missing;
    qint64 ordinal = 0;
    while (query.next()) {
        ++ordinal;
        const QString realName = query.value(0).toString();
        if (const CatalogTable *t = streamTable(catalog, list, query.value(1).toString()))
            tables << StreamTable{realName, t, ordinal, false};
        else
            missing << realName;
    }
    if (query.lastError().isValid())
        return unreadable(query);

    if (!tables.isEmpty()) {
        QStringList tests;
        for (const StreamTable &t : std::as_const(tables))
            tests << sharedTest(t);
        if (!query.exec(tests.join(u" UNION ALL "_s)))
            return unreadable(query);
        while (query.next()) {
            const qint64 at = query.value(0).toLongLong();
            for (StreamTable &t : tables) {
                if (t.ordinal == at)
                    t.perAggregate = query.value(1).toBool();
            }
        }
        if (query.lastError().isValid())
            return unreadable(query);
    }

    QStringList branches;
    QStringList shared;
    for (const StreamTable &t : std::as_const(tables)) {
        branches << branch(t);
        if (t.perAggregate)
            shared << t.realName;
    }
    if (branches.isEmpty())
        branches << noEvents();

    StoreLayout l;
    l.id = u"prooph"_s;
    l.title = u"Prooph pdo-event-store"_s;
    l.table = list.displayName();
    l.from = u"("_s + branches.join(u" UNION ALL "_s) + u") AS ev"_s;
    l.position = u"ev.event_position"_s;
    l.stream = u"ev.event_stream"_s;
    l.streamText = l.stream;
    l.version = u"ev.event_version"_s;
    l.type = u"ev.event_type"_s;
    l.time = u"ev.event_time"_s;
    l.timeStorage = TimeStorage::PostgresTimestamp;
    l.timeFormatSettled = true;
    l.data = u"ev.event_data"_s;
    l.metadata = u"ev.event_metadata"_s;
    l.payloadEncoding = PayloadEncoding::Json;
    l.firstVersion = 1;
    QStringList notice{u"Prooph: %1 stream tables of event_streams read as one (position = the "
                       "table's place × 10^12 + no)"_s.arg(tables.size())};
    if (!shared.isEmpty())
        notice << u"single-stream strategy in %1: the aggregates are the streams "
                  "(<_aggregate_type>-<_aggregate_id>, version _aggregate_version)"_s.arg(
                      shared.join(u", "_s));
    if (!missing.isEmpty())
        notice << u"listed without a readable table, not read: %1"_s.arg(missing.join(u", "_s));
    l.notice = notice.join(u"; "_s);
    return l;
}

} // namespace

QVector<StoreLayout> ProophLayout::match(QSqlDatabase &db, const StoreCatalog &catalog,
                                         QStringList *nearMisses)
{
    QVector<StoreLayout> result;
    if (catalog.dialect() != SqlDialect::Postgres)
        return result;
    for (const CatalogTable &table : catalog.tables()) {
        if (table.name.compare(u"event_streams"_s, Qt::CaseInsensitive) != 0)
            continue;
        if (!table.column(u"real_stream_name"_s) || !table.column(u"stream_name"_s)) {
            nearMisses->append(
                u"%1 is named like Prooph's list of streams but has no column %2"_s.arg(
                    table.displayName(), table.column(u"real_stream_name"_s)
                                             ? u"stream_name"_s
                                             : u"real_stream_name"_s));
            continue;
        }
        if (auto layout = layoutOf(db, catalog, table, nearMisses))
            result << *layout;
    }
    return result;
}

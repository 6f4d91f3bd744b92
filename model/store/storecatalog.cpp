#include "store/storecatalog.h"

#include "store/sqlitefile.h"
#include "store/sqlstate.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

QString quotedIdentifier(const QString &identifier)
{
    return u'"' + QString(identifier).replace(u'"', u"\"\""_s) + u'"';
}

QString CatalogTable::displayName() const
{
    return schema.isEmpty() ? name : schema + u'.' + name;
}

QString CatalogTable::sql() const
{
    return schema.isEmpty() ? quotedIdentifier(name)
                            : quotedIdentifier(schema) + u'.' + quotedIdentifier(name);
}

const CatalogColumn *CatalogTable::column(const QString &wanted) const
{
    for (const CatalogColumn &c : columns) {
        if (c.name.compare(wanted, Qt::CaseInsensitive) == 0)
            return &c;
    }
    return nullptr;
}

QStringList CatalogTable::columnNames() const
{
    QStringList names;
    for (const CatalogColumn &c : columns)
        names << c.name;
    return names;
}

namespace {

StoreError sqliteError(const QSqlError &error, const QString &message)
{
    return {SqliteFile::errorKind(error), message};
}

StoreError postgresError(const QSqlDatabase &db, const QSqlError &error)
{
    const bool connectionBad = !db.isOpen() || error.type() == QSqlError::ConnectionError;
    return {SqlState::errorKind(error.nativeErrorCode(), connectionBad), error.text()};
}

bool readSqlite(QSqlDatabase &db, QVector<CatalogTable> *tables, StoreError *error)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name COLLATE NOCASE"_s)) {
        *error = sqliteError(query.lastError(), query.lastError().text());
        return false;
    }
    while (query.next()) {
        CatalogTable table;
        table.name = query.value(0).toString();
        table.isView = query.value(1).toString() == u"view";
        *tables << table;
    }
    // next() is false at the end and on a failed read alike (a corrupt catalog page).
    if (query.lastError().isValid()) {
        *error = sqliteError(query.lastError(), SqliteFile::describeFailure(query.lastError()));
        return false;
    }
    for (CatalogTable &table : *tables) {
        query.prepare(u"SELECT name, type FROM pragma_table_info(?) ORDER BY cid"_s);
        query.addBindValue(table.name);
        if (!query.exec()) {
            *error = sqliteError(query.lastError(), u"reading the columns of %1: %2"_s.arg(
                                                        table.name, query.lastError().text()));
            return false;
        }
        while (query.next())
            table.columns << CatalogColumn{query.value(0).toString(),
                                           query.value(1).toString().toLower()};
        if (query.lastError().isValid()) {
            *error = sqliteError(query.lastError(),
                                 u"reading the columns of %1: %2"_s.arg(
                                     table.name, SqliteFile::describeFailure(query.lastError())));
            return false;
        }
    }
    return true;
}

bool readPostgres(QSqlDatabase &db, const QString &schema, QVector<CatalogTable> *tables,
                  StoreError *error)
{
    // information_schema lists only what the user may use, which is what a reader can read.
    QString sql =
        u"SELECT c.table_schema, c.table_name, c.column_name, "
        "CASE WHEN c.data_type IN ('USER-DEFINED', 'ARRAY') THEN c.udt_name ELSE c.data_type END, "
        "t.table_type FROM information_schema.columns c JOIN information_schema.tables t "
        "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema') "
        "AND c.table_schema NOT LIKE 'pg\\_toast%' ESCAPE '\\' "
        // A partition's rows are its parent's (Emmett partitions emt_messages): only the
        // parent is a table to read, name or offer.
        "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class pc JOIN pg_catalog.pg_namespace pn "
        "ON pn.oid = pc.relnamespace WHERE pn.nspname = c.table_schema "
        "AND pc.relname = c.table_name AND pc.relispartition)"_s;
    if (!schema.isEmpty())
        sql += u" AND c.table_schema = ?"_s;
    sql += u" ORDER BY lower(c.table_name), c.table_schema, c.ordinal_position"_s;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(sql);
    if (!schema.isEmpty())
        query.addBindValue(schema);
    if (!query.exec()) {
        *error = postgresError(db, query.lastError());
        return false;
    }
    while (query.next()) {
        const QString tableSchema = query.value(0).toString();
        const QString tableName = query.value(1).toString();
        if (tables->isEmpty() || tables->constLast().schema != tableSchema ||
            tables->constLast().name != tableName) {
            CatalogTable table;
            table.schema = tableSchema;
            table.name = tableName;
            table.isView = query.value(4).toString() == u"VIEW";
            *tables << table;
        }
        tables->last().columns << CatalogColumn{query.value(2).toString(),
                                                query.value(3).toString().toLower()};
    }
    if (query.lastError().isValid()) {
        *error = postgresError(db, query.lastError());
        return false;
    }
    return true;
}

} // namespace

std::optional<StoreCatalog> StoreCatalog::read(QSqlDatabase &db, SqlDialect dialect,
                                               const QString &schema, StoreError *error)
{
    StoreCatalog catalog;
    catalog.m_dialect = dialect;
    const bool ok = dialect == SqlDialect::Sqlite
                        ? readSqlite(db, &catalog.m_tables, error)
                        : readPostgres(db, schema, &catalog.m_tables, error);
    if (!ok)
        return std::nullopt;
    return catalog;
}

const CatalogTable *StoreCatalog::find(const QString &name) const
{
    for (const CatalogTable &table : m_tables) {
        if (table.displayName().compare(name, Qt::CaseInsensitive) == 0)
            return &table;
    }
    const auto bare = named(name);
    return bare.size() == 1 ? bare.constFirst() : nullptr;
}

QVector<const CatalogTable *> StoreCatalog::named(const QString &name) const
{
    QVector<const CatalogTable *> result;
    for (const CatalogTable &table : m_tables) {
        if (table.name.compare(name, Qt::CaseInsensitive) == 0)
            result << &table;
    }
    return result;
}

QStringList StoreCatalog::displayNames() const
{
    QStringList names;
    for (const CatalogTable &table : m_tables)
        names << table.displayName();
    return names;
}

#include "store/positioncolumn.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace {

// The first row's columns; nullopt when the statement reads no row, and also when it fails,
// which then sets *failed: a check that could not read must not pass.
std::optional<QVariantList> firstRow(QSqlDatabase &db, const QString &sql, bool *failed,
                                     const QVariantList &values = {})
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec() || !query.next()) {
        *failed = *failed || query.lastError().isValid();
        return std::nullopt;
    }
    QVariantList row;
    for (int i = 0; i < query.record().count(); ++i)
        row << query.value(i);
    return row;
}

bool isIntegerType(SqlDialect dialect, const QString &declared)
{
    if (dialect == SqlDialect::Postgres)
        return declared == u"smallint" || declared == u"integer" || declared == u"bigint";
    return declared.contains(u"int"_s, Qt::CaseInsensitive); // SQLite's INTEGER affinity
}

// SQLite: an INTEGER PRIMARY KEY of a rowid table is the rowid; any other column, even one
// declared INTEGER, NOT NULL and uniquely indexed, may hold text, which its index sorts after
// every number: the greatest value tells.
bool provenBySqliteSchema(QSqlDatabase &db, const CatalogTable &table, const QString &column,
                          const StoreLayout &layout)
{
    bool failed = false;
    const auto info = firstRow(
        db,
        // Plain placeholders, the table's name given for each: QSQLITE binds only the first
        // of several numbered ones (?1 ... ?1, ?2), which left the check failing on every table.
        u"SELECT c.type, c.\"notnull\", c.pk, (SELECT COUNT(*) FROM pragma_table_info(?) "
        "WHERE pk > 0), (SELECT wr FROM pragma_table_list WHERE name = ?), "
        "EXISTS (SELECT 1 FROM pragma_index_list(?) AS l WHERE l.\"unique\" AND l.partial = 0 "
        "AND (SELECT COUNT(*) FROM pragma_index_info(l.name)) = 1 AND (SELECT name FROM "
        "pragma_index_info(l.name)) = c.name COLLATE NOCASE) "
        "FROM pragma_table_info(?) AS c WHERE c.name = ? COLLATE NOCASE"_s,
        &failed, {table.name, table.name, table.name, table.name, column});
    if (!info)
        return false;
    const QString type = info->at(0).toString();
    const bool notNull = info->at(1).toBool();
    const bool soleKey = info->at(2).toInt() == 1 && info->at(3).toInt() == 1;
    const bool withoutRowid = info->at(4).toBool();
    if (soleKey && !withoutRowid && type.compare(u"INTEGER"_s, Qt::CaseInsensitive) == 0)
        return true;
    if (!isIntegerType(SqlDialect::Sqlite, type) || !(notNull || (soleKey && withoutRowid)) ||
        !(info->at(5).toBool() || soleKey))
        return false;
    const auto greatest = firstRow(
        db,
        u"SELECT typeof(%1) FROM %2 ORDER BY %1 DESC LIMIT 1"_s.arg(layout.position, layout.from),
        &failed);
    return !failed && (!greatest || greatest->at(0).toString() == u"integer");
}

bool provenByPostgresSchema(QSqlDatabase &db, const CatalogTable &table, const QString &column)
{
    bool failed = false;
    const auto info = firstRow(
        db,
        u"SELECT a.attnotnull AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid "
        "AND i.indisunique AND i.indpred IS NULL AND i.indnkeyatts = 1 "
        "AND i.indkey[0] = a.attnum) "
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ? AND c.relname = ? AND a.attname = ?"_s,
        &failed, {table.schema, table.name, column});
    return info && info->at(0).toBool();
}

} // namespace

bool PositionColumn::validate(QSqlDatabase &db, const CatalogTable &table, const QString &column,
                              const StoreLayout &layout, const QString &storeName, QString *error)
{
    const SqlDialect dialect =
        db.driverName() == u"QSQLITE" ? SqlDialect::Sqlite : SqlDialect::Postgres;
    const CatalogColumn *declared = table.column(column);
    const QString what =
        u"%1: the position column %2 of %3"_s.arg(storeName, column, table.displayName());
    const QString remedy =
        dialect == SqlDialect::Sqlite && !table.isView
            ? u"map position= to a column of unique integers in every row (an INTEGER PRIMARY "
              "KEY, say), or leave position= out to order the events by rowid"_s
            : u"map position= to a column of unique integers in every row (a NOT NULL integer "
              "column with a unique index, say)"_s;
    const bool integerType = declared && isIntegerType(dialect, declared->type);
    if (dialect == SqlDialect::Postgres && !integerType) {
        *error = u"%1 is of type %2, not an integer: events are ordered and paged by their "
                 "position; %3"_s.arg(what, declared ? declared->type : u"unknown"_s, remedy);
        return false;
    }
    if (!table.isView &&
        (dialect == SqlDialect::Sqlite ? provenBySqliteSchema(db, table, column, layout)
                                       : provenByPostgresSchema(db, table, column)))
        return true;

    // Not provable from the schema: read the values, of a table small enough to read at once.
    const QString where = layout.where.isEmpty() ? QString() : u" WHERE "_s + layout.where;
    const QString and_ = layout.where.isEmpty() ? u" WHERE "_s : u" AND "_s;
    bool failed = false;
    const auto cannotCheck = [&] {
        *error =
            u"%1 cannot be read to check that it holds a unique integer in every row"_s.arg(what);
        return false;
    };
    const auto rows = firstRow(
        db,
        u"SELECT COUNT(*) FROM (SELECT 1 FROM %1%2 LIMIT %3) AS r"_s.arg(layout.from, where)
            .arg(CheckedRows + 1),
        &failed);
    if (!rows)
        return cannotCheck();
    if (rows->at(0).toLongLong() > CheckedRows) {
        *error = u"%1 is not known to hold a unique integer in every row (the schema does not "
                 "say so, and there are more than %2 rows to check): events are ordered and "
                 "paged by their position; %3"_s.arg(what)
                     .arg(CheckedRows)
                     .arg(remedy);
        return false;
    }
    const QString position = layout.position;
    if (const auto nulls = firstRow(
            db, u"SELECT COUNT(*) FROM %1%2%3 IS NULL"_s.arg(layout.from, where + and_, position),
            &failed);
        nulls && nulls->at(0).toLongLong() > 0) {
        *error = u"%1 is NULL in %2 rows, which could not be ordered or paged by it; %3"_s.arg(
            what, nulls->at(0).toString(), remedy);
        return false;
    }
    if (dialect == SqlDialect::Sqlite) {
        if (const auto other =
                firstRow(db,
                         u"SELECT typeof(%3), %3 FROM %1%2typeof(%3) <> 'integer' LIMIT 1"_s.arg(
                             layout.from, where + and_, position),
                         &failed)) {
            *error = u"%1 holds %2 values such as '%3', not integers; %4"_s.arg(
                what, other->at(0).toString(), other->at(1).toString().left(40), remedy);
            return false;
        }
    }
    if (const auto repeated =
            firstRow(db,
                     u"SELECT %3, COUNT(*) FROM %1%2 GROUP BY %3 HAVING COUNT(*) > 1 LIMIT 1"_s.arg(
                         layout.from, where, position),
                     &failed)) {
        *error = u"%1 repeats %2 (in %3 rows): events are paged by their position, and rows "
                 "that share one would be lost at a page's end; %4"_s.arg(
                     what, repeated->at(0).toString(), repeated->at(1).toString(), remedy);
        return false;
    }
    return failed ? cannotCheck() : true;
}

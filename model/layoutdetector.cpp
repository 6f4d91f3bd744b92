#include "layoutdetector.h"

#include <QSqlField>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace {

QString quoted(const QString &identifier)
{
    return u'"' + QString(identifier).replace(u'"', u"\"\""_s) + u'"';
}

// The store's spelling of a name, matched case-insensitively; empty when absent.
QString findName(const QStringList &names, const QString &wanted)
{
    for (const QString &name : names) {
        if (name.compare(wanted, Qt::CaseInsensitive) == 0)
            return name;
    }
    return {};
}

QStringList columnNames(const QSqlRecord &record)
{
    QStringList names;
    for (int i = 0; i < record.count(); ++i)
        names << record.fieldName(i);
    return names;
}

QStringList allTables(QSqlDatabase &db)
{
    QStringList tables = db.tables(QSql::Tables) + db.tables(QSql::Views);
    tables.removeIf([](const QString &t) { return t.startsWith(u"sqlite_"_s); });
    tables.sort(Qt::CaseInsensitive);
    return tables;
}

// Replaces every column name of the layout by the store's spelling; false (with error) when
// one is missing.
bool resolveColumns(StoreLayout &layout, const QStringList &columns, const QString &where,
                    QString *error)
{
    QString *roles[] = {&layout.position, &layout.stream, &layout.version, &layout.type,
                        &layout.time,     &layout.data,   &layout.metadata};
    for (QString *column : roles) {
        if (column->isEmpty())
            continue;
        const QString found = findName(columns, *column);
        if (found.isEmpty()) {
            *error = u"%1 has no column '%2' (its columns: %3)"_s.arg(where, *column,
                                                                      columns.join(u", "_s));
            return false;
        }
        *column = found;
    }
    return true;
}

// Reads one stored time to tell epoch seconds, epoch milliseconds, .NET ticks and text apart.
bool detectTimeFormat(QSqlDatabase &db, StoreLayout &layout, const QString &where, QString *error)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    const QString col = quoted(layout.time);
    if (!query.exec(u"SELECT typeof(%1), %1 FROM %2 WHERE %1 IS NOT NULL LIMIT 1"_s.arg(
            col, quoted(layout.table)))) {
        *error = u"%1: cannot read the time column '%2'"_s.arg(where, layout.time);
        return false;
    }
    if (!query.next())
        return true; // no times at all: any format reads them
    const QString kind = query.value(0).toString();
    if (kind == u"integer" || kind == u"real") {
        // 1e11 seconds is the year 5138; 1e11 milliseconds is 1973; 1e16 milliseconds is the
        // year 318857, while 1e16 .NET ticks is the year 32 (today's ticks are about 6.4e17).
        const double magnitude = qAbs(query.value(1).toDouble());
        layout.timeFormat = magnitude >= 1e16   ? TimeFormat::DotNetTicks
                            : magnitude >= 1e11 ? TimeFormat::EpochMillis
                                                : TimeFormat::EpochSeconds;
        return true;
    }
    const QString sample = query.value(1).toString();
    if (TimeCodec::parseIso(sample) == NoTime) {
        *error =
            u"%1: the time column '%2' holds '%3', which is not a time (ISO-8601 text, "
            "epoch seconds, epoch milliseconds or .NET ticks); give time_format= or map another "
            "column"_s.arg(where, layout.time, sample.left(40));
        return false;
    }
    layout.timeFormat = TimeFormat::IsoText;
    return true;
}

std::optional<StoreLayout> fromMapping(QSqlDatabase &db, const QString &storeName,
                                       const QStringList &tables, const QString &mapSpec,
                                       QString *error)
{
    bool timeFormatGiven = false;
    auto layout = StoreLayout::fromSpec(mapSpec, error, &timeFormatGiven);
    if (!layout)
        return std::nullopt;
    const QString table = findName(tables, layout->table);
    if (table.isEmpty()) {
        *error = u"%1: no table or view named '%2' (there are: %3)"_s.arg(
            storeName, layout->table, tables.isEmpty() ? u"none"_s : tables.join(u", "_s));
        return std::nullopt;
    }
    layout->table = table;
    const QString where = storeName + u", table "_s + table;
    if (!resolveColumns(*layout, columnNames(db.record(table)), where, error))
        return std::nullopt;
    if (layout->position.isEmpty() && db.tables(QSql::Views).contains(table)) {
        *error = u"%1 is a view, which has no row order of its own: name its position column "
                 "(position=...)"_s.arg(where);
        return std::nullopt;
    }
    if (!layout->time.isEmpty() && !timeFormatGiven && !detectTimeFormat(db, *layout, where, error))
        return std::nullopt;
    return layout;
}

std::optional<StoreLayout> matchOwn(QSqlDatabase &db, const QStringList &tables)
{
    StoreLayout own = StoreLayout::own();
    const QString table = findName(tables, own.table);
    if (table.isEmpty())
        return std::nullopt;
    own.table = table;
    QString ignored;
    if (!resolveColumns(own, columnNames(db.record(table)), table, &ignored))
        return std::nullopt;
    return own;
}

} // namespace

std::optional<StoreLayout> LayoutDetector::detect(QSqlDatabase &db, const QString &storeName,
                                                  const QString &mapSpec, QString *error)
{
    const QStringList tables = allTables(db);
    if (!mapSpec.trimmed().isEmpty())
        return fromMapping(db, storeName, tables, mapSpec, error);

    if (auto own = matchOwn(db, tables))
        return own;

    if (tables.isEmpty())
        *error = u"%1: the database has no tables, so no events"_s.arg(storeName);
    else
        *error =
            u"%1: no table looks like events (tables: %2); map one with --map "
            "table=NAME,stream=COLUMN,version=COLUMN,type=COLUMN,time=COLUMN,data=COLUMN"_s.arg(
                storeName, tables.join(u", "_s));
    return std::nullopt;
}

QMap<QString, QStringList> LayoutDetector::catalog(QSqlDatabase &db)
{
    QMap<QString, QStringList> result;
    const QStringList tables = allTables(db);
    for (const QString &table : tables)
        result.insert(table, columnNames(db.record(table)));
    return result;
}

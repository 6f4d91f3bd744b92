#include "store/layoutdetector.h"

#include "store/columnmapping.h"
#include "store/knownlayouts.h"
#include "store/mappingguesser.h"
#include "store/neventstorelayout.h"
#include "store/positioncolumn.h"
#include "store/proophlayout.h"
#include "store/sqlitefile.h"

#include "store/sqlitetimefunction.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

std::optional<StoreLayout> fromMapping(QSqlDatabase &db, const StoreCatalog &catalog,
                                       const QString &storeName, const QString &mapSpec,
                                       StoreError *error)
{
    // Every failure here is the mapping's: it names what the store does not have, or a
    // column that cannot be what the mapping says it is.
    const auto bad = [error](const QString &message) {
        *error = {StoreError::Kind::BadMapping, message};
        return std::nullopt;
    };
    bool timeFormatGiven = false;
    QString problem;
    auto mapping = ColumnMapping::fromSpec(mapSpec, &problem, &timeFormatGiven);
    if (!mapping)
        return bad(problem);
    const CatalogTable *table = catalog.find(mapping->table);
    if (!table) {
        const QStringList names = catalog.displayNames();
        return bad(u"%1: no table or view named '%2' (there are: %3)"_s.arg(
            storeName, mapping->table, names.isEmpty() ? u"none"_s : names.join(u", "_s)));
    }
    const QString where = storeName + u", table "_s + table->displayName();
    // Each column as the catalog spells it; a stream may be several columns ("a+b").
    const auto spelled = [&](QString *column) {
        const CatalogColumn *found = table->column(*column);
        if (found)
            *column = found->name;
        return found != nullptr;
    };
    const auto noColumn = [&](const QString &column) {
        return bad(u"%1 has no column '%2' (its columns: %3)"_s.arg(
            where, column, table->columnNames().join(u", "_s)));
    };
    QStringList streamColumns = mapping->streamColumns();
    for (QString &column : streamColumns) {
        if (column.isEmpty())
            return bad(u"mapping: stream=%1 names an empty column (join columns with '+', as in "
                       "stream=aggregate_name+aggregate_id)"_s.arg(mapping->stream));
        if (!spelled(&column))
            return noColumn(column);
    }
    mapping->stream = streamColumns.join(u'+');
    QString *roles[] = {&mapping->position, &mapping->version, &mapping->type,
                        &mapping->time,     &mapping->data,    &mapping->metadata};
    for (QString *column : roles) {
        if (!column->isEmpty() && !spelled(column))
            return noColumn(*column);
    }
    mapping->table = table->displayName();
    if (mapping->position.isEmpty() && (table->isView || catalog.dialect() == SqlDialect::Postgres))
        return bad(u"%1 has no row order of its own: name its position column (position=...)"_s.arg(
            where));
    StoreLayout layout = KnownLayouts::mapped(catalog, *table, *mapping);
    if (!mapping->position.isEmpty() &&
        !PositionColumn::validate(db, *table, mapping->position, layout, storeName, &problem))
        return bad(problem);
    if (!layout.time.isEmpty() && !timeFormatGiven &&
        !LayoutDetector::sampleTimeFormat(db, layout, storeName, error))
        return std::nullopt;
    return layout;
}

// The --map of the table whose sample MappingGuesser reads the most roles in, or the keys to
// fill in when it reads none.
QString suggestedMapping(QSqlDatabase &db, const StoreCatalog &catalog)
{
    QString best = u"table=NAME,position=COLUMN,stream=COLUMN,version=COLUMN,type=COLUMN,"
                   "time=COLUMN,data=COLUMN"_s;
    qsizetype mostRoles = 0;
    for (const CatalogTable &table : catalog.tables()) {
        StoreError error;
        const auto sample = TableSample::read(db, table, &error);
        if (!sample)
            continue;
        const auto guesses = MappingGuesser::guess(*sample);
        // A mapping needs a stream, and a position too where the table has no row order.
        const bool opens = guesses.contains(u"stream"_s) &&
                           (guesses.contains(u"position"_s) ||
                            (catalog.dialect() == SqlDialect::Sqlite && !table.isView));
        if (opens && guesses.size() > mostRoles) {
            mostRoles = guesses.size();
            best = MappingGuesser::spec(table.displayName(), guesses);
        }
    }
    return best;
}

} // namespace

QVector<StoreLayout> LayoutDetector::detect(QSqlDatabase &db, const StoreCatalog &catalog,
                                            const QString &storeName, const QString &mapSpec,
                                            StoreError *error)
{
    if (!mapSpec.trimmed().isEmpty()) {
        if (auto layout = fromMapping(db, catalog, storeName, mapSpec, error))
            return {*layout};
        return {};
    }

    QStringList nearMisses;
    QVector<StoreLayout> found = KnownLayouts::match(catalog, &nearMisses);
    // The libraries whose events are not one row each: they read the store to lay it out.
    found += ProophLayout::match(db, catalog, &nearMisses);
    found += NEventStoreLayout::match(db, catalog, &nearMisses);
    if (!found.isEmpty())
        return found;

    const QStringList tables = catalog.displayNames();
    if (tables.isEmpty()) {
        *error = {StoreError::Kind::NotAStore,
                  u"%1: the database has no tables, so no events"_s.arg(storeName)};
    } else {
        *error = {StoreError::Kind::NoLayout,
                  u"%1: no table looks like events (tables: %2); map one with --map %3"_s.arg(
                      storeName, tables.join(u", "_s), suggestedMapping(db, catalog))};
        if (!nearMisses.isEmpty())
            error->message += u". Nearly: "_s + nearMisses.join(u"; "_s);
    }
    return {};
}

bool LayoutDetector::sampleTimeFormat(QSqlDatabase &db, StoreLayout &layout,
                                      const QString &storeName, StoreError *error)
{
    if (layout.time.isEmpty() || layout.timeStorage != TimeStorage::Value ||
        db.driverName() != u"QSQLITE")
        return true;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    const QString where = layout.where.isEmpty() ? QString() : layout.where + u" AND "_s;
    if (!query.exec(u"SELECT typeof(%1), %1 FROM %2 WHERE %3%1 IS NOT NULL LIMIT 1"_s.arg(
            layout.time, layout.from, where))) {
        *error = {SqliteFile::errorKind(query.lastError()),
                  u"%1: cannot read the times of %2"_s.arg(storeName, layout.table)};
        return false;
    }
    if (!query.next()) {
        if (!query.lastError().isValid())
            return true; // no times at all: any format reads them
        *error = {SqliteFile::errorKind(query.lastError()),
                  u"%1: cannot read the times of %2: %3"_s.arg(
                      storeName, layout.table, SqliteFile::describeFailure(query.lastError()))};
        return false;
    }
    const QString kind = query.value(0).toString();
    if (kind == u"integer" || kind == u"real") {
        // 1e11 seconds is the year 5138; 1e11 milliseconds is 1973; 1e16 milliseconds is the
        // year 318857, while 1e16 .NET ticks is the year 32 (today's ticks are about 6.4e17).
        const double magnitude = qAbs(query.value(1).toDouble());
        layout.timeFormat = magnitude >= 1e16   ? TimeFormat::DotNetTicks
                            : magnitude >= 1e11 ? TimeFormat::EpochMillis
                                                : TimeFormat::EpochSeconds;
        layout.canonicalIsoTime = false;
        return true;
    }
    const QString sample = query.value(1).toString();
    // A library's time column is known to hold times: one bad value reads as no time. A
    // column the user mapped may simply be the wrong one, which is worth saying at once.
    if (TimeCodec::parseIso(sample) == NoTime && !layout.timeColumnTrusted) {
        *error = {StoreError::Kind::BadMapping,
                  u"%1: the time of %2 holds '%3', which is not a time (ISO-8601 text, epoch "
                  "seconds, milliseconds or .NET ticks); give time_format= or map another "
                  "column"_s.arg(storeName, layout.table, sample.left(40))};
        return false;
    }
    layout.timeFormat = TimeFormat::IsoText;
    return true;
}

bool LayoutDetector::streamsByText(QSqlDatabase &db, const StoreCatalog &catalog,
                                   StoreLayout &layout, const QString &storeName, StoreError *error)
{
    if (catalog.dialect() != SqlDialect::Sqlite || layout.stream != layout.streamText)
        return true;
    // A plain column, "ev"."name", of the events table or the name column of the streams'
    // table: SQLite's affinity comes from its declared type. TEXT affinity stores every
    // number as text, so it holds no such values.
    const std::optional<StreamNameTable> &names = layout.streamNames;
    const CatalogTable *table = catalog.find(names ? names->table : layout.table);
    // A view's rows are its query's, which may take as long as it likes to produce them:
    // reading them all at open would make opening as slow. Its streams compare as they are.
    if (table && table->isView)
        return true;
    const QString prefix = u"ev.\""_s;
    QString name;
    if (names)
        name = names->column;
    else if (layout.stream.startsWith(prefix) && layout.stream.endsWith(u'"'))
        name = layout.stream.mid(prefix.size(), layout.stream.size() - prefix.size() - 1)
                   .replace(u"\"\""_s, u"\""_s);
    const CatalogColumn *column = table && !name.isEmpty() ? table->column(name) : nullptr;
    const QString type = column ? column->type : QString();
    if (!type.contains(u"int"_s) &&
        (type.contains(u"char"_s) || type.contains(u"clob"_s) || type.contains(u"text"_s)))
        return true;
    // The names a join can reach are among its table's: that table alone is read, not the
    // join over every event.
    const QString from = names ? names->from : layout.from;
    const QString where = names || layout.where.isEmpty() ? QString() : layout.where + u" AND "_s;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT typeof(%1) FROM %2 WHERE %3%1 IS NOT NULL GROUP BY 1"_s.arg(
            layout.stream, from, where))) {
        *error = {SqliteFile::errorKind(query.lastError()),
                  u"%1: cannot read the streams of %2: %3"_s.arg(storeName, layout.table,
                                                                 query.lastError().text())};
        return false;
    }
    QStringList types;
    while (query.next())
        types << query.value(0).toString();
    if (query.lastError().type() != QSqlError::NoError) {
        *error = {SqliteFile::errorKind(query.lastError()),
                  u"%1: cannot read the streams of %2: %3"_s.arg(storeName, layout.table,
                                                                 query.lastError().text())};
        return false;
    }
    if (types.size() > 1 || types.contains(u"real"_s) || types.contains(u"blob"_s)) {
        layout.stream = u"CAST(%1 AS TEXT)"_s.arg(layout.stream);
        layout.streamText = layout.stream;
    }
    return true;
}

bool LayoutDetector::allTimesCanonical(QSqlDatabase &db, const StoreLayout &layout, bool *ok)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    const QString where = layout.where.isEmpty() ? QString() : layout.where + u" AND "_s;
    *ok = query.exec(
        u"SELECT 1 FROM %1 WHERE %2%3 IS NOT NULL AND (%3 NOT GLOB '[0-9][0-9][0-9][0-9]-"
        "[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z' "
        "OR substr(%3, 1, 4) = '0000' OR substr(%3, 6, 2) NOT BETWEEN '01' AND '12' "
        "OR substr(%3, 9, 2) NOT BETWEEN '01' AND '31' OR substr(%3, 12, 2) > '23' "
        "OR substr(%3, 15, 2) > '59' OR substr(%3, 18, 2) > '60' "
        "OR ((substr(%3, 9, 2) > '28' OR substr(%3, 18, 2) = '60') AND %4 IS NULL)) "
        "LIMIT 1"_s.arg(layout.from, where, layout.time,
                        SqliteTimeFunction::call(layout.time, TimeFormat::IsoText)));
    return *ok && !query.next() && query.lastError().type() == QSqlError::NoError;
}

#pragma once

// The tables and views of a store with their columns and declared types, read once when a
// store opens. Detection matches it against the known layouts; the column-mapping dialog
// offers it to the user. Names compare case-insensitively (PostgreSQL folds unquoted names to
// lower case; libraries differ in how they spell them).

#include "store/storelayout.h"

#include "core/storeerror.h"

#include <QMap>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

struct CatalogColumn
{
    QString name;
    QString type; // lower case: "bigint", "timestamp without time zone", "blob", "" (SQLite)
};

struct CatalogTable
{
    QString schema; // empty on SQLite
    QString name;
    bool isView = false;
    QVector<CatalogColumn> columns;

    QString displayName() const; // schema.name, or name
    QString sql() const;         // the quoted, schema-qualified name
    const CatalogColumn *column(const QString &name) const;
    QStringList columnNames() const;
};

class StoreCatalog
{
public:
    // schema limits a PostgreSQL catalog to one schema; empty = every schema but the system's.
    static std::optional<StoreCatalog> read(QSqlDatabase &db, SqlDialect dialect,
                                            const QString &schema, StoreError *error);

    SqlDialect dialect() const { return m_dialect; }
    const QVector<CatalogTable> &tables() const { return m_tables; }
    // By display name or, when only one schema has it, by bare name.
    const CatalogTable *find(const QString &name) const;
    // Tables whose bare name matches, in every schema.
    QVector<const CatalogTable *> named(const QString &name) const;
    QStringList displayNames() const;

private:
    SqlDialect m_dialect = SqlDialect::Sqlite;
    QVector<CatalogTable> m_tables;
};

QString quotedIdentifier(const QString &identifier);

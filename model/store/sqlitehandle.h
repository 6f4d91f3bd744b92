#pragma once

// The sqlite3 connection under a QSQLITE QSqlDatabase, for what QtSql does not offer (row
// stepping without a QVariant per column, interrupting, an SQL function). Calling the linked
// libsqlite3 on a handle Qt opened is only safe when Qt's driver runs on that same library:
// true for Debian's Qt, false for a Qt build that carries its own SQLite inside its plugin.
// of() checks that once and answers nullptr when it does not hold, so every C API path falls
// back to QtSql.

#include <QSqlDatabase>
#include <QString>

struct sqlite3;

class SqliteHandle
{
public:
    // nullptr unless db is an open QSQLITE connection running on the libsqlite3 this program
    // links.
    static sqlite3 *of(const QSqlDatabase &db);
    // Whether Qt's SQLite driver runs on the libsqlite3 this program links. Decided once per
    // process, from the first QSQLITE connection asked about.
    static bool sameLibraryAsQt(const QSqlDatabase &db);
    // For the user when sameLibraryAsQt() is false, else empty.
    static QString libraryNotice(const QSqlDatabase &db);
};

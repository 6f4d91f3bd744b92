#pragma once

// The writers behind ForeignStores: a thin sqlite3 C API wrapper for fast bulk inserts, and
// for each shape how it names its streams and fills its tables (SQLite over the C API,
// PostgreSQL as statements the server runs).

#include "foreignstores.h"
#include "syntheticevents.h"

#include <QStringList>

#include <functional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ForeignStores {

// One SQLite file opened for writing as fast as the C API allows: no journal, no fsync, a
// large page cache. Errors are kept in errorString().
class SqliteWriter
{
public:
    explicit SqliteWriter(const QString &path);
    ~SqliteWriter();
    SqliteWriter(const SqliteWriter &) = delete;
    SqliteWriter &operator=(const SqliteWriter &) = delete;

    bool ok() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    bool exec(const char *sql);

    // One prepared statement: bind by 1-based index, then step() inserts and resets.
    class Insert
    {
    public:
        Insert(SqliteWriter &writer, const char *sql);
        ~Insert();
        Insert(const Insert &) = delete;
        Insert &operator=(const Insert &) = delete;

        void integer(int index, qint64 value);
        void real(int index, double value);
        void text(int index, std::string_view value); // bound in place: keep it alive to step()
        void blob(int index, std::string_view value);
        void null(int index);
        bool step();

    private:
        SqliteWriter &m_writer;
        sqlite3_stmt *m_stmt = nullptr;
    };

private:
    bool fail();

    sqlite3 *m_db = nullptr;
    QString m_error;
};

// zlib's compress() of the bytes.
std::string zlibCompress(std::string_view bytes);

// How one shape is written: its stream names and the filling of its tables.
struct Recipe
{
    Shape shape;
    std::function<std::string(const Options &, int stream)> streamName;
    std::function<bool(SqliteWriter &, const Options &)> sqlite; // SQLite shapes
    std::function<QStringList(const Options &)> postgres;        // PostgreSQL shapes: statements
    QStringList schemas; // PostgreSQL: the schemas a reader reads
};

QVector<Recipe> sqliteRecipes();
QVector<Recipe> postgresRecipes();

} // namespace ForeignStores

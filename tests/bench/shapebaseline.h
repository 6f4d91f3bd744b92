#pragma once

// The baselines of one foreign store, written against the database's own C API without
// Eventscope: the big stream's payloads folded with simdjson (decoding what the shape needs:
// BLOBs, zlib, eventsourcing's typed values), and a raw two-thread scan of the columns an
// index of the events reads. SQLite over the sqlite3 C API; PostgreSQL over libpq in
// single-row mode. Read-only, from the shape's own SQL (ForeignStores::Shape).

#include "foreignstores.h"
#include "sqlitebaseline.h"

#include <memory>
#include <optional>

class ShapeBaseline
{
public:
    using Fold = SqliteBaseline::Fold;

    // location: the SQLite file or the postgresql:// URL the store was written to.
    static std::unique_ptr<ShapeBaseline> open(const ForeignStores::Shape &shape,
                                               const QString &location, QString *error);
    virtual ~ShapeBaseline() = default;

    QString errorString() const { return m_error; }
    // The stream's events in version order, their payloads deep-merged.
    virtual std::optional<Fold> foldStream(const QString &stream) = 0;
    // Every event's scan columns, each on its own connection and thread over its share of
    // the positions, read and dropped; the rows read.
    virtual std::optional<qint64> rawScan(int threads) = 0;

protected:
    explicit ShapeBaseline(const ForeignStores::Shape &shape, const QString &location)
        : m_shape(shape), m_location(location)
    {
    }
    std::nullopt_t failed(const QString &message)
    {
        m_error = message;
        return std::nullopt;
    }
    // Decodes one stored payload as the shape stores it and merges it into the fold.
    bool merge(Fold &fold, std::string_view stored);

    ForeignStores::Shape m_shape;
    QString m_location;
    QString m_error;

private:
    simdjson::dom::parser m_parser;
    std::string m_buffer;   // simdjson reads past the end of its input: payloads are copied
    std::string m_inflated; // zlib payloads, inflated
};

// The two implementations, one per dialect.
std::unique_ptr<ShapeBaseline> openSqliteShapeBaseline(const ForeignStores::Shape &shape,
                                                       const QString &path, QString *error);
std::unique_ptr<ShapeBaseline> openPostgresShapeBaseline(const ForeignStores::Shape &shape,
                                                         const QString &url, QString *error);

#pragma once

// The baselines of the issue, written directly against the sqlite3 C API (and simdjson for
// the fold) on a demo store in Eventscope's own layout: what the engine's QtSql and
// QJsonDocument paths are measured against. Read-only.

#include "jsonstate.h"

#include <QString>
#include <QVector>

#include <memory>
#include <optional>
#include <vector>

struct sqlite3;

class SqliteBaseline
{
public:
    struct Fold
    {
        JsonState state;
        // The per-event index ReplayEngine keeps too, so that both do the same work.
        QVector<qint64> versions;
        QVector<qint64> positions;
    };

    static std::unique_ptr<SqliteBaseline> open(const QString &path, QString *error);
    ~SqliteBaseline();
    SqliteBaseline(const SqliteBaseline &) = delete;
    SqliteBaseline &operator=(const SqliteBaseline &) = delete;

    QString errorString() const { return m_error; }

    // The whole stream in version order, its payloads deep-merged.
    std::optional<Fold> foldStream(const QString &stream);
    // A page of events (all columns read) after a position, of all streams when stream is
    // empty; the bytes read. Keyset, or OFFSET rows into the same order for contrast.
    std::optional<qint64> keysetPage(const QString &stream, qint64 afterPosition, int limit);
    std::optional<qint64> offsetPage(const QString &stream, qint64 offset, int limit);
    // What a first paint needs cheaply: the event count as the last position, and the time
    // range through the time index.
    bool firstFigures();
    // The first `limit` stream names by skip-seeks over the (stream, version) index, each
    // with its event count and version range; the number of streams found.
    std::optional<int> skipSeekStreams(int limit);
    // Every event's time in seconds since the epoch, in position order: a columnar index.
    std::optional<std::vector<qint64>> timeColumn();
    // The columns an in-memory index keeps (stream, version, type, time) of every event,
    // stepped and read but kept nowhere, by `threads` connections on as many threads, each
    // over its share of the positions: the raw scan an index build is measured against.
    // The rows read.
    static std::optional<qint64> rawScan(const QString &path, int threads, QString *error);
    // Every column of every event (payload and metadata included), stepped and read in position
    // order on one connection: one read of the whole store, what a question about every event
    // (search, check, schema) is measured against. The rows read.
    static std::optional<qint64> wholeScan(const QString &path, QString *error);

private:
    explicit SqliteBaseline(sqlite3 *db) : m_db(db) {}

    std::optional<qint64> readPage(const char *sql, const QString &stream, qint64 bound, int limit);
    std::nullopt_t fail(); // records SQLite's message

    sqlite3 *m_db = nullptr;
    QString m_error;
};

#include "sqlitebaseline.h"

#include <sqlite3.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// One prepared statement, finalized on scope exit. Parameters are numbered from 1.
class Statement
{
public:
    Statement(sqlite3 *db, const char *sql)
    {
        m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr);
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool prepared() const { return m_rc == SQLITE_OK; }
    void reset() { sqlite3_reset(m_stmt); }
    void bind(int index, qint64 value) { sqlite3_bind_int64(m_stmt, index, value); }
    void bind(int index, const QByteArray &text)
    {
        sqlite3_bind_text(m_stmt, index, text.constData(), int(text.size()), SQLITE_TRANSIENT);
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(m_stmt); }
    qint64 integer(int column) const { return sqlite3_column_int64(m_stmt, column); }
    std::string_view text(int column) const
    {
        const auto *bytes = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
        return {bytes ? bytes : "", std::size_t(sqlite3_column_bytes(m_stmt, column))};
    }

private:
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_ERROR;
};

// Own layout, the demo's table. Numbered parameters: ?1 the bound, ?2 the limit, ?3 the stream.
constexpr const char *KeysetAll =
    "SELECT global_position, stream_id, stream_version, type, recorded_at, data, metadata "
    "FROM events WHERE global_position > ?1 ORDER BY global_position LIMIT ?2";
constexpr const char *KeysetStream =
    "SELECT global_position, stream_id, stream_version, type, recorded_at, data, metadata "
    "FROM events WHERE global_position > ?1 AND stream_id = ?3 ORDER BY global_position "
    "LIMIT ?2";
constexpr const char *OffsetAll =
    "SELECT global_position, stream_id, stream_version, type, recorded_at, data, metadata "
    "FROM events ORDER BY global_position LIMIT ?2 OFFSET ?1";
constexpr const char *OffsetStream =
    "SELECT global_position, stream_id, stream_version, type, recorded_at, data, metadata "
    "FROM events WHERE stream_id = ?3 ORDER BY global_position LIMIT ?2 OFFSET ?1";
constexpr int PageColumns = 7;

} // namespace

std::unique_ptr<SqliteBaseline> SqliteBaseline::open(const QString &path, QString *error)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) !=
        SQLITE_OK) {
        *error = u"sqlite3: %1: %2"_s.arg(path, QString::fromUtf8(sqlite3_errmsg(db)));
        sqlite3_close(db);
        return nullptr;
    }
    return std::unique_ptr<SqliteBaseline>(new SqliteBaseline(db));
}

SqliteBaseline::~SqliteBaseline()
{
    sqlite3_close(m_db);
}

std::optional<SqliteBaseline::Fold> SqliteBaseline::foldStream(const QString &stream)
{
    Statement query(m_db, "SELECT global_position, stream_version, data FROM events "
                          "WHERE stream_id = ?1 ORDER BY stream_version");
    if (!query.prepared())
        return fail();
    query.bind(1, stream.toUtf8());
    Fold fold;
    simdjson::dom::parser parser;
    std::string buffer; // simdjson reads past the end of its input: the payload is copied
    int rc = SQLITE_ROW;
    while ((rc = query.step()) == SQLITE_ROW) {
        fold.positions << query.integer(0);
        fold.versions << query.integer(1);
        const std::string_view data = query.text(2);
        buffer.resize(data.size() + simdjson::SIMDJSON_PADDING);
        buffer.replace(0, data.size(), data);
        if (auto error = fold.state.merge(parser, buffer.data(), data.size())) {
            m_error = u"simdjson: %1"_s.arg(QString::fromUtf8(simdjson::error_message(error)));
            return std::nullopt;
        }
    }
    if (rc != SQLITE_DONE)
        return fail();
    return fold;
}

std::optional<qint64> SqliteBaseline::keysetPage(const QString &stream, qint64 afterPosition,
                                                 int limit)
{
    return readPage(stream.isEmpty() ? KeysetAll : KeysetStream, stream, afterPosition, limit);
}

std::optional<qint64> SqliteBaseline::offsetPage(const QString &stream, qint64 offset, int limit)
{
    return readPage(stream.isEmpty() ? OffsetAll : OffsetStream, stream, offset, limit);
}

std::optional<qint64> SqliteBaseline::readPage(const char *sql, const QString &stream, qint64 bound,
                                               int limit)
{
    Statement query(m_db, sql);
    if (!query.prepared())
        return fail();
    query.bind(1, bound);
    query.bind(2, limit);
    if (!stream.isEmpty())
        query.bind(3, stream.toUtf8());
    qint64 bytes = 0; // every column is read, as EventStore reads them
    int rc = SQLITE_ROW;
    while ((rc = query.step()) == SQLITE_ROW) {
        for (int column = 0; column < PageColumns; ++column)
            bytes += qint64(query.text(column).size());
    }
    if (rc != SQLITE_DONE)
        return fail();
    return bytes;
}

bool SqliteBaseline::firstFigures()
{
    // One aggregate per statement: SQLite answers a lone MIN or MAX from the index's end.
    for (const char *sql :
         {"SELECT MAX(global_position) FROM events", "SELECT MIN(recorded_at) FROM events",
          "SELECT MAX(recorded_at) FROM events"}) {
        Statement query(m_db, sql);
        if (!query.prepared() || query.step() != SQLITE_ROW) {
            fail();
            return false;
        }
    }
    return true;
}

std::optional<int> SqliteBaseline::skipSeekStreams(int limit)
{
    Statement next(m_db, "SELECT stream_id FROM events WHERE stream_id > ?1 "
                         "ORDER BY stream_id LIMIT 1");
    Statement count(m_db, "SELECT COUNT(*), MIN(stream_version), MAX(stream_version) "
                          "FROM events WHERE stream_id = ?1");
    if (!next.prepared() || !count.prepared())
        return fail();
    QByteArray stream; // the empty string sorts before every name
    int found = 0;
    for (; found < limit; ++found) {
        next.reset();
        next.bind(1, stream);
        if (next.step() != SQLITE_ROW)
            break;
        stream = QByteArray::fromStdString(std::string(next.text(0)));
        count.reset();
        count.bind(1, stream);
        if (count.step() != SQLITE_ROW)
            return fail();
    }
    return found;
}

std::optional<std::vector<qint64>> SqliteBaseline::timeColumn()
{
    Statement query(m_db, "SELECT unixepoch(recorded_at) FROM events ORDER BY global_position");
    if (!query.prepared())
        return fail();
    std::vector<qint64> times;
    int rc = SQLITE_ROW;
    while ((rc = query.step()) == SQLITE_ROW)
        times.push_back(query.integer(0));
    if (rc != SQLITE_DONE)
        return fail();
    return times;
}

std::optional<qint64> SqliteBaseline::rawScan(const QString &path, int threads, QString *error)
{
    auto range = open(path, error);
    if (!range)
        return std::nullopt;
    Statement bounds(range->m_db, "SELECT MIN(global_position), MAX(global_position) FROM events");
    if (!bounds.prepared() || bounds.step() != SQLITE_ROW) {
        range->fail();
        *error = range->errorString();
        return std::nullopt;
    }
    const qint64 first = bounds.integer(0);
    const qint64 last = bounds.integer(1);
    const qint64 share = (last - first + threads) / threads;
    std::atomic<qint64> rows{0};
    std::atomic_bool failed{false};
    std::vector<std::thread> scans;
    for (int t = 0; t < threads; ++t) {
        scans.emplace_back([&, t] {
            QString openError;
            const auto own = open(path, &openError);
            Statement scan(own ? own->m_db : nullptr,
                           "SELECT stream_id, stream_version, type, recorded_at FROM events "
                           "WHERE global_position >= ?1 AND global_position < ?2");
            if (!own || !scan.prepared()) {
                failed = true;
                return;
            }
            scan.bind(1, first + t * share);
            scan.bind(2, first + (t + 1) * share);
            qint64 n = 0;
            std::size_t bytes = 0; // read, so that no column is skipped
            int rc = SQLITE_ROW;
            while ((rc = scan.step()) == SQLITE_ROW) {
                bytes += scan.text(0).size() + scan.text(2).size() + scan.text(3).size() +
                         std::size_t(scan.integer(1) & 1);
                ++n;
            }
            if (rc != SQLITE_DONE || (n > 0 && bytes == 0))
                failed = true;
            rows += n;
        });
    }
    for (std::thread &scan : scans)
        scan.join();
    if (failed) {
        *error = u"sqlite3: the raw scan failed"_s;
        return std::nullopt;
    }
    return rows.load();
}

std::optional<qint64> SqliteBaseline::wholeScan(const QString &path, QString *error)
{
    auto baseline = open(path, error);
    if (!baseline)
        return std::nullopt;
    Statement scan(baseline->m_db, "SELECT global_position, stream_id, stream_version, type, "
                                   "recorded_at, data, metadata FROM events "
                                   "ORDER BY global_position");
    qint64 rows = 0;
    std::size_t bytes = 0; // read, so that no column is skipped
    int rc = scan.prepared() ? SQLITE_ROW : SQLITE_ERROR;
    while (scan.prepared() && (rc = scan.step()) == SQLITE_ROW) {
        bytes += std::size_t(scan.integer(0) & 1) + scan.text(1).size() +
                 std::size_t(scan.integer(2) & 1) + scan.text(3).size() + scan.text(4).size() +
                 scan.text(5).size() + scan.text(6).size();
        ++rows;
    }
    if (rc != SQLITE_DONE || (rows > 0 && bytes == 0)) {
        baseline->fail();
        *error = baseline->errorString();
        return std::nullopt;
    }
    return rows;
}

std::nullopt_t SqliteBaseline::fail()
{
    m_error = u"sqlite3: %1"_s.arg(QString::fromUtf8(sqlite3_errmsg(m_db)));
    return std::nullopt;
}

// ShapeBaseline over the sqlite3 C API.

#include "shapebaseline.h"

#include <sqlite3.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

sqlite3 *openReadOnly(const QString &path, QString *error)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK)
        return db;
    *error = u"sqlite3: %1: %2"_s.arg(path, QString::fromUtf8(sqlite3_errmsg(db)));
    sqlite3_close(db);
    return nullptr;
}

std::string_view columnBytes(sqlite3_stmt *stmt, int column)
{
    const void *bytes = sqlite3_column_blob(stmt, column);
    return {bytes ? static_cast<const char *>(bytes) : "",
            std::size_t(sqlite3_column_bytes(stmt, column))};
}

class SqliteShapeBaseline : public ShapeBaseline
{
public:
    SqliteShapeBaseline(const ForeignStores::Shape &shape, const QString &path, sqlite3 *db)
        : ShapeBaseline(shape, path), m_db(db)
    {
    }
    ~SqliteShapeBaseline() override { sqlite3_close(m_db); }

    std::optional<Fold> foldStream(const QString &stream) override
    {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, m_shape.foldSql.toUtf8().constData(), -1, &stmt, nullptr) !=
            SQLITE_OK)
            return sqliteFailed();
        const QByteArray name = stream.toUtf8();
        sqlite3_bind_text(stmt, 1, name.constData(), int(name.size()), SQLITE_STATIC);
        Fold fold;
        int rc = SQLITE_ROW;
        bool ok = true;
        while (ok && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            fold.positions << sqlite3_column_int64(stmt, 0);
            fold.versions << sqlite3_column_int64(stmt, 1);
            ok = merge(fold, columnBytes(stmt, 2));
        }
        sqlite3_finalize(stmt);
        if (!ok)
            return std::nullopt;
        if (rc != SQLITE_DONE)
            return sqliteFailed();
        return fold;
    }

    std::optional<qint64> rawScan(int threads) override
    {
        sqlite3_stmt *bounds = nullptr;
        if (sqlite3_prepare_v2(m_db, m_shape.boundsSql.toUtf8().constData(), -1, &bounds,
                               nullptr) != SQLITE_OK ||
            sqlite3_step(bounds) != SQLITE_ROW) {
            sqlite3_finalize(bounds);
            return sqliteFailed();
        }
        const qint64 first = sqlite3_column_int64(bounds, 0);
        const qint64 last = sqlite3_column_int64(bounds, 1);
        sqlite3_finalize(bounds);
        const qint64 share = (last - first + threads) / threads;
        const QByteArray sql = m_shape.scanSql.toUtf8();
        std::atomic<qint64> rows{0};
        std::atomic_bool failed{false};
        std::vector<std::thread> scans;
        for (int t = 0; t < threads; ++t) {
            scans.emplace_back([&, t] {
                QString error;
                sqlite3 *db = openReadOnly(m_location, &error);
                sqlite3_stmt *scan = nullptr;
                if (!db ||
                    sqlite3_prepare_v2(db, sql.constData(), -1, &scan, nullptr) != SQLITE_OK) {
                    failed = true;
                    sqlite3_close(db);
                    return;
                }
                sqlite3_bind_int64(scan, 1, first + t * share);
                sqlite3_bind_int64(scan, 2, first + (t + 1) * share);
                const int columns = sqlite3_column_count(scan);
                qint64 n = 0;
                std::size_t bytes = 0; // every column read, so that none is skipped
                int rc = SQLITE_ROW;
                while ((rc = sqlite3_step(scan)) == SQLITE_ROW) {
                    for (int c = 0; c < columns; ++c)
                        bytes += columnBytes(scan, c).size();
                    ++n;
                }
                if (rc != SQLITE_DONE || (n > 0 && bytes == 0))
                    failed = true;
                rows += n;
                sqlite3_finalize(scan);
                sqlite3_close(db);
            });
        }
        for (std::thread &scan : scans)
            scan.join();
        if (failed)
            return this->failed(u"sqlite3: the raw scan of %1 failed"_s.arg(m_location));
        return rows.load();
    }

private:
    std::nullopt_t sqliteFailed()
    {
        return failed(u"sqlite3: %1"_s.arg(QString::fromUtf8(sqlite3_errmsg(m_db))));
    }

    sqlite3 *m_db = nullptr;
};

} // namespace

std::unique_ptr<ShapeBaseline> openSqliteShapeBaseline(const ForeignStores::Shape &shape,
                                                       const QString &path, QString *error)
{
    sqlite3 *db = openReadOnly(path, error);
    if (!db)
        return nullptr;
    return std::make_unique<SqliteShapeBaseline>(shape, path, db);
}

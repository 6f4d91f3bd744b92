// ShapeBaseline over libpq: text results in single-row mode, so that rows are handled as
// they arrive rather than after the whole result is in memory.

#include "shapebaseline.h"

#include <libpq-fe.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

struct Connection
{
    PGconn *conn = nullptr;
    explicit Connection(const QString &url) : conn(PQconnectdb(url.toUtf8().constData())) {}
    ~Connection() { PQfinish(conn); }
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    bool ok() const { return PQstatus(conn) == CONNECTION_OK; }
    QString error() const { return u"libpq: %1"_s.arg(QString::fromUtf8(PQerrorMessage(conn))); }
};

// Sends the query with its text parameters in single-row mode and calls row(result) for every
// row; false on an error (then conn's error message says why).
template<typename Row>
bool eachRow(PGconn *conn, const QByteArray &sql, const std::vector<QByteArray> &parameters,
             Row row)
{
    std::vector<const char *> values;
    for (const QByteArray &p : parameters)
        values.push_back(p.constData());
    if (!PQsendQueryParams(conn, sql.constData(), int(values.size()), nullptr, values.data(),
                           nullptr, nullptr, 0) ||
        !PQsetSingleRowMode(conn))
        return false;
    bool ok = true;
    while (PGresult *result = PQgetResult(conn)) {
        const ExecStatusType status = PQresultStatus(result);
        if (status == PGRES_SINGLE_TUPLE)
            ok = ok && row(result);
        else if (status != PGRES_TUPLES_OK)
            ok = false;
        PQclear(result);
    }
    return ok;
}

class PostgresShapeBaseline : public ShapeBaseline
{
public:
    PostgresShapeBaseline(const ForeignStores::Shape &shape, const QString &url)
        : ShapeBaseline(shape, url), m_connection(url)
    {
    }
    bool connected() const { return m_connection.ok(); }
    QString connectionError() const { return m_connection.error(); }

    std::optional<Fold> foldStream(const QString &stream) override
    {
        Fold fold;
        bool mergeFailed = false;
        const bool ok = eachRow(
            m_connection.conn, m_shape.foldSql.toUtf8(), {stream.toUtf8()}, [&](PGresult *row) {
                fold.positions << qint64(std::atoll(PQgetvalue(row, 0, 0)));
                fold.versions << qint64(std::atoll(PQgetvalue(row, 0, 1)));
                mergeFailed =
                    !merge(fold, {PQgetvalue(row, 0, 2), std::size_t(PQgetlength(row, 0, 2))});
                return !mergeFailed;
            });
        if (mergeFailed)
            return std::nullopt;
        if (!ok)
            return failed(m_connection.error());
        return fold;
    }

    std::optional<qint64> rawScan(int threads) override
    {
        qint64 first = 0;
        qint64 last = -1;
        if (!eachRow(m_connection.conn, m_shape.boundsSql.toUtf8(), {}, [&](PGresult *row) {
                first = std::atoll(PQgetvalue(row, 0, 0));
                last = std::atoll(PQgetvalue(row, 0, 1));
                return true;
            }))
            return failed(m_connection.error());
        const qint64 share = (last - first + threads) / threads;
        const QByteArray sql = m_shape.scanSql.toUtf8();
        std::atomic<qint64> rows{0};
        std::atomic_bool scanFailed{false};
        std::vector<std::thread> scans;
        for (int t = 0; t < threads; ++t) {
            scans.emplace_back([&, t] {
                Connection own(m_location);
                std::size_t bytes = 0; // every column read, so that none is skipped
                qint64 n = 0;
                const bool ok =
                    own.ok() &&
                    eachRow(own.conn, sql,
                            {QByteArray::number(first + t * share),
                             QByteArray::number(first + (t + 1) * share)},
                            [&](PGresult *row) {
                                for (int c = 0, columns = PQnfields(row); c < columns; ++c)
                                    bytes += std::size_t(PQgetlength(row, 0, c));
                                ++n;
                                return true;
                            });
                if (!ok || (n > 0 && bytes == 0))
                    scanFailed = true;
                rows += n;
            });
        }
        for (std::thread &scan : scans)
            scan.join();
        if (scanFailed)
            return failed(u"libpq: the raw scan failed"_s);
        return rows.load();
    }

private:
    Connection m_connection;
};

} // namespace

std::unique_ptr<ShapeBaseline> openPostgresShapeBaseline(const ForeignStores::Shape &shape,
                                                         const QString &url, QString *error)
{
    auto baseline = std::make_unique<PostgresShapeBaseline>(shape, url);
    if (!baseline->connected()) {
        *error = baseline->connectionError();
        return nullptr;
    }
    return baseline;
}

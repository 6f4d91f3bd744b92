#include "pgbaseline.h"

#include <libpq-fe.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>

using namespace Qt::StringLiterals;

namespace {

struct ConnectionCloser
{
    void operator()(PGconn *connection) const { PQfinish(connection); }
};

int digits(const char *text, int n)
{
    int value = 0;
    for (int i = 0; i < n; ++i)
        value = value * 10 + (text[i] - '0');
    return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

// "YYYY-MM-DD HH:MM:SS[.ffffff]", a timestamp without time zone as PostgreSQL writes it.
qint64 timestampMs(const char *text, int length)
{
    const qint64 days = daysFromCivil(digits(text, 4), unsigned(digits(text + 5, 2)),
                                      unsigned(digits(text + 8, 2)));
    qint64 ms = days * 86400000 +
                ((digits(text + 11, 2) * 60 + digits(text + 14, 2)) * 60 + digits(text + 17, 2)) *
                    1000LL;
    if (length > 20 && text[19] == '.') {
        int millis = 0;
        for (int i = 20; i < 23; ++i)
            millis = millis * 10 + (i < length ? text[i] - '0' : 0);
        ms += millis;
    }
    return ms;
}

} // namespace

std::optional<PgBaseline::Fold>
PgBaseline::foldMessageDbStream(const QString &url, const QString &stream, QString *error)
{
    std::unique_ptr<PGconn, ConnectionCloser> connection(PQconnectdb(url.toUtf8().constData()));
    if (PQstatus(connection.get()) != CONNECTION_OK) {
        *error = u"libpq: "_s + QString::fromUtf8(PQerrorMessage(connection.get()));
        return std::nullopt;
    }
    const QByteArray name = stream.toUtf8();
    const char *parameters[] = {name.constData()};
    if (!PQsendQueryParams(connection.get(),
                           "SELECT global_position, position, type, time, data FROM "
                           "message_store.messages WHERE stream_name = $1 ORDER BY position",
                           1, nullptr, parameters, nullptr, nullptr, 0) ||
        !PQsetSingleRowMode(connection.get())) {
        *error = u"libpq: "_s + QString::fromUtf8(PQerrorMessage(connection.get()));
        return std::nullopt;
    }
    Fold fold;
    simdjson::dom::parser parser;
    std::string buffer; // simdjson reads past the end of its input: the payload is copied
    std::set<std::string, std::less<>> types;
    bool failed = false;
    while (PGresult *result = PQgetResult(connection.get())) {
        if (PQresultStatus(result) == PGRES_SINGLE_TUPLE) {
            fold.positions << std::strtoll(PQgetvalue(result, 0, 0), nullptr, 10);
            fold.versions << std::strtoll(PQgetvalue(result, 0, 1), nullptr, 10);
            const std::string_view type(PQgetvalue(result, 0, 2),
                                        std::size_t(PQgetlength(result, 0, 2)));
            if (types.find(type) == types.end())
                types.emplace(type);
            fold.times << timestampMs(PQgetvalue(result, 0, 3), PQgetlength(result, 0, 3));
            const std::string_view data(PQgetvalue(result, 0, 4),
                                        std::size_t(PQgetlength(result, 0, 4)));
            buffer.resize(data.size() + simdjson::SIMDJSON_PADDING);
            buffer.replace(0, data.size(), data);
            if (auto code = fold.state.merge(parser, buffer.data(), data.size()); code && !failed) {
                *error = u"simdjson: "_s + QString::fromUtf8(simdjson::error_message(code));
                failed = true;
            }
        } else if (PQresultStatus(result) != PGRES_TUPLES_OK && !failed) {
            *error = u"libpq: "_s + QString::fromUtf8(PQresultErrorMessage(result));
            failed = true;
        }
        PQclear(result);
    }
    if (failed)
        return std::nullopt;
    fold.types = qint64(types.size());
    return fold;
}

#include "store/sqlitetimefunction.h"

#include "store/sqlitehandle.h"

#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace {

constexpr char FunctionName[] = "eventscope_time_ms";

// The QVariant QSQLITE hands over for the value, so that decode() sees what EventStore's rows
// see.
QVariant asQtWould(sqlite3_value *value)
{
    switch (sqlite3_value_type(value)) {
    case SQLITE_INTEGER:
        return QVariant(qint64(sqlite3_value_int64(value)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_value_double(value));
    case SQLITE_TEXT:
        return QVariant(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_value_text(value)),
                                          sqlite3_value_bytes(value)));
    case SQLITE_BLOB:
        return QVariant(QByteArray(static_cast<const char *>(sqlite3_value_blob(value)),
                                   sqlite3_value_bytes(value)));
    default:
        return {};
    }
}

void timeMs(sqlite3_context *context, int, sqlite3_value **arguments)
{
    // The format as its enum's number: this runs once per row of a scan, where parsing a name
    // into a QString each time would cost more than the decoding.
    const int code = sqlite3_value_int(arguments[1]);
    if (sqlite3_value_type(arguments[1]) != SQLITE_INTEGER ||
        code < int(TimeFormat::IsoText) || code > int(TimeFormat::DotNetTicks)) {
        sqlite3_result_error(context, "eventscope_time_ms: unknown time format", -1);
        return;
    }
    const auto format = TimeFormat(code);
    const qint64 ms = sqlite3_value_type(arguments[0]) == SQLITE_INTEGER
                          ? TimeCodec::fromInteger(sqlite3_value_int64(arguments[0]), format)
                          : TimeCodec::decode(asQtWould(arguments[0]), format);
    if (ms == NoTime)
        sqlite3_result_null(context);
    else
        sqlite3_result_int64(context, ms);
}

} // namespace

bool SqliteTimeFunction::install(const QSqlDatabase &db)
{
    sqlite3 *connection = SqliteHandle::of(db);
    return connection && sqlite3_create_function_v2(connection, FunctionName, 2,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                      nullptr, timeMs, nullptr, nullptr, nullptr) == SQLITE_OK;
}

QString SqliteTimeFunction::call(const QString &expression, TimeFormat format)
{
    return u"%1(%2, %3)"_s.arg(QLatin1String(FunctionName), expression,
                               QString::number(int(format)));
}

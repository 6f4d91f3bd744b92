#pragma once

// The SQL function eventscope_time_ms(value, format) on an SQLite connection: TimeCodec's
// decode() of one stored value, as milliseconds since the epoch, or NULL where it is no
// time. Through it SQLite orders, bounds and buckets times by exactly the definition the rows
// are shown with, where its own date functions would read 2026-02-30 as 2026-03-02, a time
// with an offset as text, and 1e300 seconds as a number. Deterministic and innocuous: it
// reads nothing but its arguments.

#include "decoding/timecodec.h"

#include <QSqlDatabase>
#include <QString>

class SqliteTimeFunction
{
public:
    // False when the connection is not SQLite or SQLite refuses the function.
    static bool install(const QSqlDatabase &db);
    // The call for an SQL expression of a time stored in the given format.
    static QString call(const QString &expression, TimeFormat format);
};

#pragma once

// Opens a PostgreSQL database read-only through Qt's QPSQL driver. Every session is set to
// read-only transactions and UTC; the password comes from the location or, when it has none,
// from libpq's own PGPASSWORD and ~/.pgpass, and is never logged. Failures are described in
// words a user can act on (server down, wrong password, no such database, no permission).

#include "storelocation.h"

#include <QSqlDatabase>
#include <QString>

class PostgresConnection
{
public:
    static QSqlDatabase openReadOnly(const StoreLocation &location, const QString &connectionName,
                                     QString *error);
    // A driver message turned into what happened and what to do, naming the store.
    static QString describe(const StoreLocation &location, const QString &driverText);
    // True when the message says the connection itself is gone (a retry may help).
    static bool isConnectionLost(const QString &driverText);
};

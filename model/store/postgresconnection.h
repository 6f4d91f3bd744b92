#pragma once

// Opens a PostgreSQL database read-only through Qt's QPSQL driver. Every session is set to
// read-only transactions and UTC, and to time limits so that no statement waits without end
// (a table another session locks, a statement that runs for ever); the password comes from
// the location or, when it has none, from libpq's own PGPASSWORD and ~/.pgpass, and no
// message ever holds it. Failures are classified by the SQLSTATE the server sent (for a
// failed connection, which QPSQL reports without it, by asking libpq again) and described in
// words a user can act on (server down, wrong password, no such database, no permission, a
// lock or a time limit); never by the words of the server's message, which depend on its
// language.

#include "core/storeerror.h"
#include "store/storelocation.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

class QSqlError;

class PostgresConnection
{
public:
    // The session's lock_timeout and statement_timeout, in PostgreSQL's units ("5s", "10min";
    // "0" waits without limit). The defaults below, or EVENTSCOPE_PG_LOCK_TIMEOUT and
    // EVENTSCOPE_PG_STATEMENT_TIMEOUT from the environment.
    struct Limits
    {
        QString lockTimeout;
        QString statementTimeout;
    };
    static constexpr QLatin1String DefaultLockTimeout{"10s"};
    static constexpr QLatin1String DefaultStatementTimeout{"10min"};
    static Limits limits();

    static QSqlDatabase openReadOnly(const StoreLocation &location, const QString &connectionName,
                                     StoreError *error);
    // A failed statement on db turned into what happened and what to do, naming the store;
    // without the password in any spelling. interrupted: the statement was cancelled on
    // purpose (a cancel and a statement timeout share one SQLSTATE); then it is Cancelled.
    static StoreError describe(const StoreLocation &location, const QSqlDatabase &db,
                               const QSqlError &error, bool interrupted = false);
    // A libpq failure already classified (no SQLSTATE: the client's own), naming the store.
    static StoreError describe(const StoreLocation &location, const StoreError &error);
    // A connection that QPSQL could not open, with the message it gave.
    // When the connection is gone: *error becomes "the connection to the server was lost",
    // with the failure's own words after it. A failure met otherwise is left as it is.
    static void explainLoss(const StoreLocation &location, const QSqlDatabase &db,
                            StoreError *error);
    static StoreError connectFailure(const StoreLocation &location, const QString &driverText);
    // A catalog shows only what its user may read, so a store whose events table lacks a
    // grant looks like one without it: this adds the tables of the location's schema (all
    // but the system's when it names none) that the user may not read to detection's
    // error, which becomes a Permission one, or says only that when the catalog is empty
    // (noTables).
    static StoreError explainMissingTables(QSqlDatabase &db, const StoreLocation &location,
                                           bool noTables, const StoreError &error);
};

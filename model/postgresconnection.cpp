#include "postgresconnection.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

QSqlDatabase PostgresConnection::openReadOnly(const StoreLocation &location,
                                              const QString &connectionName, QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s)) {
        *error = u"%1: Qt's PostgreSQL driver (QPSQL) is not installed; install the Debian "
                 "package libqt6sql6-psql"_s.arg(location.displayName());
        return {};
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
    db.setHostName(location.host());
    db.setPort(location.port());
    db.setDatabaseName(location.database());
    db.setUserName(location.user());
    if (!location.password().isEmpty())
        db.setPassword(location.password());
    // default_transaction_read_only holds from the first statement on; the SET below makes
    // it the session's characteristic, which a later SET inside a function cannot undo.
    db.setConnectOptions(u"connect_timeout=10;application_name=eventscope;"
                         "options='-c default_transaction_read_only=on -c TimeZone=UTC'"_s);
    if (!db.open()) {
        *error = describe(location, db.lastError().text());
        db = QSqlDatabase();
        return {};
    }
    QSqlQuery query(db);
    if (!query.exec(u"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"_s) ||
        !query.exec(u"SET TIME ZONE 'UTC'"_s)) {
        *error = describe(location, query.lastError().text());
        db.close();
        return {};
    }
    // Eventscope's statements are aggregations a user waits for, where compiling a plan to
    // machine code costs more than it saves (a quarter second on a million events). A server
    // older than 11 has no JIT and refuses the setting, which is as good.
    query.exec(u"SET jit = off"_s);
    return db;
}

QString PostgresConnection::describe(const StoreLocation &location, const QString &driverText)
{
    const QString text = driverText.simplified();
    const QString where = location.displayName();
    const auto has = [&text](QLatin1String part) {
        return text.contains(part, Qt::CaseInsensitive);
    };
    if (has(QLatin1String("password authentication failed")))
        return u"%1: wrong password for user '%2' (%3)"_s.arg(where, location.user(), text);
    if (has(QLatin1String("no password supplied")) || has(QLatin1String("password is required")))
        return u"%1: the server asks for a password: give one, or set PGPASSWORD or "
               "~/.pgpass (%2)"_s.arg(where, text);
    if (has(QLatin1String("does not exist")) && has(QLatin1String("database")))
        return u"%1: the server has no database named '%2' (%3)"_s.arg(where, location.database(),
                                                                       text);
    if (has(QLatin1String("role")) && has(QLatin1String("does not exist")))
        return u"%1: the server has no user named '%2' (%3)"_s.arg(where, location.user(), text);
    if (has(QLatin1String("permission denied")))
        return u"%1: user '%2' may not read this (%3); ask for GRANT SELECT"_s.arg(
            where, location.user(), text);
    if (has(QLatin1String("connection refused")) || has(QLatin1String("could not connect")) ||
        has(QLatin1String("timeout expired")) || has(QLatin1String("could not translate host")))
        return u"%1: no PostgreSQL server answers at %2:%3; is it running? (%4)"_s
            .arg(where, location.host())
            .arg(location.port())
            .arg(text);
    if (isConnectionLost(text))
        return u"%1: the connection to the server was lost; retry to reconnect (%2)"_s.arg(where,
                                                                                           text);
    if (has(QLatin1String("canceling statement due to user request")))
        return u"cancelled"_s;
    return u"%1: %2"_s.arg(where, text);
}

bool PostgresConnection::isConnectionLost(const QString &driverText)
{
    return driverText.contains(u"server closed the connection"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"terminating connection"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"no connection to the server"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"connection not open"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"could not receive data"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"could not send data"_s, Qt::CaseInsensitive);
}

#include "store/postgresconnection.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace {

// SQLSTATEs (PostgreSQL's appendix A) that Eventscope names.
constexpr QLatin1String InvalidPassword("28P01");
constexpr QLatin1String InvalidAuthorization("28000");
constexpr QLatin1String NoSuchDatabase("3D000");
constexpr QLatin1String InsufficientPrivilege("42501");
constexpr QLatin1String LockNotAvailable("55P03");
constexpr QLatin1String QueryCanceled("57014"); // by a cancel request or statement_timeout
constexpr QLatin1String AdminShutdown("57P01");
constexpr QLatin1String CrashShutdown("57P02");
constexpr QLatin1String CannotConnectNow("57P03");
constexpr QLatin1String ConnectionExceptionClass("08");

// Server notices (a WARNING before a shutdown, say) would go to stderr through libpq's
// default processor, in the middle of what the CLI or the window reports: Eventscope says
// what went wrong itself, from the statement's error.
void ignoreNotice(void *, const char *)
{
}

void silenceNotices(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    const QByteArray typeName = handle.metaType().name();
    if (typeName == "PGconn*" || typeName == "pg_conn*") // Qt names it by the struct
        PQsetNoticeProcessor(*static_cast<PGconn *const *>(handle.constData()), ignoreNotice,
                             nullptr);
}

QString limitFromEnvironment(const char *name, QLatin1String fallback)
{
    const QString value = qEnvironmentVariable(name).trimmed();
    return value.isEmpty() ? QString(fallback) : value;
}

QStringList unreadableTables(QSqlDatabase &db, const QString &schema)
{
    // pg_class lists every table, readable or not, where information_schema hides them.
    QString sql = u"SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
                  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') "
                  "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                  "AND n.nspname NOT LIKE 'pg\\_%' ESCAPE '\\' "
                  "AND NOT (has_schema_privilege(n.oid, 'USAGE') "
                  "AND has_table_privilege(c.oid, 'SELECT'))"_s;
    if (!schema.isEmpty())
        sql += u" AND n.nspname = ?"_s;
    sql += u" ORDER BY 1, 2"_s;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(sql);
    if (!schema.isEmpty())
        query.addBindValue(schema);
    QStringList tables;
    if (!query.exec())
        return tables;
    while (query.next())
        tables << query.value(0).toString() + u'.' + query.value(1).toString();
    return tables;
}

} // namespace

PostgresConnection::Limits PostgresConnection::limits()
{
    return {limitFromEnvironment("EVENTSCOPE_PG_LOCK_TIMEOUT", DefaultLockTimeout),
            limitFromEnvironment("EVENTSCOPE_PG_STATEMENT_TIMEOUT", DefaultStatementTimeout)};
}

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
    silenceNotices(db);
    QSqlQuery query(db);
    if (!query.exec(u"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"_s) ||
        !query.exec(u"SET TIME ZONE 'UTC'"_s)) {
        *error = describe(location, query.lastError());
        query = QSqlQuery(); // before the connection it runs on closes
        db.close();
        return {};
    }
    // Without limits a statement waits as long as another session holds a lock on a table it
    // reads, and a window or a script with it.
    const Limits limits = PostgresConnection::limits();
    const std::pair<QString, QString> settings[] = {
        {u"lock_timeout"_s, limits.lockTimeout},
        {u"statement_timeout"_s, limits.statementTimeout}};
    for (const auto &[name, value] : settings) {
        query.prepare(u"SELECT set_config(?, ?, false)"_s);
        query.addBindValue(name);
        query.addBindValue(value);
        if (!query.exec()) {
            *error = u"%1: %2 '%3' is not a PostgreSQL time (such as 5s or 10min; set it with "
                     "EVENTSCOPE_PG_%4): %5"_s.arg(location.displayName(), name, value,
                                                   name.toUpper(),
                                                   query.lastError().databaseText());
            query = QSqlQuery(); // before the connection it runs on closes
            db.close();
            return {};
        }
    }
    // Eventscope's statements are aggregations a user waits for, where compiling a plan to
    // machine code costs more than it saves (a quarter second on a million events). A server
    // older than 11 has no JIT and refuses the setting, which is as good.
    query.exec(u"SET jit = off"_s);
    return db;
}

QString PostgresConnection::describe(const StoreLocation &location, const QSqlError &error,
                                     bool interrupted)
{
    const QString state = error.nativeErrorCode();
    const QString where = location.displayName();
    const QString text =
        StoreLocation::hidePassword(error.databaseText().simplified(), location.password());
    const Limits limits = PostgresConnection::limits();
    if (state == QueryCanceled && interrupted)
        return u"cancelled"_s;
    if (state == QueryCanceled)
        return u"%1: the statement ran past the time limit of %2; allow longer with "
               "EVENTSCOPE_PG_STATEMENT_TIMEOUT (%3)"_s.arg(where, limits.statementTimeout, text);
    if (state == LockNotAvailable)
        return u"%1: another session holds a lock on a table this reads, longer than the "
               "lock timeout of %2; try again later, or wait longer with "
               "EVENTSCOPE_PG_LOCK_TIMEOUT (%3)"_s.arg(where, limits.lockTimeout, text);
    if (state == InsufficientPrivilege)
        return u"%1: user '%2' has no permission to read this (%3); ask for GRANT SELECT"_s.arg(
            where, location.user(), text);
    if (state == InvalidPassword || state == InvalidAuthorization)
        return u"%1: the server refuses user '%2' (%3)"_s.arg(where, location.user(), text);
    if (state == NoSuchDatabase)
        return u"%1: the server has no database named '%2' (%3)"_s.arg(where, location.database(),
                                                                       text);
    if (state == AdminShutdown || state == CrashShutdown || state == CannotConnectNow ||
        state.startsWith(ConnectionExceptionClass))
        return u"%1: the connection to the server was lost; retry to reconnect (%2)"_s.arg(where,
                                                                                           text);
    // No SQLSTATE: the client library's own failure, such as a connection gone at once.
    return describe(location, error.text());
}

QString PostgresConnection::describe(const StoreLocation &location, const QString &driverText)
{
    // libpq words these failures itself, in English, with no SQLSTATE to go by.
    const QString text =
        StoreLocation::hidePassword(driverText.simplified(), location.password());
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
        return u"%1: user '%2' has no permission to read this (%3); ask for GRANT SELECT"_s.arg(
            where, location.user(), text);
    if (has(QLatin1String("connection refused")) || has(QLatin1String("could not connect")) ||
        has(QLatin1String("timeout expired")) || has(QLatin1String("could not translate host")) ||
        has(QLatin1String("invalid port")))
        return u"%1: no PostgreSQL server answers at %2:%3; is it running? (%4)"_s
            .arg(where, location.host())
            .arg(location.port())
            .arg(text);
    if (isConnectionLost(text))
        return u"%1: the connection to the server was lost; retry to reconnect (%2)"_s.arg(where,
                                                                                           text);
    return u"%1: %2"_s.arg(where, text);
}

bool PostgresConnection::isConnectionLost(const QString &driverText)
{
    return driverText.contains(u"server closed the connection"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"terminating connection"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"no connection to the server"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"connection not open"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"could not receive data"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"could not send data"_s, Qt::CaseInsensitive) ||
           driverText.contains(u"connection to the server was lost"_s, Qt::CaseInsensitive);
}


QString PostgresConnection::explainMissingTables(QSqlDatabase &db, const StoreLocation &location,
                                                 bool noTables, const QString &error)
{
    const QStringList tables = unreadableTables(db, location.schema());
    if (tables.isEmpty())
        return error;
    constexpr int Named = 5;
    QString list = tables.mid(0, Named).join(u", "_s);
    if (tables.size() > Named)
        list += u" and %1 more"_s.arg(tables.size() - Named);
    const QString missing =
        u"user '%1' has no permission to read table %2; ask for GRANT SELECT (and USAGE on "
        "its schema)"_s.arg(location.user(), list);
    if (noTables)
        return u"%1: %2"_s.arg(location.displayName(), missing);
    return error + u". Also, "_s + missing;
}

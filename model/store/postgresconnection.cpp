#include "store/postgresconnection.h"

#include "store/sqlstate.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <QRegularExpression>

#include <libpq-fe.h>
#include <poll.h>

using namespace Qt::StringLiterals;

namespace {

// Server notices (a WARNING before a shutdown, say) would go to stderr through libpq's
// default processor, in the middle of what the CLI or the window reports: Eventscope says
// what went wrong itself, from the statement's error.
void ignoreNotice(void *, const char *) {}

void silenceNotices(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    const QByteArray typeName = handle.metaType().name();
    if (typeName == "PGconn*" || typeName == "pg_conn*") // Qt names it by the struct
        PQsetNoticeProcessor(*static_cast<PGconn *const *>(handle.constData()), ignoreNotice,
                             nullptr);
}

constexpr int ConnectTimeoutSeconds = 10;

bool isConnectionOk(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    const QByteArray typeName = handle.metaType().name();
    if (typeName != "PGconn*" && typeName != "pg_conn*")
        return false; // Qt has dropped the connection
    PGconn *connection = *static_cast<PGconn *const *>(handle.constData());
    return connection && PQstatus(connection) == CONNECTION_OK;
}

// What a failed connection met, asked of libpq again: QPSQL keeps only the message of a
// failed connection, without the SQLSTATE of the server's answer. The same parameters as
// QPSQL's, with the error verbosity set to the SQLSTATE before the server answers.
struct ConnectProbe
{
    QString sqlstate; // empty when the server sent none: it was not reached
    bool needsPassword = false;
};

ConnectProbe probeConnection(const StoreLocation &location)
{
    const QByteArray host = location.host().toUtf8();
    const QByteArray port = QByteArray::number(location.port());
    const QByteArray database = location.database().toUtf8();
    const QByteArray user = location.user().toUtf8();
    const QByteArray password = location.password().toUtf8();
    const QByteArray timeout = QByteArray::number(ConnectTimeoutSeconds);
    // An empty value is left to libpq's defaults (PGPASSWORD, ~/.pgpass), as QPSQL leaves it.
    const char *keys[] = {
        "host", "port", "dbname", "user", "password", "connect_timeout", "application_name",
        nullptr};
    const char *values[] = {
        host.constData(),     port.constData(),    database.constData(), user.constData(),
        password.constData(), timeout.constData(), "eventscope",         nullptr};
    PGconn *connection = PQconnectStartParams(keys, values, 0);
    ConnectProbe probe;
    if (!connection)
        return probe;
    PQsetErrorVerbosity(connection, PQERRORS_SQLSTATE);
    PostgresPollingStatusType status =
        PQstatus(connection) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
    while (status != PGRES_POLLING_OK && status != PGRES_POLLING_FAILED) {
        pollfd fd{PQsocket(connection), short(status == PGRES_POLLING_READING ? POLLIN : POLLOUT),
                  0};
        if (::poll(&fd, 1, ConnectTimeoutSeconds * 1000) <= 0)
            break;
        status = PQconnectPoll(connection);
    }
    if (status == PGRES_POLLING_FAILED) {
        // "...: FATAL:  28P01": with this verbosity, a server's error ends in its SQLSTATE.
        const QString message = QString::fromUtf8(PQerrorMessage(connection)).trimmed();
        const QString last = message.section(u' ', -1);
        static const QRegularExpression sqlstate(u"^[0-9A-Z]{5}$"_s);
        if (sqlstate.match(last).hasMatch())
            probe.sqlstate = last;
        probe.needsPassword = PQconnectionNeedsPassword(connection);
    }
    PQfinish(connection);
    return probe;
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
                  "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition "
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
                                              const QString &connectionName, StoreError *error)
{
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s)) {
        *error = {StoreError::Kind::Io,
                  u"%1: Qt's PostgreSQL driver (QPSQL) is not installed; install the Debian "
                  "package libqt6sql6-psql"_s.arg(location.displayName())};
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
    db.setConnectOptions(u"connect_timeout=%1;application_name=eventscope;"
                         "options='-c default_transaction_read_only=on -c TimeZone=UTC'"_s.arg(
                             ConnectTimeoutSeconds));
    if (!db.open()) {
        *error = connectFailure(location, db.lastError().text());
        db = QSqlDatabase();
        return {};
    }
    silenceNotices(db);
    QSqlQuery query(db);
    if (!query.exec(u"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"_s) ||
        !query.exec(u"SET TIME ZONE 'UTC'"_s)) {
        *error = describe(location, db, query.lastError());
        query = QSqlQuery(); // before the connection it runs on closes
        db.close();
        return {};
    }
    // Without limits a statement waits as long as another session holds a lock on a table it
    // reads, and a window or a script with it.
    const Limits limits = PostgresConnection::limits();
    const std::pair<QString, QString> settings[] = {
        {u"lock_timeout"_s, limits.lockTimeout}, {u"statement_timeout"_s, limits.statementTimeout}};
    for (const auto &[name, value] : settings) {
        query.prepare(u"SELECT set_config(?, ?, false)"_s);
        query.addBindValue(name);
        query.addBindValue(value);
        if (!query.exec()) {
            *error = {StoreError::Kind::Sql,
                      u"%1: %2 '%3' is not a PostgreSQL time (such as 5s or 10min; set it with "
                      "EVENTSCOPE_PG_%4): %5"_s.arg(location.displayName(), name, value,
                                                    name.toUpper(),
                                                    query.lastError().databaseText())};
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

void PostgresConnection::explainLoss(const StoreLocation &location, const QSqlDatabase &db,
                                     StoreError *error)
{
    if (isConnectionOk(db) || error->kind == StoreError::Kind::ConnectionLost)
        return;
    const QString where = location.displayName();
    QString words = error->message;
    if (words.startsWith(where + u": "_s))
        words = words.mid(where.size() + 2);
    *error = describe(location, StoreError{StoreError::Kind::ConnectionLost, words});
}

StoreError PostgresConnection::connectFailure(const StoreLocation &location,
                                              const QString &driverText)
{
    const QString text = StoreLocation::hidePassword(driverText.simplified(), location.password());
    const QString where = location.displayName();
    const ConnectProbe probe = probeConnection(location);
    if (probe.needsPassword)
        return {StoreError::Kind::Authentication,
                u"%1: the server asks for a password: give one, or set PGPASSWORD or "
                "~/.pgpass (%2)"_s.arg(where, text)};
    if (probe.sqlstate.isEmpty())
        return {StoreError::Kind::ConnectionLost,
                u"%1: no PostgreSQL server answers at %2:%3; is it running? (%4)"_s
                    .arg(where, location.host())
                    .arg(location.port())
                    .arg(text)};
    const StoreError::Kind kind = SqlState::errorKind(probe.sqlstate, false);
    if (probe.sqlstate == SqlState::InvalidPassword)
        return {kind, u"%1: wrong password for user '%2' (%3)"_s.arg(where, location.user(), text)};
    if (probe.sqlstate == SqlState::NoSuchDatabase)
        return {kind, u"%1: the server has no database named '%2' (%3)"_s.arg(
                          where, location.database(), text)};
    if (kind == StoreError::Kind::Authentication)
        return {kind, u"%1: the server refuses user '%2' (%3)"_s.arg(where, location.user(), text)};
    if (kind == StoreError::Kind::Permission)
        return {kind, u"%1: user '%2' has no permission to connect to database '%3' (%4); ask "
                      "for GRANT CONNECT"_s.arg(where, location.user(), location.database(), text)};
    if (kind == StoreError::Kind::ConnectionLost)
        return {kind, u"%1: the server does not take connections now; try again later (%2)"_s.arg(
                          where, text)};
    return {kind, u"%1: %2"_s.arg(where, text)};
}

StoreError PostgresConnection::describe(const StoreLocation &location, const QSqlDatabase &db,
                                        const QSqlError &error, bool interrupted)
{
    const QString state = error.nativeErrorCode();
    const QString where = location.displayName();
    const QString text = StoreLocation::hidePassword(
        (error.databaseText().isEmpty() ? error.text() : error.databaseText()).simplified(),
        location.password());
    const Limits limits = PostgresConnection::limits();
    const StoreError::Kind kind = SqlState::errorKind(state, !isConnectionOk(db));
    if (state == SqlState::QueryCanceled && interrupted)
        return StoreError::cancelled();
    if (state == SqlState::QueryCanceled)
        return {kind,
                u"%1: the statement ran past the time limit of %2; allow longer with "
                "EVENTSCOPE_PG_STATEMENT_TIMEOUT (%3)"_s.arg(where, limits.statementTimeout, text)};
    if (state == SqlState::LockNotAvailable)
        return {kind, u"%1: another session holds a lock on a table this reads, longer than the "
                      "lock timeout of %2; try again later, or wait longer with "
                      "EVENTSCOPE_PG_LOCK_TIMEOUT (%3)"_s.arg(where, limits.lockTimeout, text)};
    if (state == SqlState::NoSuchDatabase)
        return {kind, u"%1: the server has no database named '%2' (%3)"_s.arg(
                          where, location.database(), text)};
    return describe(location, StoreError{kind, text});
}

StoreError PostgresConnection::describe(const StoreLocation &location, const StoreError &error)
{
    const QString where = location.displayName();
    const QString text =
        StoreLocation::hidePassword(error.message.simplified(), location.password());
    switch (error.kind) {
    case StoreError::Kind::Permission:
        return {error.kind, u"%1: user '%2' has no permission to read this (%3); ask for GRANT "
                            "SELECT"_s.arg(where, location.user(), text)};
    case StoreError::Kind::Authentication:
        return {error.kind,
                u"%1: the server refuses user '%2' (%3)"_s.arg(where, location.user(), text)};
    case StoreError::Kind::ConnectionLost:
        return {error.kind,
                u"%1: the connection to the server was lost; retry to reconnect (%2)"_s.arg(where,
                                                                                            text)};
    default:
        return {error.kind, u"%1: %2"_s.arg(where, text)};
    }
}

StoreError PostgresConnection::explainMissingTables(QSqlDatabase &db, const StoreLocation &location,
                                                    bool noTables, const StoreError &error)
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
        return {StoreError::Kind::Permission, u"%1: %2"_s.arg(location.displayName(), missing)};
    return {StoreError::Kind::Permission, error.message + u". Also, "_s + missing};
}

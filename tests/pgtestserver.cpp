#include "pgtestserver.h"

#include "store/storelocation.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QUuid>
#include <QVersionNumber>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

constexpr int InitdbTimeoutMs = 60000;
constexpr int StartTimeoutS = 60; // pg_ctl's own wait; the process gets a little longer
constexpr int StopTimeoutS = 30;
constexpr int ToolTimeoutMs = 10000; // pg_config
constexpr int PortAttempts = 3;      // another process may take the free port we picked
const QString NobodyUser = u"nobody"_s;

bool hasServerPrograms(const QString &dir)
{
    return !dir.isEmpty() && QFileInfo(dir + u"/initdb"_s).isExecutable() &&
           QFileInfo(dir + u"/pg_ctl"_s).isExecutable() &&
           QFileInfo(dir + u"/postgres"_s).isExecutable();
}

QString pgConfigBinDir()
{
    const QString pgConfig = QStandardPaths::findExecutable(u"pg_config"_s);
    if (pgConfig.isEmpty())
        return {};
    QProcess p;
    p.start(pgConfig, {u"--bindir"_s});
    if (!p.waitForFinished(ToolTimeoutMs)) {
        p.kill();
        p.waitForFinished(1000);
        return {};
    }
    return p.exitCode() == 0 ? QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed()
                             : QString();
}

// Where initdb and pg_ctl are. Debian's /usr/bin/pg_config belongs to libpq-dev and may be of
// another major version than the server, so each candidate must hold the server programs.
QString findBinDir(QString *error)
{
    const QString fromEnv = qEnvironmentVariable("EVENTSCOPE_PG_BINDIR");
    if (!fromEnv.isEmpty()) {
        if (hasServerPrograms(fromEnv))
            return fromEnv;
        *error = u"EVENTSCOPE_PG_BINDIR=%1 holds no initdb, pg_ctl and postgres"_s.arg(fromEnv);
        return {};
    }
    const QString fromPgConfig = pgConfigBinDir();
    if (hasServerPrograms(fromPgConfig))
        return fromPgConfig;

    QDir debian(u"/usr/lib/postgresql"_s);
    QStringList versions = debian.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(versions.begin(), versions.end(), [](const QString &a, const QString &b) {
        return QVersionNumber::fromString(a) > QVersionNumber::fromString(b);
    });
    for (const QString &version : std::as_const(versions)) {
        const QString dir = debian.filePath(version + u"/bin"_s);
        if (hasServerPrograms(dir))
            return dir;
    }

    const QString initdb = QStandardPaths::findExecutable(u"initdb"_s);
    if (!initdb.isEmpty() && hasServerPrograms(QFileInfo(initdb).absolutePath()))
        return QFileInfo(initdb).absolutePath();

    *error = u"no PostgreSQL server programs (initdb, pg_ctl, postgres) found via "
             u"$EVENTSCOPE_PG_BINDIR, pg_config --bindir, /usr/lib/postgresql/*/bin or PATH: "
             u"install the Debian package 'postgresql' (installer/install-deps.sh does)"_s;
    return {};
}

// Binding port 0 lets the kernel choose a port no one listens on. It is free again once we
// close it, so another process can take it before the server does: start() retries.
int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const int port = probe.serverPort();
    probe.close();
    return port;
}

// pg_ctl hands its -o text to /bin/sh.
QString shellQuoted(const QString &text)
{
    return u'\'' + QString(text).replace(u"'"_s, u"'\\''"_s) + u'\'';
}

QString uniqueConnectionName()
{
    return u"pgtestserver-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// When we run as root, the user "nobody" must reach the directory: each parent must let
// others through.
bool reachableByOthers(const QString &path)
{
    QDir dir(path);
    while (true) {
        if (!QFileInfo(dir.path()).permission(QFileDevice::ExeOther))
            return false;
        if (dir.isRoot())
            return true;
        if (!dir.cdUp())
            return false;
    }
}

bool giveToNobody(const QString &path, QString *error)
{
    const passwd *pw = ::getpwnam("nobody");
    if (!pw) {
        *error = u"running as root, but there is no user 'nobody' to run PostgreSQL as"_s;
        return false;
    }
    if (::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) != 0) {
        *error = u"cannot give %1 to the user nobody: %2"_s.arg(
            path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return true;
}

} // namespace

PgTestServer::PgTestServer() = default;

PgTestServer::~PgTestServer()
{
    stop();
}

QString PgTestServer::host() const
{
    return u"127.0.0.1"_s;
}

QString PgTestServer::superUser()
{
    return u"postgres"_s;
}

QString PgTestServer::dataDirectory() const
{
    return m_dir ? m_dir->filePath(u"data"_s) : QString();
}

QString PgTestServer::logTail(int lines) const
{
    if (!m_dir)
        return {};
    QFile log(m_dir->filePath(u"server.log"_s));
    if (!log.open(QIODevice::ReadOnly))
        return u"(no server log)"_s;
    const QStringList all = QString::fromUtf8(log.readAll()).split(u'\n', Qt::SkipEmptyParts);
    return all.mid(qMax<qsizetype>(0, all.size() - lines)).join(u'\n');
}

bool PgTestServer::run(const QString &program, const QStringList &arguments, int timeoutMs,
                       QString *error) const
{
    const QString path = m_binDir + u'/' + program;
    QProcess p;
    p.setWorkingDirectory(m_dir->path()); // as nobody, the caller's directory may be closed
    p.setProcessChannelMode(QProcess::MergedChannels);
    // English messages, whatever the caller's locale, so that failures read the same in CI.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LC_ALL"_s, u"C"_s);
    env.remove(u"PGDATA"_s);
    p.setProcessEnvironment(env);
    if (m_asNobody) {
        QString runuser = QStandardPaths::findExecutable(u"runuser"_s);
        if (runuser.isEmpty())
            runuser = QStandardPaths::findExecutable(u"runuser"_s, {u"/usr/sbin"_s, u"/sbin"_s});
        if (runuser.isEmpty()) {
            *error = u"running as root, but runuser (util-linux) is missing to run %1 as "
                     u"nobody"_s.arg(program);
            return false;
        }
        p.start(runuser, QStringList{u"-u"_s, NobodyUser, u"--"_s, path} + arguments);
    } else {
        p.start(path, arguments);
    }
    if (!p.waitForStarted(ToolTimeoutMs)) {
        *error = u"cannot run %1: %2"_s.arg(path, p.errorString());
        return false;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.terminate(); // runuser passes SIGTERM on to its child; SIGKILL it could not
        if (!p.waitForFinished(2000)) {
            p.kill();
            p.waitForFinished(2000);
        }
        *error = u"%1 did not finish within %2 s: %3"_s.arg(
            program, QString::number(timeoutMs / 1000),
            QString::fromLocal8Bit(p.readAll()).trimmed());
        return false;
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = u"%1 failed (exit code %2): %3"_s.arg(
            program, QString::number(p.exitCode()), QString::fromLocal8Bit(p.readAll()).trimmed());
        return false;
    }
    return true;
}

bool PgTestServer::start(QString *error)
{
    stop();
    m_binDir = findBinDir(error);
    if (m_binDir.isEmpty())
        return false;

    m_asNobody = ::geteuid() == 0;
    QString base = QDir::tempPath();
    if (m_asNobody && !reachableByOthers(base))
        base = u"/tmp"_s; // TMPDIR under /root, say: nobody could not reach the data
    m_dir = std::make_unique<QTemporaryDir>(base + u"/eventscope-pg-XXXXXX"_s);
    if (!m_dir->isValid()) {
        *error = u"cannot create a temporary directory in %1: %2"_s.arg(base, m_dir->errorString());
        m_dir.reset();
        return false;
    }
    const QString socketDir = m_dir->filePath(u"sock"_s);
    // A Unix socket path is limited to 107 bytes, the socket's own name included.
    if (QFile::encodeName(socketDir).size() + int(sizeof("/.s.PGSQL.65535")) > 107) {
        *error = u"the temporary directory %1 is too deep for a Unix socket: set TMPDIR to a "
                 u"shorter one"_s.arg(m_dir->path());
        stop();
        return false;
    }

    // Hex digits only: the password goes into URLs and connection options unescaped by
    // callers that do not know better, and it needs no quoting in a pwfile.
    m_password = QString::number(QRandomGenerator::system()->generate64(), 16) +
                 QString::number(QRandomGenerator::system()->generate64(), 16);
    const QString pwfile = m_dir->filePath(u"pwfile"_s);
    {
        QFile f(pwfile);
        if (!f.open(QIODevice::WriteOnly) || f.write(m_password.toUtf8() + '\n') < 0) {
            *error = u"cannot write %1: %2"_s.arg(pwfile, f.errorString());
            stop();
            return false;
        }
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    if (!QDir().mkdir(socketDir)) {
        *error = u"cannot create %1"_s.arg(socketDir);
        stop();
        return false;
    }
    if (m_asNobody) {
        // initdb and postgres refuse root; nobody owns the whole directory instead.
        for (const QString &path : {m_dir->path(), pwfile, socketDir}) {
            if (!giveToNobody(path, error)) {
                stop();
                return false;
            }
        }
    }

    // --no-sync and C locale: a test cluster needs neither durability nor collations, and
    // initdb is most of start()'s time.
    if (!run(u"initdb"_s,
             {u"-D"_s, dataDirectory(), u"-U"_s, superUser(), u"--auth-local=trust"_s,
              u"--auth-host=scram-sha-256"_s, u"--pwfile="_s + pwfile, u"-E"_s, u"UTF8"_s,
              u"--locale=C"_s, u"--no-sync"_s},
             InitdbTimeoutMs, error)) {
        stop();
        return false;
    }
    QFile::remove(pwfile);

    QString attemptError;
    for (int attempt = 0; attempt < PortAttempts; ++attempt) {
        const int port = freePort();
        if (port <= 0) {
            attemptError = u"cannot find a free TCP port on 127.0.0.1"_s;
            break;
        }
        if (startOnce(port, &attemptError)) {
            m_port = port;
            m_running = true;
            return true;
        }
        const QString log = logTail(5);
        if (!log.contains(u"could not bind"_s) && !log.contains(u"already in use"_s))
            break; // not the port: trying again would fail alike
    }
    *error = attemptError + u"\n--- server log (last lines) ---\n"_s + logTail();
    stop();
    return false;
}

bool PgTestServer::startOnce(int port, QString *error)
{
    const QString options =
        u"-c listen_addresses=127.0.0.1 -p %1 -k %2 -c fsync=off -c full_page_writes=off "
        u"-c synchronous_commit=off"_s.arg(QString::number(port),
                                           shellQuoted(m_dir->filePath(u"sock"_s)));
    if (run(u"pg_ctl"_s,
            {u"-D"_s, dataDirectory(), u"-l"_s, m_dir->filePath(u"server.log"_s), u"-w"_s, u"-t"_s,
             QString::number(StartTimeoutS), u"-o"_s, options, u"start"_s},
            (StartTimeoutS + 15) * 1000, error))
        return true;
    // pg_ctl may have given up on a server that is still coming up: make sure it goes.
    QString ignored;
    run(u"pg_ctl"_s, {u"-D"_s, dataDirectory(), u"-m"_s, u"immediate"_s, u"-w"_s, u"stop"_s},
        (StopTimeoutS + 5) * 1000, &ignored);
    return false;
}

void PgTestServer::stop()
{
    if (!m_dir)
        return;
    const QString pidFile = dataDirectory() + u"/postmaster.pid"_s;
    if (m_running || QFile::exists(pidFile)) {
        QString error;
        if (!run(u"pg_ctl"_s,
                 {u"-D"_s, dataDirectory(), u"-m"_s, u"immediate"_s, u"-w"_s, u"-t"_s,
                  QString::number(StopTimeoutS), u"stop"_s},
                 (StopTimeoutS + 5) * 1000, &error)) {
            // The first line of postmaster.pid is the server's pid; a server that did not
            // stop must not outlive the test.
            QFile f(pidFile);
            if (f.open(QIODevice::ReadOnly)) {
                const pid_t pid = pid_t(f.readLine().trimmed().toLong());
                if (pid > 0 && ::kill(pid, SIGKILL) == 0) {
                    for (int i = 0; i < 50 && ::kill(pid, 0) == 0; ++i)
                        QThread::msleep(100);
                }
            }
        }
    }
    m_running = false;
    m_port = 0;
    m_dir.reset(); // removes the cluster
}

bool PgTestServer::exec(const QString &database, const QStringList &statements,
                        QString *error) const
{
    QString ignored;
    QString *err = error ? error : &ignored;
    if (!m_running) {
        *err = u"the test server is not running"_s;
        return false;
    }
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s)) {
        *err = u"Qt's PostgreSQL driver (QPSQL) is missing: install libqt6sql6-psql"_s;
        return false;
    }
    const QString name = uniqueConnectionName();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(host());
        db.setPort(m_port);
        db.setUserName(superUser());
        db.setPassword(m_password);
        db.setDatabaseName(database);
        db.setConnectOptions(u"connect_timeout=10"_s);
        if (!db.open()) {
            *err = u"cannot connect to %1 as %2: %3"_s.arg(database, superUser(),
                                                           db.lastError().text());
            ok = false;
        }
        for (int i = 0; ok && i < statements.size(); ++i) {
            QSqlQuery query(db);
            if (!query.exec(statements.at(i))) {
                *err = u"%1 failed: %2"_s.arg(statements.at(i), query.lastError().text());
                ok = false;
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

bool PgTestServer::createDatabase(const QString &name, QString *error) const
{
    return exec(u"postgres"_s, {u"CREATE DATABASE "_s + quoteIdentifier(name)}, error);
}

bool PgTestServer::createLoginRole(const QString &role, const QString &password,
                                   QString *error) const
{
    return exec(
        u"postgres"_s,
        {u"CREATE ROLE %1 LOGIN PASSWORD %2"_s.arg(quoteIdentifier(role), quoteLiteral(password))},
        error);
}

bool PgTestServer::createReader(const QString &role, const QString &password,
                                const QString &database, const QStringList &schemas,
                                QString *error) const
{
    return createLoginRole(role, password, error) &&
           exec(u"postgres"_s,
                {u"GRANT CONNECT ON DATABASE %1 TO %2"_s.arg(quoteIdentifier(database),
                                                             quoteIdentifier(role))},
                error) &&
           grantRead(database, role, schemas, error);
}

bool PgTestServer::grantRead(const QString &database, const QString &role,
                             const QStringList &schemas, QString *error) const
{
    const QString r = quoteIdentifier(role);
    QStringList statements;
    for (const QString &schema : schemas) {
        const QString s = quoteIdentifier(schema);
        statements << u"GRANT USAGE ON SCHEMA %1 TO %2"_s.arg(s, r)
                   << u"GRANT SELECT ON ALL TABLES IN SCHEMA %1 TO %2"_s.arg(s, r)
                   // Tables the superuser creates afterwards (exec() runs as superuser).
                   << u"ALTER DEFAULT PRIVILEGES IN SCHEMA %1 GRANT SELECT ON TABLES TO %2"_s.arg(
                          s, r);
    }
    return exec(database, statements, error);
}

QString PgTestServer::url(const QString &user, const QString &password, const QString &database,
                          const QString &schema) const
{
    return StoreLocation::postgresUrl(host(), m_port, database, user, password, schema);
}

QString PgTestServer::quoteIdentifier(const QString &name)
{
    return u'"' + QString(name).replace(u"\""_s, u"\"\""_s) + u'"';
}

QString PgTestServer::quoteLiteral(const QString &text)
{
    // standard_conforming_strings is on (the default since 9.1): only quotes are doubled.
    return u'\'' + QString(text).replace(u"'"_s, u"''"_s) + u'\'';
}

#pragma once

// A throwaway PostgreSQL server for tests: a fresh cluster in a temporary directory, listening
// on a free port of 127.0.0.1 only, superuser "postgres" with a random password (password
// authentication over TCP, as a real server would ask), stopped and deleted with the object.
// Tuned for speed over durability (fsync off): its data is gone when the test ends anyway.
//
// PostgreSQL refuses to run as root, so when the test runs as root (as CI does) the cluster
// belongs to the user "nobody" and every server command runs through runuser.
//
// The server binaries come from $EVENTSCOPE_PG_BINDIR, else `pg_config --bindir`, else the
// newest /usr/lib/postgresql/*/bin (Debian's layout), else PATH. Without them start() fails
// with a message that says what to install: the tests must fail there, never skip.

#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

class PgTestServer
{
public:
    PgTestServer();
    ~PgTestServer(); // stop()
    PgTestServer(const PgTestServer &) = delete;
    PgTestServer &operator=(const PgTestServer &) = delete;

    // initdb and start; false with the reason (and the tail of the server log) in *error.
    // Every step has a time limit, so a broken installation fails instead of hanging.
    bool start(QString *error);
    // Immediate shutdown, then the data directory is deleted. Safe to call twice.
    void stop();
    bool isRunning() const { return m_running; }

    QString host() const; // "127.0.0.1"
    int port() const { return m_port; }
    static QString superUser(); // "postgres"
    QString superPassword() const { return m_password; }
    QString dataDirectory() const;
    // The last lines of the server log, for failure messages.
    QString logTail(int lines = 20) const;

    // Runs the statements one by one (no transaction, so CREATE DATABASE works) as superuser
    // over TCP with Qt's QPSQL driver; stops at the first error.
    bool exec(const QString &database, const QStringList &statements, QString *error) const;
    bool createDatabase(const QString &name, QString *error = nullptr) const;
    // A LOGIN role with the password, and no grants.
    bool createLoginRole(const QString &role, const QString &password,
                         QString *error = nullptr) const;
    // A LOGIN role with the password that can connect to the database and read every table
    // (present and future) of the schemas.
    bool createReader(const QString &role, const QString &password, const QString &database,
                      const QStringList &schemas = {QStringLiteral("public")},
                      QString *error = nullptr) const;
    // USAGE on the schemas, SELECT on their tables, and the same for tables the superuser
    // creates there later.
    bool grantRead(const QString &database, const QString &role, const QStringList &schemas,
                   QString *error = nullptr) const;

    // postgresql://user:password@127.0.0.1:PORT/database[?schema=...], percent-encoded.
    QString url(const QString &user, const QString &password, const QString &database,
                const QString &schema = {}) const;

    static QString quoteIdentifier(const QString &name);
    static QString quoteLiteral(const QString &text);

private:
    // Runs a server program (as "nobody" when we are root); false with its output on failure.
    bool run(const QString &program, const QStringList &arguments, int timeoutMs,
             QString *error) const;
    bool startOnce(int port, QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_binDir;
    QString m_password;
    int m_port = 0;
    bool m_asNobody = false;
    bool m_running = false;
};

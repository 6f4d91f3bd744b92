#pragma once

// What the user gave to open: a path to an SQLite file, or a PostgreSQL URL
// postgresql://user[:password]@host[:port]/db[?schema=NAME]. No error it reports holds the
// password, not even for a URL that does not parse.

#include <QString>

class StoreLocation
{
public:
    enum class Kind { Invalid, Sqlite, Postgres };

    // libpq's defaults, for what a URL leaves out.
    static constexpr int DefaultPostgresPort = 5432;
    static QString defaultPostgresHost();

    static StoreLocation parse(const QString &text);
    // A postgresql:// URL that parse() reads back field for field: user, password, database
    // and schema are percent-encoded, so '@', ':', '/', '%' and the like are safe in them.
    // An empty password or schema leaves it out.
    static QString postgresUrl(const QString &host, int port, const QString &database,
                               const QString &user, const QString &password = {},
                               const QString &schema = {});

    Kind kind() const { return m_kind; }
    bool isValid() const { return m_kind != Kind::Invalid; }
    QString errorString() const { return m_error; }

    QString path() const { return m_path; } // SQLite: absolute file path
    QString host() const { return m_host; }
    int port() const { return m_port; }
    QString database() const { return m_database; }
    QString user() const { return m_user; }
    QString password() const { return m_password; }
    QString schema() const { return m_schema; }

    // The message with every spelling of the password (as given, percent-encoded, decoded)
    // replaced by "***": for text that comes from elsewhere (a driver, a URL parser) and may
    // quote it. Unchanged when the password is empty.
    static QString hidePassword(const QString &message, const QString &password);

    // For titles, logs and messages: never contains the password.
    QString displayName() const;
    // The text parse() reads back as this location: the SQLite path, or the PostgreSQL URL
    // with the password only when asked. What is saved (recent stores, mappings) must use
    // toString(false).
    QString toString(bool withPassword) const;
    // PostgreSQL: the password to connect with (one typed in this session, say); kept in
    // memory only.
    void setPassword(const QString &password) { m_password = password; }

private:
    Kind m_kind = Kind::Invalid;
    QString m_error;
    QString m_path;
    QString m_host;
    int m_port = DefaultPostgresPort;
    QString m_database;
    QString m_user;
    QString m_password;
    QString m_schema;
};

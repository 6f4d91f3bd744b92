#pragma once

// What the user gave to open: a path to an SQLite file, or a PostgreSQL URL
// postgresql://user[:password]@host[:port]/db[?schema=NAME].

#include <QString>

class StoreLocation
{
public:
    enum class Kind { Invalid, Sqlite, Postgres };

    static StoreLocation parse(const QString &text);

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

    // For titles, logs and messages: never contains the password.
    QString displayName() const;

private:
    Kind m_kind = Kind::Invalid;
    QString m_error;
    QString m_path;
    QString m_host;
    int m_port = 5432;
    QString m_database;
    QString m_user;
    QString m_password;
    QString m_schema;
};

#pragma once

// Eventscope's remembered settings: typed accessors with their keys and defaults in one
// place. Tests pass a file of their own so that they never touch the user's settings.
// Passwords are never stored here.

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>

// What File ▸ Connect to PostgreSQL… last connected with, offered again next time. Never
// the password.
struct PostgresConnectionSettings
{
    QString host;
    int port = 0;
    QString database;
    QString user;
    QString schema; // empty: all schemas
};

class AppSettings
{
public:
    // fileName empty: the user's settings (QSettings' native place).
    explicit AppSettings(const QString &fileName = {});

    static constexpr int MaxRecentStores = 10;

    QStringList recentStores() const;
    void addRecentStore(const QString &store); // most recent first, capped
    void removeRecentStore(const QString &store);
    QString lastStore() const;

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray &state);
    // View ▸ Follow New Events
    bool followNewEvents() const;
    void setFollowNewEvents(bool follow);

    // Nothing saved yet: libpq's default host and port, the rest empty.
    PostgresConnectionSettings postgresConnection() const;
    void setPostgresConnection(const PostgresConnectionSettings &connection);

    // The column mapping the user gave for a store (empty: detect the layout).
    QString mapping(const QString &store) const;
    void setMapping(const QString &store, const QString &spec);

    // Where File ▸ Open Demo Store and installer/run-demo.sh keep the demo store:
    // $XDG_DATA_HOME/Eventscope/demo.db (~/.local/share/Eventscope/demo.db by default).
    static QString demoStorePath();

private:
    std::unique_ptr<QSettings> m_settings;
};

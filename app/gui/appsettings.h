#pragma once

// Eventscope's remembered settings: typed accessors with their keys and defaults in one
// place. Tests pass a file of their own so that they never touch the user's settings.
// Passwords are never stored here.

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>

#include <memory>

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

    // The column mapping the user gave for a store (empty: detect the layout).
    QString mapping(const QString &store) const;
    void setMapping(const QString &store, const QString &spec);

private:
    std::unique_ptr<QSettings> m_settings;
};

#pragma once

// Demo stores for the benchmark, generated once and kept in a cache folder under a name made
// of their size, users and seed, so that later runs reuse them.

#include <QString>

#include <optional>

class StoreCache
{
public:
    struct Store
    {
        QString path;
        qint64 events = 0;
        int users = 0;
        std::optional<double> generationMs; // nullopt: reused from the cache, not timed
    };

    explicit StoreCache(const QString &dir) : m_dir(dir) {}

    // fresh: regenerate even when cached. nullopt with *error on failure.
    std::optional<Store> demoStore(qint64 events, int users, quint64 seed, bool fresh,
                                   QString *error) const;

private:
    QString m_dir;
};

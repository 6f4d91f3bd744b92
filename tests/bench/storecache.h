#pragma once

// Demo and foreign stores for the benchmark, generated once and kept in a cache folder under a name
// made of their size, users and seed, so that later runs reuse them.

#include "foreignstores.h"

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

    // The store of the questions about one aggregate (AggregateFigure): one stream of
    // `events` events. nullopt with *error on failure.
    std::optional<Store> aggregateStore(qint64 events, bool fresh, QString *error) const;

    // A foreign SQLite store of the shape (tests/foreignstores), under a name made of the shape
    // and the options; generationMs is 0 when it was reused. Written under a temporary name
    // first, so that an interrupted run leaves nothing that looks complete.
    std::optional<ForeignStores::Written> foreignStore(const ForeignStores::Shape &shape,
                                                       const ForeignStores::Options &options,
                                                       bool fresh, QString *error) const;
    // Deletes every foreign store of the cache of at least `bytes`; the files deleted.
    QStringList removeForeignStores(qint64 bytes) const;

private:
    QString m_dir;
};

#include "storecache.h"

#include "aggregatefigure.h"
#include "samples.h"
#include "writers/demogenerator.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

std::optional<StoreCache::Store> StoreCache::demoStore(qint64 events, int users, quint64 seed,
                                                       bool fresh, QString *error) const
{
    if (!QDir().mkpath(m_dir)) {
        *error = u"cannot create the cache folder %1"_s.arg(m_dir);
        return std::nullopt;
    }
    Store store;
    store.path = QDir(m_dir).absoluteFilePath(
        u"demo-%1-events-%2-users-seed-%3.db"_s.arg(events).arg(users).arg(seed));
    store.events = events;
    store.users = users;
    if (QFile::exists(store.path) && !fresh)
        return store;
    if (QFile::exists(store.path) && !QFile::remove(store.path)) {
        *error = u"cannot replace %1"_s.arg(store.path);
        return std::nullopt;
    }
    DemoGenerator::Options options;
    options.events = events;
    options.users = users;
    options.seed = seed;
    bool ok = false;
    store.generationMs = timeMs([&] { ok = DemoGenerator::generate(store.path, options, error); });
    if (!ok)
        return std::nullopt;
    return store;
}

std::optional<StoreCache::Store> StoreCache::aggregateStore(qint64 events, bool fresh,
                                                            QString *error) const
{
    if (!QDir().mkpath(m_dir)) {
        *error = u"cannot create the cache folder %1"_s.arg(m_dir);
        return std::nullopt;
    }
    Store store;
    store.path = QDir(m_dir).absoluteFilePath(u"aggregate-%1-events.db"_s.arg(events));
    store.events = events;
    store.users = 1;
    if (QFile::exists(store.path) && !fresh)
        return store;
    // Written under a temporary name, so that an interrupted run leaves nothing complete-looking.
    const QString part = store.path + u".part"_s;
    QFile::remove(part);
    bool ok = false;
    store.generationMs = timeMs([&] { ok = AggregateFigure::writeStore(part, events, error); });
    if (!ok || (QFile::exists(store.path) && !QFile::remove(store.path)) ||
        !QFile::rename(part, store.path)) {
        if (ok)
            *error = u"cannot move %1 to %2"_s.arg(part, store.path);
        QFile::remove(part);
        return std::nullopt;
    }
    return store;
}

std::optional<ForeignStores::Written>
StoreCache::foreignStore(const ForeignStores::Shape &shape, const ForeignStores::Options &options,
                         bool fresh, QString *error) const
{
    if (!QDir().mkpath(m_dir)) {
        *error = u"cannot create the cache folder %1"_s.arg(m_dir);
        return std::nullopt;
    }
    const QString path = QDir(m_dir).absoluteFilePath(
        u"foreign-%1-%2-events-%3-streams-big-%4-seed-%5%6.db"_s.arg(shape.name)
            .arg(options.events)
            .arg(options.streams)
            .arg(options.bigStreamEvents)
            .arg(options.seed)
            .arg(options.randomized ? u"-randomized"_s : QString()));
    if (QFile::exists(path) && !fresh)
        return ForeignStores::describe(shape, path, options);
    const QString part = path + u".part"_s;
    auto written = ForeignStores::writeSqlite(shape, part, options, error);
    if (!written)
        return std::nullopt;
    if ((QFile::exists(path) && !QFile::remove(path)) || !QFile::rename(part, path)) {
        *error = u"cannot move %1 to %2"_s.arg(part, path);
        return std::nullopt;
    }
    written->location = path;
    return written;
}

QStringList StoreCache::removeForeignStores(qint64 bytes) const
{
    QStringList removed;
    const QFileInfoList files =
        QDir(m_dir).entryInfoList({u"foreign-*.db"_s, u"foreign-*.db.part"_s}, QDir::Files);
    for (const QFileInfo &file : files) {
        if (file.size() >= bytes && QFile::remove(file.absoluteFilePath()))
            removed << file.fileName();
    }
    return removed;
}

#include "storecache.h"

#include "demogenerator.h"
#include "samples.h"

#include <QDir>
#include <QFile>

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

#include "foreignstores.h"

#include "pgtestserver.h"
#include "shapewriters.h"

#include <QElapsedTimer>
#include <QFile>

using namespace Qt::StringLiterals;

namespace ForeignStores {

namespace {

const QVector<Recipe> &recipes()
{
    static const QVector<Recipe> all = sqliteRecipes() + postgresRecipes();
    return all;
}

const Recipe *recipe(const Shape &shape)
{
    for (const Recipe &r : recipes()) {
        if (r.shape.name == shape.name)
            return &r;
    }
    return nullptr;
}

Written written(const Recipe &r, const Options &options, const QString &location, double ms)
{
    Written w;
    w.location = location;
    w.events = options.events;
    w.bigStream = QString::fromStdString(r.streamName(options, 0));
    w.bigStreamEvents = options.streams <= 1 ? options.events
                                             : std::clamp<qint64>(options.bigStreamEvents, 0,
                                                                  options.events);
    w.generationMs = ms;
    return w;
}

} // namespace

const QVector<Shape> &shapes()
{
    static const QVector<Shape> all = [] {
        QVector<Shape> result;
        for (const Recipe &r : recipes())
            result << r.shape;
        return result;
    }();
    return all;
}

QStringList names()
{
    QStringList result;
    for (const Shape &s : shapes())
        result << s.name;
    return result;
}

const Shape *find(const QString &name)
{
    for (const Shape &s : shapes()) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

Written describe(const Shape &shape, const QString &location, const Options &options)
{
    const Recipe *r = recipe(shape);
    Q_ASSERT(r);
    return written(*r, options, location, 0);
}

std::optional<Written> writeSqlite(const Shape &shape, const QString &path,
                                   const Options &options, QString *error)
{
    const Recipe *r = recipe(shape);
    if (!r || !r->sqlite) {
        *error = u"%1 is not a SQLite shape"_s.arg(shape.name);
        return std::nullopt;
    }
    if (QFile::exists(path) && !QFile::remove(path)) {
        *error = u"cannot replace %1"_s.arg(path);
        return std::nullopt;
    }
    QElapsedTimer clock;
    clock.start();
    {
        SqliteWriter db(path);
        if (!db.ok() || !r->sqlite(db, options)) {
            *error = u"%1: %2"_s.arg(path, db.errorString());
            return std::nullopt;
        }
    }
    return written(*r, options, path, double(clock.nsecsElapsed()) / 1e6);
}

std::optional<Written> writePostgres(const Shape &shape, const PgTestServer &server,
                                     const QString &database, const Options &options,
                                     QString *error)
{
    const Recipe *r = recipe(shape);
    if (!r || !r->postgres) {
        *error = u"%1 is not a PostgreSQL shape"_s.arg(shape.name);
        return std::nullopt;
    }
    // Roles belong to the cluster: one per database, so that several stores can share it.
    const QString reader = database + u"_reader"_s;
    const QString password = u"foreign-reader"_s; // a throwaway server on 127.0.0.1 only
    QElapsedTimer clock;
    clock.start();
    if (!server.createDatabase(database, error) ||
        !server.exec(database, r->postgres(options), error) ||
        !server.createReader(reader, password, database, r->schemas, error))
        return std::nullopt;
    return written(*r, options, server.url(reader, password, database),
                   double(clock.nsecsElapsed()) / 1e6);
}

} // namespace ForeignStores

#pragma once

// Stores Eventscope did not write, in the shapes real event stores come in: its own table
// with integer, REAL or offset-ISO times, with and without the type and time indexes, BLOB
// and zlib payloads, a table under other names read through a column mapping, and the tables
// of the libraries of ../shared/LAYOUTS.md on SQLite and PostgreSQL. Written from those facts,
// not by DemoGenerator, so that the tests and the benchmark see what users' stores look like.
//
// Every shape holds the same kind of events: `events` events over `streams` streams, one of
// them (the first, "big" stream) holding `bigStreamEvents` of them spread evenly over the
// store, times stepping evenly over 30 days in position order, small nested JSON payloads.
// The same options and seed give the same store. In randomized mode the payloads carry
// nested objects and arrays, unicode, escapes, numbers of every form and the odd non-object
// payload, and times take the odd forms (fractions of any length, offsets, NULL) the shape's
// columns allow: material for comparing Eventscope's hot and generic paths.
//
// SQLite stores are written over the C API (one prepared insert, one transaction, no journal,
// indexes built after the rows); PostgreSQL stores by the server itself from generate_series.

#include "store/storelayout.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

class PgTestServer;

namespace ForeignStores {

// How a shape keeps its payload column, for a baseline that reads it raw.
enum class PayloadForm { Text, Blob, Zlib };

struct Shape
{
    QString name; // "own-int-ms-noidx", "axon", "message-db", ...
    QString description;
    SqlDialect dialect = SqlDialect::Sqlite;
    QString layoutId; // what Eventscope's detection must report ("mapped" with mapSpec)
    QString mapSpec;  // the --map spec that reads the shape; empty = detected

    // For baselines that read the store without Eventscope. SQLite statements take ?1, ?2;
    // PostgreSQL ones $1, $2.
    QString foldSql;   // position, version, payload of stream ?1 in version order
    QString boundsSql; // MIN and MAX of the position
    // The columns an index of the events reads (stream, version, type, time, or the payload
    // that holds what the shape has no column for), positions in [?1, ?2)
    QString scanSql;
    PayloadForm payload = PayloadForm::Text;
    bool typedValues = false; // Python eventsourcing's {"_type_", "_data_"} wrappers
};

struct Options
{
    qint64 events = 10000;
    int streams = 100;
    qint64 bigStreamEvents = 0; // in the first stream, part of `events`; 0 = no big stream
    quint64 seed = 42;
    bool randomized = false;
};

struct Written
{
    QString location; // the SQLite file, or the reading role's postgresql:// URL
    qint64 events = 0;
    QString bigStream; // the first stream's name, as Eventscope shows it
    qint64 bigStreamEvents = 0; // its events; 0 when the options asked for no big stream
    double generationMs = 0;
};

// Every shape, SQLite ones first.
const QVector<Shape> &shapes();
QStringList names();
const Shape *find(const QString &name);

// What a store written with these options at that location holds, without writing it: for a
// store written earlier (generationMs 0).
Written describe(const Shape &shape, const QString &location, const Options &options);

// Writes the SQLite shape to a new file at path (an existing file is replaced). nullopt with
// *error on failure.
std::optional<Written> writeSqlite(const Shape &shape, const QString &path,
                                   const Options &options, QString *error);
// Creates the database on the running server, fills it as the shape's library would, and
// creates a read-only role for it.
std::optional<Written> writePostgres(const Shape &shape, const PgTestServer &server,
                                     const QString &database, const Options &options,
                                     QString *error);

} // namespace ForeignStores

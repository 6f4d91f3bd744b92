#pragma once

// NEventStore's Commits table (../shared/LAYOUTS.md row 12) as its SQL persistence writes it,
// on SQLite and PostgreSQL: one row per commit of one to several events of a stream, the
// commit's events a serialised List<EventMessage> in Payload (JSON with "$type"; now and then
// with every type name written, a UTF-8 byte order mark, or a BSON payload that is no JSON),
// streams in the bucket "default" and in a second bucket, CheckpointNumber the table's key
// with a gap now and then (commits purged). Written from those facts, not by DemoGenerator,
// for tests and the benchmark; the same options give the same store.

#include <QByteArray>
#include <QRandomGenerator>
#include <QString>
#include <QVector>

#include <optional>

class PgTestServer;

namespace NEventStoreCommits {

struct Options
{
    qint64 commits = 1000;
    int streams = 50;
    int maxEventsPerCommit = 4; // each commit holds 1..max events
    quint64 seed = 42;
};

// One event as Eventscope is to read it (see NEventStoreLayout).
struct Event
{
    qint64 position = 0;
    QString stream;
    qint64 version = 0;
    QString type; // empty for a payload that is not JSON
    qint64 timeMs = 0;
};

struct Commit
{
    QString bucket;
    QString stream; // StreamIdOriginal
    qint64 checkpoint = 0;
    qint64 revision = 0; // the stream's revision after the commit
    int items = 0;
    int sequence = 0; // CommitSequence
    qint64 stampMs = 0;
    QByteArray payload;
    QVector<Event> events; // what Eventscope reads from it
};

// The commits of a store, one after the other.
class Generator
{
public:
    explicit Generator(const Options &options);
    // The next commit; false after the last.
    bool next(Commit *commit);

private:
    Options m_options;
    QRandomGenerator m_rng;
    qint64 m_made = 0;
    qint64 m_checkpoint = 0;
    QVector<qint64> m_revisions;
    QVector<int> m_sequences;
};

// Every event of a store written with these options, in position order.
QVector<Event> events(const Options &options);

// Writes a new SQLite file at path (an existing one is replaced).
bool writeSqlite(const QString &path, const Options &options, QString *error);
// Creates the database on the running server, fills it and returns the URL of a role that
// only reads it.
std::optional<QString> writePostgres(const PgTestServer &server, const QString &database,
                                     const Options &options, QString *error);

} // namespace NEventStoreCommits

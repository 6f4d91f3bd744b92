#pragma once

// Small stores in the tables of real event-sourcing libraries, written by the tests from the
// facts of ../shared/LAYOUTS.md (not by Eventscope), each holding the same five events in the
// library's own spelling: its stream names, version numbering, type names, time format and
// payload encoding. A fixture knows what Eventscope must read back.

#include "core/event.h"
#include "store/storelayout.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

struct ExpectedEvent
{
    QString stream;
    qint64 version = 0;
    QString type;
    qint64 timeMs = NoTime;
    QByteArray data; // decoded: compared as JSON when it is JSON, else byte for byte
};

struct LayoutFixture
{
    QString name;     // e.g. "axon (jpa, xml)"
    QString layoutId; // what detection must report
    SqlDialect dialect = SqlDialect::Sqlite;
    QString
        schema; // PostgreSQL: the schema the tables live in ("public" unless the library differs)
    // Creates and fills the tables; "%READER%" stands for the PostgreSQL role that reads.
    QStringList sql;
    QVector<ExpectedEvent> events;     // in global order
    bool jsonPayloads = true;          // the default projection folds them into a state
    QVector<StoredSnapshot> snapshots; // of events.first().stream, in version order
};

class EventStore;

namespace LayoutFixtures {
// Every fixture of the dialect: layouts 1-10 wherever the library supports that dialect.
QVector<LayoutFixture> all(SqlDialect dialect);
// Layouts 13-15 (Emmett, Castore, Acuris) wherever the library supports that dialect: composite
// stream keys, partitions, archived rows and rows of other partitions that are not events.
QVector<LayoutFixture> libraries(SqlDialect dialect);
// Layouts 11-12 (Prooph, NEventStore; splitstorefixtures.cpp) wherever the library supports
// that dialect: a table per stream, several events per commit row.
QVector<LayoutFixture> splitStores(SqlDialect dialect);
// SQLite stores whose types or times are strings inside JSON (EventFlow's Metadata, Python
// eventsourcing's state), each row's JSON odd in its own way: escapes, repeated keys, numbers,
// booleans, arrays, objects and null at the path, JSON that is not valid or is nested deeper
// than simdjson reads, BLOBs (in a UTF-8 and a UTF-16 database), bytes that are not UTF-8,
// NULL. What they hold is what the generic path reads: tests compare the C API reader and the
// index with it.
struct OddJsonStore
{
    QString name;
    QString layoutId;
    QStringList sql;
    QStringList streams;
};
QVector<OddJsonStore> oddJsonRoleStores();
// The fold of the fixture's events of one stream with the default projection.
QByteArray expectedState(const LayoutFixture &fixture, const QString &stream);
// Reads everything back through the store (detection, summary, pages, streams, filters,
// buckets, replay, snapshots); empty when all is as the fixture expects, else the first
// difference.
QString verify(EventStore &store, const LayoutFixture &fixture);
} // namespace LayoutFixtures

#pragma once

// NEventStore's SQL persistence (LAYOUTS.md row 12) on SQLite and PostgreSQL: a row of
// `Commits` holds the serialised list of the events of one commit. The layout expands each
// row into its events in the FROM clause (SQLite's json_each, PostgreSQL's
// jsonb_array_elements WITH ORDINALITY), so that counting, paging, the index, replays and the
// C API readers all see one row per event without knowing it:
//   position = CheckpointNumber * 100000 + the event's place in its commit (from 1)
//   stream   = StreamIdOriginal, as "BucketId/StreamIdOriginal" outside the bucket "default"
//   version  = StreamRevision - Items + the event's place in its commit
//   type     = the short class name of the body's "$type" (else the header EventType)
//   time     = CommitStamp; data = Body (without "$type"); metadata = the event's Headers
// A Payload that is not the JSON serialisation (BSON, binary) is one event holding the
// commit's bytes, without a type; the read notice counts those of the first CommitsLooked
// commits. SQL Server and MySQL stores
// are not read (Eventscope reads SQLite and PostgreSQL).

#include "store/storecatalog.h"
#include "store/storelayout.h"

#include <QSqlDatabase>
#include <QStringList>

class NEventStoreLayout
{
public:
    static constexpr qint64 CommitStride = 100000; // positions per commit
    // The commits whose payloads are looked at for the read notice, the first ones: opening
    // a store reads no more of it.
    static constexpr qint64 CommitsLooked = 2000;

    // The layout of each Commits table of the catalog. Reads the first CommitsLooked commits
    // to count those that are not JSON. nearMisses gets a line for a Commits table without
    // NEventStore's columns.
    static QVector<StoreLayout> match(QSqlDatabase &db, const StoreCatalog &catalog,
                                      QStringList *nearMisses);
};

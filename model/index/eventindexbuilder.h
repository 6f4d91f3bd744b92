#pragma once

// Builds the EventIndex of a store: the position range is split in two halves, scanned at
// once (over the sqlite3 C API, or over libpq on PostgreSQL), one on the caller's store and
// one on a second EventStore opened by a second thread (a connection cannot move between
// threads), then merged. Reports progress in events and stops between rows when cancelled.

#include "core/jobcontrol.h"
#include "index/eventindex.h"

#include <QString>

#include <memory>

class EventStore;

class EventIndexBuilder
{
public:
    // Beyond this many positions the columns would take more memory than a window should
    // (about 26 bytes per event): such stores keep answering through SQL.
    static constexpr qint64 MaxEvents = 40000000;

    // nullptr with *error when the store cannot be indexed (times only in the payload, too
    // large), the scan fails or the job is cancelled.
    static std::shared_ptr<const EventIndex> build(EventStore &store, const JobControl &job,
                                                   QString *error);
};

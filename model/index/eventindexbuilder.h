#pragma once

// Builds the EventIndex of a store: the position range is split in two halves, scanned at
// once (over the sqlite3 C API, or over libpq on PostgreSQL), one on the caller's store and
// one on a second EventStore opened by a second thread (a connection cannot move between
// threads), then merged. Reports progress in events and stops between rows when cancelled.

#include "core/jobcontrol.h"
#include "index/eventindex.h"

#include <QString>

#include <memory>
#include <optional>

class EventStore;

class EventIndexBuilder
{
public:
    // Beyond this many positions the columns would take more memory than a window should
    // (18 to 26 bytes an event, see EventIndex): such stores keep answering through SQL.
    static constexpr qint64 MaxEvents = 40000000;

    // nullptr with *error when the store cannot be indexed (times only in the payload, too
    // large), the scan fails or the job is cancelled.
    static std::shared_ptr<const EventIndex> build(EventStore &store, const JobControl &job,
                                                   QString *error);
    // The index of the store after it has grown: `index`'s columns (copied) and the events
    // after its last position; `index` itself when there are none. nullptr with *error when
    // the store changed otherwise (events before that position came or went), the scan fails
    // or the job is cancelled: then only build() answers.
    static std::shared_ptr<const EventIndex> extend(const std::shared_ptr<const EventIndex> &index,
                                                    EventStore &store, const JobControl &job,
                                                    QString *error);
    // The store's exact summary, as `eventscope-cli info` gives it: from the index's one
    // two-thread scan, which is then attached to the store for the answers after it, where
    // the store can be indexed; else from summary()'s SQL, which reads the store once per
    // figure. nullopt with the store's errorString() when the SQL fails.
    static std::optional<StoreSummary> exactSummary(EventStore &store, const JobControl &job = {});
};

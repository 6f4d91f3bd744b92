#pragma once

// Builds the EventIndex of a store (EventIndexBuild, in one go): the position range is split
// in two halves, scanned at once (over the sqlite3 C API, or over libpq on PostgreSQL), one on the
// caller's store and one on a second EventStore opened by a second thread (a connection cannot move
// between threads), then merged. Reports progress in events and stops between rows when cancelled.

#include "core/jobcontrol.h"
#include "index/eventindex.h"

#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <thread>

class EventStore;
namespace EventIndexBuilding {
struct Part;
}

// One build of an index, in parts, for a caller that answers other requests between them (the
// window's worker): the later half of the positions is scanned on a thread of its own from the
// start, the earlier half on the caller's store a bounded part per advance(), so that nothing
// the caller is asked waits for the whole scan.
class EventIndexBuild
{
public:
    enum class State { Running, Done, Failed };

    // nullptr with *error when the store cannot be indexed (too large, its positions cannot be
    // read).
    static std::unique_ptr<EventIndexBuild> start(EventStore &store, QString *error);
    // Stops and waits for the later half's thread.
    ~EventIndexBuild();
    EventIndexBuild(const EventIndexBuild &) = delete;
    EventIndexBuild &operator=(const EventIndexBuild &) = delete;

    // Scans the next `positions` positions of the earlier half on `store` (the one start() was
    // given), or, that half done, waits up to a progress interval for the later one. Running:
    // call again. Failed: errorString() says why (cancelled by the job, or the scan failed).
    State advance(EventStore &store, const JobControl &job, qint64 positions);
    // After Done: the index (nullptr with *error when it cannot hold the events).
    std::shared_ptr<const EventIndex> finish(QString *error);
    const QString &errorString() const { return m_error; }

private:
    static constexpr int ProgressMs = 50;

    EventIndexBuild(EventStore &store, qint64 first, qint64 last);
    State fail(const JobControl &job, const QString &why);

    EventStore *m_store;
    QString m_name;
    qint64 m_first;
    qint64 m_last;
    qint64 m_span;
    qint64 m_middle = 0;  // the earlier half is (m_first - 1, m_middle]
    qint64 m_scannedUpTo; // of the earlier half
    std::unique_ptr<EventIndexBuilding::Part> m_early;
    std::unique_ptr<EventIndexBuilding::Part> m_late;
    std::atomic<qint64> m_rows{0}; // scanned by both halves
    std::atomic_bool m_stop{false};
    JobControl m_lateJob; // the later half's: stops on m_stop
    std::atomic_bool m_lateFinished{false};
    bool m_lateOk = false; // read once m_lateFinished
    std::thread m_lateThread;
    QString m_error;
};

class EventIndexBuilder
{
public:
    // Beyond this many positions the columns would take more memory than a window should
    // (18 to 26 bytes an event, see EventIndex): such stores keep answering through SQL.
    static constexpr qint64 MaxEvents = 40000000;

    // nullptr with *error when the store cannot be indexed (too large), the scan fails or the
    // job is cancelled.
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

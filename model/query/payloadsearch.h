#pragma once

// Which events' payloads satisfy a predicate? Reads the events a filter selects in position
// order (EventWalk), and hands on those whose decoded data
// satisfies the predicate; a path whose first key is "metadata" reads the event's metadata
// instead. Where the store can, the pages are narrowed in SQL first (PayloadSqlFilter); the
// predicate is still evaluated on every event read, so that the answer is the same either way.

#include "core/event.h"
#include "core/jobcontrol.h"
#include "query/predicate.h"
#include "store/payloadsqlfilter.h"

#include <functional>
#include <optional>

class EventStore;

class PayloadSearch
{
public:
    enum class Method { Sql, Scan };
    // Called for each matching event; false stops the search (the output cannot be written).
    using Sink = std::function<bool(const Event &)>;

    // preferred: Scan never narrows in SQL (for comparing the two).
    PayloadSearch(EventStore &store, const Predicate &predicate, Method preferred = Method::Sql);

    // The events of `filter` (from its afterPosition; its limit is ignored) whose
    // payload satisfies the predicate, at most `limit` of them. False when a read fails, the
    // job is cancelled (errorString() "cancelled") or the sink says stop.
    bool run(EventFilter filter, qint64 limit, const Sink &sink, const JobControl &job = {});
    // How run() read: Sql when the store narrowed the rows.
    Method method() const { return m_method; }
    // The events read and tested.
    qint64 eventsRead() const { return m_read; }
    QString errorString() const { return m_error; }

    // The exact test, on the event as decoded.
    static bool holds(const Predicate &predicate, const Event &event);

    // The walk of run(), shared with TextSearch: the events of `filter` in position order,
    // narrowed by `condition` where there is one, each event read confirmed by `matches`, at
    // most `limit` found; progress by position. False with *error on a failure or cancel.
    static bool scan(EventStore &store, const EventFilter &filter,
                     const std::optional<PayloadSqlCondition> &condition, qint64 limit,
                     const std::function<bool(const Event &)> &matches, const Sink &sink,
                     const JobControl &job, qint64 *read, QString *error);

private:
    EventStore &m_store;
    const Predicate &m_predicate;
    Method m_method;
    qint64 m_read = 0;
    QString m_error;
};

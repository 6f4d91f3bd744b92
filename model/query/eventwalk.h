#pragma once

// Every event a filter selects, in the order EventStore::events() pages them (position order;
// version order within one stream), handed one by one to a visitor, for the questions about
// the whole store (search, check, schema, read models). On SQLite one statement is stepped
// over the C API (EventStore::eventScan): pages of QSqlQuery rows cost a check of ten million
// events several times the scan itself. On PostgreSQL the walk reads keyset pages of
// events(), as a stream of pages is what its driver gives.
//
// Progress is reported by position, from where the walk starts to the store's last position;
// the cancel flag is looked at every few thousand events (and a running statement is stopped
// by the store's interrupter, which the session's workers hold).

#include "core/event.h"
#include "core/jobcontrol.h"
#include "core/storeerror.h"
#include "store/payloadsqlfilter.h"

#include <QString>

#include <functional>

class EventStore;

class EventWalk
{
public:
    // False stops the walk; that is not a failure.
    using Visitor = std::function<bool(const Event &)>;

    // The filter's afterPosition is where the walk starts; its limit is ignored. An empty
    // condition narrows nothing.
    EventWalk(EventStore &store, const EventFilter &filter,
              const PayloadSqlCondition &condition = {});

    // False when a read fails or the job is cancelled (error() Cancelled, "cancelled").
    bool run(const Visitor &visit, const JobControl &job = {});
    qint64 eventsRead() const { return m_read; }
    const StoreError &error() const { return m_error; }
    QString errorString() const { return m_error.message; }

private:
    bool scan(const Visitor &visit, const JobControl &job);
    bool pages(const Visitor &visit, const JobControl &job);
    // Reports the position reached; true when the job goes on.
    bool progress(qint64 position, const JobControl &job);

    EventStore &m_store;
    EventFilter m_filter;
    PayloadSqlCondition m_condition;
    qint64 m_read = 0;
    qint64 m_first = 0;
    qint64 m_total = 0;
    qint64 m_done = 0;
    StoreError m_error;
};

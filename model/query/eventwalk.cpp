#include "query/eventwalk.h"

#include "store/eventstore.h"
#include "store/sqlitestreamreader.h"

using namespace Qt::StringLiterals;

namespace {

constexpr int PageSize = 1000;
constexpr qint64 EventsPerLook = 4096; // between looks at the cancel flag and reports

} // namespace

EventWalk::EventWalk(EventStore &store, const EventFilter &filter,
                     const PayloadSqlCondition &condition)
    : m_store(store), m_filter(filter), m_condition(condition)
{
}

bool EventWalk::run(const Visitor &visit, const JobControl &job)
{
    m_read = 0;
    m_done = 0;
    m_error = {};
    const auto range = m_store.positionRange();
    if (!range) {
        m_error = m_store.lastError();
        return false;
    }
    m_first = qMax(range->first - 1, m_filter.afterPosition);
    m_total = range->first > range->second ? 0 : qMax<qint64>(0, range->second - m_first);
    job.report(0, m_total);
    if (job.cancelled()) {
        m_error = StoreError::cancelled();
        return false;
    }
    const bool done =
        m_store.dialect() == SqlDialect::Sqlite ? scan(visit, job) : pages(visit, job);
    if (done)
        job.report(m_total, m_total);
    return done;
}

bool EventWalk::progress(qint64 position, const JobControl &job)
{
    // Within one stream positions may step back (a version written out of position order).
    m_done = qBound(m_done, position - m_first, m_total);
    job.report(m_done, m_total);
    if (!job.cancelled())
        return true;
    m_error = StoreError::cancelled();
    return false;
}

bool EventWalk::scan(const Visitor &visit, const JobControl &job)
{
    auto reader = m_store.eventScan(m_filter, m_condition);
    if (!reader) {
        m_error = m_store.lastError();
        return false;
    }
    for (;;) {
        switch (reader->next()) {
        case SqliteStreamReader::Step::Done:
            return true;
        case SqliteStreamReader::Step::Failed:
            m_error =
                reader->failure(m_store.location().displayName() + u": reading events failed"_s);
            return false;
        case SqliteStreamReader::Step::Row:
            break;
        }
        const Event event = reader->event();
        ++m_read;
        if (!visit(event))
            return true;
        if (m_read % EventsPerLook == 0 && !progress(event.position, job))
            return false;
    }
}

bool EventWalk::pages(const Visitor &visit, const JobControl &job)
{
    EventFilter filter = m_filter;
    filter.limit = PageSize;
    for (;;) {
        const auto page = m_store.events(filter, m_condition);
        if (!page) {
            m_error = m_store.lastError();
            return false;
        }
        for (const Event &event : *page) {
            ++m_read;
            if (!visit(event))
                return true;
        }
        if (page->size() < filter.limit)
            return true;
        filter.afterPosition = page->constLast().position;
        if (!progress(filter.afterPosition, job))
            return false;
    }
}

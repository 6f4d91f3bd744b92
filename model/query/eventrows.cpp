#include "query/eventrows.h"

#include "store/eventsbyposition.h"
#include "store/eventstore.h"

#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr int PageSize = 1000;

} // namespace

bool EventRows::read(EventStore &store, const QVector<Range> &ranges, const Sink &sink,
                     const JobControl &job, QString *error) const
{
    QVector<Range> wanted = ranges;
    if (wanted.isEmpty()) {
        qint64 rows = 0;
        if (positions) {
            rows = positions->size();
        } else {
            const auto count = store.countEvents(filter);
            if (!count) {
                *error = store.errorString();
                return false;
            }
            rows = *count;
        }
        if (rows == 0)
            return true;
        wanted = {{0, rows - 1}};
    }
    qint64 total = 0;
    for (const Range &range : std::as_const(wanted))
        total += range.second - range.first + 1;
    qint64 done = 0;
    job.report(0, total);
    for (const Range &range : std::as_const(wanted)) {
        // Where the filter's rows of the range start: right after the row before it.
        std::optional<qint64> after = std::numeric_limits<qint64>::min();
        if (!positions && range.first > 0) {
            after = store.seekPosition(filter, std::numeric_limits<qint64>::min(), range.first);
            if (!after) {
                *error = store.errorString();
                return false;
            }
        }
        for (qint64 row = range.first; row <= range.second;) {
            if (job.cancelled()) {
                *error = u"cancelled"_s;
                return false;
            }
            const int limit = int(qMin<qint64>(PageSize, range.second - row + 1));
            std::optional<QVector<Event>> page;
            if (positions) {
                page = EventsByPosition::read(store, positions->mid(row, limit));
            } else {
                EventFilter next = filter;
                next.afterPosition = *after;
                next.limit = limit;
                page = store.events(next);
            }
            if (!page) {
                *error = store.errorString();
                return false;
            }
            for (const Event &event : std::as_const(*page)) {
                if (!sink(event)) {
                    *error = u"the events could not be written"_s;
                    return false;
                }
            }
            done += limit;
            job.report(done, total);
            if (page->size() < limit)
                break; // the rows end sooner than the table said (it counted before)
            row += limit;
            after = page->constLast().position;
        }
    }
    return true;
}

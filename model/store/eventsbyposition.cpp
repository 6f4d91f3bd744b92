#include "store/eventsbyposition.h"

#include "store/eventstore.h"
#include "store/payloadsqlfilter.h"

#include <QHash>

using namespace Qt::StringLiterals;

std::optional<QVector<Event>> EventsByPosition::read(EventStore &store,
                                                     const QVector<qint64> &positions)
{
    const QString parameter =
        store.dialect() == SqlDialect::Postgres ? u"CAST(? AS bigint)"_s : u"?"_s;
    QHash<qint64, Event> found;
    found.reserve(positions.size());
    for (qsizetype start = 0; start < positions.size(); start += ChunkSize) {
        const QVector<qint64> chunk = positions.mid(start, ChunkSize);
        PayloadSqlCondition condition;
        QStringList marks;
        for (const qint64 position : chunk) {
            marks << parameter;
            condition.values << position;
        }
        condition.sql = u"%1 IN (%2)"_s.arg(store.layout().position, marks.join(u", "_s));
        EventFilter all;
        all.limit = int(chunk.size());
        const auto events = store.events(all, condition);
        if (!events)
            return std::nullopt;
        for (const Event &event : *events)
            found.insert(event.position, event);
    }
    QVector<Event> ordered;
    ordered.reserve(found.size());
    for (const qint64 position : positions) {
        const auto it = found.constFind(position);
        if (it != found.cend())
            ordered.append(*it);
    }
    return ordered;
}

#include "query/payloadsearch.h"

#include "decoding/payload.h"
#include "query/eventwalk.h"
#include "store/eventstore.h"
#include "store/payloadsqlfilter.h"

#include <optional>

using namespace Qt::StringLiterals;

namespace {

QJsonValue document(const QByteArray &payload)
{
    return Payload::toJson(payload).value_or(QJsonValue(QJsonValue::Undefined));
}

} // namespace

PayloadSearch::PayloadSearch(EventStore &store, const Predicate &predicate, Method preferred)
    : m_store(store), m_predicate(predicate), m_method(preferred)
{
}

bool PayloadSearch::holds(const Predicate &predicate, const Event &event)
{
    // Each document is parsed once, and only if a path reads it.
    std::optional<QJsonValue> data;
    std::optional<QJsonValue> metadata;
    return predicate.holds([&](const QueryPath &path) {
        const QVector<PathStep> &steps = path.steps();
        if (!steps.isEmpty() && steps.constFirst().kind == PathStep::Kind::Key &&
            steps.constFirst().key == u"metadata") {
            if (!metadata)
                metadata = document(event.metadata);
            return QueryPath(steps.mid(1)).valueIn(*metadata);
        }
        if (!data)
            data = document(event.data);
        return path.valueIn(*data);
    });
}

bool PayloadSearch::run(EventFilter filter, qint64 limit, const Sink &sink, const JobControl &job)
{
    m_error.clear();
    m_read = 0;
    const std::optional<PayloadSqlCondition> condition =
        m_method == Method::Sql
            ? PayloadSqlFilter::build(m_predicate, m_store.layout(), m_store.dialect())
            : std::nullopt;
    m_method = condition ? Method::Sql : Method::Scan;
    return scan(
        m_store, filter, condition, limit,
        [this](const Event &event) { return holds(m_predicate, event); }, sink, job, &m_read,
        &m_error);
}

bool PayloadSearch::scan(EventStore &store, const EventFilter &filter,
                         const std::optional<PayloadSqlCondition> &condition, qint64 limit,
                         const std::function<bool(const Event &)> &matches, const Sink &sink,
                         const JobControl &job, qint64 *read, QString *error)
{
    if (limit <= 0)
        return true;
    qint64 found = 0;
    bool written = true;
    EventWalk walk(store, filter, condition.value_or(PayloadSqlCondition()));
    const bool walked = walk.run(
        [&](const Event &event) {
            if (!matches(event))
                return true;
            written = sink(event);
            return written && ++found < limit;
        },
        job);
    *read = walk.eventsRead();
    if (!written) {
        *error = u"the search's output could not be written"_s;
        return false;
    }
    if (!walked) {
        *error = walk.errorString();
        return false;
    }
    return true;
}

#include "query/watchedpath.h"

#include "replay/replayengine.h"

WatchedPath::WatchedPath(const QueryPath &path) : m_path(path)
{
    const QVector<PathStep> &steps = path.steps();
    qsizetype keys = 0;
    while (keys < steps.size() && steps.at(keys).kind == PathStep::Kind::Key)
        m_keys << steps.at(keys++).key;
    m_rest = QueryPath(steps.mid(keys));
}

bool WatchedPath::update(const FoldedState &state)
{
    if (!state.touched(m_keys))
        return false;
    QJsonValue now = state.valueAt(m_keys);
    if (!m_rest.isEmpty())
        now = m_rest.valueIn(now);
    if (now == m_value)
        return false;
    m_previous = std::exchange(m_value, std::move(now));
    return true;
}

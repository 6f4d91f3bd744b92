#include "query/statebisect.h"

#include "query/watchedpath.h"

#include <vector>

using namespace Qt::StringLiterals;

std::optional<BisectResult> StateBisect::find(ReplayEngine &engine, const Predicate &predicate,
                                              const JobControl &job, QString *error)
{
    if (engine.eventCount() > 0) {
        *error = u"bisect needs a replay of %1 from its first event"_s.arg(engine.stream());
        return std::nullopt;
    }
    std::vector<WatchedPath> watched;
    for (const QueryPath &path : predicate.paths())
        watched.emplace_back(path);
    const auto valueAt = [&watched](const QueryPath &path) {
        for (const WatchedPath &w : watched) {
            if (w.path() == path)
                return w.value();
        }
        Q_UNREACHABLE();
        return QJsonValue(QJsonValue::Undefined);
    };
    std::optional<qint64> hit;
    engine.setFoldObserver([&](const FoldedEvent &event, const FoldedState &state) {
        bool changed = event.index == 0; // the first state is judged whatever it holds
        for (WatchedPath &w : watched)
            changed = w.update(state) || changed;
        // Unchanged values give the last answer again, which was "no".
        if (changed && predicate.holds(valueAt))
            hit = event.index;
        return !hit;
    });
    const bool loaded = engine.load(job);
    engine.setFoldObserver({});
    if (!loaded) {
        *error = engine.errorString();
        return std::nullopt;
    }
    BisectResult result;
    if (!hit) {
        result.eventsApplied = engine.eventCount();
        return result;
    }
    // The whole state at the answer, from the checkpoint before it.
    result.found = engine.stateAtIndex(*hit);
    if (!result.found) {
        *error = engine.errorString();
        return std::nullopt;
    }
    result.eventsApplied = *hit + 1;
    return result;
}

#include "query/statediff.h"

#include <algorithm>
#include <limits>

namespace {

// Folds as far as the sides on this engine's stream need: past the highest version asked
// for, or to the end for a time (times need not follow the versions).
bool loadFor(ReplayEngine &engine, const QVector<const DiffSide *> &sides, const JobControl &job)
{
    qint64 version = std::numeric_limits<qint64>::min();
    for (const DiffSide *side : sides) {
        if (side->timeMs != NoTime)
            return engine.load(job);
        version = std::max(version, side->version);
    }
    return engine.loadPastVersion(version, job);
}

std::optional<ReplayState> stateOf(ReplayEngine &engine, const DiffSide &side)
{
    return side.timeMs != NoTime ? engine.stateAtTime(side.timeMs)
                                 : engine.stateAtVersion(side.version);
}

} // namespace

std::optional<StateDiffResult> StateDiff::compare(EventStore &store, const Projection &projection,
                                                  const DiffSide &left, const DiffSide &right,
                                                  const JobControl &job, QString *error)
{
    // One fold serves both sides of the same stream.
    ReplayEngine leftEngine(store, left.stream, projection);
    const bool sameStream = left.stream == right.stream;
    std::optional<ReplayEngine> rightEngine;
    if (!sameStream)
        rightEngine.emplace(store, right.stream, projection);
    ReplayEngine &rightFold = sameStream ? leftEngine : *rightEngine;

    const auto fail = [error](const ReplayEngine &engine) {
        *error = engine.errorString();
        return std::nullopt;
    };
    if (!loadFor(leftEngine, sameStream ? QVector<const DiffSide *>{&left, &right}
                                        : QVector<const DiffSide *>{&left},
                 job))
        return fail(leftEngine);
    if (!sameStream && !loadFor(rightFold, {&right}, job))
        return fail(rightFold);
    auto leftState = stateOf(leftEngine, left);
    if (!leftState)
        return fail(leftEngine);
    auto rightState = stateOf(rightFold, right);
    if (!rightState)
        return fail(rightFold);
    StateDiffResult result;
    result.changes = JsonDiff::compare(leftState->state, rightState->state);
    result.left = std::move(*leftState);
    result.right = std::move(*rightState);
    return result;
}

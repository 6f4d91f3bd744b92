#pragma once

// The first event of a stream after which a predicate holds on the state ("when did it go
// wrong?"), for any predicate: it may hold, stop holding and hold again, so the answer is
// the one a scan from the first event finds, and this is that scan, in the replay's own first
// pass. It stops at the answer. Events that leave every path the predicate reads unchanged
// cannot change its truth, so it is evaluated only after the others (see WatchedPath).

#include "core/jobcontrol.h"
#include "query/predicate.h"
#include "replay/replayengine.h"

#include <optional>

struct BisectResult
{
    // The state after the first event where the predicate holds; none when it never does.
    std::optional<ReplayState> found;
    qint64 eventsApplied = 0; // events folded to reach the answer (all of them when none)
};

class StateBisect
{
public:
    // Runs the engine's first pass, which must not have begun; nullopt, with *error, when it
    // fails or is cancelled.
    static std::optional<BisectResult> find(ReplayEngine &engine, const Predicate &predicate,
                                            const JobControl &job, QString *error);
};

#include "replay/snapshotcomparison.h"

#include "decoding/payload.h"

using namespace Qt::StringLiterals;

SnapshotComparison SnapshotComparison::compare(const StoredSnapshot &snapshot, ReplayEngine &engine)
{
    SnapshotComparison result;
    result.m_snapshot = snapshot;
    result.m_replayed = engine.stateAtVersion(snapshot.version);
    const auto json = Payload::toJson(snapshot.data);
    if (!result.m_replayed)
        result.m_problem = engine.errorString();
    else if (!json)
        result.m_problem = u"the stored snapshot is not JSON, so it cannot be compared field by "
                           "field"_s;
    else if (!json->isObject())
        result.m_problem = u"the stored snapshot is not a JSON object, so it cannot be compared "
                           "field by field"_s;
    if (!result.isComparable())
        return result;
    result.m_stored = json->toObject();
    result.m_differences = JsonDiff::compare(result.m_stored, result.m_replayed->state);
    return result;
}

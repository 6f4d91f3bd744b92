#pragma once

// What differs between two moments of one stream, or between two streams: each side is a
// stream's state after the last event at or before a version or a time, as ReplayEngine
// folds it, and the changes from left to right are JsonDiff's, sorted by path.

#include "core/event.h"
#include "core/jobcontrol.h"
#include "replay/jsondiff.h"
#include "replay/projection.h"
#include "replay/replayengine.h"

#include <QString>
#include <QVector>

#include <optional>

class EventStore;

// A stream at a version (the last event with version <= it) or, when timeMs is set, at a time.
struct DiffSide
{
    QString stream;
    qint64 version = 0;
    qint64 timeMs = NoTime;
};

struct StateDiffResult
{
    ReplayState left;
    ReplayState right;
    QVector<JsonChange> changes; // from left to right
};

class StateDiff
{
public:
    // nullopt, with *error, when a side cannot be folded: no such stream, a version past its
    // end, a failed read, a cancel.
    static std::optional<StateDiffResult> compare(EventStore &store, const Projection &projection,
                                                  const DiffSide &left, const DiffSide &right,
                                                  const JobControl &job, QString *error);
};

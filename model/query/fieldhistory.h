#pragma once

// Which events of a stream changed the value at one path, and how ("blame" for a field): the
// event's version, position, time and type with the value before and after it. A value set
// to what it already was is not a change; 1 and 1.0 are the same number.

#include "core/jobcontrol.h"
#include "query/predicate.h"
#include "replay/jsondiff.h"

#include <QJsonValue>
#include <QString>

#include <functional>

class ReplayEngine;

struct FieldChange
{
    qint64 index = 0; // of the event in the stream, from 0
    qint64 version = 0;
    qint64 position = 0;
    qint64 timeMs = 0;
    QString type;
    JsonChange change; // path in display form; before/after Undefined when there is none
};

class FieldHistory
{
public:
    // Hands each change to `sink` in version order (false from it stops the walk); the
    // answer comes from the engine's first pass, which it runs: the engine must not have
    // begun it. False, with *error, when the pass fails or is cancelled, or the engine had
    // folded events already.
    static bool walk(ReplayEngine &engine, const QueryPath &path,
                     const std::function<bool(const FieldChange &)> &sink, const JobControl &job,
                     QString *error);
};

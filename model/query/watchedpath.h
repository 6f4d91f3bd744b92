#pragma once

// The value at one path of a stream's state, followed event by event through a fold
// (ReplayEngine's FoldObserver): the path's leading object keys are read from the fold, the
// rest (from its first array index on) in the value found there. Events that provably leave
// the value alone (FoldedState::touched) cost no read.

#include "query/predicate.h"

#include <QJsonValue>
#include <QStringList>

class FoldedState;

class WatchedPath
{
public:
    explicit WatchedPath(const QueryPath &path);

    const QueryPath &path() const { return m_path; }
    // Reads the value after an event; true when it differs, as JSON (1 == 1.0), from the value
    // before it. Before the first event the value is that of the empty state: absent.
    bool update(const FoldedState &state);
    const QJsonValue &value() const { return m_value; }
    // The value before the last change update() reported.
    const QJsonValue &previous() const { return m_previous; }

private:
    QueryPath m_path;
    QStringList m_keys;
    QueryPath m_rest;
    QJsonValue m_value = QJsonValue(QJsonValue::Undefined);
    QJsonValue m_previous = QJsonValue(QJsonValue::Undefined);
};

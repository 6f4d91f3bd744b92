#pragma once

// A snapshot a library stored beside the state the replay folds at the same version, and the
// fields where they differ. Both the window and eventscope-cli compare through this, so that
// what the dialog shows can be checked from a shell. Only a snapshot whose data is a JSON
// object can be compared field by field; others (Axon's XStream XML) carry a problem instead.

#include "core/event.h"
#include "replay/jsondiff.h"
#include "replay/replayengine.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

#include <optional>

class SnapshotComparison
{
public:
    // Folds the engine's stream to the snapshot's version; the engine must be loaded.
    static SnapshotComparison compare(const StoredSnapshot &snapshot, ReplayEngine &engine);

    const StoredSnapshot &snapshot() const { return m_snapshot; }
    // The fold's state at the snapshot's version; none when the stream has no such version.
    const std::optional<ReplayState> &replayed() const { return m_replayed; }
    // Why the two cannot be compared field by field; empty when they were.
    QString problem() const { return m_problem; }
    bool isComparable() const { return m_problem.isEmpty(); }
    bool isIdentical() const { return isComparable() && m_differences.isEmpty(); }
    QJsonObject stored() const { return m_stored; } // the snapshot's data, when comparable
    // From the stored snapshot to the replayed state: Added is only in the replay, Removed
    // only in the snapshot.
    const QVector<JsonChange> &differences() const { return m_differences; }

private:
    StoredSnapshot m_snapshot;
    std::optional<ReplayState> m_replayed;
    QString m_problem;
    QJsonObject m_stored;
    QVector<JsonChange> m_differences;
};

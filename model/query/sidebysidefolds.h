#pragma once

// Side by side's columns: one loaded ReplayEngine per stream, kept from one cursor move to the
// next, so that a move of the shared time cursor moves each fold from where it stands
// (forward: only the events between the two times; backward: from the engine's nearest
// checkpoint) instead of folding every stream again from its first event.
// It lives on the questions' worker: one statesAt() at a time (a mutex makes sure). The
// engines read through the store they were loaded on, so they are dropped when another store
// is passed; the window makes a new SideBySideFolds when the store or the projection changes.

#include "core/jobcontrol.h"
#include "core/storeerror.h"
#include "replay/projection.h"
#include "replay/replayengine.h"

#include <QMutex>
#include <QStringList>
#include <QVector>

#include <map>
#include <memory>
#include <optional>

class EventStore;

class SideBySideFolds
{
public:
    explicit SideBySideFolds(const Projection &projection,
                             const ReplayEngine::Options &options = {});
    ~SideBySideFolds();
    SideBySideFolds(const SideBySideFolds &) = delete;
    SideBySideFolds &operator=(const SideBySideFolds &) = delete;

    // Each stream's state after its last event at or before timeMs, in the order given. A
    // stream not folded yet is loaded first; streams no longer named are let go. nullopt with
    // *error on a failure or cancel (the folds that were loaded stay).
    std::optional<QVector<ReplayState>> statesAt(EventStore &store, const QStringList &streams,
                                                 qint64 timeMs, const JobControl &control,
                                                 StoreError *error);
    // The events the last statesAt() applied to move the folds (not the first passes).
    qint64 lastApplications() const { return m_lastApplications; }

private:
    Projection m_projection;
    ReplayEngine::Options m_options;
    QMutex m_mutex;
    const EventStore *m_store = nullptr; // the engines read through it
    std::map<QString, std::unique_ptr<ReplayEngine>> m_engines;
    qint64 m_lastApplications = 0;
};

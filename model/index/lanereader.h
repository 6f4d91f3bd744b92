#pragma once

// Reads the timeline's lanes of an open store: the chosen stream and then the busiest ones,
// each as the compact columns the timeline draws (StreamColumns). From the store's index when
// it serves streams (one pass over memory), else from the store: over SQLite's C API where it
// can, else in pages of events. Asks the store for its busiest streams once (a full scan), so
// one reader belongs to one open store and the thread that uses it.

#include "core/jobcontrol.h"
#include "core/storeerror.h"
#include "index/eventindex.h"

#include <QStringList>
#include <QVector>

#include <optional>

class EventStore;
struct StreamInfo;

class LaneReader
{
public:
    explicit LaneReader(EventStore &store);

    // The stream `first` (if any) and then the busiest others, `count` lanes in all; nullopt
    // with lastError() on failure or cancel.
    std::optional<QVector<StreamColumns>> read(const QString &first, int count,
                                               const JobControl &job = {});
    const StoreError &lastError() const { return m_error; }

private:
    std::optional<StreamColumns> readStream(const QString &stream, const JobControl &job);
    std::optional<StreamColumns> readStreamInPages(const QString &stream, const JobControl &job);

    EventStore &m_store;
    std::optional<QStringList> m_busiest; // asked once
    int m_busiestAsked = 0;               // how many were asked for
    StoreError m_error;
};

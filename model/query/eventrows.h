#pragma once

// The rows of the event table, read again on a worker for what goes beyond the rows the table
// has loaded: an export of what the table shows or of a selection, a copy of a selection
// spanning pages never shown. The rows are a filter's events (keyset paging, as the table
// reads them) or a search's matches (their positions, read by EventsByPosition).

#include "core/event.h"
#include "core/jobcontrol.h"

#include <QPair>
#include <QVector>

#include <functional>
#include <memory>

class EventStore;

struct EventRows
{
    EventFilter filter;                               // its afterPosition and limit aside
    std::shared_ptr<const QVector<qint64>> positions; // the matches; null: the filter's events

    // First and last row, both included.
    using Range = QPair<qint64, qint64>;
    // Called for each event in row order; false stops the read.
    using Sink = std::function<bool(const Event &)>;

    // The events of the ranges (ascending, not overlapping; empty: every row) to the sink, with
    // progress in rows. False when a read fails (*error says why), the job is cancelled
    // (*error "cancelled") or the sink stops.
    bool read(EventStore &store, const QVector<Range> &ranges, const Sink &sink,
              const JobControl &job, QString *error) const;
};

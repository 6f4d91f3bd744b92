#pragma once

// Events read back by their positions: the rows of a search's matches, which are kept as
// positions only (eight bytes an event, however many match), read a page at a time for the
// table, an export or a copy. One parameterised `position IN (...)` query per chunk of
// positions, through the position's index.

#include "core/event.h"

#include <QVector>

#include <optional>

class EventStore;

class EventsByPosition
{
public:
    // The most positions one query binds (SQLite's oldest limit is 999 parameters).
    static constexpr int ChunkSize = 500;

    // The events at `positions`, in the order given; a position no event holds is left out.
    // nullopt when a read fails (the store's lastError() says why).
    static std::optional<QVector<Event>> read(EventStore &store, const QVector<qint64> &positions);
};

#pragma once

// A Message DB store (LAYOUTS.md, layout 1) on a temporary local PostgreSQL server, for the
// benchmark. The server fills it itself from generate_series, so that a million events take
// seconds rather than minutes of client inserts; the store is gone with the object, so
// nothing is cached between runs.

#include "pgtestserver.h"

#include <QString>

class PgDemoStore
{
public:
    // Starts the server and fills the store: `events` events over `streams` streams user-<n>,
    // a few event types, times over 30 days, jsonb payloads; then the table is vacuumed and
    // analysed, as autovacuum would have done to a store of that age. False with *error.
    bool create(qint64 events, int streams, QString *error);

    // A read-only role's postgresql:// URL of the store.
    QString url() const;
    // Connects a QPSQL connection of that name as the same role; false with *error.
    bool connect(const QString &connectionName, QString *error) const;
    double generationMs() const { return m_generationMs; }

    static constexpr qint64 SpanDays = 30;

private:
    PgTestServer m_server;
    double m_generationMs = 0;
};

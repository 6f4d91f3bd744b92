#pragma once

// The PostgreSQL replay baseline of issue 11, written directly against libpq (single-row
// mode, text results) with a simdjson fold (the bench's JsonState): what ReplayEngine's
// PostgreSQL hot path is measured against. It reads one Message DB stream in version order
// with the columns a replay needs (position, version, type, time, data), parses the time text
// and keeps the per-event index ReplayEngine keeps, so that both do the same work.

#include "jsonstate.h"

#include <QString>
#include <QVector>

#include <optional>

namespace PgBaseline {

struct Fold
{
    JsonState state;
    QVector<qint64> versions;
    QVector<qint64> positions;
    QVector<qint64> times; // ms since the epoch, UTC
    qint64 types = 0;      // how many distinct type names the stream has
};

// Connects with the postgresql:// URL, folds the stream of message_store.messages and
// disconnects; nullopt with *error on any failure.
std::optional<Fold> foldMessageDbStream(const QString &url, const QString &stream,
                                        QString *error);

} // namespace PgBaseline

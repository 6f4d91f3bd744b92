#pragma once

// A read model (CQRS): the events of the whole store folded, in position order, into one
// state per value of the projection's key (Projection::Key): a data path, the stream, or its
// category. Memory grows with the number of keys, never with the number of events: the
// events are read in keyset pages and only the states are kept.

#include "core/event.h"
#include "core/jobcontrol.h"
#include "replay/projection.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

class EventStore;

struct ReadModelRow
{
    QString key;
    qint64 events = 0; // folded into this state
    QJsonObject state;
};

struct ReadModelResult
{
    QVector<ReadModelRow> rows; // by key, compared as text
    // Events whose key is missing, or neither a string nor a number.
    qint64 skipped = 0;
};

class ReadModel
{
public:
    // Folds the events with one of `types` (all when empty). nullopt with the store's error
    // (or "cancelled") when reading fails; progress is reported in positions of the store's
    // range. The projection must have a key.
    static std::optional<ReadModelResult> compute(EventStore &store, const Projection &projection,
                                                  const QStringList &types, QString *error,
                                                  const JobControl &job = {});

    // The key an event folds under: a string as it is, a number as its JSON text (so 42 and
    // "42" are one key); nullopt when the event is skipped. data: the parsed payload.
    static std::optional<QString> keyOf(const Projection::Key &key, const Event &event,
                                        const QJsonValue &data);
};

#pragma once

// Prooph pdo-event-store on PostgreSQL (LAYOUTS.md row 11): `event_streams` lists the streams,
// each in a table of its own ('_' + sha1 of its name). The tables it lists are read as one
// event source, a UNION ALL whose position is the table's ordinal in event_streams order
// times 10^12 plus the event's `no` (so the events of one table keep their order and every
// position is the same each time the store is opened). Prooph has no SQLite support; its
// MySQL stores are not read because Eventscope reads no MySQL.

#include "store/storecatalog.h"
#include "store/storelayout.h"

#include <QSqlDatabase>
#include <QStringList>

#include <optional>

class ProophLayout
{
public:
    static constexpr qint64 TableStride = 1000000000000; // positions per stream table

    // The layout of each event_streams table of the catalog; reads the catalog's rows and,
    // per stream table, whether it holds one aggregate or many (single-stream strategy).
    // nearMisses gets a line for an event_streams table without Prooph's columns or that
    // cannot be read.
    static QVector<StoreLayout> match(QSqlDatabase &db, const StoreCatalog &catalog,
                                      QStringList *nearMisses);
};

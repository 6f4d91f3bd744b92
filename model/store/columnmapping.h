#pragma once

// A user's naming of the columns of one table by role, given as a spec string
// (table=events_v2,stream=aggregate_id,version=seq,...). It also renames the fields of an
// import (EventImporter). LayoutDetector turns a mapping into the StoreLayout that reads the
// table.

#include "decoding/timecodec.h"

#include <QString>
#include <QStringList>

#include <optional>

struct ColumnMapping
{
    QString table;
    QString position; // global order; empty = SQLite rowid
    QString stream;   // a column, or columns joined by '+' that together name a stream
    QString version;  // empty = the position stands for the version
    QString type;     // empty = events have no type
    QString time;     // empty = events have no time
    QString data;
    QString metadata;
    TimeFormat timeFormat = TimeFormat::IsoText;

    static ColumnMapping own();
    // Keys: table, position, stream, version, type, time, data, metadata, time_format.
    // timeFormatGiven tells whether the spec fixed the time format (else it is detected).
    static std::optional<ColumnMapping> fromSpec(const QString &spec, QString *error,
                                                 bool *timeFormatGiven = nullptr);
    // This mapping with the roles a spec names replaced (same keys as fromSpec; none required).
    std::optional<ColumnMapping> withSpec(const QString &spec, QString *error) const;
    QString toSpec() const;
    // The columns of the stream: one, or those that "a+b" names, in order.
    QStringList streamColumns() const;
};

#pragma once

// Where the events of a store live: which table, and which column plays which role. A layout
// is data, not a subclass per library; detection picks one, a user can give one as a spec
// string (table=events_v2,stream=aggregate_id,version=seq,...).

#include "timecodec.h"

#include <QString>

#include <optional>

struct StoreLayout
{
    QString id; // stable id reported by the CLI: "eventscope", "mapped", ...
    QString table;
    QString position; // global order; empty = SQLite rowid
    QString stream;
    QString version; // empty = the position stands for the version
    QString type;    // empty = events have no type
    QString time;    // empty = events have no time
    QString data;
    QString metadata;
    TimeFormat timeFormat = TimeFormat::IsoText;
    // True when the time column holds fixed-width ISO text that may be compared as strings
    // (and so through its index); other text is compared through SQLite's julianday().
    bool canonicalIsoTime = false;

    static StoreLayout own();
    // Keys: table, position, stream, version, type, time, data, metadata, time_format.
    // timeFormatGiven tells whether the spec fixed the time format (else it is detected).
    static std::optional<StoreLayout> fromSpec(const QString &spec, QString *error,
                                               bool *timeFormatGiven = nullptr);
    // This layout with the roles a spec names replaced (same keys as fromSpec; none required).
    std::optional<StoreLayout> withSpec(const QString &spec, QString *error) const;
    QString toSpec() const;
};

#pragma once

// How an imported file names the fields of an event, by role: Eventscope's own names or the
// column names of a library in shared/LAYOUTS.md. The namings are data, one table of role ->
// candidate names; a file's naming is recognised from its first record that names a stream.
// Each role lists candidates, the first one a record holds wins; "field.key" names a key in a
// JSON object field, or in JSON text held by it (EventFlow keeps the type and the time in
// Metadata, Prooph the stream in metadata).

#include "decoding/timecodec.h"
#include "store/columnmapping.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

struct FieldNaming
{
    enum Role { Position, Stream, Version, Type, Time, Data, Metadata, EventId, RoleCount };

    QString title; // "Message DB"
    std::array<QStringList, RoleCount> names;
    // IsoText also reads epoch seconds and milliseconds, told apart by their size.
    TimeFormat timeFormat = TimeFormat::IsoText;

    // The known naming that names the record's stream and most of its other fields, with the
    // roles the mapping names replaced (its table is unused) and each candidate spelled as the
    // record spells it, since names are compared without regard to case. None when no naming
    // finds a stream in the record.
    static std::optional<FieldNaming> detect(const QJsonObject &record,
                                             const ColumnMapping &mapping);
    // Every candidate name of the stream, for saying what a record lacks.
    static QString streamCandidates(const ColumnMapping &mapping);

    // The value of the first candidate the record holds, and that candidate's name; Undefined
    // when it holds none.
    QJsonValue value(const QJsonObject &record, Role role, QString *name = nullptr) const;
    // The candidates of a role for messages: "stream_name or stream_id".
    QString describe(Role role) const;
};

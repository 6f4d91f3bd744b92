#pragma once

// Imports a JSON Lines file (one event per line, fields named like Eventscope's own layout)
// into a new own-layout SQLite file. Lines that cannot be imported are reported with their
// line number and the reason; every valid line is imported.
//
// Fields: stream_id (required), type (required), recorded_at (ISO-8601 or epoch ms; default:
// missing time is an error), data, metadata (any JSON; strings are kept as text),
// stream_version (default: next in the stream), global_position (default: next), event_id.

#include "columnmapping.h"
#include "jobcontrol.h"

#include <QString>
#include <QVector>

class JsonlImporter
{
public:
    struct Rejected
    {
        qint64 line = 0;
        QString reason;
    };
    struct Report
    {
        qint64 imported = 0;
        QVector<Rejected> rejected;
    };

    // False (with error) when the input cannot be read or the output cannot be written.
    // fields names the JSON fields by role, as a layout names columns (its table is unused);
    // by default the own layout's names.
    static bool import(const QString &inputPath, const QString &outputPath, Report *report,
                       QString *error, const JobControl &job = {},
                       const ColumnMapping &fields = ColumnMapping::own());
};

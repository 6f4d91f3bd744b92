#pragma once

// Imports a file of events (JSON Lines, KurrentDB Atom pages or CSV; see ImportReader) into a
// new SQLite file in Eventscope's own layout. The fields are named like the own layout or like
// a library's tables (FieldNaming), recognised from the first record that names a stream.
// Records that cannot be imported are reported with their line number and the reason; every
// valid record is imported.
//
// Roles: stream (required), type (required), time (required: ISO-8601 text with any offset,
// or epoch seconds or milliseconds, as numbers or text), data and metadata (objects and
// arrays as JSON, text as it is, PostgreSQL bytea hex text "\x…" as its bytes), version
// (default: next in the stream), position (default: next), event id (text).

#include "core/jobcontrol.h"
#include "store/columnmapping.h"
#include "writers/importreader.h"

#include <QString>
#include <QVector>

struct ImportOptions
{
    ImportFormat format = ImportFormat::Detect; // Detect: by the file's content
    // Field names that replace the recognised naming's, by role (the table is unused); a
    // time_format other than iso reads every time that way.
    ColumnMapping fields;
};

class EventImporter
{
public:
    struct Rejected
    {
        qint64 line = 0;
        QString reason;
    };
    struct Report
    {
        ImportFormat format = ImportFormat::Detect;
        QString fields; // the naming's title: "Message DB"; empty when no record named a stream
        qint64 imported = 0;
        QVector<Rejected> rejected; // in line order
    };
    // False (with error) when the input cannot be read, the output cannot be written, or the
    // job was cancelled; nothing is left at outputPath then.
    static bool import(const QString &inputPath, const QString &outputPath, Report *report,
                       QString *error, const JobControl &job = {},
                       const ImportOptions &options = {});
};

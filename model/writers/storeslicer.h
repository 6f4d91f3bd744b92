#pragma once

// Writes a repro slice: a new SQLite store in the own layout holding exactly the events of
// some streams (in a time range, if given) of another store, of any layout, with their
// positions, versions, times, data and metadata, and a table slice_source saying where they
// came from. The source is only read (OwnStoreWriter writes the new file and nothing else).
// The own layout has room for neither an event without a time (recorded_at is NOT NULL) nor
// a position below 1 (it numbers those itself): such events are left out and counted, so
// that the slice never holds an event that is not the source's.

#include "core/event.h"
#include "core/jobcontrol.h"

#include <QMap>
#include <QString>
#include <QStringList>

class EventStore;

struct SliceRequest
{
    QStringList streams;
    qint64 fromTimeMs = NoTime; // inclusive
    qint64 toTimeMs = NoTime;   // exclusive
};

struct SliceReport
{
    QMap<QString, qint64> eventsByStream; // every requested stream, 0 when it has none
    qint64 events = 0;
    qint64 withoutTime = 0;     // left out
    qint64 withoutPosition = 0; // left out: a position below 1
};

class StoreSlicer
{
public:
    static constexpr int PageSize = 2000;
    static inline const QString SourceTable = QStringLiteral("slice_source");

    // False (with error) when the source cannot be read, outputPath exists or cannot be
    // written, or the job was cancelled; nothing is left at outputPath then.
    static bool slice(EventStore &source, const SliceRequest &request, const QString &outputPath,
                      SliceReport *report, QString *error, const JobControl &job = {});
};

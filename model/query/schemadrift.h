#pragma once

// How did the shape of each event type's payloads change over time? Reads the events once in
// position order and, per event type and per path in the data (SchemaSurvey's paths: `a.b`,
// `["odd key"]`, `items[]`), counts the JSON types found there, how many events of the type
// hold the path in each of `buckets` equal slices of a time range (its presence over time),
// and the moments it appeared (after events of the type without it), changed its value type
// from one holder to the next, and vanished (events of the type without it followed). For the
// window's schema view; at most MaxPathsPerType paths per type and MaxMoments per path are
// kept, so memory is bounded by the types' shapes, not the store's size.

#include "core/event.h"
#include "core/jobcontrol.h"
#include "core/storeerror.h"
#include "query/schemasurvey.h"

#include <QString>
#include <QVector>

#include <optional>

class EventStore;

struct SchemaMoment
{
    enum Kind { Appeared, ChangedType, Vanished };
    Kind kind = Appeared;
    qint64 position = 0; // of the event: the first holder, the changed one, the last holder
    qint64 timeMs = NoTime;
    QString from, to; // ChangedType: the value types

    QString text() const; // "appeared 2026-03-05 10:00", "number → string 2026-03-03 10:00"
};

struct SchemaFieldDrift
{
    QString path; // empty: a payload that is not an object (its value type)
    qint64 valueTypes[SchemaField::ValueTypeCount] = {};
    qint64 events = 0;
    QVector<qint64> presence; // per bucket: the type's events holding the path
    QVector<SchemaMoment> moments;

    QString valueTypesText() const; // "number 4, string 1"
};

struct SchemaTypeDrift
{
    QString type;
    qint64 events = 0;
    QVector<qint64> perBucket;        // the type's events per bucket
    QVector<SchemaFieldDrift> fields; // by path
};

struct SchemaDrift
{
    static constexpr int MaxPathsPerType = 500;
    static constexpr int MaxMoments = 20;

    qint64 fromMs = NoTime; // the range the buckets slice; an event outside counts in the nearest
    qint64 toMs = NoTime;
    int buckets = 0;
    QVector<SchemaTypeDrift> types; // by type

    // nullopt with *error set when a read fails or the job is cancelled.
    static std::optional<SchemaDrift> survey(EventStore &store, qint64 fromMs, qint64 toMs,
                                             int buckets, const JobControl &job, StoreError *error);
};

#pragma once

// What shape do the payloads of each event type have, and since when? Reads the events once in
// position order (as `events` reads them) and counts, per event type and per path in the data,
// the values of each JSON type found there, the events holding the path and the first and last
// time of those events. Objects and arrays count as values at their own paths as well as
// through their members; the items of an array share one path, `tags[]`, `items[].price`.
//
// Memory is bounded whatever the payloads: at most MaxPathsPerType paths per type and MaxTypes
// types are kept apart, and no path longer than MaxPathBytes; what lies beyond is counted
// together in one field per type with no path (and one with no type for the types beyond).

#include "core/event.h"
#include "core/jobcontrol.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

class EventStore;

struct SchemaField
{
    enum ValueType { String, Number, Boolean, Null, Object, Array, NotJson, ValueTypeCount };
    static QString valueTypeName(int valueType); // "string", ..., "not_json"

    QString type; // null: the types beyond MaxTypes together
    // JsonPath's spelling (`a.b`, `["odd key"]`), with `[]` for the items of an array; empty
    // for a payload that is not an object (its own value type, or not_json); null: the paths
    // beyond the bounds together.
    QString path;
    qint64 valueTypes[ValueTypeCount] = {};
    qint64 events = 0;
    qint64 firstTimeMs = NoTime;
    qint64 lastTimeMs = NoTime;
};

class SchemaSurvey
{
public:
    static constexpr int MaxPathsPerType = 1000;
    static constexpr int MaxTypes = 10000;
    static constexpr int MaxPathBytes = 1024;

    // type: only this event type; empty = all.
    explicit SchemaSurvey(EventStore &store, const QString &type = {});
    ~SchemaSurvey();
    SchemaSurvey(const SchemaSurvey &) = delete;
    SchemaSurvey &operator=(const SchemaSurvey &) = delete;

    // False when a read fails or the job is cancelled (errorString() "cancelled").
    bool run(const JobControl &job = {});
    // By type, then path (the field without a path last of its type).
    QVector<SchemaField> fields() const;
    // The types whose paths went past MaxPathsPerType or MaxPathBytes, and whether types went
    // past MaxTypes: for a note beside the answer.
    QStringList typesOverBound() const;
    bool typesOverflowed() const;
    QString errorString() const { return m_error; }

private:
    struct Survey;
    EventStore &m_store;
    QString m_type;
    std::unique_ptr<Survey> m_survey;
    QString m_error;
};

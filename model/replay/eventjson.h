#pragma once

// The JSON form of what the engine returns, shared by eventscope-cli and the window (copy as
// JSON): keys in a fixed, readable order, times as YYYY-MM-DDTHH:MM:SS.mmmZ, payloads as JSON
// where they parse and as text where they do not.

#include "core/event.h"

#include <QByteArray>
#include <QJsonValue>

class SnapshotComparison;
struct IntegrityProblem;
struct IntegritySummary;
struct ReplayState;
struct SchemaField;

class EventJson
{
public:
    // A compact JSON object whose keys keep the order they were added in (QJsonObject
    // sorts them).
    class Object
    {
    public:
        Object &add(const char *key, const QJsonValue &value);
        Object &addJson(const char *key, const QByteArray &json); // already written JSON
        QByteArray bytes() const { return m_bytes + '}'; }

    private:
        QByteArray m_bytes = QByteArrayLiteral("{");
    };

    static QJsonValue time(qint64 ms); // null for NoTime

    static QByteArray summary(const StoreSummary &summary);
    static QByteArray stream(const StreamInfo &info);
    static QByteArray event(const Event &event);
    static QByteArray bucket(const Bucket &bucket);
    static QByteArray replay(const ReplayState &state);
    static QByteArray snapshot(const StoredSnapshot &snapshot);
    // The snapshot with the replayed state beside it and the differences; a side absent from
    // a difference has no key, so that an absent field and a null one read apart.
    static QByteArray snapshotComparison(const SnapshotComparison &comparison);
    // The integrity check's lines: a problem, and the last line's summary (every kind counted,
    // none left out).
    static QByteArray integrityProblem(const IntegrityProblem &problem);
    static QByteArray integritySummary(const IntegritySummary &summary);
    // A schema survey's line; value_types holds the types found (none with 0).
    static QByteArray schemaField(const SchemaField &field);
};

#pragma once

// How one event changes an aggregate's state. By default an event whose data is a JSON object
// is deep-merged into the state (objects key by key, recursively; any other value replaces);
// other data leaves the state as it is. A projection file (JSON) maps event types to lists of
// operations used instead of the merge; the key "*" gives the operations for unlisted types:
//
//   { "Clicked": [ {"op": "increment", "path": "clicks"},
//                  {"op": "append", "path": "recent", "from": "postId", "keep": 5} ],
//     "Heartbeat": [ {"op": "ignore"} ] }
//
// Operations: merge (optional "from": part of the data, "path": where in the state),
// set ("path", and "from" a data field or "value" a constant), increment ("path", "by",
// default 1), append ("path", "from" a data field or "value", "keep" the last N), unset
// ("path"), ignore. Paths are dotted ("stats.clicks"); an empty "from" is the whole data.
// A "from" field missing in the data makes set and append do nothing, and merge needs an
// object there. Unknown ops and fields are errors, so typos do not pass silently.
//
// A top-level "key" whose value is a string makes the file a read model's (ReadModel): events
// of the whole store fold into one state per value of the key, a dotted data path
// ("device.os"), "$stream" (the stream's name) or "$category" (the stream's name before its
// first '-'). An event type named "key" still takes its list of operations there.

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

class Projection
{
public:
    struct Operation
    {
        enum class Kind { Merge, Set, Increment, Append, Unset, Ignore };
        Kind kind = Kind::Merge;
        QStringList path;
        QStringList from;
        QJsonValue value; // constant for set/append when no "from"
        bool hasFrom = false;
        double by = 1;
        int keep = 0; // 0 = keep all
    };

    // Projection files are a few lines by hand; the bound keeps `--projection /dev/zero` (or
    // a log file given by mistake) from being read into memory to the end.
    static constexpr qint64 MaxFileBytes = 1024 * 1024;
    // Real paths have a few parts; a state nested deeper than this is a mistake, and would
    // make every later step (diffs, checkpoints, display) walk that deep.
    static constexpr int MaxPathParts = 64;
    // Setting or appending a constant copies it into the state on every event it applies to
    // (QJsonObject keeps its own copy of each string, and the old bytes until it compacts): a
    // 20 MB constant cost 46 s and 5 GB for 421 events. All constants together are bounded
    // so that this stays a small, fixed cost per event.
    static constexpr qint64 MaxConstantBytes = 64 * 1024;

    // Which state of a read model an event folds into.
    struct Key
    {
        enum class Kind { None, DataPath, Stream, Category };
        Kind kind = Kind::None;
        QStringList path; // DataPath only
        QString text;     // as the file gives it
    };

    Projection() = default; // the default merge for every type
    // Where a file's text is wrong, for an editor to show the line: *error says it in words
    // (with the file's name and the offset), these say it as facts.
    struct Problem
    {
        QString message;       // what is wrong, without the file's name or the offset
        qsizetype offset = -1; // in the text, where the JSON stops being valid
        QString type;          // the event type whose operations are wrong
    };
    static std::optional<Projection> fromJson(const QByteArray &json, QString *error,
                                              Problem *problem = nullptr);
    static std::optional<Projection> fromFile(const QString &path, QString *error,
                                              Problem *problem = nullptr);

    // data: the event's parsed payload (Undefined when it is not JSON).
    void apply(QJsonObject &state, const QString &type, const QJsonValue &data) const;

    static void deepMerge(QJsonObject &into, const QJsonObject &from);
    // No operations: every event is deep-merged.
    bool isDefaultMerge() const { return m_byType.isEmpty() && !m_fallback; }
    // Kind::None unless the file has a "key": a replay projection.
    const Key &key() const { return m_key; }
    bool isReadModel() const { return m_key.kind != Key::Kind::None; }

private:
    QHash<QString, QVector<Operation>> m_byType;
    std::optional<QVector<Operation>> m_fallback; // "*"
    Key m_key;
};

#pragma once

// The leaf-level differences between two JSON states: which paths were added, changed or
// removed. Objects are compared key by key, arrays index by index; a value that changes
// kind (object to number, say) is one change at its path.

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QVector>

struct JsonChange
{
    enum class Kind { Added, Changed, Removed };
    Kind kind = Kind::Changed;
    QString path;
    QJsonValue before; // Undefined when added
    QJsonValue after;  // Undefined when removed

    bool operator==(const JsonChange &other) const
    {
        return kind == other.kind && path == other.path && before == other.before &&
               after == other.after;
    }
};

class JsonDiff
{
public:
    // Sorted by path, segment by segment: object keys in key order, array indices in
    // numeric order (tags[2] before tags[10]).
    static QVector<JsonChange> compare(const QJsonObject &before, const QJsonObject &after);
    static QString kindName(JsonChange::Kind kind); // "added", "changed", "removed"
};

#pragma once

// Dotted paths into JSON objects ("profile.name"), used by projection operations, and the
// display form of a path to any JSON value, used by diffs ("tags[2]", "[\"a.b\"].c").

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>

class JsonPath
{
public:
    // "a.b.c" -> {"a","b","c"}; an empty path is the whole object. Empty segments ("a..b")
    // are kept so that callers can reject them; dotted paths cannot name keys with a dot.
    static QStringList split(const QString &dotted);
    // Undefined when absent or when something on the way is not an object.
    static QJsonValue get(const QJsonObject &root, const QStringList &path);
    // Creates intermediate objects (replacing non-objects on the way). The root can only be
    // replaced by an object, other values leave it as it is; Undefined removes like remove().
    static void set(QJsonObject &root, const QStringList &path, const QJsonValue &value);
    // Removes the leaf only, parents stay (possibly empty); the empty path empties the root.
    static void remove(QJsonObject &root, const QStringList &path);
    // Hands fn the value at path (Undefined when absent) to change in place, creating
    // intermediate objects like set(); Undefined afterwards removes it. The value is taken out
    // of its parent while fn runs: JSON containers are shared, so growing an array still
    // referenced by its parent would copy it on every call.
    static void update(QJsonObject &root, const QStringList &path,
                       const std::function<void(QJsonValue &)> &fn);

    // Display path of a child: key appended with '.', or ["key"] when it needs quoting (empty,
    // or containing '.', '[', ']', '"' or whitespace; '"' and '\' are escaped inside).
    static QString childKey(const QString &parent, const QString &key);
    static QString childIndex(const QString &parent, qsizetype index);
};

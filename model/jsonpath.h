#pragma once

// Dotted paths into JSON objects ("profile.name"), used by projection operations, and the
// display form of a path to any JSON value, used by diffs ("tags[2]", "[\"a.b\"].c").

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

class JsonPath
{
public:
    // "a.b.c" -> {"a","b","c"}; an empty path is the whole object.
    static QStringList split(const QString &dotted);
    static QJsonValue get(const QJsonObject &root, const QStringList &path);
    // Creates intermediate objects (replacing non-objects on the way).
    static void set(QJsonObject &root, const QStringList &path, const QJsonValue &value);
    static void remove(QJsonObject &root, const QStringList &path);

    // Display path of a child: key appended with '.', or ["key"] when it needs quoting.
    static QString childKey(const QString &parent, const QString &key);
    static QString childIndex(const QString &parent, qsizetype index);
};

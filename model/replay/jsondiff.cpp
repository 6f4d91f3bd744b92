#include "replay/jsondiff.h"

#include "replay/jsonpath.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

void compareValues(const QString &path, const QJsonValue &before, const QJsonValue &after,
                   QVector<JsonChange> &out);

void compareObjects(const QString &path, const QJsonObject &before, const QJsonObject &after,
                    QVector<JsonChange> &out)
{
    // Replayed states share unchanged subtrees, so this is usually a pointer comparison.
    if (before == after)
        return;

    // Walking the union of keys in one sorted order keeps the result sorted without a final
    // sort over display paths, which would put [10] before [2].
    QStringList keys = before.keys();
    for (auto it = after.begin(); it != after.end(); ++it) {
        if (!before.contains(it.key()))
            keys.append(it.key());
    }
    std::sort(keys.begin(), keys.end());

    for (const QString &key : std::as_const(keys)) {
        const QString childPath = JsonPath::childKey(path, key);
        const QJsonValue b = before.value(key);
        const QJsonValue a = after.value(key);
        if (b.isUndefined())
            out.append({JsonChange::Kind::Added, childPath, b, a});
        else if (a.isUndefined())
            out.append({JsonChange::Kind::Removed, childPath, b, a});
        else
            compareValues(childPath, b, a, out);
    }
}

void compareArrays(const QString &path, const QJsonArray &before, const QJsonArray &after,
                   QVector<JsonChange> &out)
{
    if (before == after)
        return;
    const qsizetype common = std::min(before.size(), after.size());
    for (qsizetype i = 0; i < common; ++i)
        compareValues(JsonPath::childIndex(path, i), before.at(i), after.at(i), out);
    const QJsonValue undefined(QJsonValue::Undefined);
    for (qsizetype i = common; i < after.size(); ++i)
        out.append(
            {JsonChange::Kind::Added, JsonPath::childIndex(path, i), undefined, after.at(i)});
    for (qsizetype i = common; i < before.size(); ++i)
        out.append(
            {JsonChange::Kind::Removed, JsonPath::childIndex(path, i), before.at(i), undefined});
}

void compareValues(const QString &path, const QJsonValue &before, const QJsonValue &after,
                   QVector<JsonChange> &out)
{
    if (before.type() != after.type())
        out.append({JsonChange::Kind::Changed, path, before, after});
    else if (before.isObject())
        compareObjects(path, before.toObject(), after.toObject(), out);
    else if (before.isArray())
        compareArrays(path, before.toArray(), after.toArray(), out);
    else if (before != after) // QJsonValue equality: 1 and 1.0 are the same number
        out.append({JsonChange::Kind::Changed, path, before, after});
}

} // namespace

QVector<JsonChange> JsonDiff::compare(const QJsonObject &before, const QJsonObject &after)
{
    QVector<JsonChange> changes;
    compareObjects(QString(), before, after, changes);
    return changes;
}

QString JsonDiff::kindName(JsonChange::Kind kind)
{
    switch (kind) {
    case JsonChange::Kind::Added:
        return u"added"_s;
    case JsonChange::Kind::Changed:
        return u"changed"_s;
    case JsonChange::Kind::Removed:
        return u"removed"_s;
    }
    Q_UNREACHABLE();
}

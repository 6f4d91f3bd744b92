#include "jsonpath.h"

using namespace Qt::StringLiterals;

namespace {

void updateIn(QJsonObject &object, const QStringList &path, qsizetype depth,
              const std::function<void(QJsonValue &)> &fn)
{
    const QString &key = path.at(depth);
    auto it = object.find(key);
    const bool leaf = depth + 1 == path.size();

    QJsonValue value(QJsonValue::Undefined);
    if (it != object.end()) {
        value = *it;
        // Drop the parent's reference so that value is the only owner of its container.
        *it = QJsonValue(QJsonValue::Null);
    }
    if (leaf) {
        fn(value);
    } else {
        QJsonObject child = value.isObject() ? value.toObject() : QJsonObject();
        value = QJsonValue(QJsonValue::Null);
        updateIn(child, path, depth + 1, fn);
        value = std::move(child);
    }

    if (it == object.end()) {
        if (!value.isUndefined())
            object.insert(key, value);
    } else if (value.isUndefined()) {
        object.erase(it);
    } else {
        *it = value;
    }
}

bool needsQuoting(const QString &key)
{
    if (key.isEmpty())
        return true;
    for (const QChar c : key) {
        if (c == u'.' || c == u'[' || c == u']' || c == u'"' || c.isSpace())
            return true;
    }
    return false;
}

} // namespace

QStringList JsonPath::split(const QString &dotted)
{
    if (dotted.isEmpty())
        return {};
    return dotted.split(u'.');
}

QJsonValue JsonPath::get(const QJsonObject &root, const QStringList &path)
{
    QJsonValue value(root);
    for (const QString &key : path) {
        // Undefined for a missing key or a non-object, so absence propagates to the end.
        value = value[key];
        if (value.isUndefined())
            break;
    }
    return value;
}

void JsonPath::set(QJsonObject &root, const QStringList &path, const QJsonValue &value)
{
    if (value.isUndefined()) {
        remove(root, path);
        return;
    }
    update(root, path, [&value](QJsonValue &current) { current = value; });
}

void JsonPath::remove(QJsonObject &root, const QStringList &path)
{
    if (path.isEmpty()) {
        root = QJsonObject();
        return;
    }
    // Only walk (and detach) when there is something to remove.
    if (get(root, path).isUndefined())
        return;
    update(root, path, [](QJsonValue &current) { current = QJsonValue(QJsonValue::Undefined); });
}

void JsonPath::update(QJsonObject &root, const QStringList &path,
                      const std::function<void(QJsonValue &)> &fn)
{
    if (path.isEmpty()) {
        QJsonValue value(root);
        fn(value);
        if (value.isObject())
            root = value.toObject();
        return;
    }
    updateIn(root, path, 0, fn);
}

QString JsonPath::childKey(const QString &parent, const QString &key)
{
    if (needsQuoting(key)) {
        QString escaped = key;
        escaped.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
        return parent % u"[\""_s % escaped % u"\"]"_s;
    }
    if (parent.isEmpty())
        return key;
    return parent % u'.' % key;
}

QString JsonPath::childIndex(const QString &parent, qsizetype index)
{
    return parent % u'[' % QString::number(index) % u']';
}

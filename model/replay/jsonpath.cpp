#include "replay/jsonpath.h"

#include <vector>

using namespace Qt::StringLiterals;

namespace {

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

// A loop, not recursion: the path's length comes from the user, and a path of 30,000 parts
// must not overflow the stack. Each object on the way is taken out of its parent (the parent
// keeps Null in its place), so that it is the only owner while it changes and is put back
// without a copy.
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
    // objects[i] is the object path[i] is looked up in; objects[0] stands for root.
    std::vector<QJsonObject> objects;
    objects.reserve(std::size_t(path.size()));
    objects.push_back(std::move(root));
    QJsonValue value(QJsonValue::Undefined);
    for (qsizetype depth = 0;; ++depth) {
        QJsonObject &object = objects.back();
        const auto it = object.find(path.at(depth));
        value = QJsonValue(QJsonValue::Undefined);
        if (it != object.end()) {
            value = *it;
            *it = QJsonValue(QJsonValue::Null);
        }
        if (depth + 1 == path.size())
            break;
        QJsonObject child = value.isObject() ? value.toObject() : QJsonObject();
        value = QJsonValue(QJsonValue::Null);
        objects.push_back(std::move(child));
    }
    fn(value);
    // Back up: each level puts its value (the changed leaf, then each child object) in place.
    for (qsizetype depth = path.size() - 1; depth >= 0; --depth) {
        QJsonObject &object = objects[std::size_t(depth)];
        const QString &key = path.at(depth);
        if (value.isUndefined())
            object.remove(key);
        else
            object.insert(key, value);
        if (depth > 0) {
            value = std::move(object);
            objects.pop_back();
        }
    }
    root = std::move(objects.front());
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

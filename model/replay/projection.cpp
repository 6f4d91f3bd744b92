#include "replay/projection.h"

#include "replay/jsonpath.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

using Operation = Projection::Operation;

struct OpSpec
{
    QString name;
    Operation::Kind kind;
    QStringList fields; // besides "op"
    bool needsPath;
    bool needsSource; // "from" or "value"
};

const QVector<OpSpec> &opSpecs()
{
    static const QVector<OpSpec> specs = {
        {u"merge"_s, Operation::Kind::Merge, {u"path"_s, u"from"_s}, false, false},
        {u"set"_s, Operation::Kind::Set, {u"path"_s, u"from"_s, u"value"_s}, true, true},
        {u"increment"_s, Operation::Kind::Increment, {u"path"_s, u"by"_s}, true, false},
        {u"append"_s,
         Operation::Kind::Append,
         {u"path"_s, u"from"_s, u"value"_s, u"keep"_s},
         true,
         true},
        {u"unset"_s, Operation::Kind::Unset, {u"path"_s}, true, false},
        {u"ignore"_s, Operation::Kind::Ignore, {}, false, false},
    };
    return specs;
}

// A dotted path from the operation, rejecting "a..b". Sets *error and returns false on error.
bool readPath(const QJsonObject &object, const QString &field, QStringList *path, QString *error)
{
    const QJsonValue value = object.value(field);
    if (!value.isString()) {
        *error = u"\""_s % field % u"\" must be a string"_s;
        return false;
    }
    *path = JsonPath::split(value.toString());
    if (path->contains(QString())) {
        *error = u"\""_s % field % u"\" has an empty part: \""_s % value.toString() % u'"';
        return false;
    }
    if (path->size() > Projection::MaxPathParts) {
        *error = u"\""_s % field % u"\" has "_s % QString::number(path->size()) %
                 u" parts; a path may have at most "_s % QString::number(Projection::MaxPathParts);
        return false;
    }
    return true;
}

std::optional<Operation> parseOperation(const QJsonValue &json, QString *error)
{
    if (!json.isObject()) {
        *error = u"expected an object like {\"op\": \"increment\", \"path\": \"clicks\"}"_s;
        return std::nullopt;
    }
    const QJsonObject object = json.toObject();
    const QJsonValue opName = object.value(u"op"_s);
    if (opName.isUndefined()) {
        *error = u"missing \"op\""_s;
        return std::nullopt;
    }
    if (!opName.isString()) {
        *error = u"\"op\" must be a string"_s;
        return std::nullopt;
    }
    const auto &specs = opSpecs();
    const auto spec = std::find_if(specs.cbegin(), specs.cend(), [&opName](const OpSpec &s) {
        return s.name == opName.toString();
    });
    if (spec == specs.cend()) {
        *error = u"unknown op \""_s % opName.toString() %
                 u"\" (expected merge, set, increment, append, unset or ignore)"_s;
        return std::nullopt;
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() != u"op"_s && !spec->fields.contains(it.key())) {
            *error = u"unknown field \""_s % it.key() % u"\" for op "_s % spec->name;
            return std::nullopt;
        }
    }

    Operation op;
    op.kind = spec->kind;
    if (object.contains(u"path"_s)) {
        if (!readPath(object, u"path"_s, &op.path, error))
            return std::nullopt;
        if (spec->needsPath && op.path.isEmpty()) {
            *error = u"\"path\" must not be empty"_s;
            return std::nullopt;
        }
    } else if (spec->needsPath) {
        *error = u"missing \"path\""_s;
        return std::nullopt;
    }
    if (object.contains(u"from"_s)) {
        if (!readPath(object, u"from"_s, &op.from, error))
            return std::nullopt;
        op.hasFrom = true;
    }
    if (object.contains(u"value"_s)) {
        if (op.hasFrom) {
            *error = u"takes \"from\" or \"value\", not both"_s;
            return std::nullopt;
        }
        op.value = object.value(u"value"_s);
    } else if (spec->needsSource && !op.hasFrom) {
        *error = u"needs \"from\" (a data field) or \"value\" (a constant)"_s;
        return std::nullopt;
    }
    if (object.contains(u"by"_s)) {
        const QJsonValue by = object.value(u"by"_s);
        if (!by.isDouble()) {
            *error = u"\"by\" must be a number"_s;
            return std::nullopt;
        }
        op.by = by.toDouble();
    }
    if (object.contains(u"keep"_s)) {
        const QJsonValue keepValue = object.value(u"keep"_s);
        const double keep = keepValue.toDouble(-1);
        if (!keepValue.isDouble() || keep < 0 || keep != std::floor(keep) ||
            keep > std::numeric_limits<int>::max()) {
            *error = u"\"keep\" must be a whole number, 0 or more (0 keeps all)"_s;
            return std::nullopt;
        }
        op.keep = int(keep);
    }
    return op;
}

std::optional<Projection::Key> parseKey(const QString &text, QString *error)
{
    using Key = Projection::Key;
    Key key;
    key.text = text;
    if (text == u"$stream"_s) {
        key.kind = Key::Kind::Stream;
        return key;
    }
    if (text == u"$category"_s) {
        key.kind = Key::Kind::Category;
        return key;
    }
    if (text.startsWith(u'$')) {
        *error = u"\"key\" is a data path, \"$stream\" or \"$category\", not \""_s % text % u'"';
        return std::nullopt;
    }
    if (text.isEmpty()) {
        *error = u"\"key\" must not be empty: a data path such as \"page\", \"$stream\" or "
                 "\"$category\""_s;
        return std::nullopt;
    }
    if (!readPath(QJsonObject{{u"key"_s, text}}, u"key"_s, &key.path, error))
        return std::nullopt;
    key.kind = Key::Kind::DataPath;
    return key;
}

// The size of a value as compact JSON text; QJsonDocument holds only arrays and objects.
qint64 jsonBytes(const QJsonValue &value)
{
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).size() - 2;
}

// The part of the data an operation reads; Undefined when the data does not have it.
QJsonValue source(const QJsonValue &data, const QStringList &from)
{
    if (from.isEmpty())
        return data;
    if (!data.isObject())
        return QJsonValue(QJsonValue::Undefined);
    return JsonPath::get(data.toObject(), from);
}

void applyOperation(const Operation &op, QJsonObject &state, const QJsonValue &data)
{
    switch (op.kind) {
    case Operation::Kind::Merge: {
        const QJsonValue part = source(data, op.from);
        if (!part.isObject())
            return;
        if (op.path.isEmpty()) {
            Projection::deepMerge(state, part.toObject());
            return;
        }
        JsonPath::update(state, op.path, [&part](QJsonValue &target) {
            QJsonObject object = target.isObject() ? target.toObject() : QJsonObject();
            target = QJsonValue(QJsonValue::Null); // sole owner: merge without copying
            Projection::deepMerge(object, part.toObject());
            target = std::move(object);
        });
        return;
    }
    case Operation::Kind::Set: {
        const QJsonValue value = op.hasFrom ? source(data, op.from) : op.value;
        if (!value.isUndefined())
            JsonPath::set(state, op.path, value);
        return;
    }
    case Operation::Kind::Increment:
        JsonPath::update(state, op.path, [&op](QJsonValue &target) {
            target = (target.isDouble() ? target.toDouble() : 0.0) + op.by;
        });
        return;
    case Operation::Kind::Append: {
        const QJsonValue value = op.hasFrom ? source(data, op.from) : op.value;
        if (value.isUndefined())
            return;
        JsonPath::update(state, op.path, [&op, &value](QJsonValue &target) {
            QJsonArray array = target.isArray() ? target.toArray() : QJsonArray();
            target = QJsonValue(QJsonValue::Null); // sole owner: append without copying
            array.append(value);
            if (op.keep > 0) {
                while (array.size() > op.keep)
                    array.removeFirst();
            }
            target = std::move(array);
        });
        return;
    }
    case Operation::Kind::Unset:
        JsonPath::remove(state, op.path);
        return;
    case Operation::Kind::Ignore:
        return;
    }
}

} // namespace

std::optional<Projection> Projection::fromJson(const QByteArray &json, QString *error,
                                               Problem *where)
{
    QString problem;
    const auto fail = [&](const QString &message, const QString &type = {}) {
        if (error)
            *error = message;
        if (where)
            *where = {message, -1, type};
        return std::nullopt;
    };

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QString message = u"projection is not valid JSON: "_s % parseError.errorString();
        if (error)
            *error = message % u" at offset "_s % QString::number(parseError.offset);
        if (where)
            *where = {message, parseError.offset, {}};
        return std::nullopt;
    }
    if (!document.isObject())
        return fail(u"projection must be a JSON object mapping event types to operation lists"_s);

    Projection projection;
    qint64 constantBytes = 0;
    const QJsonObject types = document.object();
    for (auto it = types.begin(); it != types.end(); ++it) {
        if (it.key() == u"key"_s && it.value().isString()) {
            std::optional<Key> key = parseKey(it.value().toString(), &problem);
            if (!key)
                return fail(problem);
            projection.m_key = *std::move(key);
            continue;
        }
        const QString type = u"type \""_s % it.key() % u'"';
        if (!it.value().isArray())
            return fail(type % u": expected an array of operations"_s, it.key());
        const QJsonArray list = it.value().toArray();
        QVector<Operation> operations;
        operations.reserve(list.size());
        for (qsizetype i = 0; i < list.size(); ++i) {
            std::optional<Operation> op = parseOperation(list.at(i), &problem);
            if (op && constantBytes <= MaxConstantBytes && !op->hasFrom &&
                (op->kind == Operation::Kind::Set || op->kind == Operation::Kind::Append)) {
                constantBytes += jsonBytes(op->value);
                if (constantBytes > MaxConstantBytes) {
                    problem = u"the constants (\"value\") of a projection may hold at most "_s %
                              QString::number(MaxConstantBytes / 1024) %
                              u" KiB of JSON in all; with this one they hold "_s %
                              QString::number(constantBytes) % u" bytes"_s;
                    op.reset();
                }
            }
            if (!op) {
                return fail(type % u", operation "_s % QString::number(i + 1) % u" of "_s %
                                QString::number(list.size()) % u": "_s % problem,
                            it.key());
            }
            operations.append(*std::move(op));
        }
        if (it.key() == u"*"_s)
            projection.m_fallback = std::move(operations);
        else
            projection.m_byType.insert(it.key(), std::move(operations));
    }
    return projection;
}

std::optional<Projection> Projection::fromFile(const QString &path, QString *error, Problem *where)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = u"cannot read projection "_s % path % u": "_s % file.errorString();
        return std::nullopt;
    }
    // One byte past the limit tells a file at the limit from a larger one without reading on.
    const QByteArray json = file.read(MaxFileBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        if (error)
            *error = u"cannot read projection "_s % path % u": "_s % file.errorString();
        return std::nullopt;
    }
    if (json.size() > MaxFileBytes) {
        if (error)
            *error = path % u": a projection file may be at most "_s %
                     QString::number(MaxFileBytes / 1024) % u" KiB; this one is larger"_s;
        return std::nullopt;
    }
    QString problem;
    std::optional<Projection> projection = fromJson(json, &problem, where);
    if (!projection && error)
        *error = path % u": "_s % problem;
    return projection;
}

void Projection::apply(QJsonObject &state, const QString &type, const QJsonValue &data) const
{
    const QVector<Operation> *operations = nullptr;
    const auto it = m_byType.constFind(type);
    if (it != m_byType.cend())
        operations = &it.value();
    else if (m_fallback)
        operations = &*m_fallback;

    if (!operations) {
        if (data.isObject())
            deepMerge(state, data.toObject());
        return;
    }
    for (const Operation &op : *operations)
        applyOperation(op, state, data);
}

void Projection::deepMerge(QJsonObject &into, const QJsonObject &from)
{
    for (auto it = from.begin(); it != from.end(); ++it) {
        const QJsonValue value = it.value();
        if (value.isObject()) {
            const auto target = into.find(it.key());
            if (target != into.end() && target->isObject()) {
                QJsonObject child = target->toObject();
                // Drop the state's reference so that merging into child does not copy it.
                *target = QJsonValue(QJsonValue::Null);
                deepMerge(child, value.toObject());
                *target = std::move(child);
                continue;
            }
        }
        into.insert(it.key(), value);
    }
}

#include "decoding/payload.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

std::optional<QJsonValue> Payload::toJson(const QByteArray &bytes)
{
    qsizetype first = 0;
    while (first < bytes.size() && isJsonSpace(bytes.at(first)))
        ++first;
    if (first == bytes.size())
        return std::nullopt;

    QJsonParseError error;
    // Objects and arrays, nearly all payloads, parse directly, without a wrapped copy.
    const char opening = bytes.at(first);
    if (opening == '{' || opening == '[') {
        const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
        if (error.error != QJsonParseError::NoError)
            return std::nullopt;
        if (document.isObject())
            return QJsonValue(document.object());
        return QJsonValue(document.array());
    }

    // A scalar becomes the only element of an array. Exactly one element means the bytes were
    // exactly one value: "1,2" gives two and trailing garbage fails to parse.
    QByteArray wrapped;
    wrapped.reserve(bytes.size() + 2);
    wrapped.append('[').append(bytes).append(']');
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return std::nullopt;
    return document.array().at(0);
}

QJsonValue Payload::toJsonOrString(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return QJsonValue(QJsonValue::Null);
    if (std::optional<QJsonValue> json = toJson(bytes))
        return *std::move(json);
    return QString::fromUtf8(bytes);
}

QByteArray Payload::compact(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    // QJsonDocument holds no scalars: write a one-element array and unwrap it.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

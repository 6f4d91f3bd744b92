#pragma once

// Payloads are raw bytes; this turns them into JSON when they are JSON. Any JSON value is
// accepted at the top level (QJsonDocument alone takes only objects and arrays).

#include <QByteArray>
#include <QJsonValue>

#include <optional>

class Payload
{
public:
    static std::optional<QJsonValue> toJson(const QByteArray &bytes);
    // JSON when it parses, else the bytes as a UTF-8 string; null for an empty payload.
    static QJsonValue toJsonOrString(const QByteArray &bytes);
    // The compact JSON text of any value, scalars included.
    static QByteArray compact(const QJsonValue &value);
};

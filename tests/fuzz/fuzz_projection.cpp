// A projection file and events to fold through it: the input up to the first NUL byte is the
// projection, each line after it an event's data, applied in turn under each of the
// projection's types (and one it does not name). Parsing must reject what it cannot use with a
// message, and folding whatever it accepted must neither crash nor grow without bound.

#include "fuzzsupport.h"

#include "decoding/payload.h"
#include "replay/jsonpath.h"
#include "replay/projection.h"

#include <QJsonDocument>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::startApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = Fuzz::bytes(data, size);
    const qsizetype split = input.indexOf('\0');
    const QByteArray json = split < 0 ? input : input.left(split);
    const QByteArray events = split < 0 ? QByteArray() : input.mid(split + 1);

    // Paths as the operations take them, whatever the projection makes of the text.
    const QStringList path = JsonPath::split(QString::fromUtf8(json));
    QJsonObject scratch;
    JsonPath::set(scratch, path, 1);
    JsonPath::get(scratch, path);
    JsonPath::remove(scratch, path);

    QString error;
    const std::optional<Projection> projection = Projection::fromJson(json, &error);
    if (!projection) {
        Fuzz::check(!error.isEmpty(), "a rejected projection says why");
        return 0;
    }
    QStringList types = QJsonDocument::fromJson(json).object().keys();
    types << QStringLiteral("NotInTheProjection");

    QJsonObject state;
    for (const QByteArray &line : events.split('\n')) {
        const QJsonValue eventData = Payload::toJson(line).value_or(QJsonValue());
        for (const QString &type : std::as_const(types))
            projection->apply(state, type, eventData);
    }
    return 0;
}

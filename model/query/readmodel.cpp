#include "query/readmodel.h"

#include "decoding/payload.h"
#include "query/eventwalk.h"
#include "replay/jsonpath.h"
#include "store/eventstore.h"

#include <QHash>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

QString numberText(double number)
{
    // Whole numbers as integers ("7", not "7.0"); the others as JSON writes them.
    if (std::floor(number) == number && std::abs(number) < 9007199254740992.0)
        return QString::number(qint64(number));
    return QString::fromUtf8(Payload::compact(QJsonValue(number)));
}

} // namespace

std::optional<QString> ReadModel::keyOf(const Projection::Key &key, const Event &event,
                                        const QJsonValue &data)
{
    switch (key.kind) {
    case Projection::Key::Kind::Stream:
        return event.stream;
    case Projection::Key::Kind::Category: {
        const qsizetype dash = event.stream.indexOf(u'-');
        return dash < 0 ? event.stream : event.stream.left(dash);
    }
    case Projection::Key::Kind::DataPath: {
        if (!data.isObject())
            return std::nullopt;
        const QJsonValue value = JsonPath::get(data.toObject(), key.path);
        if (value.isString())
            return value.toString();
        if (value.isDouble())
            return numberText(value.toDouble());
        return std::nullopt;
    }
    case Projection::Key::Kind::None:
        break;
    }
    return std::nullopt;
}

std::optional<ReadModelResult> ReadModel::compute(EventStore &store, const Projection &projection,
                                                  const QStringList &types, QString *error,
                                                  const JobControl &job)
{
    struct Fold
    {
        qint64 events = 0;
        QJsonObject state;
    };
    QHash<QString, Fold> folds;
    ReadModelResult result;

    EventFilter filter;
    filter.types = types;
    EventWalk walk(store, filter);
    const bool walked = walk.run(
        [&](const Event &event) {
            const QJsonValue data =
                Payload::toJson(event.data).value_or(QJsonValue(QJsonValue::Undefined));
            const std::optional<QString> key = keyOf(projection.key(), event, data);
            if (!key) {
                ++result.skipped;
                return true;
            }
            Fold &fold = folds[*key];
            ++fold.events;
            projection.apply(fold.state, event.type, data);
            return true;
        },
        job);
    if (!walked) {
        *error = walk.errorString();
        return std::nullopt;
    }

    result.rows.reserve(folds.size());
    for (auto it = folds.begin(); it != folds.end(); ++it)
        result.rows.append({it.key(), it->events, std::move(it->state)});
    std::sort(result.rows.begin(), result.rows.end(),
              [](const ReadModelRow &a, const ReadModelRow &b) { return a.key < b.key; });
    return result;
}

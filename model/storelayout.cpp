#include "storelayout.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace {

struct RoleKey
{
    QLatin1String key;
    QString StoreLayout::*column;
};

const RoleKey roleKeys[] = {
    {QLatin1String("table"), &StoreLayout::table},
    {QLatin1String("position"), &StoreLayout::position},
    {QLatin1String("stream"), &StoreLayout::stream},
    {QLatin1String("version"), &StoreLayout::version},
    {QLatin1String("type"), &StoreLayout::type},
    {QLatin1String("time"), &StoreLayout::time},
    {QLatin1String("data"), &StoreLayout::data},
    {QLatin1String("metadata"), &StoreLayout::metadata},
};

} // namespace

StoreLayout StoreLayout::own()
{
    StoreLayout layout;
    layout.id = u"eventscope"_s;
    layout.table = u"events"_s;
    layout.position = u"global_position"_s;
    layout.stream = u"stream_id"_s;
    layout.version = u"stream_version"_s;
    layout.type = u"type"_s;
    layout.time = u"recorded_at"_s;
    layout.data = u"data"_s;
    layout.metadata = u"metadata"_s;
    layout.timeFormat = TimeFormat::IsoText;
    layout.canonicalIsoTime = true;
    return layout;
}

namespace {

// Applies key=column pairs to a layout; the one parser of mapping specs.
bool applySpec(StoreLayout &layout, const QString &spec, QString *error, bool *formatGiven)
{
    QSet<QString> seen;
    const QStringList parts = spec.split(u',', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const qsizetype eq = part.indexOf(u'=');
        const QString key = part.left(eq).trimmed().toLower();
        const QString value = eq < 0 ? QString() : part.mid(eq + 1).trimmed();
        if (eq < 0 || value.isEmpty()) {
            *error = u"mapping '%1': expected key=column"_s.arg(part.trimmed());
            return false;
        }
        if (seen.contains(key)) {
            *error = u"mapping names '%1' twice"_s.arg(key);
            return false;
        }
        seen.insert(key);
        if (key == u"time_format") {
            if (!TimeCodec::parseFormatName(value, &layout.timeFormat)) {
                *error = u"mapping: time_format must be iso, s, ms or ticks, not '%1'"_s.arg(value);
                return false;
            }
            *formatGiven = true;
            continue;
        }
        const RoleKey *role = nullptr;
        for (const RoleKey &r : roleKeys) {
            if (key == r.key)
                role = &r;
        }
        if (!role) {
            *error = u"mapping: unknown key '%1' (known: table, position, stream, version, type, "
                     "time, data, metadata, time_format)"_s.arg(key);
            return false;
        }
        layout.*(role->column) = value;
    }
    return true;
}

} // namespace

std::optional<StoreLayout> StoreLayout::fromSpec(const QString &spec, QString *error,
                                                 bool *timeFormatGiven)
{
    StoreLayout layout;
    layout.id = u"mapped"_s;
    bool formatGiven = false;
    if (!applySpec(layout, spec, error, &formatGiven))
        return std::nullopt;
    if (layout.table.isEmpty() || layout.stream.isEmpty()) {
        *error = u"mapping must name at least table= and stream= (for example "
                 "table=events_v2,stream=aggregate_id,version=seq,type=kind,time=created)"_s;
        return std::nullopt;
    }
    if (formatGiven && layout.time.isEmpty()) {
        *error = u"mapping gives time_format but no time column"_s;
        return std::nullopt;
    }
    if (timeFormatGiven)
        *timeFormatGiven = formatGiven;
    return layout;
}

std::optional<StoreLayout> StoreLayout::withSpec(const QString &spec, QString *error) const
{
    StoreLayout layout = *this;
    bool formatGiven = false;
    if (!applySpec(layout, spec, error, &formatGiven))
        return std::nullopt;
    return layout;
}

QString StoreLayout::toSpec() const
{
    QStringList parts;
    for (const RoleKey &r : roleKeys) {
        const QString &column = this->*(r.column);
        if (!column.isEmpty())
            parts << QString(r.key) + u'=' + column;
    }
    if (!time.isEmpty())
        parts << u"time_format="_s + TimeCodec::formatName(timeFormat);
    return parts.join(u',');
}

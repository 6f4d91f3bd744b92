#include "store/columnmapping.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace {

struct RoleKey
{
    QLatin1String key;
    QString ColumnMapping::*column;
};

const RoleKey roleKeys[] = {
    {QLatin1String("table"), &ColumnMapping::table},
    {QLatin1String("position"), &ColumnMapping::position},
    {QLatin1String("stream"), &ColumnMapping::stream},
    {QLatin1String("version"), &ColumnMapping::version},
    {QLatin1String("type"), &ColumnMapping::type},
    {QLatin1String("time"), &ColumnMapping::time},
    {QLatin1String("data"), &ColumnMapping::data},
    {QLatin1String("metadata"), &ColumnMapping::metadata},
};

} // namespace

ColumnMapping ColumnMapping::own()
{
    ColumnMapping mapping;
    mapping.table = u"events"_s;
    mapping.position = u"global_position"_s;
    mapping.stream = u"stream_id"_s;
    mapping.version = u"stream_version"_s;
    mapping.type = u"type"_s;
    mapping.time = u"recorded_at"_s;
    mapping.data = u"data"_s;
    mapping.metadata = u"metadata"_s;
    mapping.timeFormat = TimeFormat::IsoText;
    return mapping;
}

namespace {

// Applies key=column pairs to a mapping; the one parser of mapping specs.
bool applySpec(ColumnMapping &mapping, const QString &spec, QString *error, bool *formatGiven)
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
            if (!TimeCodec::parseFormatName(value, &mapping.timeFormat)) {
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
        mapping.*(role->column) = value;
    }
    return true;
}

} // namespace

std::optional<ColumnMapping> ColumnMapping::fromSpec(const QString &spec, QString *error,
                                                     bool *timeFormatGiven)
{
    ColumnMapping mapping;
    bool formatGiven = false;
    if (!applySpec(mapping, spec, error, &formatGiven))
        return std::nullopt;
    if (mapping.table.isEmpty() || mapping.stream.isEmpty()) {
        *error = u"mapping must name at least table= and stream= (for example "
                 "table=events_v2,stream=aggregate_id,version=seq,type=kind,time=created)"_s;
        return std::nullopt;
    }
    if (formatGiven && mapping.time.isEmpty()) {
        *error = u"mapping gives time_format but no time column"_s;
        return std::nullopt;
    }
    if (timeFormatGiven)
        *timeFormatGiven = formatGiven;
    return mapping;
}

std::optional<ColumnMapping> ColumnMapping::withSpec(const QString &spec, QString *error) const
{
    ColumnMapping mapping = *this;
    bool formatGiven = false;
    if (!applySpec(mapping, spec, error, &formatGiven))
        return std::nullopt;
    return mapping;
}

QString ColumnMapping::toSpec() const
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

QStringList ColumnMapping::streamColumns() const
{
    QStringList columns = stream.split(u'+');
    for (QString &c : columns)
        c = c.trimmed();
    return columns;
}

#include "store/mappingguesser.h"

#include "decoding/timecodec.h"
#include "store/sqlitefile.h"
#include "store/sqlstate.h"

#include <QDateTime>
#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <cmath>
#include <optional>
#include <tuple>

using namespace Qt::StringLiterals;

namespace {

// Names that usually play each role: whole names, best first, then parts of names.
struct RoleNames
{
    QStringList whole;
    QStringList parts;
};

const QHash<QString, RoleNames> &roleNames()
{
    static const QHash<QString, RoleNames> names{
        {u"position"_s,
         {{u"global_position"_s, u"position"_s, u"global_index"_s, u"seq_id"_s, u"ordering"_s,
           u"id"_s, u"sequence"_s, u"offset"_s},
          {u"position"_s, u"global"_s, u"offset"_s, u"ordering"_s}}},
        {u"stream"_s,
         {{u"stream_id"_s, u"stream"_s, u"stream_name"_s, u"aggregate_id"_s,
           u"aggregate_identifier"_s, u"persistence_id"_s, u"originator_id"_s, u"entity_id"_s},
          {u"stream"_s, u"aggregate"_s, u"agg"_s, u"entity"_s, u"subject"_s, u"originator"_s}}},
        {u"version"_s,
         {{u"stream_version"_s, u"version"_s, u"sequence_number"_s, u"seq"_s,
           u"originator_version"_s, u"revision"_s},
          {u"version"_s, u"revision"_s, u"seq"_s, u"rev"_s}}},
        {u"type"_s,
         {{u"type"_s, u"event_type"_s, u"kind"_s, u"name"_s, u"payload_type"_s, u"topic"_s},
          {u"type"_s, u"kind"_s, u"topic"_s}}},
        {u"time"_s,
         {{u"recorded_at"_s, u"created_at"_s, u"timestamp"_s, u"time"_s, u"created"_s,
           u"time_stamp"_s, u"occurred_at"_s},
          {u"time"_s, u"date"_s, u"stamp"_s, u"created"_s, u"_at"_s}}},
        {u"data"_s,
         {{u"data"_s, u"payload"_s, u"body"_s, u"json_data"_s, u"state"_s, u"event_payload"_s},
          {u"data"_s, u"payload"_s, u"body"_s, u"json"_s, u"content"_s}}},
        {u"metadata"_s,
         {{u"metadata"_s, u"meta_data"_s, u"json_metadata"_s, u"headers"_s},
          {u"meta"_s, u"header"_s}}},
    };
    return names;
}

// 3 for a whole name of the role, 2 for a part of one, else 0.
int nameScore(const QString &column, const QString &role)
{
    const QString name = column.toLower();
    const RoleNames &names = roleNames()[role];
    if (names.whole.contains(name))
        return 3;
    for (const QString &part : names.parts) {
        if (name.contains(part))
            return 2;
    }
    return 0;
}

bool isInteger(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
        return true;
    default:
        return false;
    }
}

// The form of time a value is in, or empty when it is none that TimeCodec reads. Numbers are
// read by their size, as LayoutDetector::sampleTimeFormat reads a store's: within 1973..2286
// as seconds, milliseconds or .NET ticks (an id counting from 1 is none of them).
QString timeForm(const QVariant &value)
{
    const int type = value.typeId();
    if (type == QMetaType::QDateTime || type == QMetaType::QDate)
        return u"date-time"_s;
    if (isInteger(value) || type == QMetaType::Double) {
        const double v = std::abs(value.toDouble());
        if (v >= 1e8 && v < 1e10)
            return u"epoch seconds"_s;
        if (v >= 1e11 && v < 1e13)
            return u"epoch milliseconds"_s;
        if (v >= 6.2e17 && v < 7.2e17)
            return u".NET ticks"_s;
        return {};
    }
    if (type == QMetaType::QString && TimeCodec::parseIso(value.toString()) != NoTime)
        return u"ISO text"_s;
    return {};
}

bool isJson(const QVariant &value)
{
    const QByteArray bytes = value.toByteArray().trimmed();
    if (!bytes.startsWith('{') && !bytes.startsWith('['))
        return false;
    QJsonParseError error;
    QJsonDocument::fromJson(bytes, &error);
    return error.error == QJsonParseError::NoError;
}

// What the sample says about one column.
struct Profile
{
    int column = 0;
    QString name;
    int values = 0; // not NULL
    int distinct = 0;
    bool integers = true;
    bool rising = true; // strictly, in table order
    bool texts = true;
    QString time; // the form of every value, empty when not all are times of one form
    bool json = true;
    bool binary = true;
};

Profile profile(const TableSample &sample, int column)
{
    Profile p;
    p.column = column;
    p.name = sample.columns.at(column);
    QSet<QString> seen;
    std::optional<qint64> last;
    bool times = true;
    for (const QVariantList &row : sample.rows) {
        const QVariant &value = row.at(column);
        if (value.isNull())
            continue;
        ++p.values;
        seen.insert(value.toString());
        const bool integer = isInteger(value);
        p.integers = p.integers && integer;
        if (integer) {
            p.rising = p.rising && (!last || value.toLongLong() > *last);
            last = value.toLongLong();
        }
        p.texts = p.texts && value.typeId() == QMetaType::QString;
        p.binary = p.binary && value.typeId() == QMetaType::QByteArray;
        const QString form = timeForm(value);
        times = times && !form.isEmpty() && (p.time.isEmpty() || p.time == form);
        p.time = form;
        p.json = p.json && isJson(value);
    }
    p.distinct = int(seen.size());
    if (p.values == 0 || !times)
        p.time.clear();
    if (p.values == 0)
        p.integers = p.rising = p.texts = p.json = p.binary = false;
    p.rising = p.rising && p.integers;
    return p;
}

// Whether `counter` counts up by one within each group of `group` (and of `qualifier` with
// it, where given: a stream named by two columns), in table order, with at least one group of
// two or more rows.
bool countsWithin(const TableSample &sample, const Profile &group, const Profile &counter,
                  const Profile *qualifier = nullptr)
{
    QHash<QString, qint64> lastOf;
    bool repeated = false;
    for (const QVariantList &row : sample.rows) {
        const QVariant &key = row.at(group.column);
        const QVariant &value = row.at(counter.column);
        if (key.isNull() || value.isNull() || (qualifier && row.at(qualifier->column).isNull()))
            continue;
        const QString name = qualifier
                                 ? row.at(qualifier->column).toString() + u'\x1f' + key.toString()
                                 : key.toString();
        const auto last = lastOf.constFind(name);
        if (last != lastOf.cend()) {
            if (value.toLongLong() != *last + 1)
                return false;
            repeated = true;
        }
        lastOf.insert(name, value.toLongLong());
    }
    return repeated;
}

// Picks, for a role, the free column with the highest score above zero; ties go to the
// column further left.
template<typename Score>
const Profile *best(const QVector<Profile> &profiles, const QSet<int> &taken, Score score)
{
    const Profile *chosen = nullptr;
    int top = 0;
    for (const Profile &p : profiles) {
        if (taken.contains(p.column))
            continue;
        const int s = score(p);
        if (s > top) {
            top = s;
            chosen = &p;
        }
    }
    return chosen;
}

// A stream named by two columns (Castore's aggregate_name and aggregate_id): the qualifier
// (fewer distinct values), the column it qualifies and the counter within each pair.
std::optional<std::tuple<const Profile *, const Profile *, const Profile *>>
composite(const TableSample &sample, const QVector<Profile> &profiles, const QSet<int> &taken)
{
    const auto groups = [&](const Profile &p) {
        return !taken.contains(p.column) && p.distinct < p.values && !p.json && !p.binary &&
               p.time.isEmpty();
    };
    for (const Profile &q : profiles) {
        if (!groups(q))
            continue;
        for (const Profile &s : profiles) {
            if (&s == &q || !groups(s) || s.distinct < q.distinct)
                continue;
            for (const Profile &v : profiles) {
                if (&v != &q && &v != &s && !taken.contains(v.column) && v.integers &&
                    countsWithin(sample, s, v, &q))
                    return std::tuple(&q, &s, &v);
            }
        }
    }
    return std::nullopt;
}

} // namespace

namespace {

// Classified as the rest of the store's reads are: by SQLite's result code or the SQLSTATE.
StoreError sampleFailure(const QSqlDatabase &db, const QSqlError &error, const QString &table)
{
    const QString message = u"cannot read the rows of %1: %2"_s.arg(table, error.text());
    if (db.driverName() == u"QPSQL")
        return {SqlState::errorKind(error.nativeErrorCode(), !db.isOpen()), message};
    return {SqliteFile::errorKind(error), message};
}

} // namespace

std::optional<TableSample> TableSample::read(QSqlDatabase &db, const CatalogTable &table,
                                             StoreError *error)
{
    TableSample sample;
    sample.table = table.displayName();
    sample.columns = table.columnNames();
    QStringList columns;
    for (const QString &column : std::as_const(sample.columns))
        columns << quotedIdentifier(column);
    if (columns.isEmpty())
        return sample;
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(
            u"SELECT %1 FROM %2 LIMIT %3"_s.arg(columns.join(u", "_s), table.sql()).arg(Rows))) {
        *error = sampleFailure(db, query.lastError(), sample.table);
        return std::nullopt;
    }
    while (query.next()) {
        QVariantList row;
        for (int i = 0; i < columns.size(); ++i)
            row << query.value(i);
        sample.rows << row;
    }
    if (query.lastError().isValid()) {
        *error = sampleFailure(db, query.lastError(), sample.table);
        return std::nullopt;
    }
    return sample;
}

const QStringList &MappingGuesser::roles()
{
    static const QStringList list{u"position"_s, u"stream"_s, u"version"_s, u"type"_s,
                                  u"time"_s,     u"data"_s,   u"metadata"_s};
    return list;
}

QMap<QString, RoleGuess> MappingGuesser::guess(const TableSample &sample)
{
    QVector<Profile> profiles;
    for (int i = 0; i < sample.columns.size(); ++i)
        profiles << profile(sample, i);
    QMap<QString, RoleGuess> result;
    QSet<int> taken;
    const auto take = [&](const QString &role, const Profile *p, const QString &reason) {
        if (!p)
            return;
        taken.insert(p->column);
        result.insert(role, {p->name, reason});
    };
    // A role by its name alone, where the sample holds no value of the column.
    const auto byName = [&](const QString &role) {
        if (result.contains(role))
            return;
        take(role,
             best(profiles, taken,
                  [&](const Profile &p) { return p.values == 0 ? nameScore(p.name, role) : 0; }),
             QStringLiteral("named like it (the sample has no values)"));
    };

    const Profile *time = best(profiles, taken, [](const Profile &p) {
        return p.time.isEmpty() ? 0
                                : 10 + nameScore(p.name, u"time"_s) -
                                      3 * (nameScore(p.name, u"position"_s) == 3);
    });
    if (time)
        take(u"time"_s, time, QStringLiteral("every value is a time (%1)").arg(time->time));

    const Profile *position = best(profiles, taken, [](const Profile &p) {
        return p.integers && p.distinct == p.values
                   ? 6 + 2 * p.rising + nameScore(p.name, u"position"_s)
                   : 0;
    });
    if (position)
        take(u"position"_s, position,
             position->rising ? QStringLiteral("unique integers, rising in table order")
                              : QStringLiteral("unique integers"));

    // A stream and its version: the counter within each group.
    const Profile *stream = nullptr;
    const Profile *version = nullptr;
    int top = 0;
    for (const Profile &s : std::as_const(profiles)) {
        if (taken.contains(s.column) || s.distinct >= s.values || s.json || s.binary)
            continue;
        for (const Profile &v : std::as_const(profiles)) {
            if (&v == &s || taken.contains(v.column) || !v.integers || !countsWithin(sample, s, v))
                continue;
            const int score = 10 + nameScore(s.name, u"stream"_s) +
                              nameScore(v.name, u"version"_s) + (s.distinct > 1);
            if (score > top) {
                top = score;
                stream = &s;
                version = &v;
            }
        }
    }
    if (stream) {
        take(u"stream"_s, stream,
             QStringLiteral("%1 values repeating in %2 rows, %3 counting up within each")
                 .arg(stream->distinct)
                 .arg(stream->values)
                 .arg(version->name));
        take(u"version"_s, version,
             QStringLiteral("counts 1, 2, 3… within each %1").arg(stream->name));
    } else if (const auto pair = composite(sample, profiles, taken)) {
        // No column alone is counted within, but a pair is: several stores share the table.
        const auto &[qualifier, named, counter] = *pair;
        taken.insert(qualifier->column);
        take(u"stream"_s, named,
             QStringLiteral("%1 and %2 together: %3 counts up within each pair")
                 .arg(qualifier->name, named->name, counter->name));
        result[u"stream"_s].column = qualifier->name + u'+' + named->name;
        take(u"version"_s, counter,
             QStringLiteral("counts 1, 2, 3… within each %1 and %2")
                 .arg(qualifier->name, named->name));
    } else if (const Profile *repeating = best(profiles, taken, [](const Profile &p) {
                   return p.distinct < p.values && !p.json && !p.binary
                              ? 4 + 2 * (p.distinct * 10 > p.values) +
                                    nameScore(p.name, u"stream"_s)
                              : 0;
               })) {
        take(u"stream"_s, repeating,
             QStringLiteral("%1 values repeating in %2 rows")
                 .arg(repeating->distinct)
                 .arg(repeating->values));
    }

    const Profile *type = best(profiles, taken, [](const Profile &p) {
        if (p.distinct >= p.values || p.json || p.binary || !p.time.isEmpty())
            return 0;
        return (p.texts ? 5 : 3) + 2 * (p.distinct * 5 <= p.values) + nameScore(p.name, u"type"_s);
    });
    if (type)
        take(u"type"_s, type,
             QStringLiteral("%1 distinct values in %2 rows").arg(type->distinct).arg(type->values));

    const auto payload = [](const QString &role) {
        return [role](const Profile &p) {
            return p.json || p.binary ? 6 + nameScore(p.name, role) : 0;
        };
    };
    const auto payloadReason = [](const Profile *p) {
        return p->json ? QStringLiteral("JSON values") : QStringLiteral("binary values");
    };
    // Metadata first only when a column is named so; else the first payload is the data.
    const Profile *metadata = best(profiles, taken, [&](const Profile &p) {
        return nameScore(p.name, u"metadata"_s) > 0 ? payload(u"metadata"_s)(p) : 0;
    });
    if (metadata)
        take(u"metadata"_s, metadata, payloadReason(metadata) + QStringLiteral(", named so"));
    if (const Profile *data = best(profiles, taken, payload(u"data"_s)))
        take(u"data"_s, data, payloadReason(data));
    if (!metadata) {
        if (const Profile *more = best(profiles, taken, payload(u"metadata"_s)))
            take(u"metadata"_s, more, payloadReason(more) + QStringLiteral(", after the data"));
    }
    for (const QString &role : roles())
        byName(role);
    return result;
}

QString MappingGuesser::problem(const TableSample &sample, const QMap<QString, QString> &mapping)
{
    const int position = sample.columns.indexOf(mapping.value(u"position"_s));
    if (position >= 0) {
        const Profile p = profile(sample, position);
        if (p.values > 0 && !p.integers)
            return QStringLiteral("The position %1 holds values that are not whole numbers, so it "
                                  "cannot put events in order.")
                .arg(p.name);
        if (p.distinct < p.values)
            return QStringLiteral("The position %1 repeats values (%2 distinct in %3 rows): a "
                                  "position must name one event.")
                .arg(p.name)
                .arg(p.distinct)
                .arg(p.values);
    }
    const int stream = sample.columns.indexOf(mapping.value(u"stream"_s));
    const int version = sample.columns.indexOf(mapping.value(u"version"_s));
    if (stream >= 0 && version >= 0) {
        QSet<QPair<QString, QString>> seen;
        for (const QVariantList &row : sample.rows) {
            const QPair<QString, QString> key{row.at(stream).toString(),
                                              row.at(version).toString()};
            if (row.at(version).isNull())
                continue;
            if (seen.contains(key))
                return QStringLiteral("The version %1 repeats %2 within the stream %3: a version "
                                      "must name one event of its stream.")
                    .arg(sample.columns.at(version), key.second, key.first);
            seen.insert(key);
        }
    }
    return {};
}

QString MappingGuesser::spec(const QString &table, const QMap<QString, RoleGuess> &guesses)
{
    QStringList parts{u"table="_s + table};
    for (const QString &role : roles()) {
        if (guesses.contains(role))
            parts << role + u'=' + guesses.value(role).column;
    }
    return parts.join(u',');
}

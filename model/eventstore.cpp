#include "eventstore.h"

#include "layoutdetector.h"
#include "sqlitefile.h"

#include <QAtomicInteger>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return u"eventscope-store-"_s + QString::number(counter.fetchAndAddRelaxed(1));
}

// LIKE pattern for a substring, with the wildcards in the text escaped.
QString likeSubstring(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' + escaped + u'%';
}

QByteArray payloadBytes(const QVariant &value)
{
    if (value.isNull())
        return {};
    if (value.metaType().id() == QMetaType::QByteArray)
        return value.toByteArray();
    return value.toString().toUtf8();
}

} // namespace

EventStore::EventStore(const StoreLocation &location, const QString &connectionName)
    : m_location(location), m_connectionName(connectionName)
{
}

EventStore::~EventStore()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

std::unique_ptr<EventStore> EventStore::open(const StoreLocation &location, const QString &mapSpec,
                                             QString *error)
{
    switch (location.kind()) {
    case StoreLocation::Kind::Invalid:
        *error = location.errorString();
        return nullptr;
    case StoreLocation::Kind::Postgres:
        *error = u"%1: PostgreSQL stores are not supported yet; open an SQLite file"_s.arg(
            location.displayName());
        return nullptr;
    case StoreLocation::Kind::Sqlite:
        break;
    }

    std::unique_ptr<EventStore> store(new EventStore(location, nextConnectionName()));
    store->m_db = SqliteFile::openReadOnly(location.path(), store->m_connectionName, error);
    if (!store->m_db.isOpen())
        return nullptr; // the destructor removes the connection
    auto layout = LayoutDetector::detect(store->m_db, location.path(), mapSpec, error);
    if (!layout)
        return nullptr;
    store->m_layout = *layout;
    return store;
}

std::optional<QMap<QString, QStringList>> EventStore::catalog(const StoreLocation &location,
                                                              QString *error)
{
    if (location.kind() != StoreLocation::Kind::Sqlite) {
        *error = location.isValid()
                     ? u"%1: PostgreSQL stores are not supported yet"_s.arg(location.displayName())
                     : location.errorString();
        return std::nullopt;
    }
    const QString name = nextConnectionName();
    std::optional<QMap<QString, QStringList>> result;
    {
        QSqlDatabase db = SqliteFile::openReadOnly(location.path(), name, error);
        if (db.isOpen())
            result = LayoutDetector::catalog(db);
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

std::nullopt_t EventStore::fail(const QString &what, const QSqlQuery &query)
{
    m_error = u"%1: %2 failed: %3"_s.arg(m_location.displayName(), what, query.lastError().text());
    return std::nullopt;
}

std::nullopt_t EventStore::cancelled()
{
    m_error = u"cancelled"_s;
    return std::nullopt;
}

QString EventStore::quoted(const QString &identifier) const
{
    return u'"' + QString(identifier).replace(u'"', u"\"\""_s) + u'"';
}

// The expression of each role; absent roles read as NULL (or stand in as described in
// StoreLayout) so that every query has the same shape.
QString EventStore::selectEventColumns() const
{
    const auto column = [this](const QString &name) {
        return name.isEmpty() ? u"NULL"_s : quoted(name);
    };
    return positionSql() + u", "_s + quoted(m_layout.stream) + u", "_s + versionSql() + u", "_s +
           column(m_layout.type) + u", "_s + column(m_layout.time) + u", "_s +
           column(m_layout.data) + u", "_s + column(m_layout.metadata);
}

QString EventStore::positionSql() const
{
    return m_layout.position.isEmpty() ? u"rowid"_s : quoted(m_layout.position);
}

QString EventStore::versionSql() const
{
    return m_layout.version.isEmpty() ? positionSql() : quoted(m_layout.version);
}

QString EventStore::typeSql() const
{
    return m_layout.type.isEmpty() ? u"''"_s : quoted(m_layout.type);
}

QString EventStore::timeSql() const
{
    return m_layout.time.isEmpty() ? u"NULL"_s : quoted(m_layout.time);
}

QString EventStore::tableSql() const
{
    return quoted(m_layout.table);
}

Event EventStore::readEvent(const QSqlQuery &query) const
{
    Event e;
    e.position = query.value(0).toLongLong();
    e.stream = query.value(1).toString();
    e.version = query.value(2).toLongLong();
    e.type = query.value(3).toString();
    e.timeMs = TimeCodec::decode(query.value(4), m_layout.timeFormat);
    e.data = payloadBytes(query.value(5));
    e.metadata = payloadBytes(query.value(6));
    return e;
}

// A comparison of the time column with a bound given in milliseconds; canonical ISO text
// compares as text (and so through its index), other text through julianday().
QString EventStore::timeBoundSql(const QString &op) const
{
    const QString col = timeSql();
    if (m_layout.timeFormat == TimeFormat::IsoText && !m_layout.canonicalIsoTime)
        return u"julianday(%1) %2 julianday(?)"_s.arg(col, op);
    return u"%1 %2 ?"_s.arg(col, op);
}

QVariant EventStore::timeBoundValue(qint64 ms) const
{
    switch (m_layout.timeFormat) {
    case TimeFormat::EpochMillis:
        return ms;
    case TimeFormat::EpochSeconds:
        return double(ms) / 1000.0;
    case TimeFormat::DotNetTicks:
        return TimeCodec::toDotNetTicks(ms);
    case TimeFormat::IsoText:
        break;
    }
    return TimeCodec::format(ms);
}

// The time column as whole seconds since the epoch, floored to the bucket's start.
QString EventStore::bucketSecondsSql(BucketSize size) const
{
    const QString col = timeSql();
    QString seconds;
    switch (m_layout.timeFormat) {
    case TimeFormat::EpochMillis:
        seconds = u"CAST(%1 / 1000 AS INTEGER)"_s.arg(col);
        break;
    case TimeFormat::EpochSeconds:
        seconds = u"CAST(%1 AS INTEGER)"_s.arg(col);
        break;
    case TimeFormat::DotNetTicks:
        seconds = u"CAST((%1 - %2) / 10000000 AS INTEGER)"_s.arg(
            col, QString::number(TimeCodec::toDotNetTicks(0)));
        break;
    case TimeFormat::IsoText:
        seconds = u"CAST(strftime('%s', %1) AS INTEGER)"_s.arg(col);
        break;
    }
    const qint64 width = bucketMs(size) / 1000;
    // Weeks start on Monday; the epoch (day 0) was a Thursday, so shift by four days.
    const qint64 shift = size == BucketSize::Week ? 4 * 86400 : 0;
    return u"((%1 - %2) / %3) * %3 + %2"_s.arg(seconds).arg(shift).arg(width);
}

std::optional<StoreSummary> EventStore::summary(const JobControl &job)
{
    StoreSummary s;
    s.layoutId = m_layout.id;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);

    job.report(0, 3);
    if (!query.exec(u"SELECT COUNT(*), MIN(%1), MAX(%1) FROM %2"_s.arg(timeSql(), tableSql())))
        return fail(u"counting events"_s, query);
    if (query.next()) {
        s.events = query.value(0).toLongLong();
        s.firstTimeMs = TimeCodec::decode(query.value(1), m_layout.timeFormat);
        s.lastTimeMs = TimeCodec::decode(query.value(2), m_layout.timeFormat);
    }
    if (job.cancelled())
        return cancelled();

    job.report(1, 3);
    if (!query.exec(
            u"SELECT COUNT(DISTINCT %1) FROM %2"_s.arg(quoted(m_layout.stream), tableSql())))
        return fail(u"counting streams"_s, query);
    if (query.next())
        s.streams = query.value(0).toLongLong();
    if (job.cancelled())
        return cancelled();

    job.report(2, 3);
    if (!query.exec(u"SELECT %1, COUNT(*) FROM %2 GROUP BY 1"_s.arg(typeSql(), tableSql())))
        return fail(u"counting event types"_s, query);
    while (query.next())
        s.typeCounts.insert(query.value(0).toString(), query.value(1).toLongLong());
    job.report(3, 3);
    return s;
}

std::optional<QVector<StreamInfo>> EventStore::streams(const StreamQuery &q)
{
    const QString stream = quoted(m_layout.stream);
    const bool byEvents = q.order == StreamQuery::Order::MostEvents;
    QStringList where;
    QStringList having;
    QVariantList values;
    if (!q.filter.isEmpty()) {
        where << stream + u" LIKE ? ESCAPE '\\'"_s;
        values << likeSubstring(q.filter);
    }
    if (!q.after.isEmpty() && !byEvents) {
        where << stream + u" > ?"_s;
        values << q.after;
    }
    if (!q.after.isEmpty() && byEvents) {
        having << u"COUNT(*) < ? OR (COUNT(*) = ? AND %1 > ?)"_s.arg(stream);
        values << q.afterEvents << q.afterEvents << q.after;
    }
    // The times are those of the first and last versions, read through the (stream, version)
    // index: MIN/MAX over the time column would read every event of every listed stream.
    const QString order = byEvents ? u"n DESC, s"_s : u"s"_s;
    const QString timeAt = u"(SELECT %1 FROM %2 WHERE %3 = g.s AND %4 = g.%5 LIMIT 1)"_s;
    const QString sql =
        u"SELECT s, n, lo, hi, %1, %2 FROM (SELECT %3 AS s, COUNT(*) AS n, MIN(%4) AS lo, "
        "MAX(%4) AS hi FROM %5 %6 GROUP BY %3 %7 ORDER BY %8 LIMIT ?) AS g ORDER BY %8"_s.arg(
            timeAt.arg(timeSql(), tableSql(), stream, versionSql(), u"lo"_s),
            timeAt.arg(timeSql(), tableSql(), stream, versionSql(), u"hi"_s), stream, versionSql(),
            tableSql(), where.isEmpty() ? QString() : u"WHERE "_s + where.join(u" AND "_s),
            having.isEmpty() ? QString() : u"HAVING "_s + having.join(u" AND "_s), order);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &v : std::as_const(values))
        query.addBindValue(v);
    query.addBindValue(q.limit);
    if (!query.exec())
        return fail(u"listing streams"_s, query);

    QVector<StreamInfo> result;
    while (query.next()) {
        StreamInfo info;
        info.stream = query.value(0).toString();
        info.events = query.value(1).toLongLong();
        info.firstVersion = query.value(2).toLongLong();
        info.lastVersion = query.value(3).toLongLong();
        info.firstTimeMs = TimeCodec::decode(query.value(4), m_layout.timeFormat);
        info.lastTimeMs = TimeCodec::decode(query.value(5), m_layout.timeFormat);
        result << info;
    }
    return result;
}

std::optional<QVector<Event>> EventStore::events(const EventFilter &f)
{
    QStringList where{positionSql() + u" > ?"_s};
    QVariantList values{f.afterPosition};
    // Within one stream, position order is version order (events are appended), and the
    // (stream, version) index serves it: the page starts at the version of the event it
    // follows. Ordered by position instead, SQLite would sort the whole stream for each page.
    const bool inStream = !f.stream.isEmpty() && !m_layout.version.isEmpty();
    if (!f.stream.isEmpty()) {
        where << quoted(m_layout.stream) + u" = ?"_s;
        values << f.stream;
    }
    if (inStream) {
        where << u"%1 > COALESCE((SELECT %1 FROM %2 WHERE %3 = ?), -9223372036854775807 - 1)"_s.arg(
            versionSql(), tableSql(), positionSql());
        values << f.afterPosition;
    }
    if (!f.types.isEmpty()) {
        QStringList marks;
        for (const QString &type : f.types) {
            marks << u"?"_s;
            values << type;
        }
        where << typeSql() + u" IN ("_s + marks.join(u", "_s) + u')';
    }
    if (f.fromTimeMs != NoTime) {
        where << timeBoundSql(u">="_s);
        values << timeBoundValue(f.fromTimeMs);
    }
    if (f.toTimeMs != NoTime) {
        where << timeBoundSql(u"<"_s);
        values << timeBoundValue(f.toTimeMs);
    }
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1 FROM %2 WHERE %3 ORDER BY %4 LIMIT ?"_s.arg(
        selectEventColumns(), tableSql(), where.join(u" AND "_s),
        inStream ? versionSql() : positionSql()));
    for (const QVariant &v : std::as_const(values))
        query.addBindValue(v);
    query.addBindValue(f.limit);
    if (!query.exec())
        return fail(u"reading events"_s, query);
    QVector<Event> result;
    while (query.next())
        result << readEvent(query);
    return result;
}

std::optional<QVector<Event>> EventStore::streamEvents(const QString &stream, qint64 afterVersion,
                                                       int limit)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1 FROM %2 WHERE %3 = ? AND %4 > ? ORDER BY %4 LIMIT ?"_s.arg(
        selectEventColumns(), tableSql(), quoted(m_layout.stream), versionSql()));
    query.addBindValue(stream);
    query.addBindValue(afterVersion);
    query.addBindValue(limit);
    if (!query.exec())
        return fail(u"reading stream %1"_s.arg(stream), query);
    QVector<Event> result;
    result.reserve(limit);
    while (query.next())
        result << readEvent(query);
    return result;
}

std::optional<QVector<Bucket>> EventStore::buckets(BucketSize size, const BucketFilter &f)
{
    if (m_layout.time.isEmpty()) {
        m_error = u"%1: the events have no time column, so they cannot be bucketed by time"_s.arg(
            m_location.displayName());
        return std::nullopt;
    }
    QStringList where{timeSql() + u" IS NOT NULL"_s};
    QVariantList values;
    if (!f.stream.isEmpty()) {
        where << quoted(m_layout.stream) + u" = ?"_s;
        values << f.stream;
    }
    if (!f.type.isEmpty()) {
        where << typeSql() + u" = ?"_s;
        values << f.type;
    }
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1 AS bucket, %2, COUNT(*) FROM %3 WHERE %4 GROUP BY 1, 2 "
                  "ORDER BY 1, 2"_s.arg(bucketSecondsSql(size), typeSql(), tableSql(),
                                        where.join(u" AND "_s)));
    for (const QVariant &v : std::as_const(values))
        query.addBindValue(v);
    if (!query.exec())
        return fail(u"counting events per %1"_s.arg(bucketName(size)), query);

    QVector<Bucket> result;
    while (query.next()) {
        if (query.value(0).isNull())
            continue; // a time SQLite cannot read: it has no bucket
        const qint64 start = query.value(0).toLongLong() * 1000;
        if (result.isEmpty() || result.constLast().startMs != start)
            result.append(Bucket{start, 0, {}});
        const qint64 n = query.value(2).toLongLong();
        result.last().events += n;
        result.last().byType.insert(query.value(1).toString(), n);
    }
    return result;
}

qint64 EventStore::bucketMs(BucketSize size)
{
    switch (size) {
    case BucketSize::Minute:
        return 60000;
    case BucketSize::Hour:
        return 3600000;
    case BucketSize::Day:
        return 86400000;
    case BucketSize::Week:
        return 7 * 86400000LL;
    }
    return 0;
}

QString EventStore::bucketName(BucketSize size)
{
    switch (size) {
    case BucketSize::Minute:
        return u"minute"_s;
    case BucketSize::Hour:
        return u"hour"_s;
    case BucketSize::Day:
        return u"day"_s;
    case BucketSize::Week:
        return u"week"_s;
    }
    return {};
}

bool EventStore::parseBucketName(const QString &name, BucketSize *size)
{
    for (BucketSize s : {BucketSize::Minute, BucketSize::Hour, BucketSize::Day, BucketSize::Week}) {
        if (name.compare(bucketName(s), Qt::CaseInsensitive) == 0) {
            *size = s;
            return true;
        }
    }
    return false;
}

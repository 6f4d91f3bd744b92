#include "store/eventstore.h"

#include "decoding/payload.h"
#include "decoding/payloaddecoder.h"
#include "index/eventindex.h"
#include "store/keyedjoinscan.h"
#include "store/layoutdetector.h"
#include "store/postgresconnection.h"
#include "store/postgresstreamreader.h"
#include "store/sqlitefile.h"
#include "store/sqlitehandle.h"
#include "store/sqlitestreamreader.h"
#include "store/sqlitetimefunction.h"
#include "store/sqlnaturalorder.h"
#include "store/statementinterrupter.h"

#include <QAtomicInteger>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

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

// The time a decoded payload holds in a top-level field, for layouts that keep it there.
qint64 payloadTime(const QJsonObject &payload, const QString &field)
{
    return TimeCodec::parseIso(payload.value(field).toString());
}

// QSqlQuery::next() is false both after the last row and when reading a row failed (a corrupt
// page, an I/O error): only the query's error tells the two apart. Every loop over rows asks,
// or a failed read would pass for a shorter answer.
bool readFailed(const QSqlQuery &query)
{
    return query.lastError().type() != QSqlError::NoError;
}

QJsonObject payloadObject(const QByteArray &decoded)
{
    return Payload::toJson(decoded).value_or(QJsonValue()).toObject();
}

// Opens the connection of either dialect, read-only; *hold as SqliteFile::openReadOnly.
QSqlDatabase openConnection(const StoreLocation &location, const QString &name, StoreError *error,
                            std::unique_ptr<SqliteReadHold> *hold)
{
    if (location.kind() == StoreLocation::Kind::Postgres)
        return PostgresConnection::openReadOnly(location, name, error);
    return SqliteFile::openReadOnly(location.path(), name, error, hold);
}

// One SQLite read transaction around the statements of one answer, so that all of them read
// the same state of a store another process writes to (each statement on its own would read
// the state after the latest commit). Declared before the answer's queries, so that they
// are done when it ends.
class ReadTransaction
{
public:
    explicit ReadTransaction(QSqlDatabase &db)
        : m_db(db), m_open(db.driverName() == u"QSQLITE" && db.transaction())
    {
    }
    ~ReadTransaction()
    {
        if (m_open)
            m_db.commit();
    }
    ReadTransaction(const ReadTransaction &) = delete;
    ReadTransaction &operator=(const ReadTransaction &) = delete;

private:
    QSqlDatabase &m_db;
    bool m_open;
};

SqlDialect dialectOf(const StoreLocation &location)
{
    return location.kind() == StoreLocation::Kind::Postgres ? SqlDialect::Postgres
                                                            : SqlDialect::Sqlite;
}

// A PostgreSQL timestamp within TimeCodec's years (1 to 9999): infinity, BC and year 10000
// are no time. The session runs in UTC, so the bounds are UTC.
QString postgresTimestampInRange(const QString &timestamp)
{
    return u"%1 BETWEEN '0001-01-01 00:00:00' AND '9999-12-31 23:59:59.999999'"_s.arg(timestamp);
}

// Text that PostgreSQL reads as a time where TimeCodec::parseIso does, guarded so that one
// value it cannot read is no time instead of failing the whole statement: the pattern is
// parseIso's (ASCII digits, days within their month, February 29 in leap years only, year
// 0000 and zones past 15:59 refused), and the result is in range. Text without a zone is
// UTC, as the session is.
QString postgresIsoTime(const QString &text)
{
    const QString pattern = u"^(\\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])"
                            "([Tt ]([01]\\d|2[0-3]):[0-5]\\d(:([0-5]\\d|60)([.,]\\d+)?)?)?"
                            "([Zz]|[+-](0\\d|1[0-5])(:?[0-5]\\d)?)?$"_s;
    // The day exists in its month (the pattern allows 31 in any month).
    const QString dayExists =
        u"CAST(substr(%1, 9, 2) AS int) <= CASE CAST(substr(%1, 6, 2) AS int) "
        "WHEN 2 THEN CASE WHEN CAST(substr(%1, 1, 4) AS int) %% 4 = 0 AND "
        "(CAST(substr(%1, 1, 4) AS int) %% 100 <> 0 OR CAST(substr(%1, 1, 4) AS int) %% 400 = 0) "
        "THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 "
        "ELSE 31 END"_s;
    const QString cast = u"CAST(upper(replace(%1, ',', '.')) AS timestamptz)"_s;
    QString sql = u"(CASE WHEN %1 ~ '"_s + pattern + u"' AND substr(%1, 1, 4) <> '0000' AND "_s +
                  dayExists + u" AND "_s + postgresTimestampInRange(cast) + u" THEN "_s + cast +
                  u" END)"_s;
    return sql.replace(u"%%"_s, u"%"_s).arg(text);
}

// Each of `slices` equal slices' share of `events`, from the sorted times of an
// even sample of the events: the sample's distribution of times, linear between neighbouring
// samples, read at each slice's bounds.
QVector<qint64> densityOfSample(const QVector<qint64> &times, qint64 fromMs, qint64 toMs,
                                qint64 events, int slices)
{
    const qsizetype n = times.size();
    // The fraction of the events before t.
    const auto before = [&](qint64 t) {
        const qsizetype at = std::lower_bound(times.cbegin(), times.cend(), t) - times.cbegin();
        if (at == 0)
            return 0.0;
        if (at == n)
            return 1.0;
        const double previous = double(times[at - 1]);
        return (double(at - 1) + (double(t) - previous) / (double(times[at]) - previous)) /
               double(n - 1);
    };
    const qint64 span = toMs - fromMs + 1;
    QVector<qint64> density(slices);
    qint64 start = 0; // events before the slice
    for (int i = 0; i < slices; ++i) {
        const qint64 end =
            qint64(std::llround(double(events) * before(fromMs + span * (i + 1) / slices)));
        density[i] = end - start;
        start = end;
    }
    return density;
}

} // namespace

EventStore::EventStore(const StoreLocation &location, const QString &connectionName)
    : m_location(location), m_connectionName(connectionName), m_dialect(dialectOf(location))
{
}

EventStore::~EventStore()
{
    if (m_interrupter)
        m_interrupter->detach();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

std::unique_ptr<EventStore> EventStore::open(const StoreLocation &location,
                                             const StoreOpenOptions &options, StoreError *error)
{
    if (!location.isValid()) {
        *error = {StoreError::Kind::NotAStore, location.errorString()};
        return nullptr;
    }
    std::unique_ptr<EventStore> store(new EventStore(location, nextConnectionName()));
    store->m_db = openConnection(location, store->m_connectionName, error, &store->m_readHold);
    if (!store->m_db.isOpen())
        return nullptr; // the destructor removes the connection
    // Whichever step below fails, a server that went away meanwhile is what the user is told
    // (in one line): the step's own message would name only its statement.
    const QSqlDatabase db = store->m_db;
    bool opened = false;
    const auto lostMeanwhile = qScopeGuard([&] {
        if (!opened && db.driverName() == u"QPSQL")
            PostgresConnection::explainLoss(location, db, error);
    });
    if (store->m_dialect == SqlDialect::Sqlite &&
        (!SqliteTimeFunction::install(store->m_db) ||
         !SqlNaturalOrder::installCollation(store->m_db))) {
        *error = {StoreError::Kind::Sql,
                  u"%1: cannot add Eventscope's time function and stream order to SQLite"_s.arg(
                      location.displayName())};
        return nullptr;
    }
    const QString name = location.displayName();
    StoreError catalogError;
    const auto catalog =
        StoreCatalog::read(store->m_db, store->m_dialect, location.schema(), &catalogError);
    if (!catalog) {
        const QString why = u"cannot read the list of tables: %1"_s.arg(catalogError.message);
        *error = store->m_dialect == SqlDialect::Postgres
                     ? PostgresConnection::describe(location, StoreError{catalogError.kind, why})
                     : StoreError{catalogError.kind, u"%1: %2"_s.arg(name, why)};
        return nullptr;
    }
    const QVector<StoreLayout> layouts =
        LayoutDetector::detect(store->m_db, *catalog, name, options.mapSpec, error);
    if (layouts.isEmpty()) {
        if (store->m_dialect == SqlDialect::Postgres)
            *error = PostgresConnection::explainMissingTables(store->m_db, location,
                                                              catalog->tables().isEmpty(), *error);
        return nullptr;
    }
    const StoreLayout *chosen = &layouts.constFirst();
    if (!options.table.isEmpty()) {
        chosen = nullptr;
        QStringList tables;
        for (const StoreLayout &layout : layouts) {
            tables << layout.table;
            const QString bare = layout.table.section(u'.', -1);
            if (!chosen && (layout.table.compare(options.table, Qt::CaseInsensitive) == 0 ||
                            bare.compare(options.table, Qt::CaseInsensitive) == 0))
                chosen = &layout;
        }
        if (!chosen) {
            *error = {StoreError::Kind::NotFound,
                      u"%1: no events table named '%2' (event tables: %3)"_s.arg(
                          name, options.table, tables.join(u", "_s))};
            return nullptr;
        }
    }
    store->m_layout = *chosen;
    store->m_options = options;
    for (const StoreLayout &layout : layouts)
        store->m_matches << LayoutMatch{layout.id, layout.title, layout.table};
    if (!store->m_layout.timeFormatSettled &&
        !LayoutDetector::sampleTimeFormat(store->m_db, store->m_layout, name, error))
        return nullptr;
    if (!LayoutDetector::streamsByText(store->m_db, *catalog, store->m_layout, name, error))
        return nullptr;
    store->m_interrupter = StatementInterrupter::forConnection(store->m_db);
    opened = true;
    return store;
}

std::optional<QVector<TableSample>> EventStore::tableSamples(const StoreLocation &location,
                                                             StoreError *error)
{
    if (!location.isValid()) {
        *error = {StoreError::Kind::NotAStore, location.errorString()};
        return std::nullopt;
    }
    const QString name = nextConnectionName();
    std::optional<QVector<TableSample>> result;
    std::unique_ptr<SqliteReadHold> hold; // until the connection is removed
    {
        QSqlDatabase db = openConnection(location, name, error, &hold);
        const auto catalog =
            db.isOpen() ? StoreCatalog::read(db, dialectOf(location), location.schema(), error)
                        : std::nullopt;
        if (catalog) {
            result.emplace();
            for (const CatalogTable &table : catalog->tables()) {
                auto sample = TableSample::read(db, table, error);
                if (!sample) {
                    error->message = location.displayName() + u": "_s + error->message;
                    result.reset();
                    break;
                }
                *result << *sample;
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

QString EventStore::readNotice() const
{
    QStringList notices;
    if (!m_layout.notice.isEmpty())
        notices << m_layout.notice;
    if (m_readHold && !m_readHold->notice().isEmpty())
        notices << m_readHold->notice();
    if (const QString library = SqliteHandle::libraryNotice(m_db); !library.isEmpty())
        notices << library;
    return notices.join(u"; "_s);
}

std::nullopt_t EventStore::fail(const QString &what, const QSqlQuery &query)
{
    if (m_dialect == SqlDialect::Postgres) {
        m_error = PostgresConnection::describe(m_location, m_db, query.lastError(),
                                               m_interrupter && m_interrupter->takeInterrupted());
        if (!m_error.isCancelled())
            m_error.message = u"%1 (%2)"_s.arg(m_error.message, what);
        return std::nullopt;
    }
    const StoreError::Kind kind = SqliteFile::errorKind(query.lastError());
    if (kind == StoreError::Kind::Cancelled)
        return cancelled();
    m_error = {kind, u"%1: %2 failed: %3"_s.arg(m_location.displayName(), what,
                                                SqliteFile::describeFailure(query.lastError()))};
    return std::nullopt;
}

std::nullopt_t EventStore::cancelled()
{
    m_error = StoreError::cancelled();
    return std::nullopt;
}

// The expression of each role; absent roles read as NULL (or stand in as described in
// StoreLayout) so that every query has the same shape.
QString EventStore::selectEventColumns() const
{
    const auto column = [](const QString &sql) {
        return sql.isEmpty() ? u"NULL"_s : sql;
    };
    return m_layout.position + u", "_s + m_layout.streamText + u", "_s + versionSql() + u", "_s +
           column(m_layout.type) + u", "_s + rowTimeSql() + u", "_s + column(m_layout.data) +
           u", "_s + column(m_layout.metadata);
}

// PostgreSQL types a parameter by its column: a 64-bit bound (the keyset's "from the start")
// next to an integer column would not fit.
QString EventStore::integerParameter() const
{
    return m_dialect == SqlDialect::Postgres ? u"CAST(? AS bigint)"_s : u"?"_s;
}

QString EventStore::versionSql() const
{
    return m_layout.version.isEmpty() ? m_layout.position : m_layout.version;
}

// Checked on first use, not at open: a pass over the streams' table.
bool EventStore::oneKeyPerStream() const
{
    const std::optional<StreamNameTable> &names = m_layout.streamNames;
    if (m_dialect != SqlDialect::Sqlite || !names)
        return false;
    if (!m_oneKeyPerStream) {
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        const QString repeated =
            u"EXISTS (SELECT 1 FROM %1 WHERE %2 IS NOT NULL GROUP BY %2 HAVING COUNT(DISTINCT %3) "
            "> 1)"_s;
        // A store that cannot be read here fails the statement that follows, and says why.
        m_oneKeyPerStream = query.exec(u"SELECT %1 OR %2"_s.arg(
                                repeated.arg(names->from, m_layout.stream, names->key),
                                repeated.arg(names->from, names->key, m_layout.stream))) &&
                            query.next() && query.value(0).toInt() == 0;
    }
    return *m_oneKeyPerStream;
}

EventStore::StreamOrder EventStore::streamOrder(const QString &stream) const
{
    if (oneKeyPerStream())
        return {versionSql(), {}, m_layout.streamNames->key + u", "_s + versionSql()};
    const auto &fallback = m_layout.versionFallback;
    if (m_dialect != SqlDialect::Sqlite || !fallback)
        return {versionSql(), {}, versionSql()};
    // Two seeks through the (stream, stored) index, each time: a stream may gain events.
    const QString any = u"EXISTS (SELECT 1 FROM %1%2)"_s;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1, %2"_s.arg(
        any.arg(m_layout.from,
                whereSql({m_layout.stream + u" = ?"_s, fallback->stored + u" IS NULL"_s})),
        any.arg(m_layout.from,
                whereSql({m_layout.stream + u" = ?"_s, fallback->stored + u" IS NOT NULL"_s}))));
    query.addBindValue(stream);
    query.addBindValue(stream);
    // A stream with both, or a store that cannot be read here (the statement that follows says
    // why), is ordered by the version itself.
    if (!query.exec() || !query.next())
        return {versionSql(), {}, versionSql()};
    const bool withoutStored = query.value(0).toInt() != 0;
    const bool withStored = query.value(1).toInt() != 0;
    if (withoutStored && withStored)
        return {versionSql(), {}, versionSql()};
    // Each a range of the index: the stored versions, or the fallbacks of the rows without.
    if (withStored)
        return {fallback->stored, {}, fallback->stored + u", "_s + fallback->fallback};
    return {fallback->fallback, fallback->stored + u" IS NULL"_s, fallback->fallback};
}

QString EventStore::StreamOrder::after(const QString &parameter) const
{
    const QString bound = bounded + u" > "_s + parameter;
    return guard.isEmpty() ? bound : u"("_s + guard + u" AND "_s + bound + u")"_s;
}

QString EventStore::typeSql() const
{
    return m_layout.type.isEmpty() ? u"''"_s : m_layout.type;
}

QString EventStore::whereSql(QStringList conditions) const
{
    if (!m_layout.where.isEmpty())
        conditions.prepend(m_layout.where);
    return conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
}

void EventStore::positionBound(const QString &op, qint64 value, Parameters parameters,
                               QStringList *where, QVariantList *values) const
{
    const auto parameter = [&](const QVariant &v) {
        *values << v;
        if (parameters == Parameters::InOrder)
            return integerParameter();
        return m_dialect == SqlDialect::Postgres ? u"CAST($%1 AS bigint)"_s.arg(values->size())
                                                 : u"?%1"_s.arg(values->size());
    };
    *where << m_layout.position + u' ' + op + u' ' + parameter(value);
    if (m_layout.positionGroup.isEmpty())
        return;
    // position = group * stride + place with 0 <= place < stride: a position above (below)
    // the bound lies in the bound's group or a later (earlier) one.
    const QString groupOp = op == u"="_s ? op : op.startsWith(u'>') ? u">="_s : u"<="_s;
    *where << m_layout.positionGroup + u' ' + groupOp + u' ' + parameter(groupOf(value));
}

qint64 EventStore::groupOf(qint64 position) const
{
    const qint64 stride = m_layout.positionStride;
    return position / stride - (position % stride < 0 ? 1 : 0); // rounded down
}

// The span of grouped positions counts stride positions per group, most of them unused: the
// events are estimated from runs of groups spread evenly over the span, each counted through
// the group's index (all of them when there are few).
std::optional<qint64> EventStore::estimateGroupedEvents(qint64 first, qint64 last)
{
    constexpr qint64 Runs = 16;
    constexpr qint64 RunGroups = 64;
    const qint64 firstGroup = groupOf(first);
    const qint64 groups = groupOf(last) - firstGroup + 1;
    const bool all = groups <= Runs * RunGroups;
    const QString group = m_layout.positionGroup;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT COUNT(*) FROM %1%2"_s.arg(
        m_layout.from,
        whereSql({group + u" >= "_s + integerParameter(), group + u" < "_s + integerParameter()})));
    qint64 counted = 0;
    for (qint64 run = 0; run < (all ? 1 : Runs); ++run) {
        const qint64 start =
            all ? firstGroup : firstGroup + (groups - RunGroups) * run / (Runs - 1);
        query.bindValue(0, start);
        query.bindValue(1, start + (all ? groups : RunGroups));
        if (!query.exec() || !query.next())
            return fail(u"estimating the number of events"_s, query);
        counted += query.value(0).toLongLong();
    }
    return all ? counted : qint64(double(counted) * double(groups) / double(Runs * RunGroups));
}

QString EventStore::positionOrderSql(bool descending) const
{
    const QString direction = descending ? u" DESC"_s : QString();
    if (m_layout.positionGroup.isEmpty())
        return m_layout.position + direction;
    if (m_layout.placesInOrder)
        return m_layout.positionGroup + direction;
    return m_layout.positionGroup + direction + u", "_s + m_layout.positionPlace + direction;
}

// Each group's positions are read whole and counted from the highest: ordered by group and
// place descending, SQLite would sort every group below the start (json_each's rows come in
// ascending order, which its planner does not know).
std::optional<qint64> EventStore::stepBackInGroups(QSqlQuery &query, qint64 rows)
{
    std::vector<qint64> group;
    qint64 groupId = 0;
    const auto stepOver = [&]() -> std::optional<qint64> {
        std::sort(group.begin(), group.end(), std::greater<>());
        if (rows <= qint64(group.size()))
            return group[std::size_t(rows - 1)];
        rows -= qint64(group.size());
        group.clear();
        return std::nullopt;
    };
    while (query.next()) {
        const qint64 id = query.value(1).toLongLong();
        if (!group.empty() && id != groupId) {
            if (const auto found = stepOver())
                return found;
        }
        groupId = id;
        group.push_back(query.value(0).toLongLong());
    }
    if (readFailed(query))
        return fail(u"seeking events"_s, query);
    if (const auto found = stepOver())
        return found;
    return std::numeric_limits<qint64>::min();
}

template<typename Row> Event EventStore::eventFromRow(const Row &query) const
{
    Event e;
    e.position = query.value(0).toLongLong();
    e.stream = query.value(1).toString();
    e.version = query.value(2).toLongLong();
    e.type = query.value(3).toString();
    e.timeMs = decodeRowTime(query.value(4));
    PayloadDecoder::Options options;
    options.unwrapTypedValues = m_layout.unwrapTypedValues;
    DecodedPayload data = PayloadDecoder::decode(payloadBytes(query.value(5)), options);
    e.data = std::move(data.bytes);
    e.dataNote = std::move(data.note);
    e.dataReadable = data.kind != DecodedPayload::Kind::Binary;
    if (e.timeMs == NoTime && !m_layout.payloadTimeField.isEmpty())
        e.timeMs = payloadTime(payloadObject(e.data), m_layout.payloadTimeField);
    e.metadata = PayloadDecoder::decode(payloadBytes(query.value(6)), options).bytes;
    return e;
}

Event EventStore::readEvent(const QSqlQuery &query) const
{
    return eventFromRow(query);
}

Event EventStore::readEvent(const PostgresStreamReader &row) const
{
    return eventFromRow(row);
}

// On SQLite, times compare as the stored text only where LayoutDetector verified every one is
// a valid canonical ISO time (and so through its index); all else goes through TimeCodec's
// SQL function, as milliseconds or NULL. On PostgreSQL a time outside TimeCodec's years is
// NULL. Either way a NULL comparable is no time: no bound holds for it, MIN and MAX skip it,
// and it falls in no bucket.
QString EventStore::timeComparableSql() const
{
    if (m_layout.time.isEmpty())
        return u"NULL"_s;
    if (m_dialect == SqlDialect::Sqlite)
        return timesCompareAsText() ? m_layout.time
                                    : SqliteTimeFunction::call(m_layout.time, m_layout.timeFormat);
    if (m_layout.timeStorage == TimeStorage::PostgresTimestamp)
        return u"(CASE WHEN %1 THEN %2 END)"_s.arg(postgresTimestampInRange(m_layout.time),
                                                   m_layout.time);
    if (m_layout.timeFormat == TimeFormat::IsoText)
        return postgresIsoTime(m_layout.time);
    return u"(CASE WHEN %1 THEN %2 END)"_s.arg(postgresNumberInRange(m_layout.time), m_layout.time);
}

// PostgreSQL times leave the server as epoch milliseconds, so that no driver's idea of time
// zones comes between; so do SQLite times through TimeCodec's SQL function.
QString EventStore::timeOutputSql(const QString &comparable) const
{
    if (m_layout.time.isEmpty())
        return comparable;
    if (m_dialect == SqlDialect::Postgres &&
        (m_layout.timeStorage == TimeStorage::PostgresTimestamp ||
         m_layout.timeFormat == TimeFormat::IsoText))
        return u"CAST(FLOOR(EXTRACT(EPOCH FROM %1) * 1000) AS bigint)"_s.arg(comparable);
    return comparable;
}

TimeFormat EventStore::timeOutputFormat() const
{
    if (m_dialect == SqlDialect::Sqlite)
        return timesCompareAsText() ? TimeFormat::IsoText : TimeFormat::EpochMillis;
    if (m_layout.timeStorage == TimeStorage::PostgresTimestamp ||
        m_layout.timeFormat == TimeFormat::IsoText)
        return TimeFormat::EpochMillis;
    return m_layout.timeFormat;
}

qint64 EventStore::decodeTime(const QVariant &value) const
{
    return TimeCodec::decode(value, timeOutputFormat());
}

// Each row's time is decoded by TimeCodec itself, whatever its form: as stored where the
// layout claims canonical text (parseIso reads any ISO text right), so that showing rows
// never waits for the verification that comparing them needs.
QString EventStore::rowTimeSql() const
{
    if (m_layout.time.isEmpty())
        return u"NULL"_s;
    if (m_dialect == SqlDialect::Sqlite)
        return m_layout.canonicalIsoTime
                   ? m_layout.time
                   : SqliteTimeFunction::call(m_layout.time, m_layout.timeFormat);
    return timeOutputSql(timeComparableSql());
}

TimeFormat EventStore::rowTimeFormat() const
{
    if (m_dialect == SqlDialect::Sqlite)
        return m_layout.canonicalIsoTime ? TimeFormat::IsoText : TimeFormat::EpochMillis;
    return timeOutputFormat();
}

qint64 EventStore::decodeRowTime(const QVariant &value) const
{
    return TimeCodec::decode(value, rowTimeFormat());
}

// Verified on the first comparison, not at open: the pass over every time costs seconds on
// ten million events, which a first paint or a page of events should not wait for.
bool EventStore::timesCompareAsText() const
{
    if (m_dialect != SqlDialect::Sqlite || !m_layout.canonicalIsoTime)
        return false;
    if (!m_timesCompareAsText) {
        QSqlDatabase db = m_db;
        bool ok = false;
        // A store that cannot be read here fails the statement that follows, and says why.
        m_timesCompareAsText = LayoutDetector::allTimesCanonical(db, m_layout, &ok) && ok;
    }
    return *m_timesCompareAsText;
}

// A comparison of the time with a bound given in milliseconds. Where the stored value orders
// as the time does (canonical ISO text on SQLite, a PostgreSQL timestamp or number) it is
// compared itself, so that an index on it serves, and kept within TimeCodec's years; else the
// comparable time is.
QString EventStore::timeBoundSql(const QString &op) const
{
    const QString time = m_layout.time;
    if (m_dialect == SqlDialect::Sqlite)
        return u"%1 %2 ?"_s.arg(timeComparableSql(), op);
    if (m_layout.timeStorage == TimeStorage::PostgresTimestamp)
        return u"(%1 %2 CAST(? AS timestamptz) AND %3)"_s.arg(time, op,
                                                              postgresTimestampInRange(time));
    if (m_layout.timeFormat == TimeFormat::IsoText)
        return u"%1 %2 CAST(? AS timestamptz)"_s.arg(timeComparableSql(), op);
    return u"(%1 %2 ? AND %3)"_s.arg(time, op, postgresNumberInRange(time));
}

// The stored value's range of TimeCodec's years, for a PostgreSQL number.
QString EventStore::postgresNumberInRange(const QString &number) const
{
    QString low, high;
    switch (m_layout.timeFormat) {
    case TimeFormat::EpochMillis:
        low = QString::number(TimeCodec::MinMs);
        high = QString::number(TimeCodec::MaxMs);
        break;
    case TimeFormat::EpochSeconds:
        low = QString::number(TimeCodec::MinMs / 1000);
        high = QString::number(TimeCodec::MaxMs / 1000) + u".999"_s;
        break;
    case TimeFormat::DotNetTicks:
        low = QString::number(TimeCodec::toDotNetTicks(TimeCodec::MinMs));
        high = QString::number(TimeCodec::toDotNetTicks(TimeCodec::MaxMs + 1) - 1);
        break;
    case TimeFormat::IsoText:
        break;
    }
    return u"%1 BETWEEN %2 AND %3"_s.arg(number, low, high);
}

QVariant EventStore::timeBoundValue(qint64 ms) const
{
    if (m_dialect == SqlDialect::Sqlite)
        return timesCompareAsText() ? QVariant(TimeCodec::format(ms)) : QVariant(ms);
    if (m_layout.timeStorage == TimeStorage::PostgresTimestamp)
        return TimeCodec::format(ms);
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

// The start of the time's bucket, in whole seconds since the epoch: floored, so that a time
// before 1970 (or before a week's Monday) falls in the bucket it is in, not the next one.
QString EventStore::bucketSecondsSql(BucketSize size) const
{
    const QString time = timeComparableSql();
    // The time in seconds, with a fraction where it has one.
    QString seconds;
    if (m_dialect == SqlDialect::Sqlite) {
        seconds = timesCompareAsText() ? u"CAST(strftime('%s', %1) AS INTEGER)"_s.arg(time)
                                       : u"(%1 / 1000.0)"_s.arg(time);
    } else if (m_layout.timeStorage == TimeStorage::PostgresTimestamp ||
               m_layout.timeFormat == TimeFormat::IsoText) {
        // date_part, not EXTRACT: since PostgreSQL 14 EXTRACT computes in numeric, far slower
        // per row than date_part's double, which is exact to the second until 2200.
        seconds = u"date_part('epoch', %1)"_s.arg(time);
    } else {
        switch (m_layout.timeFormat) {
        case TimeFormat::EpochMillis:
            seconds = u"(%1 / 1000.0)"_s.arg(time);
            break;
        case TimeFormat::EpochSeconds:
            seconds = time;
            break;
        case TimeFormat::DotNetTicks:
            seconds = u"((%1 - %2) / 10000000.0)"_s.arg(
                time, QString::number(TimeCodec::toDotNetTicks(0)));
            break;
        case TimeFormat::IsoText:
            break;
        }
    }
    const qint64 width = bucketMs(size) / 1000;
    // Weeks start on Monday; the epoch (day 0) was a Thursday, so shift by four days.
    const qint64 shift = size == BucketSize::Week ? 4 * 86400 : 0;
    // floor((s - shift) / width), in one expression of s: the time is read once per row.
    return u"(CAST(FLOOR((%1 - %2) / %3.0) AS bigint) * %3 + %2)"_s.arg(seconds).arg(shift).arg(
        width);
}

// What a summary says of the layout, before any counting.
StoreSummary EventStore::layoutSummary() const
{
    StoreSummary s;
    s.layoutId = m_layout.id;
    s.layoutTitle = m_layout.title;
    s.table = m_layout.table;
    s.matches = m_matches;
    s.hasSnapshots = m_layout.snapshots.has_value();
    return s;
}

void EventStore::attachIndex(std::shared_ptr<const EventIndex> index)
{
    m_index = std::move(index);
}

std::optional<StoreSummary> EventStore::summary(const JobControl &job)
{
    if (m_index)
        return m_index->summary(layoutSummary());
    if (m_dialect == SqlDialect::Postgres)
        return serverSummary(job, std::numeric_limits<qint64>::max());
    StoreSummary s = layoutSummary();
    const ReadTransaction snapshot(m_db); // the counts add up
    QSqlQuery query(m_db);
    query.setForwardOnly(true);

    job.report(0, 3);
    const QString time = timeComparableSql();
    if (!query.exec(u"SELECT COUNT(*), %1, %2, COUNT(%3) FROM %4%5"_s.arg(
            timeOutputSql(u"MIN(%1)"_s.arg(time)), timeOutputSql(u"MAX(%1)"_s.arg(time)), time,
            m_layout.from, whereSql({}))))
        return fail(u"counting events"_s, query);
    if (query.next()) {
        s.events = query.value(0).toLongLong();
        s.firstTimeMs = decodeTime(query.value(1));
        s.lastTimeMs = decodeTime(query.value(2));
        s.eventsWithoutTime = s.events - query.value(3).toLongLong();
    } else if (readFailed(query)) {
        return fail(u"counting events"_s, query);
    }
    if (job.cancelled())
        return cancelled();

    job.report(1, 3);
    if (!query.exec(u"SELECT COUNT(DISTINCT %1) FROM %2%3"_s.arg(m_layout.stream, m_layout.from,
                                                                 whereSql({}))))
        return fail(u"counting streams"_s, query);
    if (query.next())
        s.streams = query.value(0).toLongLong();
    else if (readFailed(query))
        return fail(u"counting streams"_s, query);
    if (job.cancelled())
        return cancelled();

    job.report(2, 3);
    if (!query.exec(u"SELECT %1, COUNT(*) FROM %2%3 GROUP BY 1"_s.arg(typeSql(), m_layout.from,
                                                                      whereSql({}))))
        return fail(u"counting event types"_s, query);
    // A NULL type and an empty one are both "": their counts add up.
    while (query.next())
        s.typeCounts[query.value(0).toString()] += query.value(1).toLongLong();
    if (readFailed(query))
        return fail(u"counting event types"_s, query);
    job.report(3, 3);
    return s;
}

// PostgreSQL counts the events per type with their time range in one pass, grouped in
// parallel, where one statement per figure would read the table once each. The streams are
// counted by a second pass, and only up to countStreamsUpTo events: above, the summary is
// inexact with streams -1 and everything else exact.
std::optional<StoreSummary> EventStore::serverSummary(const JobControl &job,
                                                      qint64 countStreamsUpTo)
{
    StoreSummary s = layoutSummary();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);

    job.report(0, 2);
    const QString time = timeComparableSql();
    if (!query.exec(u"SELECT %1, COUNT(*), %2, %3, COUNT(%4) FROM %5%6 GROUP BY 1"_s.arg(
            typeSql(), timeOutputSql(u"MIN(%1)"_s.arg(time)), timeOutputSql(u"MAX(%1)"_s.arg(time)),
            time, m_layout.from, whereSql({}))))
        return fail(u"counting events"_s, query);
    while (query.next()) {
        const qint64 n = query.value(1).toLongLong();
        s.events += n;
        s.eventsWithoutTime += n - query.value(4).toLongLong();
        s.typeCounts[query.value(0).toString()] += n; // a NULL type and '' read alike
        const qint64 first = decodeTime(query.value(2));
        const qint64 last = decodeTime(query.value(3));
        if (first != NoTime && (s.firstTimeMs == NoTime || first < s.firstTimeMs))
            s.firstTimeMs = first;
        if (last != NoTime && (s.lastTimeMs == NoTime || last > s.lastTimeMs))
            s.lastTimeMs = last;
    }
    if (readFailed(query))
        return fail(u"counting events"_s, query);
    if (job.cancelled())
        return cancelled();
    if (s.events > countStreamsUpTo) {
        s.streams = -1;
        s.exact = false;
        return s;
    }

    job.report(1, 2);
    // GROUP BY, not COUNT(DISTINCT): PostgreSQL sorts every row for a DISTINCT aggregate, on
    // one core, but hashes a GROUP BY in parallel or walks an index for it.
    if (!query.exec(u"SELECT COUNT(*) FROM (SELECT %1 FROM %2%3 GROUP BY 1) AS streams"_s.arg(
            m_layout.stream, m_layout.from, whereSql({}))))
        return fail(u"counting streams"_s, query);
    if (query.next())
        s.streams = query.value(0).toLongLong();
    else if (readFailed(query))
        return fail(u"counting streams"_s, query);
    job.report(2, 2);
    return s;
}

bool EventStore::seeksByIndex(const QString &sql, const QVariantList &parameters)
{
    if (m_dialect == SqlDialect::Postgres)
        return postgresSeeksByIndex(sql, parameters);
    QSqlQuery plan(m_db);
    plan.setForwardOnly(true);
    plan.prepare(u"EXPLAIN QUERY PLAN "_s + sql);
    for (const QVariant &value : parameters)
        plan.addBindValue(value);
    if (!plan.exec())
        return false;
    bool any = false;
    while (plan.next()) {
        const QString detail = plan.value(3).toString();
        // A table-valued function (json_each) walks the value of the row sought.
        const bool scan =
            detail.startsWith(u"SCAN"_s) && !detail.contains(u" VIRTUAL TABLE INDEX"_s);
        if (scan || detail.contains(u"TEMP B-TREE"_s))
            return false;
        any = true;
    }
    return any;
}

// PostgreSQL's plan: an index scan, without a sequential scan or a sort.
bool EventStore::postgresSeeksByIndex(QString sql, const QVariantList &parameters)
{
    for (qsizetype n = 1; n <= parameters.size(); ++n) {
        const qsizetype at = sql.indexOf(u'?');
        if (at < 0)
            return false;
        sql.replace(at, 1, u"$"_s + QString::number(n));
    }
    const auto lines = PostgresStreamReader::plan(m_db, sql, parameters);
    if (!lines)
        return false;
    bool index = false;
    for (const QString &line : *lines) {
        if (line.contains(u"Seq Scan"_s) || line.contains(u"Sort"_s))
            return false;
        index = index || line.contains(u"Index Scan"_s) || line.contains(u"Index Only Scan"_s);
    }
    return index;
}

// Over the stored text, which the layout claims is canonical ISO time: a first paint does not
// wait for the pass that verifies the claim (timesCompareAsText), and the inexact summary it
// gives is replaced by the exact one.
QString EventStore::timeSeekSql() const
{
    return u"SELECT %1 FROM %2%3 ORDER BY %4 LIMIT 1"_s.arg(
        m_layout.position, m_layout.from, whereSql({m_layout.time + u" >= ?"_s}), m_layout.time);
}

QString EventStore::typeSeekSql() const
{
    return u"SELECT %1 FROM %2%3 ORDER BY %1 LIMIT 1"_s.arg(
        m_layout.type, m_layout.from, whereSql({m_layout.type + u" > COALESCE(?, '')"_s}));
}

std::optional<qint64> EventStore::timeAtEnd(bool latest)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT %1 FROM %2%3 ORDER BY %1%4 LIMIT 1"_s.arg(
            m_layout.time, m_layout.from, whereSql({m_layout.time + u" IS NOT NULL"_s}),
            latest ? u" DESC"_s : QString())))
        return fail(u"reading the first and last times"_s, query);
    if (query.next())
        return decodeRowTime(query.value(0));
    if (readFailed(query))
        return fail(u"reading the first and last times"_s, query);
    return NoTime;
}

std::optional<StoreSummary> EventStore::quickSummary(const JobControl &job, qint64 exactUpTo)
{
    if (m_dialect == SqlDialect::Postgres)
        return postgresQuickSummary(job, exactUpTo);
    constexpr int MaxTypes = 1000;
    const auto range = positionRange();
    if (!range)
        return std::nullopt;
    const auto [first, last] = *range;
    // The events: the span of the positions, or an estimate where they are grouped.
    const auto events = m_layout.positionGroup.isEmpty() || last < first
                            ? std::optional<qint64>(last >= first ? last - first + 1 : 0)
                            : estimateGroupedEvents(first, last);
    if (!events)
        return std::nullopt;
    // Without seeks by position there is no sample either: the scans it is.
    QStringList seekFrom;
    QVariantList seekValues;
    positionBound(u">="_s, first, Parameters::InOrder, &seekFrom, &seekValues);
    const QString positionSeek = u"SELECT %1 FROM %2%3 ORDER BY %4 LIMIT 1"_s.arg(
        m_layout.position, m_layout.from, whereSql(seekFrom), positionOrderSql());
    if (*events <= exactUpTo || !seeksByIndex(positionSeek, seekValues))
        return summary(job);
    StoreSummary s = layoutSummary();
    s.events = *events;
    s.streams = -1;
    s.eventsWithoutTime = -1;
    s.exact = false;

    // Seeks over the time's index where the layout stores canonical ISO text, which orders as
    // the times do; other times compare through TimeCodec's SQL function, which no index
    // serves, and are sampled.
    const bool timeByIndex =
        m_layout.canonicalIsoTime && seeksByIndex(timeSeekSql(), {TimeCodec::format(0)});
    if (timeByIndex) {
        const auto firstTime = timeAtEnd(false);
        const auto lastTime = firstTime ? timeAtEnd(true) : std::nullopt;
        if (!lastTime)
            return std::nullopt;
        s.firstTimeMs = *firstTime;
        s.lastTimeMs = *lastTime;
    }
    std::optional<QStringList> types;
    if (!m_layout.type.isEmpty() && seeksByIndex(typeSeekSql(), {QString()})) {
        types = typesBySeeks(job, MaxTypes);
        if (!types && m_error.isError())
            return std::nullopt;
    }
    std::optional<Sample> sample;
    if (!timeByIndex || !types) {
        sample = sampleEvents(job, first, last);
        if (!sample)
            return std::nullopt;
        if (!types)
            types = sample->types;
        if (!timeByIndex && !sample->times.isEmpty()) {
            s.firstTimeMs = sample->times.constFirst();
            s.lastTimeMs = sample->times.constLast();
        }
    }
    for (const QString &type : std::as_const(*types))
        s.typeCounts.insert(type, -1);
    if (s.firstTimeMs == NoTime || s.lastTimeMs == NoTime)
        return s;
    if (timeByIndex) {
        const auto density = densityBySeeks(s.firstTimeMs, s.lastTimeMs, last);
        if (!density)
            return std::nullopt;
        s.density = *density;
    } else {
        s.density =
            densityOfSample(sample->times, s.firstTimeMs, s.lastTimeMs, *events, DensitySlices);
    }
    return s;
}

std::optional<StoreSummary> EventStore::postgresQuickSummary(const JobControl &job,
                                                             qint64 exactUpTo)
{
    const auto range = positionRange();
    if (!range)
        return std::nullopt;
    const auto [first, last] = *range;
    const qint64 span = last >= first ? last - first + 1 : 0;
    if (span <= exactUpTo || !postgresSeeksPositions(first))
        return serverSummary(job, exactUpTo);
    if (job.cancelled())
        return cancelled();
    const auto sample = postgresSampleEvents(first, last);
    if (!sample)
        return std::nullopt;
    StoreSummary s = layoutSummary();
    s.events = span;
    s.streams = -1;
    s.eventsWithoutTime = -1;
    s.exact = false;
    for (const QString &type : sample->types)
        s.typeCounts.insert(type, -1);
    if (sample->times.isEmpty())
        return s;
    s.firstTimeMs = sample->times.constFirst();
    s.lastTimeMs = sample->times.constLast();
    s.density = densityOfSample(sample->times, s.firstTimeMs, s.lastTimeMs, span, DensitySlices);
    return s;
}

// EXPLAIN cannot be prepared, so the position is written into the statement; a plan without
// a sequential scan or a sort is the index's.
bool EventStore::postgresSeeksPositions(qint64 first)
{
    QSqlQuery plan(m_db);
    plan.setForwardOnly(true);
    if (!plan.exec(u"EXPLAIN SELECT %1 FROM %2%3 ORDER BY %1 LIMIT 1"_s.arg(
            m_layout.position, m_layout.from,
            whereSql({m_layout.position + u" >= "_s + QString::number(first)}))))
        return false;
    bool any = false;
    while (plan.next()) {
        const QString line = plan.value(0).toString();
        if (line.contains(u"Seq Scan"_s) || line.contains(u"Sort"_s))
            return false;
        any = true;
    }
    return any;
}

// SampleSize seeks, as sampleEvents() makes them, in one statement: a round trip each would
// cost more than the seeks.
std::optional<EventStore::Sample> EventStore::postgresSampleEvents(qint64 first, qint64 last)
{
    const qint64 gaps = SampleSize - 1;
    const QString at = u"eventscope_sample.i"_s;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    // first + (last - first) * i / gaps, without the product's overflow
    query.prepare(
        u"SELECT s.t, s.ms FROM generate_series(0, %1) AS eventscope_sample(i) CROSS JOIN "
        "LATERAL (SELECT %2 AS t, %3 AS ms FROM %4%5 ORDER BY %6 LIMIT 1) AS s"_s.arg(
            QString::number(gaps), typeSql(), rowTimeSql(), m_layout.from,
            whereSql({m_layout.position +
                      u" >= CAST(? AS bigint) + CAST(? AS bigint) * %1 + CAST(? AS bigint) * %1 "
                      "/ %2"_s.arg(at, QString::number(gaps))}),
            m_layout.position));
    const qint64 width = last - first;
    query.addBindValue(first);
    query.addBindValue(width / gaps);
    query.addBindValue(width % gaps);
    if (!query.exec())
        return fail(u"sampling the events"_s, query);
    Sample sample;
    QSet<QString> types;
    while (query.next()) {
        const QString type = query.value(0).toString(); // NULL and "" alike
        if (!types.contains(type)) {
            types.insert(type);
            sample.types << type;
        }
        const qint64 timeMs = decodeRowTime(query.value(1));
        if (timeMs != NoTime)
            sample.times << timeMs;
    }
    if (readFailed(query))
        return fail(u"sampling the events"_s, query);
    std::sort(sample.times.begin(), sample.times.end());
    return sample;
}

std::optional<QStringList> EventStore::typesBySeeks(const JobControl &job, int maxTypes)
{
    m_error = {};
    const QString from = u" FROM "_s + m_layout.from;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(typeSeekSql());
    QStringList types;
    // The seeks start after the empty name; summary() reads an empty and a missing (NULL) type
    // as the same "", looked up on its own.
    QSqlQuery empty(m_db);
    empty.setForwardOnly(true);
    for (const QString &condition : {u"= ''"_s, u"IS NULL"_s}) {
        if (!empty.exec(
                u"SELECT 1%1%2 LIMIT 1"_s.arg(from, whereSql({m_layout.type + u' ' + condition}))))
            return fail(u"listing event types"_s, empty);
        if (empty.next()) {
            if (!types.contains(QString()))
                types << QString();
        } else if (readFailed(empty)) {
            return fail(u"listing event types"_s, empty);
        }
    }
    QString type; // null: the first seek starts after ''
    for (;;) {
        if (job.cancelled())
            return cancelled();
        if (types.size() > maxTypes)
            return std::nullopt; // too many types to seek one by one
        query.bindValue(0, type);
        if (!query.exec())
            return fail(u"listing event types"_s, query);
        if (!query.next()) {
            if (readFailed(query))
                return fail(u"listing event types"_s, query);
            return types;
        }
        type = query.value(0).toString();
        types << type;
    }
}

std::optional<EventStore::Sample> EventStore::sampleEvents(const JobControl &job, qint64 first,
                                                           qint64 last)
{
    QStringList from;
    QVariantList values;
    positionBound(u">="_s, first, Parameters::InOrder, &from, &values);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1, %2 FROM %3%4 ORDER BY %5 LIMIT 1"_s.arg(
        typeSql(), rowTimeSql(), m_layout.from, whereSql(from), positionOrderSql()));
    Sample sample;
    QSet<QString> types;
    const qint64 gaps = SampleSize - 1;
    for (qint64 i = 0; i <= gaps; ++i) {
        if (job.cancelled())
            return cancelled();
        // first + (last - first) * i / gaps, without the product's overflow
        const qint64 width = last - first;
        from.clear();
        values.clear();
        positionBound(u">="_s, first + width / gaps * i + width % gaps * i / gaps,
                      Parameters::InOrder, &from, &values);
        for (qsizetype v = 0; v < values.size(); ++v)
            query.bindValue(int(v), values.at(v));
        if (!query.exec())
            return fail(u"sampling the events"_s, query);
        if (!query.next()) {
            if (readFailed(query))
                return fail(u"sampling the events"_s, query);
            continue;
        }
        const QString type = query.value(0).toString(); // NULL and "" alike
        if (!types.contains(type)) {
            types.insert(type);
            sample.types << type;
        }
        const qint64 timeMs = decodeRowTime(query.value(1));
        if (timeMs != NoTime)
            sample.times << timeMs;
    }
    std::sort(sample.times.begin(), sample.times.end());
    return sample;
}

std::optional<QVector<qint64>> EventStore::densityBySeeks(qint64 fromMs, qint64 toMs,
                                                          qint64 lastPosition)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(timeSeekSql());
    // The first position at each slice's start; past the last event, one after the last.
    const qint64 span = toMs - fromMs + 1;
    QVector<qint64> starts(DensitySlices + 1, lastPosition + 1);
    for (int i = 0; i < DensitySlices; ++i) {
        query.bindValue(0, TimeCodec::format(fromMs + span * i / DensitySlices));
        if (!query.exec())
            return fail(u"estimating the timeline's density"_s, query);
        if (query.next())
            starts[i] = query.value(0).toLongLong();
        else if (readFailed(query))
            return fail(u"estimating the timeline's density"_s, query);
    }
    QVector<qint64> density(DensitySlices);
    for (int i = 0; i < DensitySlices; ++i)
        density[i] = qMax<qint64>(0, starts[i + 1] - starts[i]);
    return density;
}

std::optional<QVector<StreamInfo>> EventStore::streams(const StreamQuery &q)
{
    // PostgreSQL lists streams in its collation and filters them with its ILIKE, which the
    // index (code point order, LIKE's ASCII case folding) would not match.
    if (m_index && m_index->servesStreams() && m_dialect == SqlDialect::Sqlite)
        return m_index->streams(q);
    const QString stream = m_layout.stream;
    const bool byEvents = q.order == StreamQuery::Order::MostEvents;
    const bool postgres = m_dialect == SqlDialect::Postgres;
    QStringList where;
    QVariantList values;
    if (!q.filter.isEmpty()) {
        where << m_layout.streamText +
                     (postgres ? u" ILIKE ? ESCAPE '\\'"_s : u" LIKE ? ESCAPE '\\'"_s);
        values << likeSubstring(q.filter);
    }
    // Streams in NaturalOrder, which no index of the store keeps: the groups are counted
    // first, then ordered and paged. On PostgreSQL by a sort key of each group's name (k, r).
    const QString name = postgres ? u"(k, r)"_s : SqlNaturalOrder::sqliteCollated(u"st"_s);
    const QString nameAfter = postgres ? u"(%1, %2)"_s.arg(SqlNaturalOrder::postgresKey(u"?"_s),
                                                           SqlNaturalOrder::postgresTie(u"?"_s))
                                       : u"?"_s;
    const int nameBinds = postgres ? 2 : 1;
    QStringList after;
    if (q.after && !byEvents)
        after << name + u" > "_s + nameAfter;
    if (q.after && byEvents) {
        after << u"(n < ? OR (n = ? AND %1 > %2))"_s.arg(name, nameAfter);
        values << q.afterEvents << q.afterEvents;
    }
    for (int i = 0; i < (after.isEmpty() ? 0 : nameBinds); ++i)
        values << *q.after;
    const QString order =
        byEvents ? u"n DESC, "_s + (postgres ? u"k, r"_s : name) : (postgres ? u"k, r"_s : name);
    // Grouped by the streams' key where it is one per name: SQLite then reads the events'
    // (key, version) index in order, stream by stream, where grouping the names would sort
    // every event.
    const QString key = oneKeyPerStream() ? m_layout.streamNames->key : stream;
    const QString groups =
        u"SELECT %1 AS s, %2 AS st, %6 AS gk, COUNT(*) AS n, MIN(%3) AS lo, MAX(%3) AS hi FROM "
        "%4%5 GROUP BY %6"_s.arg(stream,
                                 postgres && m_layout.streamText != stream
                                     ? u"MIN(%1)"_s.arg(m_layout.streamText)
                                     : m_layout.streamText,
                                 versionSql(), m_layout.from, whereSql(where), key);
    const QString keyed = postgres ? u"SELECT g.*, %1 AS k, %2 AS r FROM (%3) AS g"_s.arg(
                                         SqlNaturalOrder::postgresKey(u"g.st"_s),
                                         SqlNaturalOrder::postgresTie(u"g.st"_s), groups)
                                   : groups;
    // The times are those of the first and last versions, read through the (stream, version)
    // index: MIN/MAX over the time would read every event of every listed stream.
    const QString timeAt = u"(SELECT %1 FROM %2%3 LIMIT 1)"_s;
    const auto timeOf = [&](const QString &version) {
        return timeAt.arg(rowTimeSql(), m_layout.from,
                          whereSql({key + u" = grp.gk"_s, versionSql() + u" = grp."_s + version}));
    };
    const QString sql =
        u"SELECT st, n, lo, hi, %1, %2 FROM (SELECT * FROM (%3) AS keyed %4 ORDER BY %5 "
        "LIMIT ?) AS grp ORDER BY %5"_s.arg(
            timeOf(u"lo"_s), timeOf(u"hi"_s), keyed,
            after.isEmpty() ? QString() : u"WHERE "_s + after.join(u" AND "_s), order);
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
        info.firstTimeMs = decodeRowTime(query.value(4));
        info.lastTimeMs = decodeRowTime(query.value(5));
        result << info;
    }
    if (readFailed(query))
        return fail(u"listing streams"_s, query);
    return result;
}

std::optional<QVector<StreamInfo>> EventStore::streamsForFirstPaint(const StreamQuery &q)
{
    // On SQLite the stream's own text (an expression or an integer orders otherwise); on
    // PostgreSQL any stream column, whose value QPSQL gives as its text (a uuid's too).
    if (m_index || q.order != StreamQuery::Order::Name ||
        (m_dialect == SqlDialect::Sqlite && m_layout.stream != m_layout.streamText))
        return streams(q);
    const auto range = positionRange();
    if (!range)
        return std::nullopt;
    if (range->second - range->first + 1 <= QuickSummaryAbove)
        return streams(q);
    if (m_dialect == SqlDialect::Sqlite && m_layout.streamNames && m_layout.where.isEmpty())
        return namedStreamsForFirstPaint(q);
    const QString stream = m_layout.stream;
    const QString seek = u"SELECT %1 FROM %2%3 ORDER BY %1 LIMIT 1"_s;
    const QString firstSql =
        seek.arg(stream, m_layout.from, whereSql({stream + u" IS NOT NULL"_s}));
    const QString nextSql = seek.arg(stream, m_layout.from, whereSql({stream + u" > ?"_s}));
    // The first name is the index's first entry (SQLite may plan it as a scan that stops
    // there, when the column cannot be NULL); the rest must be seeks. PostgreSQL's plan for
    // the first is asked, as it takes no value (an empty one is no uuid, say).
    if (m_dialect == SqlDialect::Postgres ? !seeksByIndex(firstSql, {})
                                          : !seeksByIndex(nextSql, {QString()}))
        return streams(q);
    QSqlQuery first(m_db);
    QSqlQuery next(m_db);
    first.setForwardOnly(true);
    next.setForwardOnly(true);
    if (!first.prepare(firstSql) || !next.prepare(nextSql))
        return fail(u"listing streams"_s, first.lastError().isValid() ? first : next);
    QVector<StreamInfo> result;
    // The name read last, as the store holds it (an integer stream compares as one).
    QVariant after;
    if (q.after)
        after = *q.after;
    while (result.size() < q.limit) {
        QSqlQuery &query = after.isValid() ? next : first;
        if (after.isValid())
            query.bindValue(0, after);
        if (!query.exec())
            return fail(u"listing streams"_s, query);
        if (!query.next()) {
            if (readFailed(query))
                return fail(u"listing streams"_s, query);
            break;
        }
        after = query.value(0);
        query.finish();
        StreamInfo info;
        info.stream = after.toString();
        info.events = -1;
        // LIKE's filter, but for its ASCII-only case folding: this list is replaced soon.
        if (q.filter.isEmpty() || info.stream.contains(q.filter, Qt::CaseInsensitive))
            result << info;
    }
    return result;
}

// The names of a table of stream names that some event joins, each found by a seek through
// the events' key index: the table is the size of the list, where reading the join would read
// every event.
std::optional<QVector<StreamInfo>> EventStore::namedStreamsForFirstPaint(const StreamQuery &q)
{
    const StreamNameTable &names = *m_layout.streamNames;
    const QString hasEvents = u"SELECT 1 FROM %1 WHERE %2 = %3"_s;
    if (!seeksByIndex(hasEvents.arg(names.eventFrom, names.eventKey, u"?"_s), {0}))
        return streams(q);
    QStringList where{
        m_layout.stream + u" IS NOT NULL"_s,
        u"EXISTS (%1)"_s.arg(hasEvents.arg(names.eventFrom, names.eventKey, names.key))};
    QVariantList values;
    if (q.after) {
        where << m_layout.stream + u" > ?"_s;
        values << *q.after;
    }
    if (!q.filter.isEmpty()) {
        where << m_layout.stream + u" LIKE ? ESCAPE '\\'"_s;
        values << likeSubstring(q.filter);
    }
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT DISTINCT %1 FROM %2 WHERE %3 ORDER BY 1 LIMIT ?"_s.arg(
        m_layout.stream, names.from, where.join(u" AND "_s)));
    for (const QVariant &v : std::as_const(values))
        query.addBindValue(v);
    query.addBindValue(q.limit);
    if (!query.exec())
        return fail(u"listing streams"_s, query);
    QVector<StreamInfo> result;
    while (query.next()) {
        StreamInfo info;
        info.stream = query.value(0).toString();
        info.events = -1;
        result << info;
    }
    if (readFailed(query))
        return fail(u"listing streams"_s, query);
    return result;
}

void EventStore::filterConditions(const EventFilter &f, QStringList *where,
                                  QVariantList *values) const
{
    if (!f.stream.isEmpty()) {
        *where << m_layout.stream + u" = ?"_s;
        *values << f.stream;
    }
    if (!f.types.isEmpty()) {
        QStringList marks;
        for (const QString &type : f.types) {
            marks << u"?"_s;
            *values << type;
        }
        *where << typeSql() + u" IN ("_s + marks.join(u", "_s) + u')';
    }
    if (f.fromTimeMs != NoTime) {
        *where << timeBoundSql(u">="_s);
        *values << timeBoundValue(f.fromTimeMs);
    }
    if (f.toTimeMs != NoTime) {
        *where << timeBoundSql(u"<"_s);
        *values << timeBoundValue(f.toTimeMs);
    }
}

std::optional<QVector<Event>> EventStore::events(const EventFilter &f)
{
    return events(f, PayloadSqlCondition());
}

QString EventStore::eventConditions(const EventFilter &f, const PayloadSqlCondition &payload,
                                    QVariantList *values) const
{
    const QString position = m_layout.position;
    QStringList where;
    if (pagesInStream(f)) {
        QStringList at;
        positionBound(u"="_s, f.afterPosition, Parameters::InOrder, &at, values);
        where << u"(%1, %2) > (COALESCE((SELECT %1 FROM %3%4), -9223372036854775807 - 1), %5)"_s
                     .arg(versionSql(), position, m_layout.from, whereSql(at), integerParameter());
        *values << f.afterPosition;
    } else {
        positionBound(u">"_s, f.afterPosition, Parameters::InOrder, &where, values);
    }
    filterConditions(f, &where, values);
    if (!payload.sql.isEmpty()) {
        where << payload.sql;
        *values << payload.values;
    }
    return u" FROM %1%2 ORDER BY %3"_s.arg(
        m_layout.from, whereSql(where),
        pagesInStream(f) ? streamOrder(f.stream).order + u", "_s + position : positionOrderSql());
}

// Within one stream, position order is version order (events are appended), and the
// (stream, version) index serves it: a page starts after the version and position of the
// event it follows, so that a version written twice or out of position order (which the
// integrity check looks for) is neither skipped nor read twice. Ordered by position instead,
// SQLite would sort the whole stream for each page.
bool EventStore::pagesInStream(const EventFilter &f) const
{
    return !f.stream.isEmpty() && !m_layout.version.isEmpty();
}

std::optional<QVector<Event>> EventStore::events(const EventFilter &f,
                                                 const PayloadSqlCondition &payload)
{
    if (m_dialect == SqlDialect::Sqlite && SqliteHandle::of(m_db)) {
        // Over the C API, which decodes each row as readEvent() does (tst_fastpath compares
        // them) without a QVariant a column, and finds a type or time in JSON without SQLite
        // parsing it twice.
        auto reader = eventScan(f, payload, f.limit);
        if (!reader)
            return std::nullopt;
        QVector<Event> result;
        for (;;) {
            switch (reader->next()) {
            case SqliteStreamReader::Step::Done:
                return result;
            case SqliteStreamReader::Step::Failed:
                m_error = reader->failure(m_location.displayName() + u": reading events failed"_s);
                return std::nullopt;
            case SqliteStreamReader::Step::Row:
                result << reader->event();
                break;
            }
        }
    }
    return eventsByQuery(f, payload);
}

std::optional<QVector<Event>> EventStore::eventsByQuery(const EventFilter &f,
                                                        const PayloadSqlCondition &payload)
{
    QVariantList values;
    const QString fromWhereOrder = eventConditions(f, payload, &values);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1%2 LIMIT ?"_s.arg(selectEventColumns(), fromWhereOrder));
    for (const QVariant &v : std::as_const(values))
        query.addBindValue(v);
    query.addBindValue(f.limit);
    if (!query.exec())
        return fail(u"reading events"_s, query);
    QVector<Event> result;
    while (query.next())
        result << readEvent(query);
    if (readFailed(query))
        return fail(u"reading events"_s, query);
    return result;
}

std::unique_ptr<SqliteStreamReader> EventStore::eventScan(const EventFilter &f,
                                                          const PayloadSqlCondition &payload,
                                                          std::optional<int> limit)
{
    if (m_dialect != SqlDialect::Sqlite)
        return nullptr;
    const auto column = [](const QString &sql) {
        return sql.isEmpty() ? u"NULL"_s : sql;
    };
    QVariantList values;
    const QString fromWhereOrder = eventConditions(f, payload, &values);
    QString sql = u"SELECT %1, %2, %3, %4, %5, %6, %7%8"_s.arg(
        m_layout.position, versionSql(), readerTypeSql(), readerTimeSql(), column(m_layout.data),
        m_layout.streamText, column(m_layout.metadata), fromWhereOrder);
    if (limit) {
        sql += u" LIMIT ?"_s;
        values << *limit;
    }
    StoreError error;
    auto reader = SqliteStreamReader::prepare(m_db, sql, values, rowDecoding(), &error);
    if (error.isError())
        m_error = {error.kind,
                   u"%1: reading events failed: %2"_s.arg(m_location.displayName(), error.message)};
    return reader;
}

std::optional<qint64> EventStore::countEvents(const EventFilter &f, qint64 beforePosition)
{
    QStringList where;
    QVariantList values;
    positionBound(u"<"_s, beforePosition, Parameters::InOrder, &where, &values);
    filterConditions(f, &where, &values);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT COUNT(*) FROM %1%2"_s.arg(m_layout.from, whereSql(where)));
    for (const QVariant &v : std::as_const(values))
        query.addBindValue(v);
    if (!query.exec() || !query.next())
        return fail(u"counting events"_s, query);
    return query.value(0).toLongLong();
}

std::optional<qint64> EventStore::seekPosition(const EventFilter &f, qint64 from, qint64 rows)
{
    if (rows == 0)
        return from;
    const bool forward = rows > 0;
    QStringList where;
    QVariantList values;
    positionBound(forward ? u">"_s : u"<"_s, from, Parameters::InOrder, &where, &values);
    filterConditions(f, &where, &values);
    // Places come in order only forwards.
    const bool inGroups = !forward && m_layout.placesInOrder;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1 FROM %2%3 ORDER BY %4%5"_s.arg(
        inGroups ? m_layout.position + u", "_s + m_layout.positionGroup : m_layout.position,
        m_layout.from, whereSql(where), positionOrderSql(!forward),
        inGroups ? QString() : u" LIMIT 1 OFFSET ?"_s));
    for (const QVariant &v : std::as_const(values))
        query.addBindValue(v);
    if (!inGroups)
        query.addBindValue(qAbs(rows) - 1);
    if (!query.exec())
        return fail(u"seeking events"_s, query);
    if (inGroups)
        return stepBackInGroups(query, -rows);
    if (query.next())
        return query.value(0).toLongLong();
    if (readFailed(query))
        return fail(u"seeking events"_s, query);
    return forward ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
}

std::optional<QVector<Event>> EventStore::streamEvents(const QString &stream, qint64 afterVersion,
                                                       int limit)
{
    const StreamOrder order = streamOrder(stream);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1 FROM %2%3 ORDER BY %4 LIMIT ?"_s.arg(
        selectEventColumns(), m_layout.from,
        whereSql({m_layout.stream + u" = ?"_s, order.after(integerParameter())}), order.order));
    query.addBindValue(stream);
    query.addBindValue(afterVersion);
    query.addBindValue(limit);
    if (!query.exec())
        return fail(u"reading stream %1"_s.arg(stream), query);
    QVector<Event> result;
    result.reserve(limit);
    while (query.next())
        result << readEvent(query);
    if (readFailed(query))
        return fail(u"reading stream %1"_s.arg(stream), query);
    return result;
}

// The stored time, decoded by the reader as TimeCodec's SQL function would decode it, at a
// fraction of a function call per row; the payload as readEvent decodes it.
SqliteRowDecoding EventStore::rowDecoding() const
{
    SqliteRowDecoding decoding;
    decoding.timeFormat = m_layout.timeFormat;
    decoding.unwrapTypedValues = m_layout.unwrapTypedValues;
    decoding.payloadTimeField = m_layout.payloadTimeField;
    if (m_layout.typeInJson)
        decoding.typeJsonPath = m_layout.typeInJson->path;
    if (m_layout.timeInJson)
        decoding.timeJsonPath = m_layout.timeInJson->path;
    return decoding;
}

QString EventStore::readerTypeSql() const
{
    return m_layout.typeInJson ? m_layout.typeInJson->column : typeSql();
}

QString EventStore::readerTimeSql() const
{
    if (m_layout.timeInJson)
        return m_layout.timeInJson->column;
    return m_layout.time.isEmpty() ? u"NULL"_s : m_layout.time;
}

std::unique_ptr<SqliteStreamReader> EventStore::streamReader(const QString &stream,
                                                             qint64 afterVersion)
{
    if (m_dialect != SqlDialect::Sqlite)
        return nullptr;
    const auto column = [](const QString &sql) {
        return sql.isEmpty() ? u"NULL"_s : sql;
    };
    const StreamOrder order = streamOrder(stream);
    const QString sql = u"SELECT %1, %2, %3, %4, %5 FROM %6%7 ORDER BY %8"_s.arg(
        m_layout.position, versionSql(), readerTypeSql(), readerTimeSql(), column(m_layout.data),
        m_layout.from, whereSql({m_layout.stream + u" = ?1"_s, order.after(u"?2"_s)}), order.order);
    StoreError error;
    auto reader =
        SqliteStreamReader::prepare(m_db, sql, {stream, afterVersion}, rowDecoding(), &error);
    if (error.isError())
        m_error = {error.kind, u"%1: reading stream %2 failed: %3"_s.arg(m_location.displayName(),
                                                                         stream, error.message)};
    return reader;
}

std::optional<qint64> EventStore::eventsWithoutVersion(const QString &stream)
{
    if (m_layout.version.isEmpty())
        return 0;
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    // Two counts, each a seek through the (stream, version) index, where one count of either
    // would read every event of the stream.
    const QString count = u"(SELECT COUNT(*) FROM %1%2)"_s;
    query.prepare(u"SELECT %1 + %2"_s.arg(
        count.arg(m_layout.from,
                  whereSql({m_layout.stream + u" = ?"_s, m_layout.version + u" IS NULL"_s})),
        count.arg(m_layout.from,
                  whereSql({m_layout.stream + u" = ?"_s,
                            m_layout.version + u" <= -9223372036854775807 - 1"_s}))));
    query.addBindValue(stream);
    query.addBindValue(stream);
    if (!query.exec() || !query.next())
        return fail(u"counting the events of stream %1 without a version"_s.arg(stream), query);
    return query.value(0).toLongLong();
}

// A timestamp leaves the server as stored, its milliseconds read by the reader, where the
// session writes it as the reader reads it; any other time as the generic reads select it.
QString EventStore::postgresReaderTime(PostgresStreamReader::Decoding *decoding) const
{
    decoding->timeFormat = timeOutputFormat();
    decoding->timestampAsStored = !m_layout.time.isEmpty() &&
                                  m_layout.timeStorage == TimeStorage::PostgresTimestamp &&
                                  PostgresStreamReader::writesIsoUtcTimes(m_db);
    return decoding->timestampAsStored ? m_layout.time : rowTimeSql();
}

std::unique_ptr<PostgresStreamReader>
EventStore::startPostgresReader(const QString &sql, const QVariantList &parameters,
                                const PostgresStreamReader::Decoding &decoding,
                                PostgresStreamReader::Rows rows, const QString &what)
{
    if (m_dialect != SqlDialect::Postgres)
        return nullptr;
    StoreError error;
    auto reader = PostgresStreamReader::start(m_db, sql, parameters, decoding, rows, &error);
    if (error.isError()) {
        m_error = PostgresConnection::describe(m_location, error);
        m_error.message += u" (%1)"_s.arg(what);
    } else if (!reader) {
        m_error = {StoreError::Kind::Sql,
                   u"%1: %2 failed: the connection is busy with another read"_s.arg(
                       m_location.displayName(), what)};
    }
    return reader;
}

std::unique_ptr<PostgresStreamReader>
EventStore::postgresStreamReader(const QString &stream, qint64 afterVersion, StreamRead read)
{
    if (m_dialect != SqlDialect::Postgres)
        return nullptr;
    // readEvent's columns, NULL for the stream and metadata that a fold does not read.
    const auto column = [](const QString &sql) {
        return sql.isEmpty() ? u"NULL"_s : sql;
    };
    PostgresStreamReader::Decoding decoding;
    const QString time = postgresReaderTime(&decoding);
    decoding.rewritesJson = m_layout.unwrapTypedValues;
    decoding.timeInPayload = !m_layout.payloadTimeField.isEmpty();
    const QString sql = u"SELECT %1, NULL, %2, %3, %4, %5, NULL FROM %6%7 ORDER BY %2"_s.arg(
        m_layout.position, versionSql(), column(m_layout.type), time, column(m_layout.data),
        m_layout.from,
        whereSql({m_layout.stream + u" = $1"_s, versionSql() + u" > CAST($2 AS bigint)"_s}));
    return startPostgresReader(sql, {stream, afterVersion}, decoding,
                               read == StreamRead::Whole ? PostgresStreamReader::Rows::OneByOne
                                                         : PostgresStreamReader::Rows::InBatches,
                               u"reading stream %1"_s.arg(stream));
}

std::unique_ptr<PostgresStreamReader> EventStore::postgresIndexScan(qint64 after, qint64 upTo)
{
    if (m_dialect != SqlDialect::Postgres)
        return nullptr;
    PostgresStreamReader::Decoding decoding;
    const QString time = postgresReaderTime(&decoding);
    QStringList where;
    QVariantList values;
    positionBound(u">"_s, after, Parameters::Numbered, &where, &values);
    positionBound(u"<="_s, upTo, Parameters::Numbered, &where, &values);
    const QString sql = u"SELECT %1, %2, %3, %4, %5, NULL, NULL FROM %6%7 ORDER BY %8"_s.arg(
        m_layout.position, m_layout.stream, versionSql(), typeSql(), time, m_layout.from,
        whereSql(where), positionOrderSql());
    return startPostgresReader(sql, values, decoding, PostgresStreamReader::Rows::AllAtOnce,
                               u"reading the events"_s);
}

std::unique_ptr<SqliteStreamReader> EventStore::sequenceScan(const QString &stream, bool withTimes)
{
    if (m_dialect != SqlDialect::Sqlite)
        return nullptr;
    const QStringList where =
        stream.isEmpty() ? QStringList() : QStringList{m_layout.stream + u" = ?1"_s};
    // The payload only where a time may have to come from it. Ordered as the (stream, version)
    // index most layouts keep, so that SQLite walks it.
    const bool timeInPayload =
        withTimes && !m_layout.payloadTimeField.isEmpty() && !m_layout.data.isEmpty();
    const QString sql = u"SELECT %1, %2, NULL, %3, %4, %5 FROM %6%7 ORDER BY %5, %2, %1"_s.arg(
        m_layout.position, versionSql(), withTimes ? readerTimeSql() : u"NULL"_s,
        timeInPayload ? m_layout.data : u"NULL"_s, m_layout.stream, m_layout.from, whereSql(where));
    const QVariantList parameters =
        stream.isEmpty() ? QVariantList() : QVariantList{QVariant(stream)};
    StoreError error;
    auto reader = SqliteStreamReader::prepare(m_db, sql, parameters, rowDecoding(), &error);
    if (error.isError())
        m_error = {error.kind, u"%1: reading the events by stream failed: %2"_s.arg(
                                   m_location.displayName(), error.message)};
    return reader;
}

std::unique_ptr<PostgresStreamReader> EventStore::postgresSequenceScan(const QString &stream)
{
    if (m_dialect != SqlDialect::Postgres)
        return nullptr;
    PostgresStreamReader::Decoding decoding;
    const QString time = postgresReaderTime(&decoding);
    decoding.rewritesJson = m_layout.unwrapTypedValues;
    decoding.timeInPayload = !m_layout.payloadTimeField.isEmpty();
    const bool timeInPayload = decoding.timeInPayload && !m_layout.data.isEmpty();
    const QStringList where =
        stream.isEmpty() ? QStringList() : QStringList{m_layout.stream + u" = $1"_s};
    const QString sql =
        u"SELECT %1, %2, %3, NULL, %4, %5, NULL FROM %6%7 ORDER BY %2, %3, %1"_s.arg(
            m_layout.position, m_layout.stream, versionSql(), time,
            timeInPayload ? m_layout.data : u"NULL"_s, m_layout.from, whereSql(where));
    const QVariantList parameters =
        stream.isEmpty() ? QVariantList() : QVariantList{QVariant(stream)};
    return startPostgresReader(sql, parameters, decoding, PostgresStreamReader::Rows::OneByOne,
                               u"reading the events by stream"_s);
}

bool EventStore::beginSnapshot()
{
    QSqlQuery query(m_db);
    // SQLite's snapshot begins with the first read; reading the catalog takes it now.
    const bool begun = m_dialect == SqlDialect::Postgres
                           ? query.exec(u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s)
                           : query.exec(u"BEGIN"_s) &&
                                 query.exec(u"SELECT COUNT(*) FROM sqlite_schema"_s) &&
                                 query.next();
    if (!begun)
        fail(u"beginning a consistent read"_s, query);
    m_inSnapshot = begun;
    return begun;
}

void EventStore::endSnapshot()
{
    if (!m_inSnapshot)
        return;
    QSqlQuery(m_db).exec(u"COMMIT"_s);
    m_inSnapshot = false;
}

bool EventStore::needsReopen() const
{
    return m_readHold && (!m_readHold->seesCommits() || m_readHold->stale());
}

std::optional<bool> EventStore::hasChanged()
{
    if (m_readHold && m_readHold->stale())
        return true;
    if (m_readHold && !m_readHold->seesCommits()) {
        m_changeMark = m_changeMark.value_or(0); // the files as they were at open are the mark
        return false;
    }
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    const QString sql =
        m_dialect == SqlDialect::Postgres
            ? u"SELECT MAX(%1) FROM %2%3"_s.arg(m_layout.position, m_layout.from, whereSql({}))
            : u"PRAGMA data_version"_s;
    if (!query.exec(sql))
        return fail(u"looking for new events"_s, query);
    if (!query.next() && readFailed(query))
        return fail(u"looking for new events"_s, query);
    const qint64 mark = query.isValid() && !query.value(0).isNull()
                            ? query.value(0).toLongLong()
                            : std::numeric_limits<qint64>::min();
    const bool changed = m_changeMark && *m_changeMark != mark;
    m_changeMark = mark;
    if (changed) {
        // What was verified of the rows once holds of those rows only: new ones may break it.
        m_timesCompareAsText.reset();
        m_oneKeyPerStream.reset();
        m_joinKeyIsUnique.reset();
    }
    return changed;
}

std::optional<QPair<qint64, qint64>> EventStore::positionRange()
{
    const ReadTransaction snapshot(m_db);
    QPair<qint64, qint64> range{1, 0};
    if (!m_layout.positionGroup.isEmpty()) {
        // From the group index's ends: MIN and MAX of a computed position read every event.
        const auto first = seekPosition({}, std::numeric_limits<qint64>::min(), 1);
        const auto last =
            first ? seekPosition({}, std::numeric_limits<qint64>::max(), -1) : std::nullopt;
        if (!last)
            return std::nullopt;
        if (*first != std::numeric_limits<qint64>::max())
            range = {*first, *last};
        return range;
    }
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    // One aggregate per statement: SQLite answers a lone MIN or MAX from the index's end.
    for (const QString &aggregate : {u"MIN"_s, u"MAX"_s}) {
        if (!query.exec(u"SELECT %1(%2) FROM %3%4"_s.arg(aggregate, m_layout.position,
                                                         m_layout.from, whereSql({}))))
            return fail(u"reading the first and last positions"_s, query);
        if (!query.next() && readFailed(query))
            return fail(u"reading the first and last positions"_s, query);
        if (!query.isValid() || query.value(0).isNull())
            return range;
        (aggregate == u"MIN" ? range.first : range.second) = query.value(0).toLongLong();
    }
    return range;
}

// The WHERE clause of a scan of the positions in (after, upTo], its parameters numbered.
QString EventStore::positionRangeSql(qint64 after, qint64 upTo, QVariantList *values) const
{
    QStringList where;
    positionBound(u">"_s, after, Parameters::Numbered, &where, values);
    positionBound(u"<="_s, upTo, Parameters::Numbered, &where, values);
    return whereSql(where);
}

// No payload is read by the index's scans: a time missing from the time column stays missing.
SqliteRowDecoding EventStore::indexScanDecoding() const
{
    SqliteRowDecoding decoding = rowDecoding();
    decoding.unwrapTypedValues = false;
    decoding.payloadTimeField.clear();
    return decoding;
}

std::unique_ptr<SqliteStreamReader> EventStore::indexScan(qint64 after, qint64 upTo)
{
    if (m_dialect != SqlDialect::Sqlite)
        return nullptr;
    QVariantList values;
    // The stored time, decoded by the reader (see streamReader()).
    const QString sql = u"SELECT %1, %2, %3, %4, NULL, %5 FROM %6%7 ORDER BY %8"_s.arg(
        m_layout.position, versionSql(), readerTypeSql(), readerTimeSql(), m_layout.stream,
        m_layout.from, positionRangeSql(after, upTo, &values), positionOrderSql());
    StoreError error;
    auto reader = SqliteStreamReader::prepare(m_db, sql, values, indexScanDecoding(), &error);
    if (error.isError())
        m_error = {error.kind, u"%1: reading the events failed: %2"_s.arg(m_location.displayName(),
                                                                          error.message)};
    return reader;
}

std::unique_ptr<KeyedJoinScan> EventStore::keyedJoinScan(qint64 after, qint64 upTo)
{
    const std::optional<KeyedJoin> &join = m_layout.keyedJoin;
    if (m_dialect != SqlDialect::Sqlite || !join || !joinKeyIsUnique())
        return nullptr;
    QVariantList values;
    const QString links = u"SELECT %1, %2, %3, NULL, NULL, %4 FROM %5%6 ORDER BY %7"_s.arg(
        m_layout.position, versionSql(), join->eventKey, m_layout.stream, join->eventFrom,
        positionRangeSql(after, upTo, &values), positionOrderSql());
    const QString columns = u"SELECT %1, NULL, %2, %3, NULL, %4 FROM "_s.arg(
        join->rowid, readerTypeSql(), readerTimeSql(), join->key);
    const QString joined =
        columns + u"%1 WHERE %2 >= ?1 ORDER BY %2"_s.arg(join->from, join->rowid);
    const QString lookup = columns + m_layout.from + whereSql({m_layout.position + u" = ?1"_s});
    const SqliteRowDecoding decoding = indexScanDecoding();
    StoreError error;
    auto linkReader = SqliteStreamReader::prepare(m_db, links, values, decoding, &error);
    auto joinedReader =
        linkReader ? SqliteStreamReader::prepare(m_db, joined, {0}, decoding, &error) : nullptr;
    auto lookupReader =
        joinedReader ? SqliteStreamReader::prepare(m_db, lookup, {0}, decoding, &error) : nullptr;
    if (!lookupReader)
        return nullptr;
    return std::make_unique<KeyedJoinScan>(std::move(linkReader), std::move(joinedReader),
                                           std::move(lookupReader));
}

namespace {

// A column's declared type, collation and whether it is its table's INTEGER PRIMARY KEY (the
// rowid), from SQLite's own reading of the table's definition.
struct ColumnFacts
{
    QString type;
    QString collation;
    bool rowid = false;
};

std::optional<ColumnFacts> columnFacts(sqlite3 *handle, const QString &table, const QString &column)
{
    const char *type = nullptr;
    const char *collation = nullptr;
    int primaryKey = 0;
    if (!handle || sqlite3_table_column_metadata(handle, nullptr, table.toUtf8().constData(),
                                                 column.toUtf8().constData(), &type, &collation,
                                                 nullptr, &primaryKey, nullptr) != SQLITE_OK)
        return std::nullopt;
    ColumnFacts facts{QString::fromUtf8(type), QString::fromUtf8(collation), false};
    facts.rowid = primaryKey && facts.type.compare(u"INTEGER"_s, Qt::CaseInsensitive) == 0;
    return facts;
}

// SQLite's rule for a declared type's TEXT affinity.
bool hasTextAffinity(const QString &declared)
{
    const QString type = declared.toUpper();
    return !type.contains(u"INT"_s) &&
           (type.contains(u"CHAR"_s) || type.contains(u"CLOB"_s) || type.contains(u"TEXT"_s));
}

} // namespace

// Checked on first use: SQLite's own pragmas over the catalog, and the columns' declared types
// and collation. Both keys of TEXT affinity, so that the join compares them as they are stored
// and a stored number is text (no text key equals two rows); the position the events' rowid,
// so that the join for one link's position is that link's.
bool EventStore::joinKeyIsUnique() const
{
    const std::optional<KeyedJoin> &join = m_layout.keyedJoin;
    if (m_dialect != SqlDialect::Sqlite || !join)
        return false;
    if (!m_joinKeyIsUnique) {
        sqlite3 *handle = SqliteHandle::of(m_db);
        const auto key = columnFacts(handle, join->table, join->column);
        const auto eventKey = columnFacts(handle, join->eventTable, join->eventColumn);
        const auto position = columnFacts(handle, join->eventTable, join->positionColumn);
        const bool columns = key && eventKey && position &&
                             key->collation.compare(u"BINARY"_s, Qt::CaseInsensitive) == 0 &&
                             hasTextAffinity(key->type) && hasTextAffinity(eventKey->type) &&
                             position->rowid;
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        query.prepare(u"SELECT 1 FROM pragma_index_list(?) AS il WHERE il.\"unique\" AND NOT "
                      "il.partial AND (SELECT COUNT(*) FROM pragma_index_xinfo(il.name) AS ix "
                      "WHERE ix.key) = 1 AND EXISTS (SELECT 1 FROM pragma_index_xinfo(il.name) AS "
                      "ix WHERE ix.key AND ix.name = ? COLLATE NOCASE AND ix.coll = 'BINARY')"_s);
        query.addBindValue(join->table);
        query.addBindValue(join->column);
        m_joinKeyIsUnique = columns && query.exec() && query.next();
    }
    return *m_joinKeyIsUnique;
}

std::optional<QVector<Bucket>> EventStore::buckets(BucketSize size, const BucketFilter &f)
{
    if (m_layout.time.isEmpty()) {
        m_error = {StoreError::Kind::Sql,
                   u"%1: the events have no time column, so they cannot be bucketed by time"_s.arg(
                       m_location.displayName())};
        return std::nullopt;
    }
    if (m_index && (f.stream.isEmpty() || m_index->servesStreams()))
        return m_index->buckets(size, f);
    QStringList where{timeComparableSql() + u" IS NOT NULL"_s};
    QVariantList values;
    if (!f.stream.isEmpty()) {
        where << m_layout.stream + u" = ?"_s;
        values << f.stream;
    }
    if (!f.type.isEmpty()) {
        where << typeSql() + u" = ?"_s;
        values << f.type;
    }
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    // No ORDER BY: PostgreSQL guesses a time expression has as many values as the time column,
    // and to sort that many groups it would sort every row instead of hashing; the few
    // buckets are ordered here.
    query.prepare(u"SELECT %1 AS bucket, %2, COUNT(*) FROM %3%4 GROUP BY 1, 2"_s.arg(
        bucketSecondsSql(size), typeSql(), m_layout.from, whereSql(where)));
    for (const QVariant &v : std::as_const(values))
        query.addBindValue(v);
    if (!query.exec())
        return fail(u"counting events per %1"_s.arg(bucketName(size)), query);

    QMap<qint64, Bucket> byStart;
    while (query.next()) {
        if (query.value(0).isNull())
            continue; // a time the database cannot read: it has no bucket
        const qint64 start = query.value(0).toLongLong() * 1000;
        Bucket &bucket = byStart[start];
        bucket.startMs = start;
        const qint64 n = query.value(2).toLongLong();
        bucket.events += n;
        bucket.byType[query.value(1).toString()] += n; // NULL and "" add up
    }
    if (readFailed(query))
        return fail(u"counting events per %1"_s.arg(bucketName(size)), query);
    return QVector<Bucket>(byStart.cbegin(), byStart.cend());
}

std::optional<qint64> EventStore::countUpTo(const QString &stream, const QStringList &types,
                                            qint64 ms)
{
    if (m_layout.time.isEmpty() || types.isEmpty())
        return 0; // nothing has a time up to ms, or nothing is counted
    if (m_index && (stream.isEmpty() || m_index->servesStreams()))
        return m_index->countUpTo(stream, types, ms);
    // The bound as buckets() and events() bound times, so that the count agrees with them.
    QStringList where{timeComparableSql() + u" IS NOT NULL"_s, timeBoundSql(u"<="_s)};
    QVariantList values{timeBoundValue(ms)};
    if (!stream.isEmpty()) {
        where << m_layout.stream + u" = ?"_s;
        values << stream;
    }
    QStringList marks;
    for (const QString &type : types) {
        marks << u"?"_s;
        values << type;
    }
    where << u"%1 IN (%2)"_s.arg(typeSql(), marks.join(u", "_s));
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT COUNT(*) FROM %1%2"_s.arg(m_layout.from, whereSql(where)));
    for (const QVariant &v : std::as_const(values))
        query.addBindValue(v);
    if (!query.exec() || (!query.next() && readFailed(query)))
        return fail(u"counting events up to a time"_s, query);
    return query.value(0).toLongLong();
}

std::optional<QVector<StoredSnapshot>> EventStore::snapshots(const QString &stream)
{
    QVector<StoredSnapshot> result;
    if (!m_layout.snapshots)
        return result;
    const SnapshotLayout &sn = *m_layout.snapshots;
    // Snapshot times are read like event times, in the snapshot table's own storage.
    QString time = sn.time.isEmpty() ? u"NULL"_s : sn.time;
    TimeFormat format = sn.timeFormat;
    if (m_dialect == SqlDialect::Postgres && !sn.time.isEmpty() &&
        (sn.timeStorage == TimeStorage::PostgresTimestamp ||
         sn.timeFormat == TimeFormat::IsoText)) {
        const QString comparable =
            sn.timeStorage == TimeStorage::PostgresTimestamp ? sn.time : postgresIsoTime(sn.time);
        time = u"CAST(FLOOR(EXTRACT(EPOCH FROM %1) * 1000) AS bigint)"_s.arg(comparable);
        format = TimeFormat::EpochMillis;
    }
    QStringList where{sn.stream + u" = ?"_s};
    if (!sn.where.isEmpty())
        where.prepend(sn.where);
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(u"SELECT %1, %2, %3 FROM %4 WHERE %5 ORDER BY 1"_s.arg(
        sn.version, time, sn.data, sn.from, where.join(u" AND "_s)));
    query.addBindValue(stream);
    if (!query.exec())
        return fail(u"reading the snapshots of %1"_s.arg(stream), query);
    PayloadDecoder::Options options;
    options.unwrapTypedValues = m_layout.unwrapTypedValues;
    while (query.next()) {
        StoredSnapshot s;
        s.stream = stream;
        s.version = query.value(0).toLongLong();
        s.timeMs = TimeCodec::decode(query.value(1), format);
        s.data = PayloadDecoder::decode(payloadBytes(query.value(2)), options).bytes;
        const bool timeInPayload = s.timeMs == NoTime && !m_layout.payloadTimeField.isEmpty();
        if (timeInPayload || !sn.statePath.isEmpty()) {
            const QJsonObject payload = payloadObject(s.data); // parsed once for both
            if (timeInPayload)
                s.timeMs = payloadTime(payload, m_layout.payloadTimeField);
            if (!sn.statePath.isEmpty() && payload.contains(sn.statePath))
                s.data = Payload::compact(payload.value(sn.statePath));
        }
        result << s;
    }
    if (readFailed(query))
        return fail(u"reading the snapshots of %1"_s.arg(stream), query);
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

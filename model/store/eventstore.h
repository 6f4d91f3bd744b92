#pragma once

// Read-only access to one event store. All SQL of Eventscope lives here: parameterised,
// identifiers quoted, keyset paging, aggregation pushed into the database. An EventStore
// owns its own named QSqlDatabase connection and must be used from the thread that opened
// it; a worker thread opens its own EventStore on the same location.

#include "core/event.h"
#include "core/jobcontrol.h"
#include "core/storeerror.h"
#include "store/mappingguesser.h"
#include "store/payloadsqlfilter.h"
#include "store/postgresstreamreader.h"
#include "store/storecatalog.h"
#include "store/storelayout.h"
#include "store/storelocation.h"

#include <QSqlDatabase>
#include <QString>
#include <QVector>

#include <limits>
#include <memory>
#include <optional>

class EventIndex;
class KeyedJoinScan;
class QSqlQuery;
class SqliteReadHold;
class SqliteStreamReader;
struct SqliteRowDecoding;
class StatementInterrupter;

// How to read a store when detection alone cannot tell.
struct StoreOpenOptions
{
    QString mapSpec; // a user's column mapping; empty = detect the layout
    QString table;   // of several matching tables, this one; empty = the first
};

class EventStore
{
public:
    static std::unique_ptr<EventStore> open(const StoreLocation &location,
                                            const StoreOpenOptions &options, StoreError *error);
    // The tables of a store whose layout is unknown, each with its first rows, for a column
    // mapping (MappingGuesser).
    static std::optional<QVector<TableSample>> tableSamples(const StoreLocation &location,
                                                            StoreError *error);
    ~EventStore();
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;

    const StoreLocation &location() const { return m_location; }
    const StoreOpenOptions &openOptions() const { return m_options; }
    const StoreLayout &layout() const { return m_layout; }
    SqlDialect dialect() const { return m_dialect; }
    // Every layout the store holds, the open one among them; more than one means the user
    // may choose another table.
    const QVector<LayoutMatch> &matches() const { return m_matches; }
    // Stops the running statement; callable from any thread while the store exists.
    std::shared_ptr<StatementInterrupter> interrupter() const { return m_interrupter; }
    // The last failure of any call below: its kind, and its message naming the store and the
    // problem (errorString()).
    const StoreError &lastError() const { return m_error; }
    QString errorString() const { return m_error.message; }
    // For the user, when the store is not read in place (a private copy of an SQLite store
    // that could not be read without writing beside it): what is read, and why; and when the
    // fast readers are off because Qt's SQLite is not the linked libsqlite3. Else empty.
    QString readNotice() const;

    // From now on summary(), streams() and buckets() answer from the index where it can
    // (EventIndex::servesStreams); nullptr goes back to SQL.
    void attachIndex(std::shared_ptr<const EventIndex> index);
    const std::shared_ptr<const EventIndex> &index() const { return m_index; }

    // From now on, every read of this store object reads one state of the store, whatever
    // other processes commit meanwhile, so that an answer of many statements (the CLI's pages)
    // is not torn: one SQLite read transaction, or one PostgreSQL REPEATABLE READ READ ONLY
    // transaction, until the store object is gone. It holds back an SQLite writer's checkpoint
    // (WAL) or commit (rollback journal) for as long: for one command, not for a window.
    // False, with errorString(), when it cannot begin.
    bool beginSnapshot();
    bool inSnapshot() const { return m_inSnapshot; }
    // Ends the snapshot: from now on each answer reads the latest state again (following a
    // store that grows).
    void endSnapshot();

    // Whether another process may have changed the store since the last call (the first call
    // only notes where the store is): SQLite's data_version, or the store's files where the
    // connection cannot see commits (needsReopen()); PostgreSQL: the highest position. Cheap
    // enough to ask every few hundred milliseconds. Inside a snapshot one sees no commits.
    std::optional<bool> hasChanged();
    // False until hasChanged() has noted where the store is.
    bool watchesChanges() const { return m_changeMark.has_value(); }
    // True when the store's new commits can only be read by opening it again: the connection
    // reads an immutable file or a private copy (SqliteReadHold::seesCommits), or a writer
    // removed the -wal and -shm it reads by (SqliteReadHold::stale).
    bool needsReopen() const;

    std::optional<StoreSummary> summary(const JobControl &job = {});
    // What a first paint needs, without the scans summary() makes, for a SQLite store of more
    // than exactUpTo positions of any layout: an inexact summary (see StoreSummary::exact).
    // The events are the span of the positions (grouped positions: estimated from runs of
    // groups counted through the group's index); the time range and the density come from
    // seeks over an index of the time where the store has one, else from a sample of
    // SampleSize events spread over the positions and read by position seeks; the type names
    // from skip-seeks over an index of the type, else from that sample. On PostgreSQL, with
    // more events than exactUpTo, the same from a sample read in one statement where the
    // position has an index, else the server's one pass over the events without the count of
    // streams (a pass of its own, which a first paint should not wait for). Else summary().
    std::optional<StoreSummary> quickSummary(const JobControl &job = {},
                                             qint64 exactUpTo = QuickSummaryAbove);
    static constexpr qint64 QuickSummaryAbove = 200000;
    static constexpr int DensitySlices = 1920; // a maximised timeline's pixel columns
    static constexpr int SampleSize = 2048;
    std::optional<QVector<StreamInfo>> streams(const StreamQuery &query);
    // streams() for a list that must show at once: while no index is attached, a store of
    // more than QuickSummaryAbove positions whose streams have an index of their own is
    // listed by name only (StreamInfo::events -1, no versions or times), by one seek through
    // that index per stream, in the index's order (not NaturalOrder): counting them would read
    // every event. Where a table of their own names the streams (SQLite), they are read from
    // it (those that a seek through the events' key index finds an event of). Else streams().
    // The answer with counts (the index's, or on PostgreSQL the server's) replaces it once the
    // index is attached.
    std::optional<QVector<StreamInfo>> streamsForFirstPaint(const StreamQuery &query);
    std::optional<QVector<Event>> events(const EventFilter &filter);
    // The same, narrowed further by a condition on the payload (PayloadSqlFilter; an empty
    // one narrows nothing).
    std::optional<QVector<Event>> events(const EventFilter &filter,
                                         const PayloadSqlCondition &payload);
    // events() read by QSqlQuery and decoded by readEvent(): PostgreSQL's, and on SQLite the
    // generic path that the C API reader events() uses there is compared with.
    std::optional<QVector<Event>> eventsByQuery(const EventFilter &filter,
                                                const PayloadSqlCondition &payload);
    // Every event events() would page through (the filter's limit aside, unless `limit` is
    // given), as one statement stepped over the C API (SqliteStreamReader::event()), for a
    // walk over the whole store. nullptr as streamReader().
    std::unique_ptr<SqliteStreamReader> eventScan(const EventFilter &filter,
                                                  const PayloadSqlCondition &payload,
                                                  std::optional<int> limit = std::nullopt);
    // For the lists' keyset seeks, in position order over the events the filter selects (its
    // afterPosition and limit aside). countEvents: how many lie before beforePosition, which is
    // the row of the event there. seekPosition: the position `rows` events after `from` (rows >
    // 0; 1 is the next) or before it (rows < 0), where events(afterPosition = it) goes on; past
    // the last event the highest qint64, before the first the lowest (a page from the start).
    std::optional<qint64> countEvents(const EventFilter &filter,
                                      qint64 beforePosition = std::numeric_limits<qint64>::max());
    std::optional<qint64> seekPosition(const EventFilter &filter, qint64 from, qint64 rows);
    // Events of one stream in version order, strictly after afterVersion.
    std::optional<QVector<Event>> streamEvents(const QString &stream, qint64 afterVersion,
                                               int limit);
    // The same rows as streamEvents() for a fold, stepped over the C API: position, version,
    // type, time and data, decoded as streamEvents() decodes them. nullptr when the store is
    // not SQLite; also when it fails, with errorString().
    std::unique_ptr<SqliteStreamReader> streamReader(const QString &stream, qint64 afterVersion);
    // The events of a stream that a replay leaves out because they have no place in its
    // order: a NULL version, or the lowest 64-bit integer (below every version a page
    // starts after).
    std::optional<qint64> eventsWithoutVersion(const QString &stream);
    // The same rows over libpq on PostgreSQL, for every layout; a row that is not plain is
    // read with readEvent(). A read of the whole rest is one statement (which the server may
    // plan in parallel: a sort of a long stream before its first row); a part that may stop
    // early goes through a server-side cursor (PostgresStreamReader::Rows::InBatches), planned
    // for its first rows. nullptr when the store is not PostgreSQL; also when the statement
    // cannot be sent or the connection is busy, with errorString(). Nothing else may use the
    // store until the reader is gone.
    enum class StreamRead { Whole, Part };
    std::unique_ptr<PostgresStreamReader> postgresStreamReader(const QString &stream,
                                                               qint64 afterVersion,
                                                               StreamRead read = StreamRead::Part);
    // The reader's row as streamEvents() reads it (without stream and metadata, which the
    // reader does not select).
    Event readEvent(const PostgresStreamReader &row) const;
    std::optional<QVector<Bucket>> buckets(BucketSize size, const BucketFilter &filter);
    // The events of the stream (empty: the whole store) with one of the types and a time at
    // or before ms: the charts' exact "N clicks up to T", wherever T is.
    std::optional<qint64> countUpTo(const QString &stream, const QStringList &types, qint64 ms);
    // The lowest and highest position (first > last when there are no events).
    std::optional<QPair<qint64, qint64>> positionRange();
    // For EventIndexBuilder: every event with a position in (after, upTo], in position order,
    // stepped over the C API with the stream as sixth column. nullptr as streamReader(). The
    // time is the time column's: a time kept only in the payload is no time here, as it is to
    // every statement (timeComparableSql()), so the index answers as SQL does.
    std::unique_ptr<SqliteStreamReader> indexScan(qint64 after, qint64 upTo);
    // The same rows where the type and time are a keyed table's (StoreLayout::keyedJoin) whose
    // key a unique index keeps unique as the join compares it: both tables walked side by
    // side. nullptr where that does not hold or the statements do not prepare (indexScan()
    // then reads the rows, and says what fails).
    std::unique_ptr<KeyedJoinScan> keyedJoinScan(qint64 after, qint64 upTo);
    // The same on PostgreSQL over libpq, the stream second and no data, the rows coming all at
    // once (the builder asks for bounded ranges). nullptr as postgresStreamReader().
    std::unique_ptr<PostgresStreamReader> postgresIndexScan(qint64 after, qint64 upTo);
    // For the integrity check: the events of one stream (empty: of every stream) in stream,
    // version and position order, with position, version and (withTimes) time (no type, no
    // data), stepped over the C API with the stream as sixth column. Without the time, SQLite
    // reads a (stream, version) index alone where the position is the rowid; with it, it
    // visits the table row of every event in that order. nullptr as streamReader().
    std::unique_ptr<SqliteStreamReader> sequenceScan(const QString &stream, bool withTimes = true);
    // The same on PostgreSQL over libpq, row by row, with the stream second. nullptr as
    // postgresStreamReader().
    std::unique_ptr<PostgresStreamReader> postgresSequenceScan(const QString &stream);
    // The snapshots the library stored for a stream, in version order; empty when the layout
    // keeps none.
    std::optional<QVector<StoredSnapshot>> snapshots(const QString &stream);

    static qint64 bucketMs(BucketSize size);
    static QString bucketName(BucketSize size);
    static bool parseBucketName(const QString &name, BucketSize *size);

private:
    EventStore(const StoreLocation &location, const QString &connectionName);

    std::nullopt_t fail(const QString &what, const QSqlQuery &query);
    // streamsForFirstPaint() where a table of their own names the streams.
    std::optional<QVector<StreamInfo>> namedStreamsForFirstPaint(const StreamQuery &query);
    std::nullopt_t cancelled();
    StoreSummary layoutSummary() const;
    std::optional<StoreSummary> serverSummary(const JobControl &job, qint64 countStreamsUpTo);
    QString selectEventColumns() const;
    QString versionSql() const;
    // How one stream's events are read in the order of their versions: after() keeps those
    // after a version (`bounded` above the parameter, where `guard` holds), `order` orders
    // them, for ORDER BY. Where a table of
    // their own names each stream once, that table's key, then the version, which lets SQLite
    // read the events' (key, version) index in order where it would sort every event of the
    // stream (it cannot know the join finds one key). Where the version falls back to another
    // column (StoreLayout::versionFallback) and the stream's versions are all stored, or none
    // is, the stored column, or the fallback: a range of the (stream, stored) index. Else the
    // version itself.
    struct StreamOrder
    {
        QString bounded;
        QString guard; // may be empty
        QString order;

        QString after(const QString &parameter) const;
    };
    StreamOrder streamOrder(const QString &stream) const;
    // True where a table of their own names the streams (StoreLayout::streamNames) and its
    // names and keys go one to one, checked once: a stream's events are then those of one key.
    bool oneKeyPerStream() const;
    // Whether a unique index, not partial, holds the keyed join's key alone, in the BINARY
    // collation of the key column and of the index both, both keys being of TEXT affinity
    // (so that keys the join finds equal are the same bytes, and no two rows have them), and
    // the position is the events' rowid. Checked once.
    bool joinKeyIsUnique() const;
    QString positionRangeSql(qint64 after, qint64 upTo, QVariantList *values) const;
    SqliteRowDecoding indexScanDecoding() const;
    QString integerParameter() const;
    QString typeSql() const;
    QString whereSql(QStringList conditions) const;
    // How a statement spells its parameters: QSqlQuery's in order (?), or numbered by their
    // place in the statement's values (SQLite's ?N, libpq's $N), for the C API readers.
    enum class Parameters { InOrder, Numbered };
    // The bound `position op value` (op: >, >=, <, <=, =) appended to where and values; for a
    // layout whose positions are grouped (StoreLayout::positionGroup), with the bound it
    // implies on the group, so that the database seeks through the group's index.
    void positionBound(const QString &op, qint64 value, Parameters parameters, QStringList *where,
                       QVariantList *values) const;
    // What orders rows by position, for ORDER BY; for grouped positions the group (and the
    // place, unless the layout gives places in order), which the group's index serves.
    // Descending, a layout that gives places in order gives them ascending within each group
    // (stepBackInGroups() counts them in order).
    QString positionOrderSql(bool descending = false) const;
    // The group of a grouped position (StoreLayout::positionGroup).
    qint64 groupOf(qint64 position) const;
    // How many events grouped positions in [first, last] hold, estimated (quickSummary()).
    std::optional<qint64> estimateGroupedEvents(qint64 first, qint64 last);
    // seekPosition() backwards over groups whose places come in order: the query's rows are
    // position and group, in descending groups; the position `rows` before the first.
    std::optional<qint64> stepBackInGroups(QSqlQuery &query, qint64 rows);
    // The filter's stream, types and time range as conditions with their values.
    void filterConditions(const EventFilter &filter, QStringList *where,
                          QVariantList *values) const;
    // events()'s FROM, WHERE and ORDER BY, after the filter's afterPosition, with its values.
    QString eventConditions(const EventFilter &filter, const PayloadSqlCondition &payload,
                            QVariantList *values) const;
    bool pagesInStream(const EventFilter &filter) const;
    Event readEvent(const QSqlQuery &query) const;
    // A row of selectEventColumns(), from anything that gives its columns as value(i).
    template<typename Row> Event eventFromRow(const Row &row) const;
    // Time in SQL: comparable is what orders and bounds times; output is what a query selects
    // for TimeCodec to decode with outputFormat.
    QString timeComparableSql() const;
    QString timeOutputSql(const QString &comparable) const;
    TimeFormat timeOutputFormat() const;
    qint64 decodeTime(const QVariant &value) const;
    // A row's time as selected and decoded (where decodeTime() reads aggregates of the
    // comparable time).
    QString rowTimeSql() const;
    TimeFormat rowTimeFormat() const;
    // How a C API reader of whole rows decodes the stored time and payload.
    SqliteRowDecoding rowDecoding() const;
    // The type and time columns of a C API reader's statement: the JSON a role's string is in
    // (StoreLayout::typeInJson, timeInJson), which the reader finds it in, or the role's SQL.
    QString readerTypeSql() const;
    QString readerTimeSql() const;
    // The time column of a libpq reader's statement, and how the reader decodes it.
    QString postgresReaderTime(PostgresStreamReader::Decoding *decoding) const;
    std::unique_ptr<PostgresStreamReader>
    startPostgresReader(const QString &sql, const QVariantList &parameters,
                        const PostgresStreamReader::Decoding &decoding,
                        PostgresStreamReader::Rows rows, const QString &what);
    qint64 decodeRowTime(const QVariant &value) const;
    // SQLite: whether times compare as the stored text, as the layout's canonicalIsoTime
    // claims, verified once (LayoutDetector::allTimesCanonical) on first use.
    bool timesCompareAsText() const;
    QString timeBoundSql(const QString &op) const;
    QString postgresNumberInRange(const QString &number) const;
    QVariant timeBoundValue(qint64 ms) const;
    QString bucketSecondsSql(BucketSize size) const;
    // True when the database plans the statement as seeks through indexes: no scan of a table
    // or an index, no sort.
    bool seeksByIndex(const QString &sql, const QVariantList &parameters);
    bool postgresSeeksByIndex(QString sql, const QVariantList &parameters);
    // The statement that finds the first position at or after a time.
    QString timeSeekSql() const;
    // The statement that finds the first type name after one.
    QString typeSeekSql() const;
    // The earliest or latest time by the time's index.
    std::optional<qint64> timeAtEnd(bool latest);
    // StoreSummary::density over [fromMs, toMs] for positions up to lastPosition.
    std::optional<QVector<qint64>> densityBySeeks(qint64 fromMs, qint64 toMs, qint64 lastPosition);
    // The type names by skip-seeks over the type's index; nullopt (without an error) past
    // maxTypes names.
    std::optional<QStringList> typesBySeeks(const JobControl &job, int maxTypes);
    // SampleSize events at positions spread evenly over [first, last], each read by a seek.
    struct Sample
    {
        QVector<qint64> times; // sorted; events without a time left out
        QStringList types;     // each name once; a NULL type reads as ""
    };
    std::optional<Sample> sampleEvents(const JobControl &job, qint64 first, qint64 last);
    // quickSummary() on PostgreSQL, and its sample: the same seeks, sent as one statement.
    std::optional<StoreSummary> postgresQuickSummary(const JobControl &job, qint64 exactUpTo);
    std::optional<Sample> postgresSampleEvents(qint64 first, qint64 last);
    // True when PostgreSQL plans the first position at or after `first` as an index seek.
    bool postgresSeeksPositions(qint64 first);

    StoreLocation m_location;
    StoreOpenOptions m_options;
    QString m_connectionName;
    std::unique_ptr<SqliteReadHold> m_readHold; // outlives m_db: see ~EventStore()
    QSqlDatabase m_db;
    SqlDialect m_dialect = SqlDialect::Sqlite;
    StoreLayout m_layout;
    QVector<LayoutMatch> m_matches;
    std::shared_ptr<StatementInterrupter> m_interrupter;
    std::shared_ptr<const EventIndex> m_index;
    StoreError m_error;
    bool m_inSnapshot = false;
    std::optional<qint64> m_changeMark; // what hasChanged() saw last
    mutable std::optional<bool> m_timesCompareAsText;
    mutable std::optional<bool> m_oneKeyPerStream; // oneKeyPerStream()'s check, once
    mutable std::optional<bool> m_joinKeyIsUnique;
};

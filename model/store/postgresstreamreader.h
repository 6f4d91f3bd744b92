#pragma once

// Steps through one statement over libpq, on the connection Qt opened (reached through
// QSqlDriver::handle()), for the rows of a fold or of the in-memory index's scan: QSqlQuery
// turns every column of every row into a QVariant, and text into a QString, which costs a
// replay more than folding the payloads does. EventStore writes the statement with the columns
// of its generic reads (position, stream, version, type, time, data, metadata), the ones the
// reader's user does not need selected as NULL; value() gives any column as QPSQL would, so
// that a row the fast accessors cannot take is decoded from the row in hand exactly as the
// generic path decodes it.
//
// The connection is Qt's: while a reader runs, nothing else may use it (Qt would discard the
// rows still to come). A reader leaves it idle, with no result pending, whether it ends, fails,
// is interrupted by StatementInterrupter (PQcancel) or is destroyed halfway.
// Forward only; what a row's accessors return is valid until the next call of next().

#include "core/storeerror.h"
#include "decoding/timecodec.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVariantList>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct pg_conn;
struct pg_result;

class PostgresStreamReader
{
public:
    enum class Step { Row, Done, Failed };

    // How EventStore decodes the rows beyond their time format.
    struct Decoding
    {
        TimeFormat timeFormat = TimeFormat::EpochMillis; // of the time column as selected
        // The time column is a PostgreSQL timestamp (or timestamptz) as stored, which the
        // reader turns into epoch milliseconds itself: the generic statement's
        // FLOOR(EXTRACT(EPOCH ...) * 1000) costs the server more per row than the whole read.
        // In binary rows it is a count of microseconds; in text rows, the text PostgreSQL
        // writes with DateStyle ISO and TimeZone UTC (see writesIsoUtcTimes()).
        // value(TimeColumn) then gives those milliseconds, as the generic statement's column.
        bool timestampAsStored = false;
        // The layout rewrites JSON payloads (eventsourcing's _type_/_data_ wrappers): no row
        // is plain.
        bool rewritesJson = false;
        // The layout takes a missing time from the payload: a row without one is not plain.
        bool timeInPayload = false;
    };

    // The columns of the statement, in EventStore::readEvent's order.
    enum Column {
        PositionColumn,
        StreamColumn,
        VersionColumn,
        TypeColumn,
        TimeColumn,
        DataColumn,
        MetadataColumn,
        ColumnCount
    };

    // How the rows come: one by one (libpq's single-row mode), so that a fold stopped early
    // has not waited for the rest; all at once, for a statement of bounded size read to its
    // end, which spares libpq a result per row; or in batches from a server-side cursor,
    // growing, one by one within each. PostgreSQL plans a cursor for its first rows
    // (cursor_tuple_fraction): a stream read in version order comes through the (stream,
    // version) index, where a statement planned for all its rows may sort a long stream
    // before sending the first. The cursor lives in a read-only transaction of the reader's
    // own (or in the caller's, where one is open) until the reader ends or is destroyed.
    enum class Rows { OneByOne, AllAtOnce, InBatches };

    // Prepares the statement ($1, $2, ... for the parameters: strings as text, the rest as
    // integers; their types are inferred by the server, as for Qt's) and sends it, asking for
    // binary rows where every column's type can be read from them (the accessors give the
    // same either way). nullptr, with *error empty, when the connection is not PostgreSQL or
    // is busy; with *error set when the statement cannot be prepared or sent.
    static std::unique_ptr<PostgresStreamReader> start(const QSqlDatabase &db, const QString &sql,
                                                       const QVariantList &parameters,
                                                       const Decoding &decoding, Rows rows,
                                                       StoreError *error);
    // The lines of PostgreSQL's EXPLAIN of the statement with these parameters ($1, ... as
    // start() sends them; a prepared statement cannot be explained); nullopt where it fails or
    // the connection is not PostgreSQL or is busy.
    static std::optional<QStringList> plan(const QSqlDatabase &db, const QString &sql,
                                           const QVariantList &parameters);
    // Whether the connection's timestamps leave the server in text as Decoding::timestampAsStored
    // reads them (libpq keeps the DateStyle and TimeZone the server reports).
    static bool writesIsoUtcTimes(const QSqlDatabase &db);
    ~PostgresStreamReader();
    PostgresStreamReader(const PostgresStreamReader &) = delete;
    PostgresStreamReader &operator=(const PostgresStreamReader &) = delete;

    Step next();
    // After Failed: what kind of failure, the server's message, and whether the statement
    // was cancelled (by a cancel request or the statement time limit alike: one SQLSTATE).
    StoreError::Kind errorKind() const { return m_errorKind; }
    QString errorString() const { return m_error; }
    bool wasInterrupted() const { return m_interrupted; }

    qint64 position() const { return m_position; }
    qint64 version() const { return m_version; }
    bool hasVersion() const; // false for a NULL version
    // True when type(), timeMs() and data() are what EventStore's generic read makes of the
    // row: the type is text, the time decoded (or absent where no payload holds it), and the
    // data JSON text (or bytea holding it) that starts as an object, which PayloadDecoder
    // hands on as it is. Any other row is read with EventStore::readEvent(*this).
    bool isPlain() const { return m_plain; }
    std::string_view type() const; // "" for a NULL type, which summaries read as ""
    // The stream column, in an index scan (EventStore::postgresIndexScan). Text to QPSQL:
    // what QSqlQuery::value() would give as a QString, so that the index names streams as SQL
    // results do.
    bool isStreamNull() const;
    bool isStreamText() const;
    std::string_view stream() const;
    qint64 timeMs() const { return m_timeMs; }
    std::string_view data() const { return m_data; }
    // Any column of the row as QPSQL's QSqlQuery::value() gives it (its default numerical
    // precision policy, LowPrecisionDouble).
    QVariant value(int column) const;

private:
    PostgresStreamReader(pg_conn *connection, const Decoding &decoding);

    void readRow();
    std::string_view bytesOf(int column) const;
    qint64 integer(int column) const;
    qint64 decodeTime();
    qint64 timestampMs(qint64 sinceMillenniumUs);
    qint64 timestampMs(std::string_view text);
    void finish();           // waits for the statement's end, reading what is left
    bool fetch(qint64 rows); // sends the cursor's next batch
    void closeCursor();
    Step failed(pg_result *result);
    void clearRow();

    pg_conn *m_connection = nullptr;
    Decoding m_decoding;
    bool m_binary = false;         // the rows come in binary
    pg_result *m_result = nullptr; // holding the row in hand, at m_rowIndex
    int m_rowIndex = 0;
    bool m_finished = true; // no statement's results are pending
    bool m_cursorOpen = false;
    bool m_ownTransaction = false; // begun for the cursor
    qint64 m_batch = 0;            // the rows the last FETCH asked for
    qint64 m_fetched = 0;          // and those it gave so far
    bool m_interrupted = false;
    QString m_error;
    StoreError::Kind m_errorKind = StoreError::Kind::None;
    // The column types, known from the first row.
    unsigned m_types[ColumnCount] = {};
    bool m_typesKnown = false;

    qint64 m_position = 0;
    qint64 m_version = 0;
    qint64 m_timeMs = NoTime;
    bool m_plain = false;
    std::string_view m_data;
    std::string m_bytes;                 // bytea data, unescaped where it must be
    std::string m_uuidText[ColumnCount]; // the stream's and type's text, where a uuid's
    // The day of the last timestamp read, and its first millisecond: events come in runs on
    // one day, which TimeCodec then parses once.
    std::string m_dayText;
    qint64 m_dayStartMs = NoTime;
};

#pragma once

// Steps through one statement over the sqlite3 C API, on the connection Qt opened (reached
// through QSqlDriver::handle()), for the rows of a fold: QSqlQuery turns every column of
// every row into a QVariant, and text into a QString, which costs a replay more than folding
// the payloads does. EventStore writes the statement; the columns are position, version,
// type, time and data, and in a scan of all streams (EventIndexBuilder) the stream sixth; a
// scan of whole events (EventStore::eventScan) has the stream sixth and the metadata seventh.
// Forward only; what a row's accessors return is valid until the next call of next().
//
// Every row is decoded as EventStore::readEvent decodes what QSqlQuery reads: the common
// forms (UTF-8 text, canonical ISO or integer times, JSON payloads) straight from SQLite's
// bytes; any other form by building the QVariant QSQLITE would have built from the same
// column and handing it to the functions readEvent uses (TimeCodec, PayloadDecoder), so that
// no row is ever read a second time.

#include "core/event.h"
#include "core/storeerror.h"
#include "decoding/payloaddecoder.h"
#include "decoding/timecodec.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_value;

// How the layout wants a row's time and payload decoded (see StoreLayout).
struct SqliteRowDecoding
{
    TimeFormat timeFormat = TimeFormat::IsoText;
    bool unwrapTypedValues = false;
    // The payload's top-level field holding the time of a row without one in its time column.
    QString payloadTimeField;
    // Where the type or the time is a string inside JSON (StoreLayout::typeInJson, timeInJson):
    // the statement's column is that JSON, and this the path to the string ("$.a.b"), which the
    // reader finds as SQLite's json_extract would. Empty where the column is the value.
    QString typeJsonPath;
    QString timeJsonPath;
};

class SqliteStreamReader
{
public:
    enum class Step { Row, Done, Failed };

    // nullptr, with *error empty, when the connection is not SQLite; with *error set when the
    // statement does not prepare. Parameters bind in order, as QSQLITE binds them: strings as
    // text, byte arrays as blobs, doubles as reals, null as NULL, the rest as integers.
    static std::unique_ptr<SqliteStreamReader> prepare(const QSqlDatabase &db, const QString &sql,
                                                       const QVariantList &parameters,
                                                       const SqliteRowDecoding &decoding,
                                                       StoreError *error);
    ~SqliteStreamReader();
    SqliteStreamReader(const SqliteStreamReader &) = delete;
    SqliteStreamReader &operator=(const SqliteStreamReader &) = delete;

    Step next();
    // Runs the statement again from its start with other parameters, bound as prepare()
    // binds them: a statement run for many single lookups is prepared once.
    void rerun(const QVariantList &parameters);
    // After Failed: what kind of failure, SQLite's message, and whether the statement was
    // interrupted (kind Cancelled).
    StoreError::Kind errorKind() const;
    QString errorString() const;
    bool wasInterrupted() const { return m_interrupted; }
    // After Failed, as a StoreError: a cancel where the statement was interrupted, else
    // "<what>: <SQLite's message>".
    StoreError failure(const QString &what) const;

    qint64 position() const;
    qint64 version() const;
    bool hasVersion() const; // false for a NULL version
    // The UTF-8 of the type as readEvent's QString holds it ("" for NULL, digits for a number).
    std::string_view type();
    // Whether SQLite holds the type column as UTF-8 text, which type() gives as its bytes (a
    // key compared by its bytes is only where both sides are text as stored).
    bool isTypeText() const;
    // The time as readEvent gives it, the payload's time field included.
    qint64 timeMs();
    // The time column's alone, for a fold that reads the payload's time field from its own
    // parse of the payload.
    qint64 columnTimeMs();
    // The payload as readEvent's Event::data holds it: PayloadDecoder's output (inflated,
    // unwrapped, ...), which for a JSON payload is SQLite's bytes as they are.
    std::string_view data();
    // The payload for a fold that unwraps typed values itself (JsonMergeTree): a JSON object's
    // text as stored, which data() would have parsed and rewritten; anything else as data().
    std::string_view foldData();
    // The sixth column of a scan over all streams: the stream's text, and how SQLite holds it
    // (an integer stream sorts and compares unlike its text).
    std::string_view stream() const;
    bool isStreamText() const;
    bool isStreamNull() const;
    // The row of an event scan as EventStore::events() gives it, its bytes copied: every
    // column decoded as readEvent decodes QSqlQuery's values.
    Event event();

private:
    SqliteStreamReader(sqlite3 *db, sqlite3_stmt *statement, const SqliteRowDecoding &decoding);
    static void bindParameters(sqlite3_stmt *statement, const QVariantList &parameters);

    std::string_view text(int column) const;
    bool isUtf8Text(int column) const;
    QVariant columnValue(int column) const;
    // What QVariant::toString() and toLongLong() give for QSQLITE's value of the column.
    QString columnText(int column, QByteArray *lastBytes, QString *lastText) const;
    // The text of bytes, from *lastText while they are *lastBytes.
    static QString cachedText(std::string_view bytes, QByteArray *lastBytes, QString *lastText);
    // The type as readEvent's QString holds it.
    QString typeText();
    qint64 columnInteger(int column) const;
    // PayloadDecoder's reading of the column as payloadBytes() in EventStore hands it over;
    // JSON comes back as SQLite's bytes, valid until the next step.
    DecodedPayload decodePayload(int column) const;
    // A type or time found in JSON (SqliteRowDecoding::typeJsonPath, timeJsonPath), once a row.
    struct JsonRole;
    const JsonRole &jsonRole(int column);

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    SqliteRowDecoding m_decoding;
    // The current row's columns, taken from the statement once per row: each
    // sqlite3_column_*() call takes the connection's mutex, and a scan asks a dozen times a row
    // (a fifth of the index's build). Reading them through sqlite3_value_*() is safe because
    // a reader's connection is used by one thread at a time; valid until the next step.
    std::vector<sqlite3_value *> m_values;
    // The current row's type when SQLite's bytes are not it, and its decoded payload.
    QByteArray m_type;
    QByteArray m_data;
    QString m_dataNote;
    bool m_dataReadable = true;
    bool m_dataDecoded = false;
    // The last type and stream event() made, reused while the next row's bytes are the same:
    // a walk over a whole store meets the same few types again and again.
    QByteArray m_typeBytes;
    QString m_typeText;
    QByteArray m_streamBytes;
    QString m_streamText;
    int m_failure = 0;
    bool m_interrupted = false;
    struct JsonRoles;
    std::unique_ptr<JsonRoles> m_jsonRoles; // where the decoding has JSON paths
};

#pragma once

// Steps through one statement over the sqlite3 C API, on the connection Qt opened (reached
// through QSqlDriver::handle()), for the rows of a fold: QSqlQuery turns every column of
// every row into a QVariant, and text into a QString, which costs a replay more than folding
// the payloads does. EventStore writes the statement; the columns are position, version,
// type, time and data, and in a scan of all streams (EventIndexBuilder) the stream sixth.
// Forward only; what a row's accessors return is valid until the next call of next().

#include "timecodec.h"

#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

class SqliteStreamReader
{
public:
    enum class Step { Row, Done, Failed };

    // nullptr, with *error empty, when the connection is not SQLite; with *error set when the
    // statement does not prepare. Parameters bind in order: strings as text, the rest as
    // integers.
    static std::unique_ptr<SqliteStreamReader> prepare(const QSqlDatabase &db, const QString &sql,
                                                       const QVariantList &parameters,
                                                       TimeFormat timeFormat, QString *error);
    ~SqliteStreamReader();
    SqliteStreamReader(const SqliteStreamReader &) = delete;
    SqliteStreamReader &operator=(const SqliteStreamReader &) = delete;

    Step next();
    // After Failed: SQLite's message, and whether the statement was interrupted.
    QString errorString() const;
    bool wasInterrupted() const { return m_interrupted; }

    qint64 position() const;
    qint64 version() const;
    bool hasVersion() const; // false for a NULL version
    // True when the row's type, time and data are as the fast accessors below read them:
    // text type, text (or no) time, and text data that starts as a JSON object (after JSON
    // white space), which PayloadDecoder hands on as it is. Any other row must be read the way
    // EventStore reads it.
    bool isPlain() const;
    std::string_view type() const;
    qint64 timeMs();
    std::string_view data() const;
    // The sixth column of a scan over all streams: the stream's text, and how SQLite holds it
    // (an integer stream sorts and compares unlike its text).
    std::string_view stream() const;
    bool isStreamText() const;
    bool isStreamNull() const;

private:
    SqliteStreamReader(sqlite3 *db, sqlite3_stmt *statement, TimeFormat timeFormat);

    std::string_view text(int column) const;
    std::optional<qint64> canonicalIsoTime(std::string_view text);

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    TimeFormat m_timeFormat = TimeFormat::IsoText;
    // The day of the last canonical ISO time, "YYYY-MM-DDT", and its start (NoTime when the
    // date is not one): the events of a stream mostly share their day with the one before.
    std::string m_dayText;
    qint64 m_dayStartMs = NoTime;
    int m_failure = 0;
    bool m_interrupted = false;
};

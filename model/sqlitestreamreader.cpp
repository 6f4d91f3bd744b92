#include "sqlitestreamreader.h"

#include <QSqlDriver>
#include <QUtf8StringView>
#include <QVariant>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace {

enum Column { PositionColumn, VersionColumn, TypeColumn, TimeColumn, DataColumn, StreamColumn };

// "YYYY-MM-DDTHH:MM:SS.mmmZ", the form Eventscope writes: the day, then the time of day.
constexpr std::size_t CanonicalIsoSize = 24;
constexpr std::size_t DaySize = 11;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// The two digits at text[at], or -1.
int twoDigits(std::string_view text, std::size_t at)
{
    if (!isDigit(text[at]) || !isDigit(text[at + 1]))
        return -1;
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

std::unique_ptr<SqliteStreamReader>
SqliteStreamReader::prepare(const QSqlDatabase &db, const QString &sql,
                            const QVariantList &parameters, TimeFormat timeFormat, QString *error)
{
    error->clear();
    const QVariant handle = db.driver()->handle();
    if (qstrcmp(handle.metaType().name(), "sqlite3*") != 0)
        return nullptr;
    sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
    if (!connection)
        return nullptr;
    const QByteArray sqlText = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(connection, sqlText.constData(), int(sqlText.size()), &statement,
                           nullptr) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(connection));
        sqlite3_finalize(statement);
        return nullptr;
    }
    for (int i = 0; i < parameters.size(); ++i) {
        const QVariant &value = parameters.at(i);
        if (value.metaType().id() == QMetaType::QString) {
            const QByteArray text = value.toString().toUtf8();
            sqlite3_bind_text(statement, i + 1, text.constData(), int(text.size()),
                              SQLITE_TRANSIENT);
        } else {
            sqlite3_bind_int64(statement, i + 1, value.toLongLong());
        }
    }
    return std::unique_ptr<SqliteStreamReader>(
        new SqliteStreamReader(connection, statement, timeFormat));
}

SqliteStreamReader::SqliteStreamReader(sqlite3 *db, sqlite3_stmt *statement, TimeFormat timeFormat)
    : m_db(db), m_statement(statement), m_timeFormat(timeFormat)
{
}

SqliteStreamReader::~SqliteStreamReader()
{
    sqlite3_finalize(m_statement);
}

SqliteStreamReader::Step SqliteStreamReader::next()
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return Step::Row;
    if (rc == SQLITE_DONE)
        return Step::Done;
    m_failure = rc;
    m_interrupted = rc == SQLITE_INTERRUPT;
    return Step::Failed;
}

QString SqliteStreamReader::errorString() const
{
    const QString why = QString::fromUtf8(sqlite3_errstr(m_failure)) + u": "_s +
                        QString::fromUtf8(sqlite3_errmsg(m_db));
    const int code = m_failure & 0xff;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB
               ? u"the SQLite file is corrupt (%1)"_s.arg(why)
               : why;
}

qint64 SqliteStreamReader::position() const
{
    return sqlite3_column_int64(m_statement, PositionColumn);
}

qint64 SqliteStreamReader::version() const
{
    return sqlite3_column_int64(m_statement, VersionColumn);
}

bool SqliteStreamReader::hasVersion() const
{
    return sqlite3_column_type(m_statement, VersionColumn) != SQLITE_NULL;
}

std::string_view SqliteStreamReader::text(int column) const
{
    const auto *bytes = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
    return {bytes ? bytes : "", std::size_t(sqlite3_column_bytes(m_statement, column))};
}

bool SqliteStreamReader::isPlain() const
{
    if (sqlite3_column_type(m_statement, TypeColumn) != SQLITE_TEXT)
        return false;
    const int time = sqlite3_column_type(m_statement, TimeColumn);
    if (time != SQLITE_TEXT && time != SQLITE_NULL)
        return false;
    if (sqlite3_column_type(m_statement, DataColumn) != SQLITE_TEXT)
        return false;
    // QSQLITE hands text over as UTF-16, which is what these bytes are only if they are UTF-8.
    const std::string_view type = text(TypeColumn);
    if (!QUtf8StringView(type.data(), qsizetype(type.size())).isValidUtf8())
        return false;
    for (const char c : text(DataColumn)) {
        if (!isJsonSpace(c))
            return c == '{';
    }
    return false;
}

std::string_view SqliteStreamReader::type() const
{
    return text(TypeColumn);
}

qint64 SqliteStreamReader::timeMs()
{
    const int storage = sqlite3_column_type(m_statement, TimeColumn);
    if (storage == SQLITE_NULL)
        return NoTime;
    // An integer column, without TimeCodec's detour through text: what decode() gives for it.
    if (storage == SQLITE_INTEGER) {
        const qint64 value = sqlite3_column_int64(m_statement, TimeColumn);
        constexpr qint64 ExactDouble = qint64(1) << 53; // decode() reads numbers as doubles
        if (m_timeFormat == TimeFormat::DotNetTicks)
            return TimeCodec::fromDotNetTicks(value);
        if (m_timeFormat == TimeFormat::EpochMillis && value > -ExactDouble && value < ExactDouble)
            return value;
        if (m_timeFormat == TimeFormat::EpochSeconds && value > -ExactDouble / 1000 &&
            value < ExactDouble / 1000)
            return value * 1000;
    }
    const std::string_view time = text(TimeColumn);
    if (m_timeFormat == TimeFormat::IsoText) {
        if (const auto ms = canonicalIsoTime(time))
            return *ms;
    }
    return TimeCodec::decode(QString::fromUtf8(time.data(), qsizetype(time.size())), m_timeFormat);
}

// TimeCodec::parseIso's answer for the canonical form, without a QString per event: the day
// is parsed by TimeCodec once, the time of day here, with parseIso's limits. nullopt for any
// other form.
std::optional<qint64> SqliteStreamReader::canonicalIsoTime(std::string_view text)
{
    if (text.size() != CanonicalIsoSize || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
        text[19] != '.' || text[23] != 'Z' || !isDigit(text[20]) || !isDigit(text[21]) ||
        !isDigit(text[22]))
        return std::nullopt;
    const int hour = twoDigits(text, 11);
    const int minute = twoDigits(text, 14);
    const int second = twoDigits(text, 17);
    if (hour < 0 || minute < 0 || second < 0)
        return std::nullopt;
    const std::string_view day = text.substr(0, DaySize);
    if (day != m_dayText) {
        m_dayText.assign(day);
        m_dayStartMs = TimeCodec::parseIso(QString::fromUtf8(day.data(), qsizetype(DaySize)) +
                                           u"00:00:00.000Z"_s);
    }
    if (m_dayStartMs == NoTime || hour > 23 || minute > 59 || second > 60)
        return NoTime;
    const int millis = (text[20] - '0') * 100 + (text[21] - '0') * 10 + (text[22] - '0');
    return m_dayStartMs + ((hour * 60 + minute) * 60 + second) * 1000LL + millis;
}

std::string_view SqliteStreamReader::data() const
{
    return text(DataColumn);
}

std::string_view SqliteStreamReader::stream() const
{
    return text(StreamColumn);
}

bool SqliteStreamReader::isStreamText() const
{
    return sqlite3_column_type(m_statement, StreamColumn) == SQLITE_TEXT;
}

bool SqliteStreamReader::isStreamNull() const
{
    return sqlite3_column_type(m_statement, StreamColumn) == SQLITE_NULL;
}

#include "store/postgresstreamreader.h"

#include "store/postgresconnection.h"
#include "store/sqlstate.h"

#include <QDateTime>
#include <QSqlDriver>
#include <QUtf8StringView>

#include <libpq-fe.h>

#include <optional>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

// The type OIDs QPSQL converts to something other than a QString (qDecodePSQLType in Qt's
// qsql_psql.cpp); every other type is text to it.
enum TypeOid : unsigned {
    BoolOid = 16,
    ByteaOid = 17,
    Int8Oid = 20,
    Int2Oid = 21,
    Int4Oid = 23,
    RegprocOid = 24,
    OidOid = 26,
    XidOid = 28,
    CidOid = 29,
    Float4Oid = 700,
    Float8Oid = 701,
    AbstimeOid = 702,
    ReltimeOid = 703,
    DateOid = 1082,
    TimeOid = 1083,
    TimestampOid = 1114,
    TimestampTzOid = 1184,
    TimeTzOid = 1266,
    NumericOid = 1700,
};

QMetaType::Type qpsqlType(unsigned oid)
{
    switch (oid) {
    case BoolOid:
        return QMetaType::Bool;
    case Int8Oid:
        return QMetaType::LongLong;
    case Int2Oid:
    case Int4Oid:
    case OidOid:
    case RegprocOid:
    case XidOid:
    case CidOid:
        return QMetaType::Int;
    case NumericOid:
    case Float4Oid:
    case Float8Oid:
        return QMetaType::Double;
    case AbstimeOid:
    case ReltimeOid:
    case DateOid:
        return QMetaType::QDate;
    case TimeOid:
    case TimeTzOid:
        return QMetaType::QTime;
    case TimestampOid:
    case TimestampTzOid:
        return QMetaType::QDateTime;
    case ByteaOid:
        return QMetaType::QByteArray;
    default:
        return QMetaType::QString;
    }
}

bool isInteger(unsigned oid)
{
    return oid == Int8Oid || oid == Int4Oid || oid == Int2Oid;
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool startsAsObject(std::string_view json)
{
    for (const char c : json) {
        if (!isJsonSpace(c))
            return c == '{';
    }
    return false;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool isOctal(char c)
{
    return c >= '0' && c <= '7';
}

// The bytes of PostgreSQL's bytea text: the hex form ("\x7b22..."), or the escape form QPSQL
// asks for (SET bytea_output TO escape), where printable ASCII stands for itself, a backslash
// is doubled and any other byte is \ooo. Text without a backslash is its own bytes, handed on
// without a copy; the rest is unescaped into *buffer. nullopt for malformed text, which
// PQunescapeBytea reads instead.
std::optional<std::string_view> unescapeBytea(std::string_view text, std::string *buffer)
{
    if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
        if (text.size() % 2 != 0)
            return std::nullopt;
        buffer->resize((text.size() - 2) / 2);
        for (std::size_t i = 2, o = 0; i < text.size(); i += 2, ++o) {
            const int high = hexDigit(text[i]);
            const int low = hexDigit(text[i + 1]);
            if (high < 0 || low < 0)
                return std::nullopt;
            (*buffer)[o] = char(high * 16 + low);
        }
        return std::string_view(*buffer);
    }
    std::size_t at = text.find('\\');
    if (at == std::string_view::npos)
        return text;
    buffer->assign(text.substr(0, at));
    while (at < text.size()) {
        const char c = text[at];
        if (c != '\\') {
            buffer->push_back(c);
            ++at;
        } else if (at + 1 < text.size() && text[at + 1] == '\\') {
            buffer->push_back('\\');
            at += 2;
        } else if (at + 3 < text.size() && text[at + 1] >= '0' && text[at + 1] <= '3' &&
                   isOctal(text[at + 2]) && isOctal(text[at + 3])) {
            buffer->push_back(
                char((text[at + 1] - '0') * 64 + (text[at + 2] - '0') * 8 + (text[at + 3] - '0')));
            at += 4;
        } else {
            return std::nullopt;
        }
    }
    return std::string_view(*buffer);
}

// The text of an integer column, as QPSQL reads it; PostgreSQL writes plain decimal digits.
qint64 parseInteger(const char *text)
{
    const bool negative = *text == '-';
    quint64 value = 0;
    for (const char *p = text + (negative ? 1 : 0); *p >= '0' && *p <= '9'; ++p)
        value = value * 10 + quint64(*p - '0');
    return negative ? qint64(0 - value) : qint64(value);
}

// QPSQL's connection, or nullptr when the database is not PostgreSQL.
PGconn *connectionOf(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    const QByteArray typeName = handle.metaType().name();
    if (typeName != "PGconn*" && typeName != "pg_conn*") // Qt names it by the struct
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Two ASCII digits at text[at], or -1.
int twoDigits(std::string_view text, std::size_t at)
{
    if (!isDigit(text[at]) || !isDigit(text[at + 1]))
        return -1;
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

} // namespace

bool PostgresStreamReader::writesIsoUtcTimes(const QSqlDatabase &db)
{
    PGconn *connection = connectionOf(db);
    if (!connection)
        return false;
    const char *dateStyle = PQparameterStatus(connection, "DateStyle");
    const char *timeZone = PQparameterStatus(connection, "TimeZone");
    return dateStyle && timeZone && qstrncmp(dateStyle, "ISO", 3) == 0 &&
           (qstrcmp(timeZone, "UTC") == 0 || qstrcmp(timeZone, "Etc/UTC") == 0);
}

std::unique_ptr<PostgresStreamReader> PostgresStreamReader::start(const QSqlDatabase &db,
                                                                  const QString &sql,
                                                                  const QVariantList &parameters,
                                                                  const Decoding &decoding,
                                                                  Rows rows, StoreError *error)
{
    *error = {};
    PGconn *connection = connectionOf(db);
    // Busy: a forward-only QSqlQuery still holds rows coming on this connection.
    if (!connection || PQtransactionStatus(connection) == PQTRANS_ACTIVE)
        return nullptr;

    std::vector<QByteArray> values;
    values.reserve(std::size_t(parameters.size()));
    std::vector<const char *> pointers;
    for (const QVariant &value : parameters) {
        values.push_back(value.metaType().id() == QMetaType::QString
                             ? value.toString().toUtf8()
                             : QByteArray::number(value.toLongLong()));
        pointers.push_back(values.back().constData());
    }
    if (!PQsendQueryParams(connection, sql.toUtf8().constData(), int(pointers.size()), nullptr,
                           pointers.data(), nullptr, nullptr, 0)) {
        *error = {SqlState::errorKind({}, PQstatus(connection) == CONNECTION_BAD),
                  QString::fromUtf8(PQerrorMessage(connection)).trimmed()};
        return nullptr;
    }
    std::unique_ptr<PostgresStreamReader> reader(new PostgresStreamReader(connection, decoding));
    if (rows == Rows::OneByOne && !PQsetSingleRowMode(connection)) {
        *error = {StoreError::Kind::Sql, u"libpq would not read the rows one by one"_s};
        return nullptr; // the destructor takes the whole result
    }
    return reader;
}

PostgresStreamReader::PostgresStreamReader(pg_conn *connection, const Decoding &decoding)
    : m_connection(connection), m_decoding(decoding)
{
}

PostgresStreamReader::~PostgresStreamReader()
{
    clearRow();
    if (m_finished)
        return;
    // Stopped halfway: the server is asked to stop sending, and what it sent is read and
    // dropped, so that the connection is idle again for Qt.
    if (PGcancel *cancel = PQgetCancel(m_connection)) {
        char message[256];
        PQcancel(cancel, message, sizeof message);
        PQfreeCancel(cancel);
    }
    finish();
}

void PostgresStreamReader::clearRow()
{
    PQclear(m_result);
    m_result = nullptr;
    m_rowIndex = 0;
}

void PostgresStreamReader::finish()
{
    while (PGresult *result = PQgetResult(m_connection))
        PQclear(result);
    m_finished = true;
}

PostgresStreamReader::Step PostgresStreamReader::next()
{
    if (m_result && m_rowIndex + 1 < PQntuples(m_result)) {
        ++m_rowIndex;
        readRow();
        return Step::Row;
    }
    clearRow();
    if (m_finished)
        return Step::Done;
    PGresult *result = PQgetResult(m_connection);
    switch (PQresultStatus(result)) {
    case PGRES_SINGLE_TUPLE:
        m_result = result;
        readRow();
        return Step::Row;
    case PGRES_TUPLES_OK: // the end of the rows in single-row mode, or all of them at once
        finish();
        if (PQntuples(result) == 0) {
            PQclear(result);
            return Step::Done;
        }
        m_result = result;
        readRow();
        return Step::Row;
    default:
        break;
    }
    // A null result here means the connection broke; PQerrorMessage says how.
    m_error =
        QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(m_connection))
            .trimmed();
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    m_interrupted = state && qstrcmp(state, "57014") == 0; // query_canceled
    m_errorKind = SqlState::errorKind(QString::fromLatin1(state),
                                                PQstatus(m_connection) == CONNECTION_BAD);
    PQclear(result);
    finish();
    return Step::Failed;
}

void PostgresStreamReader::readRow()
{
    if (!m_typesKnown) {
        for (int column = 0; column < ColumnCount; ++column)
            m_types[column] = PQftype(m_result, column);
        m_typesKnown = true;
    }
    m_position = integer(PositionColumn);
    m_version = integer(VersionColumn);
    m_timeMs = decodeTime();

    const char *data = PQgetvalue(m_result, m_rowIndex, DataColumn);
    m_data = std::string_view(data, std::size_t(PQgetlength(m_result, m_rowIndex, DataColumn)));
    bool dataIsText = qpsqlType(m_types[DataColumn]) == QMetaType::QString;
    if (m_types[DataColumn] == ByteaOid && !PQgetisnull(m_result, m_rowIndex, DataColumn)) {
        if (const auto bytes = unescapeBytea(m_data, &m_bytes)) {
            m_data = *bytes;
            dataIsText = true;
        }
    }
    const std::string_view type = this->type();
    m_plain = !m_decoding.rewritesJson && dataIsText && startsAsObject(m_data) &&
              qpsqlType(m_types[TypeColumn]) == QMetaType::QString &&
              QUtf8StringView(type.data(), qsizetype(type.size())).isValidUtf8() &&
              (m_timeMs != NoTime || !m_decoding.timeInPayload);
}

qint64 PostgresStreamReader::integer(int column) const
{
    if (isInteger(m_types[column]))
        // "" for NULL, which reads as 0
        return parseInteger(PQgetvalue(m_result, m_rowIndex, column));
    return value(column).toLongLong();
}

bool PostgresStreamReader::hasVersion() const
{
    return !PQgetisnull(m_result, m_rowIndex, VersionColumn);
}

bool PostgresStreamReader::isStreamNull() const
{
    return PQgetisnull(m_result, m_rowIndex, StreamColumn);
}

bool PostgresStreamReader::isStreamText() const
{
    return qpsqlType(m_types[StreamColumn]) == QMetaType::QString;
}

std::string_view PostgresStreamReader::stream() const
{
    return {PQgetvalue(m_result, m_rowIndex, StreamColumn),
            std::size_t(PQgetlength(m_result, m_rowIndex, StreamColumn))};
}

std::string_view PostgresStreamReader::type() const
{
    return {PQgetvalue(m_result, m_rowIndex, TypeColumn),
            std::size_t(PQgetlength(m_result, m_rowIndex, TypeColumn))};
}

// What TimeCodec::decode makes of the QVariant QPSQL gives for the time, without the QVariant
// where the column is an integer; for a timestamp as stored, what the generic statement's
// epoch milliseconds are.
qint64 PostgresStreamReader::decodeTime()
{
    if (PQgetisnull(m_result, m_rowIndex, TimeColumn))
        return NoTime;
    if (m_decoding.timestampText)
        return timestampMs({PQgetvalue(m_result, m_rowIndex, TimeColumn),
                            std::size_t(PQgetlength(m_result, m_rowIndex, TimeColumn))});
    if (isInteger(m_types[TimeColumn])) {
        const qint64 value = parseInteger(PQgetvalue(m_result, m_rowIndex, TimeColumn));
        constexpr qint64 ExactDouble = qint64(1) << 53; // decode() reads numbers as doubles
        switch (m_decoding.timeFormat) {
        case TimeFormat::DotNetTicks:
            return TimeCodec::fromDotNetTicks(value);
        case TimeFormat::EpochMillis:
            if (value > -ExactDouble && value < ExactDouble)
                return value;
            break;
        case TimeFormat::EpochSeconds:
            if (value > -ExactDouble / 1000 && value < ExactDouble / 1000)
                return value * 1000;
            break;
        case TimeFormat::IsoText:
            break;
        }
    }
    return TimeCodec::decode(value(TimeColumn), m_decoding.timeFormat);
}

// A timestamp's text with DateStyle ISO and TimeZone UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]"
// with "+00" after a timestamptz, as the generic statement's FLOOR(EXTRACT(EPOCH ...) * 1000)
// over the time within years 1-9999: the fraction's first three digits, since what they cut
// off only ever adds to the time. The other forms PostgreSQL writes (a zone other than UTC's,
// years past 9999, BC, infinity) are read by TimeCodec::parseIso, which takes the first and
// refuses the rest, as the generic statement's range check does.
qint64 PostgresStreamReader::timestampMs(std::string_view text)
{
    constexpr std::size_t DaySize = 10;     // YYYY-MM-DD
    constexpr std::size_t SecondsSize = 19; // YYYY-MM-DD HH:MM:SS
    std::size_t end = text.size();
    if (end >= SecondsSize + 3 && text.substr(end - 3) == "+00")
        end -= 3;
    int millis = 0;
    bool plain = end >= SecondsSize && text[4] == '-' && text[7] == '-' && text[10] == ' ' &&
                 text[13] == ':' && text[16] == ':';
    if (plain && end > SecondsSize) {
        plain = text[SecondsSize] == '.' && end > SecondsSize + 1 && end <= SecondsSize + 7;
        for (std::size_t i = SecondsSize + 1; plain && i < SecondsSize + 4; ++i) {
            const char digit = i < end ? text[i] : '0';
            plain = isDigit(digit);
            millis = millis * 10 + (digit - '0');
        }
        for (std::size_t i = SecondsSize + 4; plain && i < end; ++i)
            plain = isDigit(text[i]);
    }
    const int hour = plain ? twoDigits(text, 11) : -1;
    const int minute = plain ? twoDigits(text, 14) : -1;
    const int second = plain ? twoDigits(text, 17) : -1;
    if (hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 59)
        return TimeCodec::parseIso(QString::fromLatin1(text.data(), qsizetype(text.size())));
    const std::string_view day = text.substr(0, DaySize);
    if (day != m_dayText) {
        m_dayText.assign(day);
        m_dayStartMs = TimeCodec::parseIso(QString::fromLatin1(day.data(), qsizetype(DaySize)));
    }
    if (m_dayStartMs == NoTime)
        return NoTime;
    return m_dayStartMs + ((hour * 60 + minute) * 60 + second) * 1000LL + millis;
}

// QPSQLResult::data() of Qt 6.4, for one row in hand.
QVariant PostgresStreamReader::value(int column) const
{
    if (column == TimeColumn && m_decoding.timestampText) // see Decoding::timestampText
        return m_timeMs == NoTime ? QVariant(QMetaType::fromType<qint64>(), nullptr)
                                  : QVariant(m_timeMs);
    const QMetaType type(qpsqlType(m_types[column]));
    if (PQgetisnull(m_result, m_rowIndex, column))
        return QVariant(type, nullptr);
    const char *text = PQgetvalue(m_result, m_rowIndex, column);
    switch (type.id()) {
    case QMetaType::Bool:
        return QVariant(text[0] == 't');
    case QMetaType::LongLong:
        if (text[0] == '-')
            return QByteArray::fromRawData(text, qstrlen(text)).toLongLong();
        return QByteArray::fromRawData(text, qstrlen(text)).toULongLong();
    case QMetaType::Int:
        return atoi(text);
    case QMetaType::Double: {
        // QByteArray's parse is qstrtod's (Qt's private one) for the decimal text PostgreSQL
        // writes; the words it may not take are read below, as QPSQL reads them.
        bool ok = false;
        double number = QByteArray::fromRawData(text, qstrlen(text)).toDouble(&ok);
        if (!ok) {
            if (qstricmp(text, "NaN") == 0)
                number = qQNaN();
            else if (qstricmp(text, "Infinity") == 0)
                number = qInf();
            else if (qstricmp(text, "-Infinity") == 0)
                number = -qInf();
            else
                return QVariant();
        }
        return number;
    }
    case QMetaType::QDate:
        return QDate::fromString(QString::fromLatin1(text), Qt::ISODate);
    case QMetaType::QTime:
        return QTime::fromString(QString::fromLatin1(text), Qt::ISODate);
    case QMetaType::QDateTime: {
        const QLatin1StringView zoned(text);
        const QLatin1StringView timeOfDay = zoned.sliced(qMin<qsizetype>(11, zoned.size()));
        if (timeOfDay.contains(u'-') || timeOfDay.contains(u'+') || timeOfDay.endsWith(u'Z'))
            return QDateTime::fromString(zoned, Qt::ISODate);
        return QDateTime::fromString(zoned.toString() + u'Z', Qt::ISODate);
    }
    case QMetaType::QByteArray: {
        std::size_t length = 0;
        unsigned char *bytes =
            PQunescapeBytea(reinterpret_cast<const unsigned char *>(text), &length);
        QByteArray result(reinterpret_cast<const char *>(bytes), qsizetype(length));
        PQfreemem(bytes);
        return result;
    }
    default:
        return QString::fromUtf8(text);
    }
}

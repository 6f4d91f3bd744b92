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

constexpr char CursorName[] = "eventscope_rows";
constexpr qint64 FirstBatch = 2000; // what a replay to an early version needs, at once
constexpr qint64 MaxBatch = 65536;  // the round trips between batches then cost nothing

// The type OIDs QPSQL converts to something other than a QString (qDecodePSQLType in Qt's
// qsql_psql.cpp); every other type is text to it.
enum TypeOid : unsigned {
    BoolOid = 16,
    ByteaOid = 17,
    NameOid = 19,
    Int8Oid = 20,
    Int2Oid = 21,
    Int4Oid = 23,
    RegprocOid = 24,
    TextOid = 25,
    OidOid = 26,
    XidOid = 28,
    CidOid = 29,
    JsonOid = 114,
    Float4Oid = 700,
    Float8Oid = 701,
    AbstimeOid = 702,
    ReltimeOid = 703,
    UnknownOid = 705,
    BpcharOid = 1042,
    VarcharOid = 1043,
    DateOid = 1082,
    TimeOid = 1083,
    TimestampOid = 1114,
    TimestampTzOid = 1184,
    TimeTzOid = 1266,
    NumericOid = 1700,
    UuidOid = 2950,
    JsonbOid = 3802,
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

bool isTimestamp(unsigned oid)
{
    return oid == TimestampOid || oid == TimestampTzOid;
}

// Whether a column of the type can come in binary, as PostgreSQL's send functions write it,
// and be given as its text output would be: integers and booleans decoded; text, json and
// bytea as their bytes; jsonb after its format's version byte; a uuid formatted. (A
// timestamp too, where the reader turns it into milliseconds itself: see start().)
bool comesInBinary(unsigned oid)
{
    switch (oid) {
    case BoolOid:
    case ByteaOid:
    case NameOid:
    case Int8Oid:
    case Int2Oid:
    case Int4Oid:
    case TextOid:
    case JsonOid:
    case UnknownOid:
    case BpcharOid:
    case VarcharOid:
    case UuidOid:
    case JsonbOid:
        return true;
    default:
        return false;
    }
}

// A big-endian integer of 2, 4 or 8 bytes, as PostgreSQL sends int2, int4, int8 and
// timestamps.
qint64 bigEndian(const char *bytes, int length)
{
    quint64 value = 0;
    for (int i = 0; i < length; ++i)
        value = (value << 8) | quint64(static_cast<unsigned char>(bytes[i]));
    switch (length) {
    case 2:
        return qint16(quint16(value));
    case 4:
        return qint32(quint32(value));
    default:
        return qint64(value);
    }
}

// The text PostgreSQL writes for a uuid's 16 bytes.
void formatUuid(const char *bytes, std::string *text)
{
    static constexpr char Hex[] = "0123456789abcdef";
    text->clear();
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            text->push_back('-');
        const auto byte = static_cast<unsigned char>(bytes[i]);
        text->push_back(Hex[byte >> 4]);
        text->push_back(Hex[byte & 15]);
    }
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

namespace {

// Parameters as start() sends them: strings as text, the rest as integers.
std::vector<QByteArray> parameterText(const QVariantList &parameters)
{
    std::vector<QByteArray> values;
    values.reserve(std::size_t(parameters.size()));
    for (const QVariant &value : parameters)
        values.push_back(value.metaType().id() == QMetaType::QString
                             ? value.toString().toUtf8()
                             : QByteArray::number(value.toLongLong()));
    return values;
}

std::vector<const char *> pointersTo(const std::vector<QByteArray> &values)
{
    std::vector<const char *> pointers;
    for (const QByteArray &value : values)
        pointers.push_back(value.constData());
    return pointers;
}

} // namespace

std::optional<QStringList> PostgresStreamReader::plan(const QSqlDatabase &db, const QString &sql,
                                                      const QVariantList &parameters)
{
    PGconn *connection = connectionOf(db);
    if (!connection || PQtransactionStatus(connection) == PQTRANS_ACTIVE)
        return std::nullopt;
    const std::vector<QByteArray> values = parameterText(parameters);
    const std::vector<const char *> pointers = pointersTo(values);
    const QByteArray explain = "EXPLAIN " + sql.toUtf8();
    PGresult *result = PQexecParams(connection, explain.constData(), int(pointers.size()), nullptr,
                                    pointers.data(), nullptr, nullptr, 0);
    std::optional<QStringList> lines;
    if (PQresultStatus(result) == PGRES_TUPLES_OK) {
        lines.emplace();
        for (int row = 0; row < PQntuples(result); ++row)
            *lines << QString::fromUtf8(PQgetvalue(result, row, 0));
    }
    PQclear(result);
    return lines;
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

    const std::vector<QByteArray> values = parameterText(parameters);
    const std::vector<const char *> pointers = pointersTo(values);
    const auto failed = [&](PGresult *result) {
        const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
        *error = {
            SqlState::errorKind(QString::fromLatin1(state), PQstatus(connection) == CONNECTION_BAD),
            QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(connection))
                .trimmed()};
        PQclear(result);
        return nullptr;
    };
    // Destroyed on a failure below, the reader closes what it opened.
    std::unique_ptr<PostgresStreamReader> reader(new PostgresStreamReader(connection, decoding));
    const int count = int(pointers.size());
    // The statement is described before its rows are asked for, so that they come in binary
    // where every column's type allows: a timestamp's text costs the server more than the
    // rest of the row does.
    PGresult *described = nullptr;
    if (rows == Rows::InBatches) {
        // In a transaction of the reader's own, unless the caller holds one (a snapshot's).
        if (PQtransactionStatus(connection) == PQTRANS_IDLE) {
            PGresult *begun = PQexec(connection, "BEGIN READ ONLY");
            if (PQresultStatus(begun) != PGRES_COMMAND_OK)
                return failed(begun);
            PQclear(begun);
            reader->m_ownTransaction = true;
        }
        const QByteArray declare =
            QByteArray("DECLARE ") + CursorName + " NO SCROLL CURSOR FOR " + sql.toUtf8();
        PGresult *declared = PQexecParams(connection, declare.constData(), count, nullptr,
                                          pointers.data(), nullptr, nullptr, 0);
        reader->m_cursorOpen = PQresultStatus(declared) == PGRES_COMMAND_OK;
        if (!reader->m_cursorOpen)
            return failed(declared);
        PQclear(declared);
        described = PQdescribePortal(connection, CursorName);
    } else {
        PGresult *prepared = PQprepare(connection, "", sql.toUtf8().constData(), count, nullptr);
        if (PQresultStatus(prepared) != PGRES_COMMAND_OK)
            return failed(prepared);
        PQclear(prepared);
        described = PQdescribePrepared(connection, "");
    }
    if (PQresultStatus(described) != PGRES_COMMAND_OK)
        return failed(described);
    const char *integerTimes = PQparameterStatus(connection, "integer_datetimes");
    const bool timestampsInBinary = integerTimes && qstrcmp(integerTimes, "on") == 0;
    bool binary = PQnfields(described) == ColumnCount;
    for (int column = 0; binary && column < ColumnCount; ++column) {
        const unsigned oid = PQftype(described, column);
        if (column == TimeColumn && decoding.timestampAsStored)
            binary = timestampsInBinary && isTimestamp(oid);
        else if (column == StreamColumn || column == TypeColumn) // read as their text
            binary = qpsqlType(oid) == QMetaType::QString && comesInBinary(oid);
        else
            binary = comesInBinary(oid);
    }
    PQclear(described);
    reader->m_binary = binary;
    if (rows == Rows::InBatches) {
        if (!reader->fetch(FirstBatch))
            return failed(nullptr);
        return reader;
    }
    if (!PQsendQueryPrepared(connection, "", count, pointers.data(), nullptr, nullptr,
                             binary ? 1 : 0))
        return failed(nullptr);
    reader->m_finished = false;
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
    // Stopped halfway: the server is asked to stop sending, and what it sent is read and
    // dropped, so that the connection is idle again for Qt. A batch of a cursor in the
    // caller's transaction is read to its end instead, as a cancel would abort that
    // transaction.
    const bool inCallersTransaction = m_cursorOpen && !m_ownTransaction;
    if (!m_finished && !inCallersTransaction) {
        if (PGcancel *cancel = PQgetCancel(m_connection)) {
            char message[256];
            PQcancel(cancel, message, sizeof message);
            PQfreeCancel(cancel);
        }
    }
    if (!m_finished)
        finish();
    closeCursor();
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

bool PostgresStreamReader::fetch(qint64 rows)
{
    m_batch = rows;
    m_fetched = 0;
    const QByteArray sql =
        QByteArray("FETCH FORWARD ") + QByteArray::number(rows) + " FROM " + CursorName;
    if (!PQsendQueryParams(m_connection, sql.constData(), 0, nullptr, nullptr, nullptr, nullptr,
                           m_binary ? 1 : 0))
        return false;
    m_finished = false;
    // Row by row within a batch too, so that the fold goes on while the server sends.
    return PQsetSingleRowMode(m_connection);
}

// Ends the reader's transaction, which closes the cursor too, or closes the cursor in the
// caller's transaction (which fails, harmlessly, where a failure has aborted it).
void PostgresStreamReader::closeCursor()
{
    // A transaction of its own ends even where the cursor's DECLARE failed in it.
    if (!m_cursorOpen && !m_ownTransaction)
        return;
    m_cursorOpen = false;
    const QByteArray close =
        m_ownTransaction ? QByteArray("ROLLBACK") : QByteArray("CLOSE ") + CursorName;
    m_ownTransaction = false;
    PQclear(PQexec(m_connection, close.constData()));
}

PostgresStreamReader::Step PostgresStreamReader::next()
{
    if (m_result && m_rowIndex + 1 < PQntuples(m_result)) {
        ++m_rowIndex;
        readRow();
        return Step::Row;
    }
    clearRow();
    for (;;) {
        if (m_finished) {
            // A whole batch: the cursor may hold more.
            if (m_cursorOpen && m_fetched == m_batch) {
                if (!fetch(std::min(m_batch * 2, MaxBatch)))
                    return failed(nullptr);
            } else {
                closeCursor();
                return Step::Done;
            }
        }
        PGresult *result = PQgetResult(m_connection);
        switch (PQresultStatus(result)) {
        case PGRES_SINGLE_TUPLE:
            ++m_fetched;
            m_result = result;
            readRow();
            return Step::Row;
        case PGRES_TUPLES_OK: // the end of the rows in single-row mode, or all of them at once
            finish();
            if (PQntuples(result) == 0) {
                PQclear(result);
                continue;
            }
            m_result = result;
            readRow();
            return Step::Row;
        default:
            return failed(result);
        }
    }
}

PostgresStreamReader::Step PostgresStreamReader::failed(pg_result *result)
{
    // A null result means the connection broke; PQerrorMessage says how.
    m_error =
        QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(m_connection))
            .trimmed();
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    m_interrupted = state && qstrcmp(state, "57014") == 0; // query_canceled
    m_errorKind =
        SqlState::errorKind(QString::fromLatin1(state), PQstatus(m_connection) == CONNECTION_BAD);
    PQclear(result);
    finish();
    closeCursor();
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
    for (int column = 0; m_binary && column < ColumnCount; ++column) {
        if (m_types[column] == UuidOid && !PQgetisnull(m_result, m_rowIndex, column))
            formatUuid(PQgetvalue(m_result, m_rowIndex, column), &m_uuidText[column]);
    }

    m_data = bytesOf(DataColumn);
    bool dataIsText = qpsqlType(m_types[DataColumn]) == QMetaType::QString;
    if (m_types[DataColumn] == ByteaOid && !PQgetisnull(m_result, m_rowIndex, DataColumn)) {
        if (m_binary) {
            dataIsText = true;
        } else if (const auto bytes = unescapeBytea(m_data, &m_bytes)) {
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

// The column's bytes as its text output has them, for a type whose text is its bytes (and a
// uuid's, formatted by readRow()); in binary, a jsonb's after its version byte.
std::string_view PostgresStreamReader::bytesOf(int column) const
{
    const char *bytes = PQgetvalue(m_result, m_rowIndex, column);
    const auto length = std::size_t(PQgetlength(m_result, m_rowIndex, column));
    if (!m_binary || length == 0)
        return {bytes, length};
    switch (m_types[column]) {
    case JsonbOid:
        return {bytes + 1, length - 1};
    case UuidOid:
        return m_uuidText[column];
    default:
        return {bytes, length};
    }
}

qint64 PostgresStreamReader::integer(int column) const
{
    if (!isInteger(m_types[column]))
        return value(column).toLongLong();
    const char *bytes = PQgetvalue(m_result, m_rowIndex, column);
    if (m_binary) // no bytes for NULL, which reads as 0
        return bigEndian(bytes, PQgetlength(m_result, m_rowIndex, column));
    return parseInteger(bytes); // "" for NULL
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
    return bytesOf(StreamColumn);
}

std::string_view PostgresStreamReader::type() const
{
    return bytesOf(TypeColumn);
}

// What TimeCodec::decode makes of the QVariant QPSQL gives for the time, without the QVariant
// where the column is an integer; for a timestamp as stored, what the generic statement's
// epoch milliseconds are.
qint64 PostgresStreamReader::decodeTime()
{
    if (PQgetisnull(m_result, m_rowIndex, TimeColumn))
        return NoTime;
    if (m_decoding.timestampAsStored && m_binary)
        return timestampMs(bigEndian(PQgetvalue(m_result, m_rowIndex, TimeColumn), 8));
    if (m_decoding.timestampAsStored)
        return timestampMs({PQgetvalue(m_result, m_rowIndex, TimeColumn),
                            std::size_t(PQgetlength(m_result, m_rowIndex, TimeColumn))});
    if (isInteger(m_types[TimeColumn])) {
        const qint64 value = integer(TimeColumn);
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

// A timestamp as it comes in binary, microseconds since 2000-01-01 (in UTC for a timestamptz;
// the largest and smallest integers for infinity), as the generic statement's
// FLOOR(EXTRACT(EPOCH ...) * 1000) within TimeCodec's years, and no time outside them.
qint64 PostgresStreamReader::timestampMs(qint64 sinceMillenniumUs)
{
    constexpr qint64 MillenniumMs = 946684800000;
    qint64 ms = sinceMillenniumUs / 1000;
    if (sinceMillenniumUs % 1000 < 0)
        --ms;
    if (ms < TimeCodec::MinMs - MillenniumMs || ms > TimeCodec::MaxMs - MillenniumMs)
        return NoTime;
    return ms + MillenniumMs;
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
    if (column == TimeColumn && m_decoding.timestampAsStored) // see Decoding::timestampAsStored
        return m_timeMs == NoTime ? QVariant(QMetaType::fromType<qint64>(), nullptr)
                                  : QVariant(m_timeMs);
    const QMetaType type(qpsqlType(m_types[column]));
    if (PQgetisnull(m_result, m_rowIndex, column))
        return QVariant(type, nullptr);
    const char *text = PQgetvalue(m_result, m_rowIndex, column);
    if (m_binary) { // of the types comesInBinary() takes
        const int length = PQgetlength(m_result, m_rowIndex, column);
        switch (type.id()) {
        case QMetaType::Bool:
            return QVariant(text[0] != 0);
        case QMetaType::LongLong: {
            const qint64 number = bigEndian(text, length);
            return number < 0 ? QVariant(number) : QVariant(quint64(number)); // as below
        }
        case QMetaType::Int:
            return int(bigEndian(text, length));
        case QMetaType::QByteArray:
            return QByteArray(text, length);
        default: {
            const std::string_view bytes = bytesOf(column);
            return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
        }
        }
    }
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

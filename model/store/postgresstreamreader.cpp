#include "store/postgresstreamreader.h"

#include "store/postgresconnection.h"

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

} // namespace

std::unique_ptr<PostgresStreamReader> PostgresStreamReader::start(const QSqlDatabase &db,
                                                                  const QString &sql,
                                                                  const QVariantList &parameters,
                                                                  const Decoding &decoding,
                                                                  StoreError *error)
{
    *error = {};
    const QVariant handle = db.driver()->handle();
    const QByteArray typeName = handle.metaType().name();
    if (typeName != "PGconn*" && typeName != "pg_conn*") // Qt names it by the struct
        return nullptr;
    PGconn *connection = *static_cast<PGconn *const *>(handle.constData());
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
        *error = {PostgresConnection::errorKind({}, PQstatus(connection) == CONNECTION_BAD),
                  QString::fromUtf8(PQerrorMessage(connection)).trimmed()};
        return nullptr;
    }
    std::unique_ptr<PostgresStreamReader> reader(new PostgresStreamReader(connection, decoding));
    if (!PQsetSingleRowMode(connection)) {
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
    PQclear(m_row);
    m_row = nullptr;
}

void PostgresStreamReader::finish()
{
    while (PGresult *result = PQgetResult(m_connection))
        PQclear(result);
    m_finished = true;
}

PostgresStreamReader::Step PostgresStreamReader::next()
{
    clearRow();
    if (m_finished)
        return Step::Done;
    PGresult *result = PQgetResult(m_connection);
    switch (PQresultStatus(result)) {
    case PGRES_SINGLE_TUPLE:
        m_row = result;
        readRow();
        return Step::Row;
    case PGRES_TUPLES_OK: // the end of the rows
        PQclear(result);
        finish();
        return Step::Done;
    default:
        break;
    }
    // A null result here means the connection broke; PQerrorMessage says how.
    m_error =
        QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(m_connection))
            .trimmed();
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    m_interrupted = state && qstrcmp(state, "57014") == 0; // query_canceled
    m_errorKind = PostgresConnection::errorKind(QString::fromLatin1(state),
                                                PQstatus(m_connection) == CONNECTION_BAD);
    PQclear(result);
    finish();
    return Step::Failed;
}

void PostgresStreamReader::readRow()
{
    if (!m_typesKnown) {
        for (int column = 0; column < ColumnCount; ++column)
            m_types[column] = PQftype(m_row, column);
        m_typesKnown = true;
    }
    m_position = integer(PositionColumn);
    m_version = integer(VersionColumn);
    m_timeMs = decodeTime();

    const char *data = PQgetvalue(m_row, 0, DataColumn);
    m_data = std::string_view(data, std::size_t(PQgetlength(m_row, 0, DataColumn)));
    bool dataIsText = qpsqlType(m_types[DataColumn]) == QMetaType::QString;
    if (m_types[DataColumn] == ByteaOid && !PQgetisnull(m_row, 0, DataColumn)) {
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
        return parseInteger(PQgetvalue(m_row, 0, column)); // "" for NULL, which reads as 0
    return value(column).toLongLong();
}

bool PostgresStreamReader::hasVersion() const
{
    return !PQgetisnull(m_row, 0, VersionColumn);
}

std::string_view PostgresStreamReader::type() const
{
    return {PQgetvalue(m_row, 0, TypeColumn), std::size_t(PQgetlength(m_row, 0, TypeColumn))};
}

// What TimeCodec::decode makes of the QVariant QPSQL gives for the time, without the QVariant
// where the column is an integer.
qint64 PostgresStreamReader::decodeTime() const
{
    if (PQgetisnull(m_row, 0, TimeColumn))
        return NoTime;
    if (isInteger(m_types[TimeColumn])) {
        const qint64 value = parseInteger(PQgetvalue(m_row, 0, TimeColumn));
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

// QPSQLResult::data() of Qt 6.4, for one row in hand.
QVariant PostgresStreamReader::value(int column) const
{
    const QMetaType type(qpsqlType(m_types[column]));
    if (PQgetisnull(m_row, 0, column))
        return QVariant(type, nullptr);
    const char *text = PQgetvalue(m_row, 0, column);
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

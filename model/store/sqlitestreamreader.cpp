#include "store/sqlitestreamreader.h"

#include "store/sqlitefile.h"

#include "decoding/payload.h"
#include "decoding/payloaddecoder.h"
#include "store/sqlitehandle.h"

#include <QJsonObject>
#include <QSqlDriver>
#include <QUtf8StringView>
#include <QVariant>

#include <simdjson.h>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace {

enum Column {
    PositionColumn,
    VersionColumn,
    TypeColumn,
    TimeColumn,
    DataColumn,
    StreamColumn,
    MetadataColumn
};

// What QSQLITE binds as NULL: a null variant, and a null string or byte array (which
// QVariant::isNull() no longer reports in Qt 6).
bool isNullValue(const QVariant &value)
{
    switch (value.metaType().id()) {
    case QMetaType::QString:
        return value.toString().isNull();
    case QMetaType::QByteArray:
        return value.toByteArray().isNull();
    default:
        return value.isNull();
    }
}

// The keys of a path of object keys, "$.a.b"; empty for any other path.
std::vector<std::string> pathKeys(const QString &path)
{
    std::vector<std::string> keys;
    if (!path.startsWith(u"$."_s))
        return {};
    for (const QString &key : path.mid(2).split(u'.')) {
        if (key.isEmpty())
            return {};
        for (const QChar c : key) {
            if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'_')
                return {};
        }
        keys.push_back(key.toStdString());
    }
    return keys;
}
} // namespace

// A type or time that is a string inside JSON: what SQLite's
// CASE WHEN json_valid(CAST(column AS TEXT)) THEN json_extract(CAST(column AS TEXT), path) END
// gives, without the two parses of every row that costs SQLite. simdjson finds the string in
// an object with no escape anywhere (its keys and strings are then their bytes, which is how
// SQLite 3.40 compares keys and returns strings; both take a repeated key's first value); any
// other row (an escape, a number at the path, JSON simdjson refuses) is handed to that very SQL
// expression, whose value then stands for the column's.
struct SqliteStreamReader::JsonRole
{
    enum class Kind { Text, Null, Value };

    QByteArray path;
    std::vector<std::string> keys; // empty: the path is not plain keys, so SQL finds every value
    bool resolved = false;
    Kind kind = Kind::Null;
    std::string text;
    sqlite3_stmt *expression = nullptr; // prepared on first need
};

struct SqliteStreamReader::JsonRoles
{
    simdjson::dom::parser parser;
    JsonRole type;
    JsonRole time;
    // The JSON the parser holds, of this row: the type and the time are mostly in the same.
    std::string_view parsedJson;
    simdjson::dom::element parsedRoot;
    bool parsed = false;

    JsonRoles() = default;
    JsonRoles(const JsonRoles &) = delete;
    JsonRoles &operator=(const JsonRoles &) = delete;
    ~JsonRoles()
    {
        sqlite3_finalize(type.expression);
        sqlite3_finalize(time.expression);
    }
    // Finds the string at role.keys in json; false where SQL must decide.
    bool find(std::string_view json, JsonRole &role)
    {
        namespace dom = simdjson::dom;
        const std::size_t first = json.find_first_not_of(" \t\n\r");
        if (role.keys.empty() || first == std::string_view::npos || json[first] != '{' ||
            json.find('\\') != std::string_view::npos)
            return false;
        if (!parsed || json != parsedJson) {
            parsed =
                parser.parse(json.data(), json.size(), true).get(parsedRoot) == simdjson::SUCCESS;
            parsedJson = json;
        }
        if (!parsed)
            return false;
        dom::element element = parsedRoot;
        for (const std::string &key : role.keys) {
            dom::object object;
            // A path through anything but an object, or to a key not there, finds nothing.
            if (element.get_object().get(object) != simdjson::SUCCESS) {
                role.kind = JsonRole::Kind::Null;
                return true;
            }
            const auto found = object.at_key(key);
            if (found.error() == simdjson::NO_SUCH_FIELD) {
                role.kind = JsonRole::Kind::Null;
                return true;
            }
            if (found.get(element) != simdjson::SUCCESS)
                return false;
        }
        std::string_view string;
        if (element.get_string().get(string) == simdjson::SUCCESS) {
            role.kind = JsonRole::Kind::Text;
            role.text.assign(string);
            return true;
        }
        if (element.is_null()) {
            role.kind = JsonRole::Kind::Null;
            return true;
        }
        return false;
    }
};

const SqliteStreamReader::JsonRole &SqliteStreamReader::jsonRole(int column)
{
    JsonRole &role = column == TypeColumn ? m_jsonRoles->type : m_jsonRoles->time;
    if (role.resolved)
        return role;
    role.resolved = true;
    role.kind = JsonRole::Kind::Null;
    sqlite3_value *value = m_values[column];
    switch (sqlite3_value_type(value)) {
    case SQLITE_NULL:
        return role;
    case SQLITE_BLOB: // as text, CAST(column AS TEXT): its bytes in the database's encoding
    case SQLITE_TEXT:
        if (m_jsonRoles->find(text(column), role))
            return role;
        break;
    default:
        break;
    }
    if (!role.expression) {
        static const char sql[] = "SELECT CASE WHEN json_valid(CAST(?1 AS TEXT)) THEN "
                                  "json_extract(CAST(?1 AS TEXT), ?2) END";
        if (sqlite3_prepare_v2(m_db, sql, -1, &role.expression, nullptr) != SQLITE_OK)
            return role; // no memory for a statement of fixed text: the role reads as NULL
    }
    sqlite3_reset(role.expression);
    sqlite3_bind_value(role.expression, 1, value);
    sqlite3_bind_text(role.expression, 2, role.path.constData(), int(role.path.size()),
                      SQLITE_STATIC);
    if (sqlite3_step(role.expression) == SQLITE_ROW) {
        m_values[column] = sqlite3_column_value(role.expression, 0);
        role.kind = JsonRole::Kind::Value;
    }
    return role;
}

void SqliteStreamReader::bindParameters(sqlite3_stmt *statement, const QVariantList &parameters)
{
    for (int i = 0; i < parameters.size(); ++i) {
        const QVariant &value = parameters.at(i);
        switch (isNullValue(value) ? QMetaType::UnknownType : value.metaType().id()) {
        case QMetaType::UnknownType:
            sqlite3_bind_null(statement, i + 1);
            break;
        case QMetaType::QString: {
            const QByteArray text = value.toString().toUtf8();
            sqlite3_bind_text(statement, i + 1, text.constData(), int(text.size()),
                              SQLITE_TRANSIENT);
            break;
        }
        case QMetaType::QByteArray: {
            const QByteArray bytes = value.toByteArray();
            sqlite3_bind_blob(statement, i + 1, bytes.constData(), int(bytes.size()),
                              SQLITE_TRANSIENT);
            break;
        }
        case QMetaType::Double:
        case QMetaType::Float:
            sqlite3_bind_double(statement, i + 1, value.toDouble());
            break;
        default:
            sqlite3_bind_int64(statement, i + 1, value.toLongLong());
        }
    }
}

void SqliteStreamReader::rerun(const QVariantList &parameters)
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    bindParameters(m_statement, parameters);
    m_failure = 0;
    m_interrupted = false;
}

std::unique_ptr<SqliteStreamReader> SqliteStreamReader::prepare(const QSqlDatabase &db,
                                                                const QString &sql,
                                                                const QVariantList &parameters,
                                                                const SqliteRowDecoding &decoding,
                                                                StoreError *error)
{
    *error = {};
    sqlite3 *connection = SqliteHandle::of(db);
    if (!connection)
        return nullptr;
    const QByteArray sqlText = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    if (const int rc = sqlite3_prepare_v2(connection, sqlText.constData(), int(sqlText.size()),
                                          &statement, nullptr);
        rc != SQLITE_OK) {
        *error = {SqliteFile::errorKind(rc), QString::fromUtf8(sqlite3_errmsg(connection))};
        sqlite3_finalize(statement);
        return nullptr;
    }
    bindParameters(statement, parameters);
    return std::unique_ptr<SqliteStreamReader>(
        new SqliteStreamReader(connection, statement, decoding));
}

SqliteStreamReader::SqliteStreamReader(sqlite3 *db, sqlite3_stmt *statement,
                                       const SqliteRowDecoding &decoding)
    : m_db(db), m_statement(statement), m_decoding(decoding),
      m_values(std::size_t(sqlite3_column_count(statement)), nullptr)
{
    if (decoding.typeJsonPath.isEmpty() && decoding.timeJsonPath.isEmpty())
        return;
    m_jsonRoles = std::make_unique<JsonRoles>();
    m_jsonRoles->type.path = decoding.typeJsonPath.toUtf8();
    m_jsonRoles->type.keys = pathKeys(decoding.typeJsonPath);
    m_jsonRoles->time.path = decoding.timeJsonPath.toUtf8();
    m_jsonRoles->time.keys = pathKeys(decoding.timeJsonPath);
}

SqliteStreamReader::~SqliteStreamReader()
{
    sqlite3_finalize(m_statement);
}

SqliteStreamReader::Step SqliteStreamReader::next()
{
    m_data.clear(); // it may point into the row that is left behind
    m_dataDecoded = false;
    if (m_jsonRoles) {
        m_jsonRoles->type.resolved = false;
        m_jsonRoles->time.resolved = false;
        m_jsonRoles->parsed = false;
    }
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW) {
        for (std::size_t c = 0; c < m_values.size(); ++c)
            m_values[c] = sqlite3_column_value(m_statement, int(c));
        return Step::Row;
    }
    if (rc == SQLITE_DONE)
        return Step::Done;
    m_failure = rc;
    m_interrupted = rc == SQLITE_INTERRUPT;
    return Step::Failed;
}

StoreError::Kind SqliteStreamReader::errorKind() const
{
    return SqliteFile::errorKind(m_failure);
}

QString SqliteStreamReader::errorString() const
{
    const QString why = QString::fromUtf8(sqlite3_errstr(m_failure)) + u": "_s +
                        QString::fromUtf8(sqlite3_errmsg(m_db));
    return errorKind() == StoreError::Kind::Corrupt ? u"the SQLite file is corrupt (%1)"_s.arg(why)
                                                    : why;
}

StoreError SqliteStreamReader::failure(const QString &what) const
{
    if (m_interrupted)
        return StoreError::cancelled();
    return {errorKind(), what + u": "_s + errorString()};
}

qint64 SqliteStreamReader::position() const
{
    return sqlite3_value_int64(m_values[PositionColumn]);
}

qint64 SqliteStreamReader::version() const
{
    return sqlite3_value_int64(m_values[VersionColumn]);
}

bool SqliteStreamReader::hasVersion() const
{
    return sqlite3_value_type(m_values[VersionColumn]) != SQLITE_NULL;
}

std::string_view SqliteStreamReader::text(int column) const
{
    const auto *bytes = reinterpret_cast<const char *>(sqlite3_value_text(m_values[column]));
    return {bytes ? bytes : "", std::size_t(sqlite3_value_bytes(m_values[column]))};
}

bool SqliteStreamReader::isUtf8Text(int column) const
{
    if (sqlite3_value_type(m_values[column]) != SQLITE_TEXT)
        return false;
    const std::string_view bytes = text(column);
    return QUtf8StringView(bytes.data(), qsizetype(bytes.size())).isValidUtf8();
}

// What QSQLITE's fetchNext makes of a column, for the functions that decode QSqlQuery's values:
// text through SQLite's own UTF-16 (which is where text that is not UTF-8 reads differently
// from its bytes), numbers as qint64 or double, NULL as a null QString.
QVariant SqliteStreamReader::columnValue(int column) const
{
    switch (sqlite3_value_type(m_values[column])) {
    case SQLITE_BLOB: {
        const auto *bytes = static_cast<const char *>(sqlite3_value_blob(m_values[column]));
        return QByteArray(bytes, sqlite3_value_bytes(m_values[column]));
    }
    case SQLITE_INTEGER:
        return qint64(sqlite3_value_int64(m_values[column]));
    case SQLITE_FLOAT:
        return sqlite3_value_double(m_values[column]);
    case SQLITE_NULL:
        return QVariant(QMetaType::fromType<QString>());
    default: {
        const auto *chars = static_cast<const QChar *>(sqlite3_value_text16(m_values[column]));
        return QString(chars, sqlite3_value_bytes16(m_values[column]) / qsizetype(sizeof(QChar)));
    }
    }
}

std::string_view SqliteStreamReader::type()
{
    if (m_jsonRoles && !m_decoding.typeJsonPath.isEmpty()) {
        const JsonRole &role = jsonRole(TypeColumn);
        if (role.kind == JsonRole::Kind::Text) // UTF-8, as simdjson checked
            return role.text;
        if (role.kind == JsonRole::Kind::Null)
            return {};
    }
    if (isUtf8Text(TypeColumn))
        return text(TypeColumn);
    m_type = columnValue(TypeColumn).toString().toUtf8();
    return {m_type.constData(), std::size_t(m_type.size())};
}

qint64 SqliteStreamReader::timeMs()
{
    const qint64 ms = columnTimeMs();
    if (ms != NoTime || m_decoding.payloadTimeField.isEmpty())
        return ms;
    const std::string_view payload = data();
    const QJsonObject object =
        Payload::toJson(QByteArray::fromRawData(payload.data(), qsizetype(payload.size())))
            .value_or(QJsonValue())
            .toObject();
    return TimeCodec::parseIso(object.value(m_decoding.payloadTimeField).toString());
}

qint64 SqliteStreamReader::columnTimeMs()
{
    const TimeFormat format = m_decoding.timeFormat;
    if (m_jsonRoles && !m_decoding.timeJsonPath.isEmpty()) {
        const JsonRole &role = jsonRole(TimeColumn);
        if (role.kind == JsonRole::Kind::Null)
            return NoTime;
        if (role.kind == JsonRole::Kind::Text) {
            if (format == TimeFormat::IsoText) {
                if (const auto ms = TimeCodec::parseIsoBytes(role.text))
                    return *ms;
            }
            return TimeCodec::decode(
                QString::fromUtf8(role.text.data(), qsizetype(role.text.size())), format);
        }
    }
    const int storage = sqlite3_value_type(m_values[TimeColumn]);
    if (storage == SQLITE_NULL)
        return NoTime;
    // An integer column, without TimeCodec's detour through a QVariant: what decode() gives.
    if (storage == SQLITE_INTEGER && format != TimeFormat::IsoText)
        return TimeCodec::fromInteger(sqlite3_value_int64(m_values[TimeColumn]), format);
    if (storage == SQLITE_TEXT && format == TimeFormat::IsoText) {
        if (const auto ms = TimeCodec::parseIsoBytes(text(TimeColumn)))
            return *ms;
    }
    return TimeCodec::decode(columnValue(TimeColumn), format);
}

DecodedPayload SqliteStreamReader::decodePayload(int column) const
{
    // payloadBytes() in EventStore: a NULL payload is no bytes, a blob its bytes, anything else
    // the UTF-8 of its text. Bytes SQLite holds are wrapped, not copied: for JSON,
    // PayloadDecoder hands them on as they are.
    QByteArray raw;
    const int storage = sqlite3_value_type(m_values[column]);
    if (storage == SQLITE_BLOB) {
        const auto *bytes = static_cast<const char *>(sqlite3_value_blob(m_values[column]));
        raw = QByteArray::fromRawData(bytes, sqlite3_value_bytes(m_values[column]));
    } else if (isUtf8Text(column)) {
        const std::string_view bytes = text(column);
        raw = QByteArray::fromRawData(bytes.data(), qsizetype(bytes.size()));
    } else if (storage != SQLITE_NULL) {
        raw = columnValue(column).toString().toUtf8();
    }
    PayloadDecoder::Options options;
    options.unwrapTypedValues = m_decoding.unwrapTypedValues;
    return PayloadDecoder::decode(raw, options);
}

std::string_view SqliteStreamReader::data()
{
    if (!m_dataDecoded) {
        DecodedPayload decoded = decodePayload(DataColumn);
        m_data = std::move(decoded.bytes);
        m_dataNote = std::move(decoded.note);
        m_dataReadable = decoded.kind != DecodedPayload::Kind::Binary;
        m_dataDecoded = true;
    }
    return {m_data.constData(), std::size_t(m_data.size())};
}

std::string_view SqliteStreamReader::foldData()
{
    if (!m_decoding.unwrapTypedValues)
        return data();
    // Python eventsourcing writes its states as BLOBs.
    std::string_view stored;
    if (sqlite3_value_type(m_values[DataColumn]) == SQLITE_BLOB)
        stored = {static_cast<const char *>(sqlite3_value_blob(m_values[DataColumn])),
                  std::size_t(sqlite3_value_bytes(m_values[DataColumn]))};
    else if (isUtf8Text(DataColumn))
        stored = text(DataColumn);
    else
        return data();
    const std::size_t first = stored.find_first_not_of(" \t\n\r");
    if (first == std::string_view::npos || stored[first] != '{')
        return data();
    return stored;
}

std::string_view SqliteStreamReader::stream() const
{
    return text(StreamColumn);
}

bool SqliteStreamReader::isTypeText() const
{
    return isUtf8Text(TypeColumn);
}

bool SqliteStreamReader::isStreamText() const
{
    return sqlite3_value_type(m_values[StreamColumn]) == SQLITE_TEXT;
}

bool SqliteStreamReader::isStreamNull() const
{
    return sqlite3_value_type(m_values[StreamColumn]) == SQLITE_NULL;
}

QString SqliteStreamReader::columnText(int column, QByteArray *lastBytes, QString *lastText) const
{
    if (!isUtf8Text(column))
        return columnValue(column).toString();
    return cachedText(text(column), lastBytes, lastText);
}

QString SqliteStreamReader::cachedText(std::string_view bytes, QByteArray *lastBytes,
                                       QString *lastText)
{
    const QByteArrayView view(bytes.data(), qsizetype(bytes.size()));
    if (lastText->isNull() || view != *lastBytes) {
        *lastBytes = view.toByteArray();
        *lastText = QString::fromUtf8(view);
    }
    return *lastText;
}

QString SqliteStreamReader::typeText()
{
    if (m_jsonRoles && !m_decoding.typeJsonPath.isEmpty()) {
        const JsonRole &role = jsonRole(TypeColumn);
        if (role.kind == JsonRole::Kind::Text)
            return cachedText(role.text, &m_typeBytes, &m_typeText);
        if (role.kind == JsonRole::Kind::Null)
            return QString();
    }
    return columnText(TypeColumn, &m_typeBytes, &m_typeText);
}

qint64 SqliteStreamReader::columnInteger(int column) const
{
    if (sqlite3_value_type(m_values[column]) == SQLITE_INTEGER)
        return sqlite3_value_int64(m_values[column]);
    return columnValue(column).toLongLong();
}

Event SqliteStreamReader::event()
{
    Q_ASSERT(m_values.size() > MetadataColumn);
    Event e;
    e.position = columnInteger(PositionColumn);
    e.stream = columnText(StreamColumn, &m_streamBytes, &m_streamText);
    e.version = columnInteger(VersionColumn);
    e.type = typeText();
    e.timeMs = timeMs();
    // Copied out of SQLite's bytes, a NULL payload kept null as readEvent keeps it.
    const auto copy = [](const QByteArray &bytes) {
        return bytes.isNull() ? QByteArray() : QByteArray(bytes.constData(), bytes.size());
    };
    data();
    e.data = copy(m_data);
    e.dataNote = m_dataNote;
    e.dataReadable = m_dataReadable;
    e.metadata = copy(decodePayload(MetadataColumn).bytes);
    return e;
}

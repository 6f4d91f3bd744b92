#include "ownstorewriter.h"
#include "timecodec.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlError>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

// Every text is bound as a UTF-8 byte array and cast to TEXT: SQLite reads a BLOB cast to TEXT
// in the database encoding (UTF-8). A QString would be bound as UTF-16, which SQLite converts
// character by character, and payloads would take a UTF-8 -> UTF-16 -> UTF-8 round trip; a
// null array still binds NULL. Named placeholders spare QSqlResult from building
// a ":n" name string for every positional bind.
const QString InsertSql = u"INSERT INTO events (global_position, stream_id, stream_version, "
                          "event_id, type, recorded_at, data, metadata) "
                          "VALUES (:position, CAST(:stream AS TEXT), :version, CAST(:id AS TEXT), "
                          "CAST(:type AS TEXT), CAST(:time AS TEXT), "
                          "CAST(:data AS TEXT), CAST(:metadata AS TEXT))"_s;
const QString PositionName = u":position"_s;
const QString StreamName = u":stream"_s;
const QString VersionName = u":version"_s;
const QString IdName = u":id"_s;
const QString TypeName = u":type"_s;
const QString TimeName = u":time"_s;
const QString DataName = u":data"_s;
const QString MetadataName = u":metadata"_s;

constexpr qint64 DayMs = 24 * 60 * 60 * 1000;
// "HH:MM:SS.mmmZ", the end of every TimeCodec text.
constexpr qsizetype TimeOfDayLength = 13;

void writeDigits(char *at, qint64 value, int count)
{
    for (int i = count - 1; i >= 0; --i, value /= 10)
        at[i] = char('0' + value % 10);
}

// The file is ours and brand new: if anything fails it is deleted, so there is nothing a
// journal or fsync could protect. The larger cache keeps the (stream, version) index, which
// receives inserts all over its range, in memory during a bulk load; a helper thread lets
// SQLite sort in parallel when commit() builds the other indexes.
const QStringList SetupSql = {
    u"PRAGMA encoding = 'UTF-8'"_s,
    u"PRAGMA journal_mode = OFF"_s,
    u"PRAGMA synchronous = OFF"_s,
    u"PRAGMA locking_mode = EXCLUSIVE"_s,
    u"PRAGMA cache_size = -65536"_s,
    u"PRAGMA threads = 2"_s,
    u"CREATE TABLE events (global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
    "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, "
    "recorded_at TEXT NOT NULL, data TEXT, metadata TEXT, "
    "UNIQUE (stream_id, stream_version))"_s,
};

// Built after the bulk insert: one sort per index is much cheaper than maintaining them row
// by row.
const QStringList IndexSql = {
    u"CREATE INDEX events_recorded_at ON events (recorded_at)"_s,
    u"CREATE INDEX events_type ON events (type)"_s,
};

} // namespace

OwnStoreWriter::OwnStoreWriter(const QString &path)
    : m_path(path),
      m_connectionName(u"eventscope-writer-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

OwnStoreWriter::~OwnStoreWriter()
{
    if (m_committed)
        return;
    closeConnection();
    if (!m_tempPath.isEmpty())
        QFile::remove(m_tempPath);
}

bool OwnStoreWriter::begin()
{
    if (m_db.isValid())
        return fail(u"%1: the writer was already started"_s.arg(m_path));
    if (QFileInfo::exists(m_path))
        return fail(u"%1 already exists; refusing to overwrite it"_s.arg(m_path));
    if (!createTempFile())
        return false;

    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(m_tempPath);
    if (!m_db.open())
        return fail(u"cannot create %1: %2"_s.arg(m_tempPath, m_db.lastError().text()));
    for (const QString &sql : SetupSql) {
        if (!exec(sql))
            return false;
    }
    if (!m_db.transaction())
        return fail(
            u"%1: cannot start a transaction: %2"_s.arg(m_tempPath, m_db.lastError().text()));

    m_insert.emplace(m_db);
    if (!m_insert->prepare(InsertSql))
        return fail(
            u"%1: cannot prepare the insert: %2"_s.arg(m_tempPath, m_insert->lastError().text()));
    return true;
}

bool OwnStoreWriter::append(const Event &event, const QString &eventId)
{
    m_conflict = Conflict::None;
    if (!m_insert)
        return fail(u"%1: the writer is not started"_s.arg(m_path));
    if (event.timeMs == NoTime)
        return fail(u"%1: event %2 of stream %3 has no time"_s.arg(
            m_path, QString::number(event.version), event.stream));

    QSqlQuery &insert = *m_insert;
    insert.bindValue(PositionName, event.position > 0 ? QVariant(event.position) : QVariant());
    insert.bindValue(StreamName, event.stream.toUtf8());
    insert.bindValue(VersionName, event.version);
    insert.bindValue(IdName, eventId.isEmpty() ? QByteArray() : eventId.toUtf8());
    insert.bindValue(TypeName, event.type.toUtf8());
    insert.bindValue(TimeName, timeText(event.timeMs));
    insert.bindValue(DataName, event.data);
    insert.bindValue(MetadataName, event.metadata);
    if (!insert.exec())
        return insertFailed(event);
    return true;
}

bool OwnStoreWriter::commit()
{
    if (!m_insert)
        return fail(u"%1: the writer is not started"_s.arg(m_path));
    m_insert.reset();
    for (const QString &sql : IndexSql) {
        if (!exec(sql))
            return false;
    }
    if (!m_db.commit())
        return fail(u"%1: cannot commit: %2"_s.arg(m_tempPath, m_db.lastError().text()));
    closeConnection();

    // QFile::rename refuses to replace a file that appeared at the target in the meantime.
    QFile temp(m_tempPath);
    if (!temp.rename(m_path))
        return fail(
            u"cannot move %1 into place as %2: %3"_s.arg(m_tempPath, m_path, temp.errorString()));
    m_committed = true;
    return true;
}

bool OwnStoreWriter::fail(const QString &message)
{
    m_error = message;
    return false;
}

bool OwnStoreWriter::createTempFile()
{
    // Created exclusively by us (NewOnly) and with the usual permissions, unlike
    // QTemporaryFile's owner-only ones, since this very file becomes the store.
    for (int attempt = 0; attempt < 16; ++attempt) {
        const QString candidate =
            m_path + u".tmp-"_s +
            QString::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, u'0');
        QFile file(candidate);
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            m_tempPath = candidate;
            return true;
        }
        if (file.exists())
            continue;
        return fail(
            u"cannot create a temporary file next to %1: %2"_s.arg(m_path, file.errorString()));
    }
    return fail(u"cannot find a free temporary name next to %1"_s.arg(m_path));
}

bool OwnStoreWriter::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return fail(u"%1: %2 failed: %3"_s.arg(m_tempPath, sql, query.lastError().text()));
    return true;
}

bool OwnStoreWriter::insertFailed(const Event &event)
{
    // SQLite names the violated columns ("UNIQUE constraint failed: events.stream_id, ..."),
    // which tells a clash with an earlier event from a broken file.
    const QString reason = m_insert->lastError().databaseText();
    if (reason.contains(u"events.global_position"_s)) {
        m_conflict = Conflict::Position;
        return fail(
            u"%1: duplicate global_position %2"_s.arg(m_path, QString::number(event.position)));
    }
    if (reason.contains(u"events.stream_id"_s)) {
        m_conflict = Conflict::StreamVersion;
        return fail(u"%1: duplicate stream version (%2, %3)"_s.arg(m_path, event.stream,
                                                                   QString::number(event.version)));
    }
    return fail(u"%1: cannot write event %2 of stream %3: %4"_s.arg(
        m_tempPath, QString::number(event.version), event.stream, reason));
}

// TimeCodec::format is asked once per day and only the time of day is filled in here: events
// come in time order, so a bulk load of millions of events formats a few hundred dates.
const QByteArray &OwnStoreWriter::timeText(qint64 ms)
{
    const qint64 dayStartMs = ms - ((ms % DayMs) + DayMs) % DayMs;
    if (dayStartMs != m_dayStartMs) {
        m_dayStartMs = dayStartMs;
        m_timeText = TimeCodec::format(dayStartMs).toUtf8();
    }
    // Never write into a text that is not shaped as expected; format that time whole.
    if (m_timeText.size() < TimeOfDayLength || !m_timeText.endsWith('Z')) {
        m_dayStartMs = NoTime;
        m_timeText = TimeCodec::format(ms).toUtf8();
        return m_timeText;
    }
    const qint64 msOfDay = ms - dayStartMs;
    char *time = m_timeText.data() + m_timeText.size() - TimeOfDayLength;
    writeDigits(time, msOfDay / 3600000, 2);
    writeDigits(time + 3, msOfDay / 60000 % 60, 2);
    writeDigits(time + 6, msOfDay / 1000 % 60, 2);
    writeDigits(time + 9, msOfDay % 1000, 3);
    return m_timeText;
}

void OwnStoreWriter::closeConnection()
{
    m_insert.reset();
    if (!m_db.isValid())
        return;
    m_db.close();
    // removeDatabase() needs every handle on the connection gone, including our own.
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

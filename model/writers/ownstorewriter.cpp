#include "writers/ownstorewriter.h"

#include "decoding/timecodec.h"
#include "store/sqlitehandle.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace {

// Texts are bound as UTF-8 straight from the caller's bytes (SQLITE_STATIC: each row is
// stepped before append() returns), so payloads never take a round trip through QString or
// QVariant; that per-event overhead of QSqlQuery was a large share of a bulk load.
constexpr char InsertSql[] = "INSERT INTO events (global_position, stream_id, stream_version, "
                             "event_id, type, recorded_at, data, metadata) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
enum Parameter { Position = 1, Stream, Version, Id, Type, Time, Data, Metadata };

void bindText(sqlite3_stmt *statement, int parameter, QByteArrayView text)
{
    // A null view (no bytes at all) binds NULL, as sqlite3_bind_text does for a null pointer.
    sqlite3_bind_text(statement, parameter, text.data(), int(text.size()), SQLITE_STATIC);
}

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
// receives inserts all over its range (one place per stream), in memory during a bulk load,
// and lets commit() sort each index in larger runs: at 10M events the two index builds took
// about 32 s with 64 MiB and 20 s with 1 GiB (one loaded run each); 256 MiB keeps most of
// that gain at a quarter of the memory. A helper thread lets SQLite sort in parallel. The
// page size stays SQLite's default: 8, 16 and 64 KiB pages gave no clear gain here, and
// they make every random read larger.
const QStringList SetupSql = {
    u"PRAGMA encoding = 'UTF-8'"_s,
    u"PRAGMA journal_mode = OFF"_s,
    u"PRAGMA synchronous = OFF"_s,
    u"PRAGMA locking_mode = EXCLUSIVE"_s,
    u"PRAGMA cache_size = -262144"_s,
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

    m_handle = SqliteHandle::of(m_db);
    if (!m_handle)
        return fail(u"%1: %2"_s.arg(m_tempPath, SqliteHandle::libraryNotice(m_db)));
    if (sqlite3_prepare_v3(m_handle, InsertSql, int(sizeof InsertSql - 1),
                           SQLITE_PREPARE_PERSISTENT, &m_insert, nullptr) != SQLITE_OK)
        return fail(u"%1: cannot prepare the insert: %2"_s.arg(
            m_tempPath, QString::fromUtf8(sqlite3_errmsg(m_handle))));
    return true;
}

bool OwnStoreWriter::append(const Event &event, const QString &eventId)
{
    const QByteArray stream = event.stream.toUtf8();
    const QByteArray id = eventId.isEmpty() ? QByteArray() : eventId.toUtf8();
    const QByteArray type = event.type.toUtf8();
    return append(EncodedEvent{event.position, stream, event.version, id, type, event.timeMs,
                               event.data, event.metadata});
}

bool OwnStoreWriter::append(const EncodedEvent &event)
{
    m_conflict = Conflict::None;
    if (!m_insert)
        return fail(u"%1: the writer is not started"_s.arg(m_path));
    if (event.timeMs == NoTime)
        return fail(u"%1: event %2 of stream %3 has no time"_s.arg(
            m_path, QString::number(event.version), QString::fromUtf8(event.stream)));

    if (event.position > 0)
        sqlite3_bind_int64(m_insert, Position, event.position);
    else
        sqlite3_bind_null(m_insert, Position);
    bindText(m_insert, Stream, event.stream);
    sqlite3_bind_int64(m_insert, Version, event.version);
    bindText(m_insert, Id, event.eventId);
    bindText(m_insert, Type, event.type);
    bindText(m_insert, Time, timeText(event.timeMs));
    bindText(m_insert, Data, event.data);
    bindText(m_insert, Metadata, event.metadata);
    const int status = sqlite3_step(m_insert);
    // SQLite's message is read before the reset starts the statement afresh.
    const bool inserted = status == SQLITE_DONE;
    if (!inserted)
        insertFailed(event, status);
    sqlite3_reset(m_insert);
    return inserted;
}

bool OwnStoreWriter::addNotes(const QString &table, const QList<QPair<QString, QString>> &rows)
{
    if (!m_insert)
        return fail(u"%1: the writer is not started"_s.arg(m_path));
    const QString quoted = u'"' + QString(table).replace(u'"', u"\"\""_s) + u'"';
    if (!exec(u"CREATE TABLE %1 (name TEXT PRIMARY KEY, value TEXT)"_s.arg(quoted)))
        return false;
    QSqlQuery insert(m_db);
    if (!insert.prepare(u"INSERT INTO %1 (name, value) VALUES (?, ?)"_s.arg(quoted)))
        return fail(
            u"%1: cannot prepare the notes: %2"_s.arg(m_tempPath, insert.lastError().text()));
    for (const auto &[name, value] : rows) {
        insert.addBindValue(name);
        insert.addBindValue(value);
        if (!insert.exec())
            return fail(u"%1: cannot write the note %2: %3"_s.arg(m_tempPath, name,
                                                                  insert.lastError().text()));
    }
    return true;
}

bool OwnStoreWriter::commit()
{
    if (!m_insert)
        return fail(u"%1: the writer is not started"_s.arg(m_path));
    finalizeInsert();
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

bool OwnStoreWriter::insertFailed(const EncodedEvent &event, int status)
{
    // QSQLITE turns on extended result codes, and the table has one key of each kind: the
    // rowid (global_position) and UNIQUE (stream_id, stream_version). The code alone says which
    // clash an event from a broken file caused.
    if (status == SQLITE_CONSTRAINT_PRIMARYKEY) {
        m_conflict = Conflict::Position;
        return fail(
            u"%1: duplicate global_position %2"_s.arg(m_path, QString::number(event.position)));
    }
    if (status == SQLITE_CONSTRAINT_UNIQUE) {
        m_conflict = Conflict::StreamVersion;
        return fail(u"%1: duplicate stream version (%2, %3)"_s.arg(
            m_path, QString::fromUtf8(event.stream), QString::number(event.version)));
    }
    const QString reason = QString::fromUtf8(sqlite3_errmsg(m_handle));
    return fail(u"%1: cannot write event %2 of stream %3: %4"_s.arg(
        m_tempPath, QString::number(event.version), QString::fromUtf8(event.stream), reason));
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

void OwnStoreWriter::finalizeInsert()
{
    sqlite3_finalize(m_insert);
    m_insert = nullptr;
}

void OwnStoreWriter::closeConnection()
{
    // An unfinalized statement would keep SQLite from closing the file.
    finalizeInsert();
    m_handle = nullptr;
    if (!m_db.isValid())
        return;
    m_db.close();
    // removeDatabase() needs every handle on the connection gone, including our own.
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

#include "store/sqlitefile.h"

#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

constexpr int HeaderSize = 100;
// A reader's shared lock in SQLite's unix locking (os_unix.c): a read lock on these bytes.
constexpr off_t SharedLockFirst = 0x40000000 + 2;
constexpr off_t SharedLockSize = 510;
constexpr int LockWaitMs = 2000; // as QSQLITE_BUSY_TIMEOUT below
// How often a store that changes while it is being looked at is looked at again.
constexpr int Attempts = 5;

const QString WalSuffix = u"-wal"_s;
const QString ShmSuffix = u"-shm"_s;
const QString JournalSuffix = u"-journal"_s;

quint32 bigEndian(const QByteArray &bytes, int offset, int size)
{
    quint32 v = 0;
    for (int i = 0; i < size; ++i)
        v = (v << 8) | quint8(bytes.at(offset + i));
    return v;
}

struct Header
{
    bool wal = false;
};

// The checks SQLite would only answer with "not a database", on `file`, named `name` in the
// messages. The size against the page count only with checkSize: it is only meaningful while
// no writer can change the file (see probe()).
bool readHeader(const QString &file, const QString &name, bool checkSize, Header *header,
                StoreError *error)
{
    const QFileInfo info(file);
    if (!info.exists()) {
        *error = {StoreError::Kind::NotFound, u"%1: no such file"_s.arg(name)};
        return false;
    }
    if (info.isDir()) {
        *error = {StoreError::Kind::NotAStore, u"%1: is a folder, not an SQLite file"_s.arg(name)};
        return false;
    }
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = {f.error() == QFileDevice::PermissionsError ? StoreError::Kind::Permission
                                                             : StoreError::Kind::Io,
                  u"%1: cannot be read (%2)"_s.arg(name, f.errorString())};
        return false;
    }
    const qint64 size = f.size();
    if (size == 0) {
        *error = {StoreError::Kind::NotAStore,
                  u"%1: the file is empty (0 bytes), not an SQLite database"_s.arg(name)};
        return false;
    }
    const QByteArray head = f.read(HeaderSize);
    if (!head.startsWith(QByteArrayLiteral("SQLite format 3\0"))) {
        *error = {
            StoreError::Kind::NotAStore,
            u"%1: not an SQLite database (its first bytes are not the SQLite header)"_s.arg(name)};
        return false;
    }
    if (head.size() < HeaderSize) {
        *error = {
            StoreError::Kind::Corrupt,
            u"%1: truncated SQLite file (%2 bytes, shorter than the header)"_s.arg(name).arg(size)};
        return false;
    }
    quint32 pageSize = bigEndian(head, 16, 2);
    if (pageSize == 1)
        pageSize = 65536;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0) {
        *error = {StoreError::Kind::Corrupt,
                  u"%1: corrupt SQLite header (page size %2)"_s.arg(name).arg(pageSize)};
        return false;
    }
    // The page count in the header is only valid when its change counter matches.
    const quint32 pageCount = bigEndian(head, 28, 4);
    const bool countValid = bigEndian(head, 24, 4) == bigEndian(head, 92, 4);
    const qint64 expected = qint64(pageSize) * pageCount;
    if (checkSize && ((countValid && pageCount > 0 && size < expected) || size % pageSize != 0)) {
        *error = {StoreError::Kind::Corrupt,
                  u"%1: truncated SQLite file (%2 bytes, expected %3)"_s.arg(name).arg(size).arg(
                      countValid ? expected : (size / pageSize + 1) * pageSize)};
        return false;
    }
    header->wal = quint8(head.at(18)) == 2 || quint8(head.at(19)) == 2;
    return true;
}

bool exists(const QString &path)
{
    return QFileInfo::exists(path);
}

// How a connection reads the store (see sqlitefile.h).
enum class Access { ReadOnly, ReadOnlyShm, Immutable, PrivateCopy };

// The store's files as they are now: which exist, their sizes, times (to the nanosecond: two
// commits within a millisecond of each other are common) and inodes. A copy taken while this
// stays the same is a copy of one state of the store.
QStringList filesState(const QString &path)
{
    QStringList state;
    for (const QString &suffix : {QString(), WalSuffix, ShmSuffix, JournalSuffix}) {
        struct stat info = {};
        if (::stat(QFile::encodeName(path + suffix).constData(), &info) != 0)
            continue;
        state << u"%1 %2 %3.%4 %5"_s.arg(suffix)
                     .arg(qint64(info.st_size))
                     .arg(qint64(info.st_mtim.tv_sec))
                     .arg(qint64(info.st_mtim.tv_nsec))
                     .arg(quint64(info.st_ino));
    }
    return state;
}

// 0 when the file does not exist.
quint64 inodeOf(const QString &file)
{
    struct stat info = {};
    return ::stat(QFile::encodeName(file).constData(), &info) == 0 ? quint64(info.st_ino) : 0;
}

// An open-file-description lock: a POSIX lock taken here would be dropped, together with the
// locks SQLite holds on the same file in this process, when this descriptor is closed.
int takeSharedLock(const QString &path, StoreError *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *error = {errno == EACCES ? StoreError::Kind::Permission : StoreError::Kind::Io,
                  u"%1: cannot be read (%2)"_s.arg(path, QString::fromLocal8Bit(strerror(errno)))};
        return -1;
    }
    struct flock lock = {};
    lock.l_type = F_RDLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = SharedLockFirst;
    lock.l_len = SharedLockSize;
    for (int waited = 0; fcntl(fd, F_OFD_SETLK, &lock) != 0; waited += 10) {
        if ((errno != EAGAIN && errno != EACCES) || waited >= LockWaitMs) {
            *error = {StoreError::Kind::Io,
                      u"%1: cannot be read: a writer holds it locked (%2)"_s.arg(
                          path, QString::fromLocal8Bit(strerror(errno)))};
            ::close(fd);
            return -1;
        }
        QThread::msleep(10);
    }
    return fd;
}

// Why SQLite would have to write beside the store to read it in place.
QString copyReason(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    if (exists(path + JournalSuffix))
        return u"%1 is a hot journal, left by a writer that stopped mid-transaction; the copy is "
               "rolled back to the last commit"_s.arg(name + JournalSuffix);
    return u"%1 has no %2 beside it, which SQLite would create"_s.arg(name + WalSuffix,
                                                                      name + ShmSuffix);
}

QSqlDatabase openUri(const QString &file, const QString &uriQuery, bool readOnly,
                     const QString &connectionName)
{
    QUrl uri = QUrl::fromLocalFile(file);
    uri.setQuery(uriQuery);
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
    db.setDatabaseName(uri.toString(QUrl::FullyEncoded));
    db.setConnectOptions((readOnly ? u"QSQLITE_OPEN_READONLY;"_s : QString()) +
                         u"QSQLITE_OPEN_URI;QSQLITE_BUSY_TIMEOUT=2000"_s);
    db.open();
    return db;
}

void discard(QSqlDatabase &db, const QString &connectionName)
{
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(connectionName);
}

// Vanished: SQLite could not open a file it needs (a -wal or -shm that a writer closing
// removed, and the next one may have made again).
enum class Probed { Readable, NeedsWrite, Vanished, Failed };

// Reads the catalog and, while that read transaction's lock keeps writers out, checks the
// file's size against its header (when the size tells: not while a -wal holds newer pages).
Probed probe(QSqlDatabase &db, const QString &file, const QString &name, bool checkSize,
             StoreError *error)
{
    QSqlQuery query(db);
    const bool read = query.exec(u"PRAGMA query_only = 1"_s) && query.exec(u"BEGIN"_s) &&
                      query.exec(u"SELECT count(*) FROM sqlite_master"_s) && query.next();
    const QSqlError failure = query.lastError();
    Header header;
    // A truncated file is what a failed read most likely met: say that rather than "corrupt".
    const bool whole = !checkSize || readHeader(file, name, true, &header, error);
    query.finish();
    query.exec(u"COMMIT"_s);
    if (!whole)
        return Probed::Failed;
    if (read)
        return Probed::Readable;
    // A read that SQLite could only do by writing (rolling back a hot journal).
    if (failure.nativeErrorCode().toInt() % 256 == 8 /* SQLITE_READONLY */)
        return Probed::NeedsWrite;
    *error = {SqliteFile::errorKind(failure),
              u"%1: cannot read it: %2"_s.arg(name, SqliteFile::describeFailure(failure))};
    return failure.nativeErrorCode().toInt() % 256 == 14 /* SQLITE_CANTOPEN */ ? Probed::Vanished
                                                                               : Probed::Failed;
}

} // namespace

SqliteReadHold::SqliteReadHold() = default;

SqliteReadHold::~SqliteReadHold()
{
    if (m_lockFd >= 0)
        ::close(m_lockFd);
}

bool SqliteReadHold::stale() const
{
    if (!m_filesAtOpen.isEmpty())
        return filesState(m_path) != m_filesAtOpen;
    return m_walInode != inodeOf(m_path + WalSuffix) || m_shmInode != inodeOf(m_path + ShmSuffix);
}

bool SqliteFile::check(const QString &path, StoreError *error)
{
    Header header;
    return readHeader(path, path, true, &header, error);
}

SqliteFile::Copied SqliteFile::copyForReading(const QString &path, bool rollbackJournal,
                                              QTemporaryDir &dir, QString *copy, StoreError *error)
{
    if (!dir.isValid()) {
        *error = {StoreError::Kind::Io,
                  u"%1: cannot make a private copy to read (%2)"_s.arg(path, dir.errorString())};
        return Copied::Failed;
    }
    const int lockFd = rollbackJournal ? takeSharedLock(path, error) : -1;
    if (rollbackJournal && lockFd < 0)
        return Copied::Failed;
    const auto unlock = qScopeGuard([lockFd] {
        if (lockFd >= 0)
            ::close(lockFd);
    });
    const QStringList before = filesState(path);
    *copy = dir.filePath(QFileInfo(path).fileName());
    // Not the -shm: it describes the -wal for the processes that have it open, and SQLite
    // rebuilds it from the -wal in the copy.
    for (const QString &suffix : {QString(), WalSuffix, JournalSuffix}) {
        if (exists(path + suffix) && !QFile::copy(path + suffix, *copy + suffix)) {
            if (!exists(path + suffix))
                return Copied::StoreChanged; // a writer finished with it meanwhile
            *error = {StoreError::Kind::Io, u"%1: cannot make a private copy to read in %2"_s.arg(
                                                path + suffix, dir.path())};
            return Copied::Failed;
        }
    }
    return filesState(path) == before ? Copied::Done : Copied::StoreChanged;
}

QString SqliteFile::describeFailure(const QSqlError &error)
{
    const QString why = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    if (errorKind(error) == StoreError::Kind::Corrupt)
        return u"the SQLite file is corrupt (%1)"_s.arg(why);
    return why;
}

StoreError::Kind SqliteFile::errorKind(int resultCode)
{
    switch (resultCode & 0xff) { // the primary code of an extended one
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return StoreError::Kind::Corrupt;
    case SQLITE_INTERRUPT:
        return StoreError::Kind::Cancelled;
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return StoreError::Kind::Permission;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_NOMEM:
    case SQLITE_FULL:
    case SQLITE_PROTOCOL:
        return StoreError::Kind::Io;
    default:
        return StoreError::Kind::Sql;
    }
}

StoreError::Kind SqliteFile::errorKind(const QSqlError &error)
{
    // QSQLITE gives SQLite's result code as the native code; none when Qt itself refused.
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? errorKind(code) : StoreError::Kind::Sql;
}

QSqlDatabase SqliteFile::openReadOnly(const QString &path, const QString &connectionName,
                                      StoreError *error, std::unique_ptr<SqliteReadHold> *hold)
{
    Header header;
    if (!readHeader(path, path, false, &header, error))
        return {};
    std::optional<StoreError> corrupt; // the last attempt's, when nothing else explains it
    for (int attempt = 0; attempt < Attempts; ++attempt) {
        if (attempt > 0)
            QThread::msleep(10 * attempt); // let a writer that is closing finish
        corrupt.reset();
        auto held = std::make_unique<SqliteReadHold>();
        // Before the read begins, so that a change made while it begins counts as one.
        const QStringList filesBefore = filesState(path);
        Access access = Access::ReadOnly;
        if (header.wal) {
            const bool wal = exists(path + WalSuffix);
            access = !wal                       ? Access::Immutable
                     : exists(path + ShmSuffix) ? Access::ReadOnlyShm
                                                : Access::PrivateCopy;
        }
        if (access == Access::Immutable) {
            held->m_lockFd = takeSharedLock(path, error);
            if (held->m_lockFd < 0)
                return {};
            if (exists(path + WalSuffix))
                continue; // a writer came along before the lock: it has the newest events
        }
        QSqlDatabase db;
        for (;;) {
            QString file = path;
            if (access == Access::PrivateCopy) {
                held->m_copy = std::make_unique<QTemporaryDir>();
                switch (copyForReading(path, !header.wal, *held->m_copy, &file, error)) {
                case Copied::Done:
                    break;
                case Copied::StoreChanged:
                    file.clear();
                    break;
                case Copied::Failed:
                    return {};
                }
                if (file.isEmpty())
                    break; // look at the store again
                held->m_notice =
                    u"%1: reading a private copy, to leave the store's folder as it is: %2"_s.arg(
                        path, copyReason(path));
            }
            // The -wal and -shm a WAL connection reads by: a writer closing last removes them
            // (and the next makes new ones), which can fail a read that was under way.
            const quint64 walInode = inodeOf(path + WalSuffix);
            const quint64 shmInode = inodeOf(path + ShmSuffix);
            const QString uriQuery = access == Access::Immutable     ? u"immutable=1"_s
                                     : access == Access::ReadOnlyShm ? u"mode=ro&readonly_shm=1"_s
                                     : access == Access::ReadOnly    ? u"mode=ro"_s
                                                                     : u"mode=rw"_s;
            db = openUri(file, uriQuery, access != Access::PrivateCopy, connectionName);
            if (!db.isOpen()) {
                *error = {errorKind(db.lastError()),
                          u"%1: cannot open (%2)"_s.arg(path, describeFailure(db.lastError()))};
                discard(db, connectionName);
                return {};
            }
            const Probed result = probe(db, file, path, access != Access::ReadOnlyShm, error);
            switch (result) {
            case Probed::Readable:
                held->m_path = path;
                if (access == Access::Immutable || access == Access::PrivateCopy)
                    held->m_filesAtOpen = filesBefore;
                if (access == Access::ReadOnlyShm) {
                    held->m_walInode = walInode;
                    held->m_shmInode = shmInode;
                }
                *hold = std::move(held);
                return db;
            case Probed::Vanished:
            case Probed::Failed:
                discard(db, connectionName);
                // A writer changed the files while the read began (the last one closing takes
                // its -wal and -shm along): what failed may be the change, not the store.
                if (result == Probed::Vanished || filesState(path) != filesBefore ||
                    inodeOf(path + WalSuffix) != walInode || inodeOf(path + ShmSuffix) != shmInode)
                    break;
                // A WAL store a writer checkpoints and closes while the read begins can look
                // corrupt for that moment even where the files' state ends as it began (seen
                // with a writer opening and closing for each commit): looked at again, a store
                // that is really corrupt says so on every attempt.
                if (header.wal && error->kind == StoreError::Kind::Corrupt) {
                    corrupt = *error;
                    break;
                }
                return {};
            case Probed::NeedsWrite:
                discard(db, connectionName);
                if (access == Access::PrivateCopy) {
                    *error = {StoreError::Kind::Io,
                              u"%1: cannot read the SQLite file without writing to it"_s.arg(path)};
                    return {};
                }
                access = Access::PrivateCopy;
                continue;
            }
            break; // look at the store again
        }
    }
    *error = corrupt
                 ? *corrupt
                 : StoreError{
                       StoreError::Kind::Io,
                       u"%1: the store changed each time it was looked at; try again"_s.arg(path)};
    return {};
}

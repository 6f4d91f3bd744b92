#pragma once

// Opens an SQLite store for reading without creating or changing a byte in its folder, in a
// way that lets other processes write to it meanwhile:
//  - a rollback-journal store opens with mode=ro: SQLite's shared lock keeps a writer's
//    commit out of a read transaction;
//  - a WAL store with its -wal and -shm files opens with readonly_shm: the connection takes
//    part in SQLite's WAL locking (a checkpoint leaves the pages it reads alone) but neither
//    creates the -shm nor writes its read marks there, as a plain read-only connection does;
//  - a WAL store without a -wal file opens immutable (a normal connection would create the
//    -wal and -shm), under a shared lock on the main file held for as long as the connection
//    lives: a writer that comes along writes to its new -wal, and its closing checkpoint,
//    which would change the main file under the immutable reader, cannot take place;
//  - where SQLite cannot read a store in place without writing beside it (a -wal without its
//    -shm; a hot journal that a writer which stopped mid-transaction left to be rolled back)
//    the connection reads a private copy of the files, and SqliteReadHold::notice() says so.

#include "core/storeerror.h"

#include <QSqlDatabase>
#include <QString>

#include <memory>

class QSqlError;
class QTemporaryDir;

// What a connection opened by SqliteFile needs for as long as it is open: the shared lock on
// the main file of an immutable read, or the private copy it reads. Destroy it after the
// connection is closed.
class SqliteReadHold
{
public:
    SqliteReadHold();
    ~SqliteReadHold();
    SqliteReadHold(const SqliteReadHold &) = delete;
    SqliteReadHold &operator=(const SqliteReadHold &) = delete;

    // For the user, when the store is not read in place: what is read instead, and why.
    QString notice() const { return m_notice; }
    // Whether the connection sees what other processes commit after it opened: not an
    // immutable read nor a private copy, which must be opened again to read new events.
    bool seesCommits() const { return m_filesAtOpen.isEmpty(); }
    // Whether the store may hold commits the connection cannot see: for one that does not see
    // commits, the store's files (main file, -wal, -shm, -journal: sizes, times, inodes)
    // changed since it opened; for a WAL connection, the -wal or -shm it reads by was removed
    // (a writer closing last checkpoints and removes them; the next one makes new ones, which
    // the connection never looks at).
    bool stale() const;

private:
    friend class SqliteFile;

    QString m_path;
    QStringList m_filesAtOpen; // empty when the connection sees commits
    quint64 m_walInode = 0;    // of a WAL connection's files; 0 for none
    quint64 m_shmInode = 0;
    int m_lockFd = -1;
    std::unique_ptr<QTemporaryDir> m_copy;
    QString m_notice;
};

class SqliteFile
{
public:
    // A file that is missing, empty, not SQLite or truncated gives an error naming the file.
    static bool check(const QString &path, StoreError *error);
    // *hold receives what the connection needs while it is open (see SqliteReadHold).
    static QSqlDatabase openReadOnly(const QString &path, const QString &connectionName,
                                     StoreError *error, std::unique_ptr<SqliteReadHold> *hold);
    // What openReadOnly() reads when it cannot read a store in place: a copy of the store's
    // files (not the -shm, which SQLite rebuilds from the -wal) in dir, named as the store.
    // A store with a rollback journal is copied under a reader's shared lock, as SQLite's
    // readers take it, so that no writer commits during the copy (one committing is waited
    // for, up to SQLite's busy time); StoreChanged when the files changed meanwhile (a -wal
    // written to), and the copy is then not of one state.
    enum class Copied { Done, StoreChanged, Failed };
    static Copied copyForReading(const QString &path, bool rollbackJournal, QTemporaryDir &dir,
                                 QString *copy, StoreError *error);
    // SQLite's reason for a failed statement, saying so when it is because the file is corrupt.
    static QString describeFailure(const QSqlError &error);
    // What an SQLite result code (primary or extended) means for the user.
    static StoreError::Kind errorKind(int resultCode);
    // The same for a failure QSQLITE reports.
    static StoreError::Kind errorKind(const QSqlError &error);
};

#pragma once

// Opens an SQLite file read-only, after checking that it is one. The connection never
// writes: rollback-journal files are opened with mode=ro, and WAL files whose -wal companion
// is absent are opened immutable, so no -wal or -shm file appears beside the store (and a
// store in a read-only folder opens).

#include <QSqlDatabase>
#include <QString>

class SqliteFile
{
public:
    // A file that is missing, empty, not SQLite or truncated gives an error naming the file.
    static bool check(const QString &path, QString *error);
    static QSqlDatabase openReadOnly(const QString &path, const QString &connectionName,
                                     QString *error);
};

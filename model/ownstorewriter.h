#pragma once

// Writes a new SQLite file in Eventscope's own layout (see shared/LAYOUTS.md). This is the
// only code that writes SQLite, and it writes only files it creates itself (demo stores and
// imports): it builds the store under a temporary name and renames it into place on commit,
// so a failed or cancelled run leaves nothing behind. It refuses to replace an existing file.

#include "event.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <optional>

class OwnStoreWriter
{
public:
    explicit OwnStoreWriter(const QString &path);
    ~OwnStoreWriter(); // without commit(): removes the temporary file

    bool begin();
    // Event::position <= 0 lets SQLite number it. Fails (with errorString) on a duplicate
    // (stream, version).
    bool append(const Event &event, const QString &eventId = {});
    bool commit(); // creates the indexes and moves the file into place
    QString errorString() const { return m_error; }

private:
    QString m_path;
    QString m_tempPath;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::optional<QSqlQuery> m_insert;
    QString m_error;
    bool m_committed = false;
};

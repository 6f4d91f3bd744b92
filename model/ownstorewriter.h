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
    // Why the last append() failed, so that a caller can reject one event and go on when it
    // only clashed with an earlier one, but stop when the file itself is in trouble.
    enum class Conflict { None, Position, StreamVersion };

    explicit OwnStoreWriter(const QString &path);
    ~OwnStoreWriter(); // without commit(): removes the temporary file

    bool begin();
    // Event::position <= 0 lets SQLite number it. Fails (with errorString) on a duplicate
    // (stream, version).
    bool append(const Event &event, const QString &eventId = {});
    bool commit(); // creates the indexes and moves the file into place
    QString errorString() const { return m_error; }
    Conflict lastConflict() const { return m_conflict; }

private:
    bool fail(const QString &message);
    bool createTempFile();
    bool exec(const QString &sql);
    bool insertFailed(const Event &event);
    void closeConnection();
    const QByteArray &timeText(qint64 ms);

    QString m_path;
    QString m_tempPath;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::optional<QSqlQuery> m_insert;
    QString m_error;
    Conflict m_conflict = Conflict::None;
    qint64 m_dayStartMs = NoTime; // the day m_timeText currently holds
    QByteArray m_timeText;
    bool m_committed = false;
};

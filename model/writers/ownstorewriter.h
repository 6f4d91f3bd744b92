#pragma once

// Writes a new SQLite file in Eventscope's own layout (see shared/LAYOUTS.md). This is the
// only code that writes SQLite, and it writes only files it creates itself (demo stores and
// imports): it builds the store under a temporary name and renames it into place on commit,
// so a failed or cancelled run leaves nothing behind. It refuses to replace an existing file.

#include "core/event.h"

#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QSqlDatabase>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

class OwnStoreWriter
{
public:
    // Why the last append() failed, so that a caller can reject one event and go on when it
    // only clashed with an earlier one, but stop when the file itself is in trouble.
    enum class Conflict { None, Position, StreamVersion };

    // One event with its texts already in UTF-8, for writers that produce bytes (the demo):
    // the views must stay valid until append() returns. A null view is stored as NULL.
    struct EncodedEvent
    {
        qint64 position = 0;
        QByteArrayView stream;
        qint64 version = 0;
        QByteArrayView eventId;
        QByteArrayView type;
        qint64 timeMs = NoTime;
        QByteArrayView data;
        QByteArrayView metadata;
    };

    explicit OwnStoreWriter(const QString &path);
    ~OwnStoreWriter(); // without commit(): removes the temporary file
    OwnStoreWriter(const OwnStoreWriter &) = delete;
    OwnStoreWriter &operator=(const OwnStoreWriter &) = delete;

    bool begin();
    // Event::position <= 0 lets SQLite number it. Fails (with errorString) on a duplicate
    // (stream, version).
    bool append(const Event &event, const QString &eventId = {});
    bool append(const EncodedEvent &event);
    // A table of (name, value) text rows beside the events, saying where the store came from
    // (a slice's source and filters). Between begin() and commit().
    bool addNotes(const QString &table, const QList<QPair<QString, QString>> &rows);
    bool commit(); // creates the indexes and moves the file into place
    QString errorString() const { return m_error; }
    Conflict lastConflict() const { return m_conflict; }

private:
    bool fail(const QString &message);
    bool createTempFile();
    bool exec(const QString &sql);
    bool insertFailed(const EncodedEvent &event, int status);
    void finalizeInsert();
    void closeConnection();
    const QByteArray &timeText(qint64 ms);

    QString m_path;
    QString m_tempPath;
    QString m_connectionName;
    QSqlDatabase m_db;
    sqlite3 *m_handle = nullptr;      // owned by m_db
    sqlite3_stmt *m_insert = nullptr; // ours: finalized before m_db closes
    QString m_error;
    Conflict m_conflict = Conflict::None;
    qint64 m_dayStartMs = NoTime; // the day m_timeText currently holds
    QByteArray m_timeText;
    bool m_committed = false;
};

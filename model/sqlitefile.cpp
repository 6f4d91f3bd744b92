#include "sqlitefile.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

constexpr int HeaderSize = 100;

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

bool readHeader(const QString &path, Header *header, QString *error)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        *error = u"%1: no such file"_s.arg(path);
        return false;
    }
    if (info.isDir()) {
        *error = u"%1: is a folder, not an SQLite file"_s.arg(path);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"%1: cannot be read (%2)"_s.arg(path, file.errorString());
        return false;
    }
    const qint64 size = file.size();
    if (size == 0) {
        *error = u"%1: the file is empty (0 bytes), not an SQLite database"_s.arg(path);
        return false;
    }
    const QByteArray head = file.read(HeaderSize);
    if (!head.startsWith(QByteArrayLiteral("SQLite format 3\0"))) {
        *error =
            u"%1: not an SQLite database (its first bytes are not the SQLite header)"_s.arg(path);
        return false;
    }
    if (head.size() < HeaderSize) {
        *error =
            u"%1: truncated SQLite file (%2 bytes, shorter than the header)"_s.arg(path).arg(size);
        return false;
    }
    quint32 pageSize = bigEndian(head, 16, 2);
    if (pageSize == 1)
        pageSize = 65536;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0) {
        *error = u"%1: corrupt SQLite header (page size %2)"_s.arg(path).arg(pageSize);
        return false;
    }
    // The page count in the header is only valid when its change counter matches.
    const quint32 pageCount = bigEndian(head, 28, 4);
    const bool countValid = bigEndian(head, 24, 4) == bigEndian(head, 92, 4);
    const qint64 expected = qint64(pageSize) * pageCount;
    if ((countValid && pageCount > 0 && size < expected) || size % pageSize != 0) {
        *error = u"%1: truncated SQLite file (%2 bytes, expected %3)"_s.arg(path).arg(size).arg(
            countValid ? expected : (size / pageSize + 1) * pageSize);
        return false;
    }
    header->wal = quint8(head.at(18)) == 2 || quint8(head.at(19)) == 2;
    return true;
}

} // namespace

bool SqliteFile::check(const QString &path, QString *error)
{
    Header header;
    return readHeader(path, &header, error);
}

QSqlDatabase SqliteFile::openReadOnly(const QString &path, const QString &connectionName,
                                      QString *error)
{
    Header header;
    if (!readHeader(path, &header, error))
        return {};

    // A WAL store without its -wal file has all its data in the main file; "immutable" lets
    // SQLite read it without creating -wal/-shm files (which even a read-only connection
    // would otherwise do). With a -wal file present its content is needed, so read it
    // normally, still read-only.
    const bool walPresent = QFileInfo::exists(path + u"-wal"_s);
    QUrl uri = QUrl::fromLocalFile(path);
    uri.setQuery(header.wal && !walPresent ? u"immutable=1"_s : u"mode=ro"_s);

    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
    db.setDatabaseName(uri.toString(QUrl::FullyEncoded));
    db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_OPEN_URI;QSQLITE_BUSY_TIMEOUT=2000"_s);
    if (!db.open()) {
        *error = u"%1: cannot open (%2)"_s.arg(path, db.lastError().text());
        return {};
    }
    QSqlQuery probe(db);
    if (!probe.exec(u"PRAGMA query_only = 1"_s) ||
        !probe.exec(u"SELECT count(*) FROM sqlite_master"_s)) {
        const QString why = probe.lastError().databaseText();
        *error = why.contains(u"malformed"_s)
                     ? u"%1: the SQLite file is corrupt (%2)"_s.arg(path, why)
                     : u"%1: cannot read the SQLite file (%2)"_s.arg(path, why);
        probe.finish();
        db.close();
        return {};
    }
    return db;
}

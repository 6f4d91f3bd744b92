// The read-only guarantee (a full browse changes neither the store's bytes nor its folder) and
// bad files: each gives a clear error naming the file and the problem, never a crash.

#include "replay/replayengine.h"
#include "store/eventstore.h"
#include "store/sqlitefile.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

#include <thread>

using namespace Qt::StringLiterals;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result();
}

QStringList listing(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// Every entry of a folder with its size, time and content: what "unchanged" means.
QStringList folderState(const QString &dir)
{
    QStringList state;
    const QFileInfoList entries =
        QDir(dir).entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &info : entries) {
        state << u"%1 %2 %3 %4"_s.arg(info.fileName())
                     .arg(info.size())
                     .arg(info.lastModified().toMSecsSinceEpoch())
                     .arg(QString::fromLatin1(QCryptographicHash::hash(readAll(info.filePath()),
                                                                       QCryptographicHash::Sha256)
                                                  .toHex()));
    }
    return state;
}

using TestSupport::CliRun;
using TestSupport::runCli;

// Everything a user can do with a store, through every query.
// Copies the store to path as a writer left it: with a hot journal (it stopped
// mid-transaction) or, in WAL mode, with a -wal and no -shm. The writer spills its changes into
// the store's file (a small cache), so that the journal is needed to read the last commit.
bool copyMidTransaction(const QString &origin, const QString &path, bool hot)
{
    TestSupport::WritingConnection pending(origin);
    if (!pending.exec(u"PRAGMA wal_autocheckpoint = 0"_s) ||
        !pending.exec(u"PRAGMA cache_size = 2"_s) || (hot && !pending.exec(u"BEGIN"_s)) ||
        !pending.exec(u"UPDATE events SET type = 'Renamed', data = '{}'"_s))
        return false;
    for (const QString &suffix : {QString(), u"-wal"_s, u"-journal"_s}) {
        if (QFile::exists(origin + suffix) && !QFile::copy(origin + suffix, path + suffix))
            return false;
    }
    return QFile::exists(path + (hot ? u"-journal"_s : u"-wal"_s)) &&
           (!hot || pending.exec(u"ROLLBACK"_s));
}

// A store of 300 events, more pages than copyMidTransaction's writer's cache holds.
bool createPagedStore(const QString &path, bool wal)
{
    return TestSupport::createSmallStore(path) &&
           TestSupport::execSql(
               path, {u"INSERT INTO events WITH RECURSIVE p(n) AS (SELECT 13 UNION ALL SELECT n + "
                      "1 FROM p WHERE n < 300) SELECT n, 'more', n, NULL, 'Counted', "
                      "'2026-02-01T00:00:00.000Z', '{\"pad\": \"' || hex(zeroblob(40)) || "
                      "'\"}', NULL FROM p"_s}) &&
           TestSupport::execSql(path,
                                {u"PRAGMA journal_mode = "_s + (wal ? u"WAL"_s : u"DELETE"_s)},
                                TestSupport::Transaction::None);
}

void browseEverything(EventStore &store)
{
    QVERIFY2(store.summary(), qPrintable(store.errorString()));
    QVERIFY(store.streams(StreamQuery{}));
    QVERIFY(store.streams(StreamQuery{u"user"_s, u"a"_s, 2}));
    EventFilter filter;
    filter.limit = 5;
    for (;;) {
        const auto page = store.events(filter);
        QVERIFY(page);
        if (page->isEmpty())
            break;
        filter.afterPosition = page->constLast().position;
    }
    for (BucketSize size :
         {BucketSize::Minute, BucketSize::Hour, BucketSize::Day, BucketSize::Week})
        QVERIFY(store.buckets(size, {}));
    ReplayEngine replay(store, u"user-1"_s);
    QVERIFY2(replay.load(), qPrintable(replay.errorString()));
    QVERIFY(replay.stateAtIndex(2));
}

} // namespace

class TestReadOnly : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_small;

    QString openError(const QString &path)
    {
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        return store ? QString() : error.message;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_small = m_dir.filePath(u"small.db"_s);
        QVERIFY(TestSupport::createSmallStore(m_small));
    }

    void browsingChangesNothing_data()
    {
        QTest::addColumn<QString>("journalMode");
        QTest::addColumn<bool>("readOnlyFolder");
        QTest::newRow("rollback journal") << u"DELETE"_s << false;
        QTest::newRow("wal") << u"WAL"_s << false;
        QTest::newRow("rollback journal, read-only folder") << u"DELETE"_s << true;
        QTest::newRow("wal, read-only folder") << u"WAL"_s << true;
    }

    void browsingChangesNothing()
    {
        QFETCH(QString, journalMode);
        QFETCH(bool, readOnlyFolder);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        QVERIFY(QFile::copy(m_small, path));
        QVERIFY(TestSupport::execSql(path, {u"PRAGMA journal_mode = "_s + journalMode},
                                     TestSupport::Transaction::None));
        QVERIFY(!QFile::exists(path + u"-wal"_s)); // checkpointed on close

        const QFileDevice::Permissions folderPermissions = QFile::permissions(dir.path());
        if (readOnlyFolder) {
            QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup));
            QVERIFY(
                QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        }
        const QByteArray before = fileHash(path);
        const QStringList filesBefore = listing(dir.path());
        {
            StoreError error;
            auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
            QVERIFY2(store, qPrintable(error.message));
            browseEverything(*store);
            QCOMPARE(listing(dir.path()), filesBefore); // no -wal, -shm or -journal while open
        }
        QCOMPARE(fileHash(path), before);
        QCOMPARE(listing(dir.path()), filesBefore);
        QVERIFY(QFile::setPermissions(dir.path(), folderPermissions));
    }

    // Root ignores folder permissions, so as root the real CLI runs as "nobody" on stores in a
    // folder it cannot write: every query must work and leave nothing beside the store.
    void readOnlyFolderForAnUnprivilegedUser_data()
    {
        QTest::addColumn<QString>("journalMode");
        QTest::newRow("rollback journal") << u"DELETE"_s;
        QTest::newRow("wal") << u"WAL"_s;
    }

    void readOnlyFolderForAnUnprivilegedUser()
    {
        QFETCH(QString, journalMode);
        const QString runuser = QStandardPaths::findExecutable(u"runuser"_s);
        if (::geteuid() != 0 || runuser.isEmpty())
            QSKIP("needs root and runuser to become an unprivileged user");
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        QVERIFY(QFile::copy(m_small, path));
        QVERIFY(TestSupport::execSql(path, {u"PRAGMA journal_mode = "_s + journalMode},
                                     TestSupport::Transaction::None));
        const auto readOnly = QFileDevice::ReadOwner | QFileDevice::ExeOwner |
                              QFileDevice::ReadGroup | QFileDevice::ExeGroup |
                              QFileDevice::ReadOther | QFileDevice::ExeOther;
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup |
                                                QFileDevice::ReadOther));
        QVERIFY(QFile::setPermissions(dir.path(), readOnly));
        const QByteArray before = fileHash(path);
        const QStringList filesBefore = listing(dir.path());
        const QList<QStringList> commands{
            {u"info"_s, path},
            {u"streams"_s, path},
            {u"events"_s, path, u"--stream"_s, u"user-1"_s},
            {u"replay"_s, path, u"--stream"_s, u"user-1"_s, u"--at"_s, u"3"_s},
            {u"stats"_s, path, u"--bucket"_s, u"hour"_s}};
        for (const QStringList &command : commands) {
            QProcess p;
            p.start(runuser,
                    QStringList{u"-u"_s, u"nobody"_s, u"--"_s, TestSupport::cliPath()} + command);
            QVERIFY(p.waitForFinished(30000));
            QVERIFY2(p.exitCode() == 0, qPrintable(command.join(u' ') + u": "_s +
                                                   QString::fromUtf8(p.readAllStandardError())));
            QVERIFY(!p.readAllStandardOutput().isEmpty());
        }
        QCOMPARE(listing(dir.path()), filesBefore);
        QCOMPARE(fileHash(path), before);
        QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                      QFileDevice::ExeOwner));
    }

    // Every command, on every state a store's folder can be in, leaves the folder as it was:
    // names, sizes, times and contents.
    void everyCommandLeavesTheFolderAsItWas_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<bool>("privateCopy"); // said on stderr
        QTest::newRow("wal without -wal") << u"wal"_s << false;
        QTest::newRow("wal with -wal and -shm") << u"wal+shm"_s << false;
        QTest::newRow("wal with -wal, no -shm") << u"wal-only"_s << true;
        QTest::newRow("rollback journal") << u"rollback"_s << false;
        QTest::newRow("rollback, hot journal") << u"hot"_s << true;
    }

    void everyCommandLeavesTheFolderAsItWas()
    {
        QFETCH(QString, state);
        QFETCH(bool, privateCopy);
        QTemporaryDir source;
        QTemporaryDir dir;
        const QString origin = source.filePath(u"store.db"_s);
        const QString path = dir.filePath(u"store.db"_s);
        const bool wal = state.startsWith(u"wal"_s);
        QVERIFY(createPagedStore(origin, wal));
        // A connection that wrote and stays open, idle: its -wal and -shm, or its hot journal.
        std::unique_ptr<TestSupport::WritingConnection> writer;
        if (state == u"wal+shm") {
            QVERIFY(QFile::copy(origin, path));
            writer = std::make_unique<TestSupport::WritingConnection>(path);
            QVERIFY(writer->exec(u"PRAGMA wal_autocheckpoint = 0"_s));
            QVERIFY(
                writer->exec(u"UPDATE events SET type = 'Renamed' WHERE global_position = 1"_s));
            QVERIFY(QFile::exists(path + u"-shm"_s) && QFile::exists(path + u"-wal"_s));
        } else if (state == u"wal-only" || state == u"hot") {
            QVERIFY(copyMidTransaction(origin, path, state == u"hot"));
        } else {
            QVERIFY(QFile::copy(origin, path));
        }

        const QList<QStringList> commands{{u"info"_s},
                                          {u"streams"_s},
                                          {u"events"_s},
                                          {u"events"_s, u"--stream"_s, u"user-1"_s},
                                          {u"replay"_s, u"--stream"_s, u"user-1"_s},
                                          {u"snapshots"_s, u"--stream"_s, u"user-1"_s},
                                          {u"stats"_s, u"--bucket"_s, u"hour"_s}};
        for (const QStringList &command : commands) {
            const QStringList args = QStringList{command.first(), path} + command.mid(1);
            const QStringList before = folderState(dir.path());
            const CliRun run = runCli(args);
            QCOMPARE(folderState(dir.path()), before);
            QVERIFY2(run.exitCode == 0, qPrintable(args.join(u' ') + u": "_s + run.err));
            QCOMPARE(run.err.contains(u"reading a private copy"_s), privateCopy);
        }
        // What was committed is read, from the -wal too; the hot journal's transaction never
        // committed, and the copy is rolled back.
        const CliRun info = runCli({u"info"_s, path});
        const QJsonObject types =
            QJsonDocument::fromJson(info.out).object().value(u"types"_s).toObject();
        QCOMPARE(types.contains(u"Renamed"_s), state == u"wal+shm" || state == u"wal-only");
    }

    // A hot journal's store is read from a private copy taken under a reader's lock: a writer
    // committing meanwhile (it holds the store's lock exclusively) is waited for, so that the
    // copy is never of a store half written.
    void privateCopyWaitsForACommit()
    {
        QTemporaryDir source;
        QTemporaryDir dir;
        const QString origin = source.filePath(u"store.db"_s);
        const QString path = dir.filePath(u"store.db"_s);
        QVERIFY(createPagedStore(origin, false));
        QVERIFY(copyMidTransaction(origin, path, true));
        // A committing writer's lock: SQLite's EXCLUSIVE, a write lock on the shared bytes.
        const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CLOEXEC);
        QVERIFY(fd >= 0);
        struct flock lock = {};
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        lock.l_start = 0x40000000 + 2;
        lock.l_len = 510;
        QVERIFY(fcntl(fd, F_OFD_SETLK, &lock) == 0);
        constexpr int CommitMs = 400;
        std::thread commit([fd] {
            QThread::msleep(CommitMs);
            ::close(fd);
        });
        QElapsedTimer timer;
        timer.start();
        QTemporaryDir copyDir;
        QString copy;
        StoreError error;
        const auto copied = SqliteFile::copyForReading(path, true, copyDir, &copy, &error);
        const qint64 waited = timer.elapsed();
        commit.join();
        QVERIFY2(copied == SqliteFile::Copied::Done, qPrintable(error.message));
        QVERIFY2(waited >= CommitMs - 50, qPrintable(QString::number(waited)));
        QCOMPARE(fileHash(copy), fileHash(path));
        QCOMPARE(fileHash(copy + u"-journal"_s), fileHash(path + u"-journal"_s));

        // Opened as a whole: read from such a copy, rolled back as SQLite would.
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        QVERIFY(store->readNotice().contains(u"private copy"_s));
        const auto summary = store->summary();
        QVERIFY(summary);
        QCOMPARE(summary->events, qint64(300));
        QVERIFY(!summary->typeCounts.contains(u"Renamed"_s));
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("bytes"); // empty with create=false: no file at all
        QTest::addColumn<QString>("message");
        const QByteArray good = readAll(m_small);
        QVERIFY(good.size() > 8192);
        QTest::newRow("empty") << QByteArray() << u"the file is empty (0 bytes)"_s;
        QTest::newRow("text") << QByteArray("stream,type\nuser-1,Clicked\n")
                              << u"not an SQLite database"_s;
        QTest::newRow("json") << QByteArray(R"({"events": []})") << u"not an SQLite database"_s;
        QTest::newRow("header only") << good.left(64) << u"truncated SQLite file (64 bytes"_s;
        QTest::newRow("cut mid-page") << good.left(5000) << u"truncated SQLite file (5000 bytes"_s;
        QTest::newRow("cut at a page") << good.left(4096) << u"truncated SQLite file (4096 bytes"_s;
        QByteArray badPageSize = good;
        badPageSize[16] = 0x03;
        badPageSize[17] = 0x00;
        QTest::newRow("bad page size") << badPageSize << u"corrupt SQLite header (page size 768)"_s;
    }

    void badFiles()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const QString path =
            m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + u".db"_s);
        QVERIFY(writeFile(path, bytes));
        const QString error = openError(path);
        QVERIFY2(error.startsWith(path + u": "_s), qPrintable(error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void corruptPages()
    {
        // Garbage over every page after the schema: the file opens, queries fail clearly.
        QByteArray bytes = readAll(m_small);
        for (qsizetype i = 4096 * 2; i < bytes.size(); ++i)
            bytes[i] = char(0xA5 ^ (i * 31));
        const QString path = m_dir.filePath(u"corrupt.db"_s);
        QVERIFY(writeFile(path, bytes));
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        if (!store) {
            QVERIFY2(error.message.contains(u"corrupt"_s) || error.message.contains(u"malformed"_s),
                     qPrintable(error.message));
            return;
        }
        const auto summary = store->summary();
        QVERIFY(!summary);
        QVERIFY2(store->errorString().startsWith(path), qPrintable(store->errorString()));
        QVERIFY2(store->errorString().contains(u"malformed"_s), qPrintable(store->errorString()));
    }

    void missingAndFolders()
    {
        const QString missing = m_dir.filePath(u"nope.db"_s);
        QCOMPARE(openError(missing), missing + u": no such file"_s);
        QCOMPARE(openError(m_dir.path()), m_dir.path() + u": is a folder, not an SQLite file"_s);
        QVERIFY(!QFile::exists(missing)); // opening never creates the file
    }

    void hugePayloadAndMalformedJson()
    {
        const QString path = m_dir.filePath(u"huge.db"_s);
        QVERIFY(TestSupport::createSmallStore(path));
        const QString big = u"{\"blob\":\""_s + QString(8 * 1024 * 1024, u'x') + u"\"}"_s;
        QVERIFY(TestSupport::execSql(
            path, {u"INSERT INTO events VALUES (13, 'user-1', 6, NULL, 'Uploaded', "
                   "'2026-01-12T04:00:00.000Z', '"_s +
                       big + u"', '{broken')"_s,
                   u"INSERT INTO events VALUES (14, 'user-1', 7, NULL, 'Uploaded', "
                   "'2026-01-12T05:00:00.000Z', '{\"a\": [1, 2', NULL)"_s}));
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        EventFilter filter;
        filter.afterPosition = 12;
        const auto page = store->events(filter);
        QVERIFY(page);
        QCOMPARE(page->size(), 2);
        QCOMPARE(page->at(0).data.size(), big.size());
        QCOMPARE(page->at(0).metadata, QByteArray("{broken"));
        ReplayEngine replay(*store, u"user-1"_s);
        QVERIFY(replay.load());
        const auto last = replay.stateAtIndex(replay.eventCount() - 1);
        QVERIFY(last);
        // The malformed event leaves the state as the huge one left it.
        QCOMPARE(last->state.value(u"blob"_s).toString().size(), 8 * 1024 * 1024);
        QVERIFY(last->changed.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestReadOnly)
#include "tst_readonly.moc"

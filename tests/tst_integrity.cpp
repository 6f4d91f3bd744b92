// What Eventscope says of an SQLite store is the store's truth or a clear error, never a
// partial answer: with corrupt pages, with positions that cannot page, while another process
// writes. (That reading never changes the store's folder: tst_readonly.)

#include "store/eventstore.h"
#include "store/positioncolumn.h"
#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QScopeGuard>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace Qt::StringLiterals;

namespace {

constexpr int BulkEvents = 2000;
constexpr int BulkStreams = 20;
constexpr int LeafTableType = 0x0D; // the first byte of a table b-tree's leaf page

using TestSupport::runCli;

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    }
    return lines;
}

// The small store, and events bulk-0 … bulk-19 up to `events` events in all, each with a
// payload that spreads the table over many pages.
bool createBulkStore(const QString &path, const QString &journalMode, int events = BulkEvents)
{
    return TestSupport::createSmallStore(path) &&
           TestSupport::execSql(
               path,
               {u"INSERT INTO events WITH RECURSIVE p(n) AS (SELECT 13 UNION ALL SELECT n + 1 "
                "FROM p WHERE n < %1) SELECT n, 'bulk-' || (n % %2), n / %2 + 1, NULL, "
                "'Counted', '2026-02-01T00:00:00.000Z', '{\"n\": ' || n || ', \"pad\": \"' "
                "|| hex(zeroblob(30)) || '\"}', NULL FROM p"_s.arg(events)
                    .arg(BulkStreams)}) &&
           TestSupport::execSql(path, {u"PRAGMA journal_mode = "_s + journalMode},
                                TestSupport::Transaction::None);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestIntegrity : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_clean;
    QMap<QStringList, TestSupport::CliRun> m_cleanRuns;

    // The command's answer on the uncorrupted store.
    const TestSupport::CliRun &cleanRun(const QStringList &command)
    {
        if (!m_cleanRuns.contains(command))
            m_cleanRuns.insert(command,
                               runCli(QStringList{command.first(), m_clean} + command.mid(1)));
        return m_cleanRuns[command];
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!TestSupport::cliPath().isEmpty(), "run through CTest: it names the CLI");
        m_clean = m_dir.filePath(u"clean.db"_s);
        QVERIFY(createBulkStore(m_clean, u"DELETE"_s));
    }

    // A page of the events table overwritten, or one bit of a leaf page's type flipped: each
    // command gives the clean store's whole answer or fails naming the corruption, exit 1.
    void corruptPagesGiveTheWholeAnswerOrAnError_data()
    {
        QTest::addColumn<int>("leaf");     // which leaf page of the events table: 0 first, …
        QTest::addColumn<int>("flipMask"); // 0: overwrite the whole page
        QTest::newRow("middle page overwritten") << 50 << 0;
        QTest::newRow("bit 1 of a middle leaf") << 50 << 0x02;
        QTest::newRow("bit 4 of the last leaf") << 100 << 0x10;
    }

    void corruptPagesGiveTheWholeAnswerOrAnError()
    {
        QFETCH(int, leaf);
        QFETCH(int, flipMask);
        const auto pages = TestSupport::queryRows(
            m_clean, u"SELECT pageno, (SELECT page_size FROM pragma_page_size) FROM dbstat "
                     "WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno"_s);
        QVERIFY2(pages.size() > 20, "the events table spans few pages");
        const auto &page = pages.at(qMin<qsizetype>(leaf * pages.size() / 100, pages.size() - 1));
        const qint64 offset = (page.at(0).toLongLong() - 1) * page.at(1).toLongLong();

        QByteArray bytes = readAll(m_clean);
        QCOMPARE(int(quint8(bytes.at(offset))), LeafTableType);
        if (flipMask == 0) {
            for (qint64 i = 0; i < page.at(1).toLongLong(); ++i)
                bytes[offset + i] = char(0xA5 ^ (i * 31));
        } else {
            bytes[offset] = char(quint8(bytes.at(offset)) ^ flipMask);
        }
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        QVERIFY(writeAll(path, bytes));

        const QList<QStringList> commands{{u"events"_s},
                                          {u"info"_s},
                                          {u"stats"_s, u"--bucket"_s, u"hour"_s},
                                          {u"streams"_s},
                                          {u"replay"_s, u"--stream"_s, u"bulk-7"_s}};
        int failed = 0;
        for (const QStringList &command : commands) {
            const QStringList args = QStringList{command.first(), path} + command.mid(1);
            const TestSupport::CliRun run = runCli(args);
            const TestSupport::CliRun &clean = cleanRun(command);
            QCOMPARE(clean.exitCode, 0);
            if (run.exitCode == 0) {
                QVERIFY2(run.out == clean.out,
                         qPrintable(args.join(u' ') + u": a partial answer with exit 0"_s));
                continue;
            }
            ++failed;
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(path) && run.err.contains(u"corrupt"_s),
                     qPrintable(args.join(u' ') + u": "_s + run.err));
            QCOMPARE(run.err.count(u'\n'), 1);
        }
        QVERIFY2(failed > 0, "the corruption went unnoticed by every command");
    }

    // Keyset paging needs unique integer positions in every row: a mapping whose position
    // lacks that is refused at open, saying what it lacks.
    void positionsThatCannotPageAreRefused_data()
    {
        QTest::addColumn<QStringList>("sql");
        QTest::addColumn<QString>("message"); // empty: opens, and pages through every row
        const QString table = u"CREATE TABLE t (pos %1, s TEXT, v INTEGER, kind TEXT, body TEXT)"_s;
        const QString rows = u"INSERT INTO t SELECT %1, 's' || (x % 7), x, 'K', '{}' FROM "
                             "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                             "WHERE x < 2500) SELECT x FROM c)"_s;
        QTest::newRow("text") << QStringList{table.arg(u"TEXT"_s), rows.arg(u"'p' || x"_s)}
                              << u"holds text values"_s;
        QTest::newRow("integers in a text column")
            << QStringList{table.arg(u"TEXT"_s), rows.arg(u"x"_s)} << u"holds text values"_s;
        QTest::newRow("a repeat on a page boundary")
            << QStringList{table.arg(u"INTEGER"_s), rows.arg(u"CASE WHEN x = 1001 THEN 1000 "
                                                             "ELSE x END"_s)}
            << u"repeats 1000 (in 2 rows)"_s;
        QTest::newRow("NULL") << QStringList{table.arg(u"INTEGER"_s),
                                             rows.arg(
                                                 u"CASE WHEN x % 3 = 0 THEN NULL ELSE x END"_s)}
                              << u"is NULL in 833 rows"_s;
        QTest::newRow("more rows than are checked, in a view")
            << QStringList{u"CREATE VIEW t AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT "
                           "x + 1 FROM c WHERE x < %1) SELECT x AS pos, 's' AS s, x AS v, 'K' "
                           "AS kind, '{}' AS body FROM c"_s.arg(PositionColumn::CheckedRows + 1)}
            << u"more than 200000 rows to check"_s;
        QTest::newRow("unique integers without a primary key")
            << QStringList{table.arg(u"INTEGER NOT NULL"_s),
                           u"CREATE UNIQUE INDEX t_pos ON t(pos)"_s, rows.arg(u"5000 - x"_s)}
            << QString();
        QTest::newRow("unique integers, checked")
            << QStringList{table.arg(u"INTEGER"_s), rows.arg(u"x * 2"_s)} << QString();
    }

    void positionsThatCannotPageAreRefused()
    {
        QFETCH(QStringList, sql);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"mapped.db"_s);
        QVERIFY(TestSupport::execSql(path, sql));
        const QString map = u"table=t,position=pos,stream=s,version=v,type=kind,data=body"_s;
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {map, {}}, &error);
        if (!message.isEmpty()) {
            QVERIFY(!store);
            QVERIFY2(error.message.startsWith(path + u": the position column pos of t "_s) &&
                         error.message.contains(message) &&
                         error.message.contains(u"map position="_s),
                     qPrintable(error.message));
            QCOMPARE(error.kind, StoreError::Kind::BadMapping);
            const TestSupport::CliRun run = runCli({u"events"_s, path, u"--map"_s, map});
            QCOMPARE(run.exitCode, 1);
            QVERIFY(run.out.isEmpty());
            return;
        }
        QVERIFY2(store, qPrintable(error.message));
        EventFilter filter;
        filter.limit = 1000;
        QSet<qint64> seen;
        for (;;) {
            const auto page = store->events(filter);
            QVERIFY2(page, qPrintable(store->errorString()));
            for (const Event &e : *page)
                seen.insert(e.position);
            if (page->size() < filter.limit)
                break;
            filter.afterPosition = page->constLast().position;
        }
        QCOMPARE(seen.size(), 2500);
    }

    // A writer in another connection appends three events per transaction to stream "live",
    // removes the three oldest events of the other streams (as a store's scavenging would) and
    // closes after each commit, while the CLI reads: every answer is one state of the store,
    // with nothing missing or repeated; `events` over the whole store, many pages long, has
    // as many events as the store always has, as only one state of it has.
    void concurrentWriterNeverTearsAnAnswer_data()
    {
        QTest::addColumn<QString>("journalMode");
        QTest::newRow("wal") << u"WAL"_s;
        QTest::newRow("rollback journal") << u"DELETE"_s;
    }

    void concurrentWriterNeverTearsAnAnswer()
    {
        QFETCH(QString, journalMode);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"live.db"_s);
        constexpr int StoreEvents = 6000; // six of the CLI's pages
        QVERIFY(createBulkStore(path, journalMode, StoreEvents));
        std::atomic_bool stop = false;
        std::atomic_int commits = 0;
        QThread *writer = QThread::create([&] {
            for (int i = 0; !stop && i < 400; ++i) {
                TestSupport::WritingConnection db(path);
                const QString insert =
                    u"INSERT INTO events SELECT MAX(global_position) + 1, 'live', "
                    "COALESCE((SELECT MAX(stream_version) FROM events WHERE stream_id = 'live'), "
                    "0) + 1, NULL, 'Appended', '2026-03-01T00:00:00.000Z', '{\"pad\": \"%1\"}', "
                    "NULL FROM events"_s.arg(QString(200, u'y'));
                const QString scavenge =
                    u"DELETE FROM events WHERE global_position IN (SELECT global_position FROM "
                    "events WHERE stream_id <> 'live' ORDER BY global_position LIMIT 3)"_s;
                if (!db.exec(u"BEGIN IMMEDIATE"_s) || !db.exec(insert) || !db.exec(insert) ||
                    !db.exec(insert) || !db.exec(scavenge) || !db.exec(u"COMMIT"_s))
                    return;
                ++commits;
                QThread::msleep(20);
            }
        });
        writer->start();
        const auto stopWriter = [&] {
            stop = true;
            writer->wait();
            delete writer;
            writer = nullptr;
        };
        const auto stopOnFailure = qScopeGuard([&] {
            if (writer)
                stopWriter();
        });
        int reads = 0;
        for (; reads < 4 && !writer->isFinished(); ++reads) {
            const TestSupport::CliRun events =
                runCli({u"events"_s, path, u"--stream"_s, u"live"_s});
            QVERIFY2(events.exitCode == 0, qPrintable(events.err));
            const QList<QJsonObject> lines = jsonLines(events.out);
            QCOMPARE(lines.size() % 3, 0); // whole transactions
            for (int i = 0; i < lines.size(); ++i)
                QCOMPARE(lines.at(i).value(u"version"_s).toInteger(), i + 1);

            const TestSupport::CliRun all = runCli({u"events"_s, path});
            QVERIFY2(all.exitCode == 0, qPrintable(all.err));
            const QList<QJsonObject> allLines = jsonLines(all.out);
            QCOMPARE(allLines.size(), StoreEvents);
            qint64 lastPosition = 0;
            qint64 liveVersion = 0;
            for (const QJsonObject &event : allLines) {
                QVERIFY(event.value(u"position"_s).toInteger() > lastPosition);
                lastPosition = event.value(u"position"_s).toInteger();
                if (event.value(u"stream"_s).toString() == u"live")
                    QCOMPARE(event.value(u"version"_s).toInteger(), ++liveVersion);
            }
            QCOMPARE(liveVersion % 3, 0);

            const TestSupport::CliRun info = runCli({u"info"_s, path});
            QVERIFY2(info.exitCode == 0, qPrintable(info.err));
            QVERIFY2(!info.err.contains(u"truncated"_s), qPrintable(info.err));
            const QJsonObject summary = jsonLines(info.out).value(0);
            qint64 typed = 0;
            const QJsonObject types = summary.value(u"types"_s).toObject();
            for (auto it = types.begin(); it != types.end(); ++it)
                typed += it.value().toInteger();
            QCOMPARE(typed, summary.value(u"events"_s).toInteger());
            QCOMPARE((summary.value(u"events"_s).toInteger() - StoreEvents) % 3, 0);
        }
        stopWriter();
        QVERIFY2(commits > 0, "the writer never committed");
        QVERIFY2(reads >= 2, "the reads did not overlap the writer");
        // After the writer: every event is there, once.
        const TestSupport::CliRun events = runCli({u"events"_s, path, u"--stream"_s, u"live"_s});
        QCOMPARE(jsonLines(events.out).size(), commits * 3);
    }

    // `info` counts the store through its in-memory index; under a writer that appends three
    // events and deletes three of the newest others in each transaction (the store keeps its
    // size) and closes after each commit, every count is of one state: 20,000.
    void infoIsOneStateUnderAWriterThatDeletes_data() { concurrentWriterNeverTearsAnAnswer_data(); }

    void infoIsOneStateUnderAWriterThatDeletes()
    {
        QFETCH(QString, journalMode);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"shrinking.db"_s);
        constexpr int StoreEvents = 20000;
        QVERIFY(createBulkStore(path, journalMode, StoreEvents));
        std::atomic_bool stop = false;
        std::atomic_int commits = 0;
        QThread *writer = QThread::create([&] {
            for (int i = 0; !stop && i < 2000; ++i) {
                TestSupport::WritingConnection db(path);
                const QString insert =
                    u"INSERT INTO events SELECT MAX(global_position) + 1, 'live', "
                    "COALESCE((SELECT MAX(stream_version) FROM events WHERE stream_id = 'live'), "
                    "0) + 1, NULL, 'Appended', '2026-03-01T00:00:00.000Z', '{}', NULL "
                    "FROM events"_s;
                const QString remove =
                    u"DELETE FROM events WHERE global_position IN (SELECT global_position FROM "
                    "events WHERE stream_id <> 'live' ORDER BY global_position DESC LIMIT 3)"_s;
                if (!db.exec(u"BEGIN IMMEDIATE"_s) || !db.exec(insert) || !db.exec(insert) ||
                    !db.exec(insert) || !db.exec(remove) || !db.exec(u"COMMIT"_s))
                    return;
                ++commits;
                QThread::msleep(5);
            }
        });
        writer->start();
        const auto stopWriter = qScopeGuard([&] {
            stop = true;
            writer->wait();
            delete writer;
        });
        int reads = 0;
        for (; reads < 6 && !writer->isFinished(); ++reads) {
            const TestSupport::CliRun info = runCli({u"info"_s, path});
            if (info.exitCode != 0) {
                // A store that changed each time it was looked at may be refused, by name;
                // never answered wrongly.
                QVERIFY2(info.err.contains(u"try again"_s), qPrintable(info.err));
                continue;
            }
            const QJsonObject summary = jsonLines(info.out).value(0);
            QCOMPARE(summary.value(u"events"_s).toInteger(), StoreEvents);
            qint64 typed = 0;
            const QJsonObject types = summary.value(u"types"_s).toObject();
            for (auto it = types.begin(); it != types.end(); ++it)
                typed += it.value().toInteger();
            QCOMPARE(typed, StoreEvents);
        }
        QVERIFY2(commits > 0, "the writer never committed");
        QVERIFY2(reads >= 2, "the reads did not overlap the writer");
    }
};

QTEST_GUILESS_MAIN(TestIntegrity)
#include "tst_integrity.moc"

// View ▸ Follow New Events: while a writer appends (a WAL store whose writer closes after each
// commit, so that its -wal and -shm come and go, and a rollback-journal store), the window
// takes in every event once: the event table's rows, the stream list's counts, the
// status bar's total and the replayed stream's slider, which stays at the end.

#include "eventtablemodel.h"
#include "mainwindow.h"
#include "replaybar.h"
#include "storefollower.h"
#include "streamlistmodel.h"
#include "testsupport.h"

#include <QAction>
#include <QRandomGenerator>
#include <QSlider>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <memory>
#include <thread>

using namespace Qt::StringLiterals;

namespace {

constexpr int SmallStoreEvents = 12; // TestSupport::createSmallStore
constexpr int Commits = 60;

// Commits `from` .. `to` - 1 of a seeded sequence of commits of 1 to 3 events over the streams
// live-0 .. live-2, a few milliseconds apart; the events per stream of all commits up to `to`.
QMap<QString, int> appendEvents(const QString &path, int from, int to)
{
    QRandomGenerator random(11);
    qint64 position = SmallStoreEvents;
    qint64 versions[3] = {0, 0, 0};
    QMap<QString, int> events;
    for (int commit = 0; commit < to; ++commit) {
        QStringList rows;
        const int count = 1 + random.bounded(3);
        for (int i = 0; i < count; ++i) {
            const int stream = random.bounded(3);
            ++position;
            rows << u"(%1, 'live-%2', %3, NULL, 'Clicked', '2026-02-01T00:%4:00.000Z', "
                    "'{\"n\": %1}', NULL)"_s.arg(position)
                        .arg(stream)
                        .arg(++versions[stream])
                        .arg(commit % 60, 2, 10, QChar(u'0'));
            ++events[u"live-%1"_s.arg(stream)];
        }
        const int pauseMs = random.bounded(5, 30);
        if (commit < from)
            continue;
        TestSupport::WritingConnection writer(path); // closed after each commit
        if (!writer.exec(u"INSERT INTO events VALUES "_s + rows.join(u", "_s)))
            return {};
        QThread::msleep(pauseMs);
    }
    return events;
}

int total(const QMap<QString, int> &events)
{
    int sum = SmallStoreEvents;
    for (int n : events)
        sum += n;
    return sum;
}

} // namespace

class TestFollowWindow : public QObject
{
    Q_OBJECT

private slots:
    void windowFollowsAWriter_data()
    {
        QTest::addColumn<QString>("journal");
        QTest::newRow("wal") << u"WAL"_s;
        QTest::newRow("rollback") << u"DELETE"_s;
    }

    void windowFollowsAWriter()
    {
        // expected: every event of the store; live0: those of the replayed stream
        QFETCH(QString, journal);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"live.db"_s);
        QVERIFY(TestSupport::createSmallStore(path));
        QVERIFY(TestSupport::execSql(path, {u"PRAGMA journal_mode = "_s + journal},
                                     TestSupport::Transaction::None));
        const auto atOpen = appendEvents(path, 0, 10);
        QCOMPARE(atOpen.size(), 3);

        MainWindow w(dir.filePath(u"follow.ini"_s));
        w.resize(1200, 800);
        w.show();
        w.openStore(path);
        QVERIFY(QTest::qWaitFor([&] { return w.isSettled() && w.eventModel()->isCountExact(); },
                                20000));
        QCOMPARE(w.eventModel()->rowCount(), total(atOpen));
        // The table shows the selected stream's events only (the filter bar's default).
        w.selectStream(u"live-0"_s);
        QVERIFY(QTest::qWaitFor([&] { return w.isSettled(); }, 20000));
        QCOMPARE(w.replayBar()->slider()->maximum(), atOpen.value(u"live-0"_s) - 1);
        QCOMPARE(w.replayBar()->index(), atOpen.value(u"live-0"_s) - 1);

        auto *follow = w.findChild<QAction *>(u"followAction"_s);
        QVERIFY(follow);
        QVERIFY(!follow->isChecked());
        follow->setChecked(true);

        QMap<QString, int> all;
        std::thread writer([&] { all = appendEvents(path, 10, Commits); });
        // The window's event loop runs while the writer writes.
        std::atomic_bool written{false};
        std::thread done([&] {
            writer.join();
            written = true;
        });
        QVERIFY(QTest::qWaitFor([&] { return bool(written); }, 60000));
        done.join();
        QCOMPARE(all.size(), 3);
        const int expected = total(all);
        const int live0 = all.value(u"live-0"_s);
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return w.isSettled() && w.eventModel()->isCountExact() &&
                                w.eventModel()->rowCount() == live0 &&
                                w.statusStoreText().startsWith(QLocale().toString(expected) +
                                                               u" events"_s) &&
                                w.replayBar()->slider()->maximum() == live0 - 1;
                     },
                     20000),
                 qPrintable(u"rows %1 of %2, slider %3 of %4, %5"_s.arg(w.eventModel()->rowCount())
                                .arg(live0)
                                .arg(w.replayBar()->slider()->maximum())
                                .arg(live0 - 1)
                                .arg(w.statusStoreText())));
        // The followed stream shows its newest state.
        QCOMPARE(w.replayBar()->index(), qint64(live0 - 1));
        // Every stream's count in the list, each event once.
        StreamListModel *streams = w.streamModel();
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (int row = 0; row < streams->rowCount(); ++row) {
                    if (!streams->isRowLoaded(row))
                        streams->ensureLoaded(row);
                }
                return streams->isSettled();
            },
            10000));
        QMap<QString, int> listed;
        for (int row = 0; row < streams->rowCount(); ++row) {
            const QModelIndex index = streams->index(row, StreamListModel::StreamColumn);
            const QString name = index.data(StreamListModel::StreamRole).toString();
            if (name.startsWith(u"live-"_s))
                listed[name] = index.data(StreamListModel::EventCountRole).toInt();
        }
        QCOMPARE(listed, all);
        // The table's last row is the stream's last event.
        QVERIFY(QTest::qWaitFor(
            [&] {
                w.eventModel()->ensureLoaded(live0 - 1);
                return w.eventModel()->isRowLoaded(live0 - 1);
            },
            10000));
        QCOMPARE(w.eventModel()->event(live0 - 1).stream, u"live-0"_s);
        QCOMPARE(w.eventModel()->event(live0 - 1).version, qint64(live0));
        // The status bar counts every event of the store.
        QVERIFY2(w.statusStoreText().contains(QLocale().toString(expected)),
                 qPrintable(w.statusStoreText()));
        follow->setChecked(false);
    }
};

QTEST_MAIN(TestFollowWindow)
#include "tst_followwindow.moc"

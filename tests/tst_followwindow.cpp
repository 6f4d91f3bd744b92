// View ▸ Follow New Events: while a writer process appends (a WAL store whose writer closes
// after each commit, so that its -wal and -shm come and go, and a rollback-journal store), the
// window takes in every event once: the event table's rows, the stream list's counts, the status
// bar's total and the replayed stream's slider, which stays at the end.

#include "eventtablemodel.h"
#include "mainwindow.h"
#include "replaybar.h"
#include "storefollower.h"
#include "streamlistmodel.h"
#include "testsupport.h"

#include <QAction>
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

// The events per stream of the small store's live writer's commits up to `to`, writing
// commits `from` .. `to` - 1.
QMap<QString, int> appendEvents(const QString &path, int from, int to)
{
    QMap<QString, int> events;
    for (const QString &stream :
         TestSupport::appendLiveEvents(path, from, to, TestSupport::LiveWriter::OtherProcess))
        ++events[stream];
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
        QVERIFY(TestSupport::createSmallStore(path, journal));
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

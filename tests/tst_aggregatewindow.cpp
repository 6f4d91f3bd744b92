// The window's questions about one aggregate, driven as a user would offscreen: the State
// tree's "History of …" on a field that is added, set to the same value (no change),
// changed, removed with its parent's change of shape and added again; the panel lists
// exactly those changes, marks them on the timeline and the replay bar, and a click moves
// the replay there.

#include "aggregatetools.h"
#include "fieldhistorypanel.h"
#include "jsontreemodel.h"
#include "mainwindow.h"
#include "replaybar.h"
#include "replayslider.h"
#include "stateview.h"
#include "testsupport.h"
#include "timelineview.h"

#include <QApplication>
#include <QDateTime>
#include <QDockWidget>
#include <QMenu>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

struct Row
{
    const char *stream;
    int version;
    const char *type;
    const char *data;
};

// acct-1's balance.cents: added (v1), changed (v3), removed when balance becomes a number
// (v5), added again (v6), changed (v9, v10, v11, v14); v2, v4, v7 and v8 leave it alone and
// v12 sets it to the value it has.
const Row Rows[] = {
    {"acct-1", 1, "Opened", R"({"owner":"Ann","balance":{"cents":100}})"},
    {"acct-2", 1, "Opened", R"({"owner":"Cid","balance":{"cents":100}})"},
    {"acct-1", 2, "Renamed", R"({"owner":"Ann"})"},
    {"acct-1", 3, "Deposited", R"({"balance":{"cents":250}})"},
    {"acct-1", 4, "Noted", R"({"note":"x"})"},
    {"acct-1", 5, "Reset", R"({"balance":5})"},
    {"acct-1", 6, "Deposited", R"({"balance":{"cents":250}})"},
    {"acct-1", 7, "Tagged", R"({"tags":["a","b"]})"},
    {"acct-1", 8, "Noted", R"({"note":"y"})"},
    {"acct-1", 9, "Withdrawn", R"({"balance":{"cents":-50}})"},
    {"acct-1", 10, "Deposited", R"({"balance":{"cents":300}})"},
    {"acct-1", 11, "Withdrawn", R"({"balance":{"cents":-20}})"},
    {"acct-1", 12, "Deposited", R"({"balance":{"cents":-20.0}})"},
    {"acct-1", 14, "Deposited", R"({"balance":{"cents":100}})"},
};

bool writeStore(const QString &path)
{
    QStringList sql{
        u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
        "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at TEXT "
        "NOT NULL, data TEXT, metadata TEXT, UNIQUE(stream_id, stream_version))"_s};
    int position = 0;
    const qint64 base = QDateTime(QDate(2026, 2, 1), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch();
    for (const Row &r : Rows) {
        const QString time = QDateTime::fromMSecsSinceEpoch(base + r.version * 60000, Qt::UTC)
                                 .toString(Qt::ISODateWithMs);
        sql << u"INSERT INTO events VALUES (%1, '%2', %3, NULL, '%4', '%5', '%6', '{}')"_s
                   .arg(++position)
                   .arg(QString::fromUtf8(r.stream))
                   .arg(r.version)
                   .arg(QString::fromUtf8(r.type), time, QString::fromUtf8(r.data));
    }
    return TestSupport::execSql(path, sql);
}

QStringList column(QTreeWidget *list, int column)
{
    QStringList texts;
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        texts << list->topLevelItem(i)->text(column);
    return texts;
}

} // namespace

class TestAggregateWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath(u"accounts.db"_s);
        QVERIFY(writeStore(m_store));
    }

    void fieldHistoryFromTheStateTree()
    {
        MainWindow w(m_dir.filePath(u"history.ini"_s));
        w.resize(1400, 900);
        w.show();
        w.openStore(m_store);
        QVERIFY(QTest::qWaitFor([&] { return w.isSettled(); }, 20000));
        w.selectStream(u"acct-1"_s);
        QVERIFY(QTest::qWaitFor(
            [&] { return w.isSettled() && w.replayBar()->slider()->maximum() == 12; }, 20000));
        QTreeView *tree = w.stateView()->tree();
        QVERIFY(QTest::qWaitFor(
            [&] { return w.stateView()->model()->indexForPath(u"balance.cents"_s).isValid(); },
            10000));
        tree->expandAll();
        const QModelIndex cents = w.stateView()->model()->indexForPath(u"balance.cents"_s);
        QDockWidget *dock = w.aggregateTools()->historyDock();
        QVERIFY(!dock->isVisible());

        // The user right-clicks the field and picks the menu's one action.
        QTimer::singleShot(0, this, [] {
            auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
            QVERIFY(menu);
            QCOMPARE(menu->actions().size(), 1);
            QVERIFY(menu->actions().first()->text().contains(u"balance.cents"_s));
            menu->actions().first()->trigger();
            menu->close();
        });
        emit tree->customContextMenuRequested(tree->visualRect(cents).center());

        FieldHistoryPanel *panel = w.aggregateTools()->historyPanel();
        QTRY_VERIFY_WITH_TIMEOUT(dock->isVisible(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(panel->list()->topLevelItemCount(), 8, 10000);
        QCOMPARE(column(panel->list(), 0),
                 (QStringList{u"1"_s, u"3"_s, u"5"_s, u"6"_s, u"9"_s, u"10"_s, u"11"_s, u"14"_s}));
        QCOMPARE(column(panel->list(), 3),
                 (QStringList{u"added"_s, u"changed"_s, u"removed"_s, u"added"_s, u"changed"_s,
                              u"changed"_s, u"changed"_s, u"changed"_s}));
        QCOMPARE(column(panel->list(), 2).at(2), u"Reset"_s);
        QCOMPARE(column(panel->list(), 4).at(0), u"—  →  100"_s);
        QCOMPARE(column(panel->list(), 4).at(2), u"250  →  —"_s);
        QVERIFY2(panel->heading().contains(u"8 changes"_s), qPrintable(panel->heading()));
        QCOMPARE(w.timeline()->markCount(u"fieldHistory"_s), 8);
        auto *slider = qobject_cast<ReplaySlider *>(w.replayBar()->slider());
        QVERIFY(slider);
        QCOMPARE(slider->findingCount(), 8);

        // A click on a change moves the replay to its event (version 5 is the 5th event).
        panel->list()->setCurrentItem(panel->list()->topLevelItem(2));
        QCOMPARE(w.replayBar()->index(), qint64(4));
        QTRY_VERIFY_WITH_TIMEOUT(w.stateView()->heading().contains(u"Reset"_s), 5000);

        QVERIFY(w.grab().save(u"/tmp/eventscope-field-history.png"_s));

        // Another stream: the answer and its marks belonged to the last one.
        w.selectStream(u"acct-2"_s);
        QTRY_COMPARE_WITH_TIMEOUT(w.timeline()->markCount(u"fieldHistory"_s), 0, 5000);
        QVERIFY(!panel->message().isEmpty());
        QCOMPARE(slider->findingCount(), 0);
    }

private:
    QTemporaryDir m_dir;
    QString m_store;
};

QTEST_MAIN(TestAggregateWindow)
#include "tst_aggregatewindow.moc"

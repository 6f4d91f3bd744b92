// The window's questions about one aggregate (issue #14), driven offscreen on the accounts
// store of TestSupport: a field's history from the State tree's menu (its rows, the marks on the
// timeline and the replay bar, a click that moves the replay), pin A and the diff with B
// (the same stream, and another stream at B's time), bisect with a predicate checked as it
// is typed, and a projection file loaded, refolded on change and its errors with their line.

#include "bisectdialog.h"
#include "fieldhistorypanel.h"
#include "jsontreemodel.h"
#include "mainwindow.h"
#include "replaybar.h"
#include "replayslider.h"
#include "sidebysideview.h"
#include "statediffview.h"
#include "stateview.h"
#include "testsupport.h"
#include "timelineview.h"

#include <QAction>
#include <QDateTime>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QStringList rowTexts(const QAbstractItemModel *model)
{
    QStringList rows;
    for (int row = 0; row < model->rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < model->columnCount(); ++column)
            cells << model->index(row, column).data().toString();
        rows << cells.join(u" | "_s);
    }
    return rows;
}

// The row under `parent` whose key is `key`, found by the tree's own rows.
QModelIndex childByKey(const QAbstractItemModel *model, const QString &key,
                       const QModelIndex &parent = {})
{
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, JsonTreeModel::KeyColumn, parent);
        if (index.data().toString() == key)
            return index;
    }
    return {};
}

QStringList itemTexts(const QTreeWidget *tree)
{
    QStringList rows;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = tree->topLevelItem(i);
        rows << item->text(0) + u" | "_s + item->text(1) + u" | "_s + item->text(2);
    }
    return rows;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

} // namespace

class TestAggregateWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;

    AggregateTools *tools() const { return m_window->aggregateTools(); }

    bool waitSettled()
    {
        QTest::qWait(20);
        return QTest::qWaitFor([this] { return m_window->isSettled(); }, 20000);
    }

    // Moves the replay to a version of acct-1 (index version - 1) and waits for its state.
    bool replayTo(qint64 version)
    {
        m_window->replayTo(version);
        return QTest::qWaitFor([this, version] {
            return m_window->replayBar()->index() == version - 1 && m_window->isSettled() &&
                   m_window->stateView()->heading().contains(u"version %1"_s.arg(version));
        });
    }

    void shot(QWidget *widget, const QString &name)
    {
        QDir().mkpath(u"/work/shots"_s);
        const QString dir = qEnvironmentVariable("EVENTSCOPE_SHOTS_DIR", u"/work/shots"_s);
        QVERIFY(widget->grab().save(dir + u"/aggwin3-"_s + name + u".png"_s));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString store = m_dir.filePath(u"accounts.db"_s);
        QVERIFY(TestSupport::createAccountStore(store)); // the rows' story: testsupport.cpp
        m_window = std::make_unique<MainWindow>(m_dir.filePath(u"settings.ini"_s));
        m_window->resize(1500, 950);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy opened(m_window.get(), &MainWindow::storeOpened);
        m_window->openStore(store);
        QVERIFY(opened.wait(20000));
        QVERIFY(waitSettled());
        m_window->selectStream(u"acct-1"_s);
        QVERIFY(QTest::qWaitFor([this] { return m_window->replayBar()->isStreamMode(); }, 20000));
        QVERIFY(waitSettled());
        QVERIFY(replayTo(17));
    }

    void historyOfAField()
    {
        StateView *state = m_window->stateView();
        const QModelIndex cents = state->model()->indexForPath(u"balance.cents"_s);
        QVERIFY(cents.isValid());
        std::unique_ptr<QMenu> menu(tools()->fieldMenu(cents, state->tree()));
        QVERIFY(menu);
        auto *history = menu->findChild<QAction *>(u"fieldHistoryAction"_s);
        QVERIFY(history);
        QCOMPARE(history->text(), u"History of this field"_s);
        history->trigger();

        FieldHistoryPanel *panel = tools()->historyPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 8, 20000);
        QCOMPARE(panel->heading(), u"History of balance.cents in acct-1"_s);
        // The renaming to the same owner is no change of this field, nor of any; 100.0 after
        // 100 is the same number.
        QCOMPARE(
            rowTexts(panel->model()),
            QStringList({u"1 | 2026-02-01T10:01:00.000Z | Opened | added | — → 100"_s,
                         u"3 | 2026-02-01T10:03:00.000Z | Deposited | changed | 100 → 250"_s,
                         u"5 | 2026-02-01T10:05:00.000Z | Reset | removed | 250 → —"_s,
                         u"6 | 2026-02-01T10:06:00.000Z | Deposited | added | — → 250"_s,
                         u"9 | 2026-02-01T10:09:00.000Z | Withdrawn | changed | 250 → -50"_s,
                         u"10 | 2026-02-01T10:10:00.000Z | Deposited | changed | -50 → 300"_s,
                         u"11 | 2026-02-01T10:11:00.000Z | Withdrawn | changed | 300 → -20"_s,
                         u"14 | 2026-02-01T10:14:00.000Z | Deposited | changed | -20 → 100"_s}));
        QCOMPARE(m_window->timeline()->markCount(u"fieldHistory"_s), 8);
        auto *slider = qobject_cast<ReplaySlider *>(m_window->replayBar()->slider());
        QCOMPARE(slider->tickCount(), 8);
        shot(m_window.get(), u"history"_s);

        // A click on the Reset row moves the replay to version 5.
        QTableView *view = panel->view();
        const QRect row = view->visualRect(panel->model()->index(2, 0));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, row.center());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->replayBar()->index(), 4, 20000);
        QVERIFY(replayTo(5));
        QVERIFY(!m_window->stateView()->model()->indexForPath(u"balance.cents"_s).isValid() ||
                m_window->stateView()
                        ->model()
                        ->indexForPath(u"balance.cents"_s)
                        .data(JsonTreeModel::ChangeRole)
                        .toInt() == int(JsonChange::Kind::Removed));
    }

    void diffOfTwoCursors()
    {
        QVERIFY(replayTo(9));
        QCOMPARE(tools()->pinAction()->shortcut(), QKeySequence(u"Ctrl+Shift+P"_s));
        tools()->pinAction()->trigger();
        QVERIFY(replayTo(11));
        tools()->showDiff();
        StateDiffView *diff = tools()->diffView();
        QTRY_COMPARE_WITH_TIMEOUT(diff->heading(),
                                  u"A: acct-1 @ version 9   ↔   B: acct-1 @ version 11"_s, 20000);
        QCOMPARE(itemTexts(diff->changes()), QStringList{u"balance.cents | changed | -50 → -20"_s});
        QCOMPARE(diff->statusText(), u"1 difference(s)"_s);
        QVERIFY(!diff->isBusy() && diff->cancelButton()->isHidden());
        const QModelIndex cents = diff->model()->indexForPath(u"balance.cents"_s);
        QCOMPARE(cents.data(JsonTreeModel::ChangeRole).toInt(), int(JsonChange::Kind::Changed));

        // B moves with the replay.
        QVERIFY(replayTo(13));
        QTRY_COMPARE_WITH_TIMEOUT(diff->heading(),
                                  u"A: acct-1 @ version 9   ↔   B: acct-1 @ version 13"_s, 20000);
        QCOMPARE(itemTexts(diff->changes()), QStringList({u"balance.cents | changed | -50 → -20"_s,
                                                          u"tags[0] | changed | \"a\" → \"c\""_s,
                                                          u"tags[1] | removed | \"b\" → —"_s}));

        // B from another stream, at the time the replay stands at (10:13: both of acct-2's).
        diff->otherStreamEdit()->setFocus();
        QTest::keyClicks(diff->otherStreamEdit(), u"acct-2"_s);
        QTest::keyClick(diff->otherStreamEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(diff->heading(),
                                  u"A: acct-1 @ version 9   ↔   B: acct-2 @ version 2"_s, 20000);
        QCOMPARE(
            itemTexts(diff->changes()),
            QStringList({u"[\"a.b\"] | removed | {\"c\":1} → —"_s,
                         u"balance.cents | changed | -50 → 100"_s, u"note | removed | \"x\" → —"_s,
                         u"owner | changed | \"Ann\" → \"Cid\""_s,
                         u"tags[1] | changed | \"b\" → \"z\""_s, u"vip | added | — → true"_s}));
        shot(m_window.get(), u"diff"_s);
        diff->otherStreamEdit()->clear();
        QTest::keyClick(diff->otherStreamEdit(), Qt::Key_Return);
        QVERIFY(waitSettled());
    }

    void sideBySide()
    {
        QVERIFY(replayTo(3)); // 10:03
        tools()->showSideBySide();
        SideBySideView *view = tools()->sideBySideView();
        QTest::mouseClick(view->addButton(), Qt::LeftButton); // the replayed stream
        QCOMPARE(view->streamsEdit()->text(), u"acct-1"_s);
        QVERIFY(view->streams().isEmpty()); // one is not enough
        view->streamsEdit()->setFocus();
        QTest::keyClicks(view->streamsEdit(), u", acct-2"_s);
        QTest::keyClick(view->streamsEdit(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(view->heading(), u"At 2026-02-01T10:03:00.000Z"_s, 20000);
        QCOMPARE(view->table()->headerItem()->text(1), u"acct-1 v3"_s);
        QCOMPARE(view->table()->headerItem()->text(2), u"acct-2 v2"_s);
        QCOMPARE(itemTexts(view->table()),
                 QStringList({u"balance.cents | 250 | 100"_s, u"owner | \"Ann\" | \"Cid\""_s,
                              u"tags[0] | \"a\" | \"a\""_s, u"tags[1] | — | \"z\""_s,
                              u"vip | — | true"_s}));
        QCOMPARE(view->differingPaths(),
                 QStringList({u"balance.cents"_s, u"owner"_s, u"tags[1]"_s, u"vip"_s}));
        QCOMPARE(view->statusText(), u"4 field(s) differ"_s);
        QVERIFY(!view->isBusy() && view->cancelButton()->isHidden());

        // The replay's cursor drives every column: at 10:01:00 acct-2 has no event yet.
        QVERIFY(replayTo(1));
        QTRY_COMPARE_WITH_TIMEOUT(view->heading(), u"At 2026-02-01T10:01:00.000Z"_s, 20000);
        QCOMPARE(view->table()->headerItem()->text(2), u"acct-2 (no event yet)"_s);
        QCOMPARE(view->differingPaths(),
                 QStringList({u"balance.cents"_s, u"owner"_s, u"tags[0]"_s}));
        shot(m_window.get(), u"sidebyside"_s);
        QVERIFY(waitSettled());
    }

    void bisect()
    {
        tools()->showBisect();
        BisectDialog *dialog = tools()->bisectDialog();
        QVERIFY(dialog && dialog->isVisible());
        QTest::keyClicks(dialog->predicateEdit(), u"balance.cents <"_s);
        QCOMPARE(dialog->errorText(), u"column 16: expected a value after '<'"_s);
        QVERIFY(!dialog->findButton()->isEnabled());
        QTest::keyClicks(dialog->predicateEdit(), u" 0"_s);
        QCOMPARE(dialog->errorText(), QString());
        QVERIFY(dialog->findButton()->isEnabled());
        QVERIFY(replayTo(7));
        QTest::mouseClick(dialog->findButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->resultText().startsWith(u"Holds first"_s), 20000);
        QCOMPARE(dialog->resultText(),
                 u"Holds first after version 9 (Withdrawn, 2026-02-01T10:09:00.000Z); the replay "
                 "is there."_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->replayBar()->index(), 8, 20000);
        dialog->resize(dialog->sizeHint().expandedTo(QSize(560, 0)));
        shot(dialog, u"bisect"_s);

        dialog->predicateEdit()->setText(u"owner == \"Zed\""_s);
        QTest::mouseClick(dialog->findButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->resultText(), u"Not found after 17 events."_s, 20000);
        dialog->close();
        QVERIFY(waitSettled());
    }

    void projectionFile()
    {
        // Loaded, reloaded and cleared, the replay folds again and stays at the version shown.
        QVERIFY(replayTo(10));
        const auto stateAt = [this](const QString &key) {
            return m_window->stateView()->model()->json().toObject().value(key);
        };
        const QString file = m_dir.filePath(u"projection.json"_s);
        QVERIFY(writeFile(file, R"({"Withdrawn": [{"op": "increment", "path": "withdrawals"}]})"));
        ProjectionFile *projection = tools()->projectionFile();
        QVERIFY(projection->load(file));
        // The replay folds again: Withdrawn counts, and no longer sets the balance.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->stateView()->model()->indexForPath(u"withdrawals"_s).isValid(), 20000);
        QVERIFY(waitSettled());
        QCOMPARE(m_window->replayBar()->index(), 9);
        QVERIFY(m_window->stateView()->heading().contains(u"version 10"_s));
        QCOMPARE(stateAt(u"withdrawals"_s).toDouble(), 1.0);

        QSignalSpy changed(projection, &ProjectionFile::changed);
        QVERIFY(writeFile(file, R"({"Withdrawn": [{"op": "increment", "path": "debits"}]})"));
        QVERIFY(changed.wait(10000) || changed.size() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->stateView()->model()->indexForPath(u"debits"_s).isValid(), 20000);
        QVERIFY(waitSettled());
        QCOMPARE(m_window->replayBar()->index(), 9);
        QVERIFY(m_window->stateView()->heading().contains(u"version 10"_s));
        QCOMPARE(stateAt(u"debits"_s).toDouble(), 1.0);

        QVERIFY(replayTo(11));
        const QJsonObject state = m_window->stateView()->model()->json().toObject();
        QCOMPARE(state.value(u"debits"_s).toDouble(), 2.0);
        QCOMPARE(state.value(u"balance"_s).toObject().value(u"cents"_s).toDouble(), 300.0);

        // Changed on disk: read again; a broken file says where, and the last good one stays.
        QSignalSpy failed(projection, &ProjectionFile::failed);
        QVERIFY(writeFile(file, "{\n  \"Withdrawn\": [{\"op\": \"nope\", \"path\": \"x\"}]\n}\n"));
        QVERIFY(failed.wait(10000) || failed.size() > 0);
        QVERIFY2(
            projection->error().startsWith(u"line 2: type \"Withdrawn\", operation 1 of 1: "_s),
            qPrintable(projection->error()));
        QVERIFY(!projection->projection().isDefaultMerge());
        QCOMPARE(
            ProjectionFile::withLine("{\n\n  \"a\": [,]\n}",
                                     {u"projection is not valid JSON: illegal value"_s, 11, {}}),
            u"line 3: projection is not valid JSON: illegal value"_s);
        // A type whose name needs escaping in JSON is found by its key as written.
        QCOMPARE(ProjectionFile::withLine("{\n \"x\": [],\n \"a\\\"b\": 3\n}",
                                          {u"type \"a\\\"b\": expected an array"_s, -1, u"a\"b"_s}),
                 u"line 3: type \"a\\\"b\": expected an array"_s);
        shot(m_window.get(), u"projection-error"_s);

        QVERIFY(replayTo(3));
        projection->clear();
        QTRY_VERIFY_WITH_TIMEOUT(
            !m_window->stateView()->model()->indexForPath(u"debits"_s).isValid(), 20000);
        QVERIFY(waitSettled());
        QCOMPARE(m_window->replayBar()->index(), 2);
        QVERIFY(m_window->stateView()->heading().contains(u"version 3"_s));
        QCOMPARE(stateAt(u"balance"_s).toObject().value(u"cents"_s).toDouble(), 250.0);
    }

    // The field's path comes from the tree's keys, not from its display text read back.
    void historyOfOddKeys()
    {
        m_window->selectStream(u"odd-1"_s);
        QVERIFY(QTest::qWaitFor(
            [this] { return m_window->stateView()->heading().contains(u"odd-1"_s); }, 20000));
        QVERIFY(waitSettled());
        m_window->replayTo(3);
        QVERIFY(QTest::qWaitFor([this] {
            return m_window->isSettled() &&
                   m_window->stateView()->heading().contains(u"version 3"_s);
        }));
        StateView *state = m_window->stateView();
        const QModelIndex dotted = childByKey(state->model(), u"a.b"_s);
        QVERIFY(dotted.isValid());
        const QModelIndex c = childByKey(state->model(), u"c"_s, dotted);
        QVERIFY(c.isValid());
        std::unique_ptr<QMenu> menu(tools()->fieldMenu(c, state->tree()));
        QVERIFY(menu);
        menu->findChild<QAction *>(u"fieldHistoryAction"_s)->trigger();
        FieldHistoryPanel *panel = tools()->historyPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 2, 20000);
        QCOMPARE(panel->heading(), u"History of [\"a.b\"].c in odd-1"_s);
        QCOMPARE(rowTexts(panel->model()),
                 QStringList({u"1 | 2026-02-01T10:01:02.000Z | Opened | added | — → 1"_s,
                              u"2 | 2026-02-01T10:02:02.000Z | Changed | changed | 1 → 2"_s}));

        const QModelIndex quoted = childByKey(state->model(), u"q[\"x\"]"_s);
        QVERIFY(quoted.isValid());
        menu.reset(tools()->fieldMenu(quoted, state->tree()));
        QVERIFY(menu);
        menu->findChild<QAction *>(u"fieldHistoryAction"_s)->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(panel->heading().startsWith(u"History of [\"q"_s), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 2, 20000);
        QCOMPARE(panel->heading(), u"History of [\"q[\\\"x\\\"]\"] in odd-1"_s);
        QCOMPARE(rowTexts(panel->model()),
                 QStringList(
                     {u"1 | 2026-02-01T10:01:02.000Z | Opened | added | — → \"one\""_s,
                      u"3 | 2026-02-01T10:03:02.000Z | Changed | changed | \"one\" → \"two\""_s}));
        QVERIFY(waitSettled());
    }
};

QTEST_MAIN(TestAggregateWindow)
#include "tst_aggregatewindow.moc"

// The window's questions about the whole store (issue #15), driven offscreen on a small
// hand-made store with planted defects and a known schema change: the payload search over
// the events table.

#include "eventtablemodel.h"
#include "mainwindow.h"
#include "payloadsearchbar.h"
#include "problemslist.h"
#include "readmodelview.h"
#include "schemaview.h"
#include "slicedialog.h"
#include "storetools.h"
#include "testsupport.h"
#include "timelineview.h"

#include <QAction>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDockWidget>
#include <QHeaderView>
#include <QItemSelection>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QString row(qint64 position, const QString &stream, qint64 version, const QString &type,
            const QString &time, const QString &data)
{
    return u"INSERT INTO events VALUES (%1, '%2', %3, NULL, '%4', %5, %6, NULL)"_s.arg(position)
        .arg(stream)
        .arg(version)
        .arg(type, time, data);
}

// Seven events in three carts. cart-1 skips version 3; the qty of Added turns from a number
// into a string on 2026-03-03 and `gift` appears on 2026-03-05; cart-2's version 3 does not
// parse and goes back in time; cart-3's event has no time.
const QStringList StoreRows = {
    u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT, "
    "stream_version INTEGER, event_id TEXT, type TEXT, recorded_at TEXT, data, metadata)"_s,
    row(1, u"cart-1"_s, 1, u"Added"_s, u"'2026-03-01T10:00:00.000Z'"_s,
        u"'{\"sku\":\"A\",\"qty\":1}'"_s),
    row(2, u"cart-2"_s, 1, u"Added"_s, u"'2026-03-02T10:00:00.000Z'"_s,
        u"'{\"sku\":\"B\",\"qty\":5}'"_s),
    row(3, u"cart-1"_s, 2, u"Added"_s, u"'2026-03-03T10:00:00.000Z'"_s,
        u"'{\"sku\":\"C\",\"qty\":\"3\"}'"_s),
    row(4, u"cart-1"_s, 4, u"Removed"_s, u"'2026-03-04T10:00:00.000Z'"_s, u"'{\"sku\":\"A\"}'"_s),
    row(5, u"cart-2"_s, 2, u"Added"_s, u"'2026-03-05T10:00:00.000Z'"_s,
        u"'{\"sku\":\"Big Box\",\"qty\":2,\"gift\":true}'"_s),
    row(6, u"cart-2"_s, 3, u"Added"_s, u"'2026-03-03T12:00:00.000Z'"_s, u"'{\"sku\":'"_s),
    row(7, u"cart-3"_s, 1, u"Added"_s, u"NULL"_s, u"'{\"sku\":\"D\",\"qty\":7}'"_s),
};

// 25,000 events in 7 streams, a second apart from 2026-01-01: data {"n": position, "note":
// "even"|"odd"}.
constexpr int BigEvents = 25000;
const QStringList BigStoreRows = {
    StoreRows.constFirst(),
    u"INSERT INTO events WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq "
    "WHERE x < %1) SELECT x, 'big-' || (x %% 7), (x + 6) / 7, NULL, 'Tick', "
    "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 1767225600 + x, 'unixepoch'), json_object('n', x, "
    "'note', CASE WHEN x %% 2 = 0 THEN 'even' ELSE 'odd' END), NULL FROM seq"_s.arg(BigEvents)
        .replace(u"%%"_s, u"%"_s),
};

// The position of each line of JSON Lines text.
QList<qint64> linePositions(const QByteArray &text)
{
    QList<qint64> positions;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.isEmpty())
            positions << TestSupport::jsonObject(line).value(u"global_position"_s).toInteger();
    }
    return positions;
}

QList<qint64> tablePositions(EventTableModel *model)
{
    QList<qint64> positions;
    for (int row = 0; row < model->rowCount(); ++row)
        positions << model->event(row).position;
    return positions;
}

} // namespace

class TestStoreWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_store = m_dir.filePath(u"carts.sqlite"_s);
        QVERIFY(TestSupport::execSql(m_store, StoreRows));
    }

    void init()
    {
        m_window = std::make_unique<MainWindow>(m_dir.filePath(u"settings.ini"_s));
        m_window->resize(1300, 850);
        m_window->show();
        m_window->openStore(m_store);
        QVERIFY(QTest::qWaitFor(
            [&] { return m_window->isSettled() && m_window->eventModel()->rowCount() == 7; },
            20000));
    }

    void cleanup() { m_window.reset(); }

    void searchByPredicateFiltersCountsAndMarks()
    {
        PayloadSearchBar *bar = m_window->storeTools()->searchBar();
        QTest::keyClicks(bar->field(), u"qty > 1"_s);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(bar->statusText(), u"3 events match"_s, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(tablePositions(m_window->eventModel()), (QList<qint64>{2, 5, 7}),
                                  10000);
        // cart-3's event has no time: it has no place on the timeline.
        QCOMPARE(m_window->timeline()->markCount(StoreTools::SearchMarks), 2);
        m_window->grab().save(u"/work/shots/storewin2-search.png"_s);

        // The table's filters narrow the search: the selected stream only.
        m_window->selectStream(u"cart-2"_s);
        QTRY_COMPARE_WITH_TIMEOUT(tablePositions(m_window->eventModel()), (QList<qint64>{2, 5}),
                                  10000);
        QTRY_COMPARE_WITH_TIMEOUT(bar->statusText(), u"2 events match"_s, 10000);

        // Clearing shows the stream's events again, without marks.
        QTest::mouseClick(bar->clearButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tablePositions(m_window->eventModel()), (QList<qint64>{2, 5, 6}),
                                  10000);
        QCOMPARE(m_window->timeline()->markCount(StoreTools::SearchMarks), 0);
        QCOMPARE(bar->statusText(), QString());
    }

    void containsModeFindsPlainTextIgnoringCase()
    {
        PayloadSearchBar *bar = m_window->storeTools()->searchBar();
        QTest::mouseClick(bar->containsMode(), Qt::LeftButton);
        QVERIFY(bar->isContainsMode());
        QTest::keyClicks(bar->field(), u"big box"_s);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(bar->statusText(), u"1 event matches"_s, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(tablePositions(m_window->eventModel()), (QList<qint64>{5}),
                                  10000);
        QCOMPARE(m_window->timeline()->markCount(StoreTools::SearchMarks), 1);
    }

    void malformedPredicateIsShownAndNotRun()
    {
        PayloadSearchBar *bar = m_window->storeTools()->searchBar();
        QTest::keyClicks(bar->field(), u"qty >"_s);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QVERIFY2(bar->statusText().startsWith(u"Column 6: "_s), qPrintable(bar->statusText()));
        QCOMPARE(bar->field()->cursorPosition(), 5);
        QVERIFY(!m_window->eventModel()->showsMatches());
        QTest::qWait(200);
        QCOMPARE(m_window->eventModel()->rowCount(), 7);
        QCOMPARE(m_window->timeline()->markCount(StoreTools::SearchMarks), 0);
        bar->grab().save(u"/work/shots/storewin2-search-error.png"_s);
    }

    void checkStoreListsProblemsByKindAndGoesToThem()
    {
        StoreTools *tools = m_window->storeTools();
        QVERIFY(tools->checkAction()->isEnabled());
        tools->checkAction()->trigger();
        ProblemsList *list = tools->problemsList();
        QTRY_VERIFY_WITH_TIMEOUT(!list->cancelButton()->isVisible(), 10000);
        QCOMPARE(list->statusText(), u"4 problems in 7 events of 3 streams"_s);
        QVERIFY(m_window->findChild<QDockWidget *>(u"problemsDock"_s)->isVisible());
        QCOMPARE(list->groupTexts(),
                 (QStringList{u"version_gap (1)"_s, u"time_backwards (1)"_s,
                              u"unparseable_data (1)"_s, u"missing_time (1)"_s}));
        // Every problem's event but cart-3's (which has no time) is marked.
        QCOMPARE(m_window->timeline()->markCount(StoreTools::ProblemMarks), 3);
        m_window->grab().save(u"/work/shots/storewin2-check.png"_s);

        // Clicking the version gap goes to cart-1's event at position 4.
        QTreeWidget *tree = list->tree();
        QTreeWidgetItem *gap = tree->topLevelItem(0)->child(0);
        QCOMPARE(gap->text(0), u"cart-1"_s);
        QCOMPARE(gap->text(1), u"4"_s);
        QCOMPARE(gap->text(2), u"4"_s);
        QCOMPARE(gap->text(3), u"version 3 is missing"_s);
        tree->scrollToItem(gap);
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(gap).center());
        QTRY_COMPARE_WITH_TIMEOUT(m_window->selectedStream(), u"cart-1"_s, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isSettled(), 10000);
        QTest::qWait(300);
        const QModelIndexList selected = m_window->eventView()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(m_window->eventModel()->event(selected.constFirst().row()).position, 4);
    }

    void schemaShowsFieldsTypesPresenceAndChanges()
    {
        StoreTools *tools = m_window->storeTools();
        tools->schemaAction()->trigger();
        SchemaView *view = tools->schemaView();
        QVERIFY(view && view->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!view->cancelButton()->isVisible(), 10000);
        QTreeWidget *tree = view->tree();
        QCOMPARE(tree->topLevelItemCount(), 2);
        QTreeWidgetItem *added = tree->topLevelItem(0);
        QCOMPARE(added->text(SchemaView::FieldColumn), u"Added"_s);
        QCOMPARE(added->text(SchemaView::EventsColumn), u"6"_s);
        QStringList rows;
        for (int i = 0; i < added->childCount(); ++i) {
            const QTreeWidgetItem *field = added->child(i);
            rows << QStringList{field->text(SchemaView::FieldColumn),
                                field->text(SchemaView::TypesColumn),
                                field->text(SchemaView::EventsColumn),
                                field->text(SchemaView::ChangesColumn)}
                        .join(u" | "_s);
        }
        QCOMPARE(rows,
                 (QStringList{
                     u"(the whole payload) | not_json 1 | 1 | appeared 2026-03-03 12:00; "
                     "vanished after 2026-03-03 12:00"_s,
                     u"gift | boolean 1 | 1 | appeared 2026-03-05 10:00; vanished after "
                     "2026-03-05 10:00"_s,
                     u"qty | string 1, number 4 | 5 | number → string 2026-03-03 10:00; string → "
                     "number 2026-03-05 10:00"_s,
                     u"sku | string 5 | 5 | "_s}));
        // gift's strip: held by the one event of its slice, absent from earlier ones.
        const auto shares = added->child(1)
                                ->data(SchemaView::PresenceColumn, SchemaView::PresenceRole)
                                .value<QList<qreal>>();
        QCOMPARE(shares.size(), StoreTools::SchemaSlices);
        QCOMPARE(shares.constLast(), 1.0);
        QCOMPARE(shares.constFirst(), 0.0);
        QCOMPARE(shares.at(1), -1.0); // no Added events there
        QCOMPARE(tree->topLevelItem(1)->text(SchemaView::FieldColumn), u"Removed"_s);
        view->grab().save(u"/work/shots/storewin2-schema.png"_s);
    }

    void readModelFoldsKeysIntoASortableTableAndChart()
    {
        const QString projection = m_dir.filePath(u"adds.json"_s);
        QFile file(projection);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"key": "$stream", "Added": [{"op": "increment", "path": "adds"}]})");
        file.close();

        StoreTools *tools = m_window->storeTools();
        tools->readModelAction()->trigger();
        QVERIFY(m_window->findChild<QDockWidget *>(u"readModelDock"_s)->isVisible());
        tools->computeReadModel(projection);
        ReadModelView *view = tools->readModelView();
        QTRY_COMPARE_WITH_TIMEOUT(view->statusText(), u"3 keys"_s, 10000);
        // By hand: cart-1 adds twice and its Removed merges its data; cart-2's three Added
        // (one not JSON) count; cart-3 once.
        QAbstractItemModel *table = view->table()->model();
        const auto rows = [table] {
            QStringList texts;
            for (int r = 0; r < table->rowCount(); ++r) {
                QStringList cells;
                for (int c = 0; c < table->columnCount(); ++c)
                    cells << table->index(r, c).data().toString();
                texts << cells.join(u","_s);
            }
            return texts;
        };
        QCOMPARE(table->headerData(2, Qt::Horizontal).toString(), u"adds"_s);
        QCOMPARE(table->headerData(3, Qt::Horizontal).toString(), u"sku"_s);
        QCOMPARE(rows(), (QStringList{u"cart-1,3,2,A"_s, u"cart-2,3,3,"_s, u"cart-3,1,1,"_s}));
        // Sorted by adds, as numbers.
        QTest::mouseClick(
            view->table()->horizontalHeader()->viewport(), Qt::LeftButton, {},
            QPoint(view->table()->horizontalHeader()->sectionViewportPosition(2) + 5, 5));
        QCOMPARE(rows(), (QStringList{u"cart-3,1,1,"_s, u"cart-1,3,2,A"_s, u"cart-2,3,3,"_s}));
        // The chart: adds per key, then events once chosen.
        QCOMPARE(view->fieldChooser()->currentText(), u"adds"_s);
        QCOMPARE(view->fieldChooser()->count(), 2); // Events, adds (sku is text)
        QBarSet *set = view->series()->barSets().constFirst();
        QCOMPARE(set->count(), 3);
        QCOMPARE((QList<qreal>{set->at(0), set->at(1), set->at(2)}), (QList<qreal>{2, 3, 1}));
        m_window->grab().save(u"/work/shots/storewin2-readmodel.png"_s);
        view->fieldChooser()->setCurrentIndex(0);
        set = view->series()->barSets().constFirst();
        QCOMPARE((QList<qreal>{set->at(0), set->at(1), set->at(2)}), (QList<qreal>{3, 3, 1}));
    }

    void copyAndExportTheTablesEvents()
    {
        QTableView *table = m_window->eventView();
        const auto clickRow = [table](int row, Qt::KeyboardModifiers modifiers) {
            const QRect cell = table->visualRect(table->model()->index(row, 0));
            QTest::mouseClick(table->viewport(), Qt::LeftButton, modifiers, cell.center());
        };
        clickRow(1, {});
        clickRow(4, Qt::ControlModifier); // extended selection: positions 2 and 5
        QCOMPARE(table->selectionModel()->selectedRows().size(), 2);
        table->setFocus();
        QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
        const QString expectedJson =
            u"{\"global_position\":2,\"stream_id\":\"cart-2\",\"stream_version\":1,\"type\":"
            "\"Added\",\"recorded_at\":\"2026-03-02T10:00:00.000Z\",\"data\":"
            "\"{\\\"sku\\\":\\\"B\\\",\\\"qty\\\":5}\",\"metadata\":null}\n"
            "{\"global_position\":5,\"stream_id\":\"cart-2\",\"stream_version\":2,\"type\":"
            "\"Added\",\"recorded_at\":\"2026-03-05T10:00:00.000Z\",\"data\":"
            "\"{\\\"sku\\\":\\\"Big Box\\\",\\\"qty\\\":2,\\\"gift\\\":true}\","
            "\"metadata\":null}\n"_s;
        QCOMPARE(QApplication::clipboard()->text(), expectedJson);
        m_window->storeTools()->copyCsvAction()->trigger();
        QCOMPARE(QApplication::clipboard()->text().split(u'\n').first(),
                 u"global_position,stream_id,stream_version,type,recorded_at,data,metadata"_s);
        QCOMPARE(QApplication::clipboard()->text().split(u'\n').size(), 4); // header, 2, end

        // The selection exported is the clipboard's text.
        StoreTools *tools = m_window->storeTools();
        QSignalSpy exported(tools, &StoreTools::exported);
        const QString selected = m_dir.filePath(u"selected.jsonl"_s);
        tools->exportEvents(selected, EventExporter::Format::Jsonl);
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.constFirst().at(1).toLongLong(), 2);
        QFile selectedFile(selected);
        QVERIFY(selectedFile.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(selectedFile.readAll()), expectedJson);

        // No selection: every event the table shows, as `eventscope-cli export` writes them.
        table->clearSelection();
        const QString all = m_dir.filePath(u"all.csv"_s);
        tools->exportEvents(all, EventExporter::Format::Csv);
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.last().at(1).toLongLong(), 7);
        const TestSupport::CliRun cli =
            TestSupport::runCli({u"export"_s, m_store, u"--format"_s, u"csv"_s});
        QCOMPARE(cli.exitCode, 0);
        QFile allFile(all);
        QVERIFY(allFile.open(QIODevice::ReadOnly));
        QCOMPARE(allFile.readAll(), cli.out);
    }

    void saveSliceWritesTheStreamsAndOpensTheSlice()
    {
        StoreTools *tools = m_window->storeTools();
        QVERIFY(tools->sliceAction()->isEnabled());
        tools->sliceAction()->trigger();
        SliceDialog *dialog = tools->sliceDialog();
        QVERIFY(dialog && dialog->isVisible());
        QListWidget *list = dialog->streamList();
        QTRY_COMPARE_WITH_TIMEOUT(list->count(), 3, 10000);
        QCOMPARE(list->item(0)->text(), u"cart-1 (3 events)"_s);
        QVERIFY(!dialog->saveButton()->isEnabled());
        // The filter narrows the list; a stream checked stays checked when it changes.
        QTest::keyClicks(dialog->filterField(), u"2"_s);
        QTRY_COMPARE_WITH_TIMEOUT(list->count(), 1, 10000);
        QCOMPARE(list->item(0)->data(Qt::UserRole).toString(), u"cart-2"_s);
        const auto clickCheck = [list](int row) {
            const QRect rect = list->visualItemRect(list->item(row));
            QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                              QPoint(rect.left() + 10, rect.center().y()));
        };
        clickCheck(0);
        QCOMPARE(list->item(0)->checkState(), Qt::Checked);
        dialog->filterField()->clear();
        QTRY_COMPARE_WITH_TIMEOUT(list->count(), 3, 10000);
        QCOMPARE(list->item(1)->checkState(), Qt::Checked);
        clickCheck(0); // cart-1
        QCOMPARE(dialog->streams(), (QStringList{u"cart-1"_s, u"cart-2"_s}));
        // From March 2 to before March 5.
        dialog->fromBox()->click();
        dialog->fromEdit()->setDateTime(QDateTime(QDate(2026, 3, 2), QTime(0, 0), Qt::UTC));
        dialog->toBox()->click();
        dialog->toEdit()->setDateTime(QDateTime(QDate(2026, 3, 5), QTime(0, 0), Qt::UTC));
        const QString slice = m_dir.filePath(u"slice.sqlite"_s);
        QTest::keyClicks(dialog->pathField(), slice);
        QVERIFY(dialog->saveButton()->isEnabled());
        QCOMPARE(dialog->saveButton()->text(), u"Save Slice of 2 Streams"_s);
        dialog->grab().save(u"/work/shots/storewin3-slice-dialog.png"_s);

        QSignalSpy sliced(tools, &StoreTools::sliced);
        // The window offers to open the slice: say yes.
        QString offer;
        QTimer answer;
        connect(&answer, &QTimer::timeout, this, [&] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                offer = box->text();
                box->button(QMessageBox::Yes)->click();
            }
        });
        answer.start(50);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QVERIFY(sliced.wait(10000));
        answer.stop();
        // cart-1's events of March 3 and 4, cart-2's of March 2 and 3 (its version 3 went
        // back in time to March 3).
        QCOMPARE(sliced.constFirst().at(1).toLongLong(), 4);
        QCOMPARE(offer, u"4 events were written to %1. Open the slice?"_s.arg(slice));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->location().path() == slice, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isSettled() && m_window->eventModel()->isCountExact() &&
                                     m_window->eventModel()->rowCount() == 4,
                                 20000);
        QCOMPARE(tablePositions(m_window->eventModel()), (QList<qint64>{2, 3, 4, 6}));
        QCOMPARE(m_window->eventModel()->event(2).stream, u"cart-1"_s);
        QCOMPARE(m_window->eventModel()->event(2).version, 4);
    }

    // View ▸ Follow New Events: an open Schema view surveys the grown store, its time slices
    // reaching the new events' times.
    void schemaFollowsTheGrowingStore()
    {
        const QString live = m_dir.filePath(u"live.db"_s);
        QVERIFY(TestSupport::createSmallStore(live, u"WAL"_s));
        m_window->openStore(live);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isSettled() && m_window->eventModel()->isCountExact() &&
                                     m_window->eventModel()->rowCount() == 12,
                                 20000);
        StoreTools *tools = m_window->storeTools();
        tools->schemaAction()->trigger();
        SchemaView *view = tools->schemaView();
        QTRY_VERIFY_WITH_TIMEOUT(!view->cancelButton()->isVisible(), 10000);
        QTreeWidget *tree = view->tree();
        const auto typeItem = [tree](const QString &type) -> QTreeWidgetItem * {
            for (int i = 0; i < tree->topLevelItemCount(); ++i) {
                if (tree->topLevelItem(i)->text(SchemaView::FieldColumn) == type)
                    return tree->topLevelItem(i);
            }
            return nullptr;
        };
        QVERIFY(typeItem(u"Clicked"_s));
        const int before = QLocale().toInt(typeItem(u"Clicked"_s)->text(SchemaView::EventsColumn));
        QVERIFY(before > 0);

        auto *follow = m_window->findChild<QAction *>(u"followAction"_s);
        QVERIFY(follow);
        follow->setChecked(true);
        const int written =
            int(TestSupport::appendLiveEvents(live, 0, 8, TestSupport::LiveWriter::OtherProcess)
                    .size());
        QVERIFY(written > 0);
        QTRY_VERIFY_WITH_TIMEOUT(typeItem(u"Clicked"_s) &&
                                     typeItem(u"Clicked"_s)->text(SchemaView::EventsColumn) ==
                                         QLocale().toString(before + written) &&
                                     !view->cancelButton()->isVisible(),
                                 20000);
        // Its field n, in every new event: in the last slice of the grown range.
        QTreeWidgetItem *clicked = typeItem(u"Clicked"_s);
        QTreeWidgetItem *n = nullptr;
        for (int i = 0; i < clicked->childCount(); ++i) {
            if (clicked->child(i)->text(SchemaView::FieldColumn) == u"n")
                n = clicked->child(i);
        }
        QVERIFY(n);
        const auto shares =
            n->data(SchemaView::PresenceColumn, SchemaView::PresenceRole).value<QList<qreal>>();
        QCOMPARE(shares.size(), StoreTools::SchemaSlices);
        QCOMPARE(shares.constLast(), 1.0);
        follow->setChecked(false);
    }

    // More matches than the window once showed (10,000): all of them filter the table,
    // counted exactly, down to the last row.
    void searchShowsEveryMatch()
    {
        openBigStore();
        PayloadSearchBar *bar = m_window->storeTools()->searchBar();
        QTest::keyClicks(bar->field(), u"n > 100"_s);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        const int matches = BigEvents - 100;
        QTRY_COMPARE_WITH_TIMEOUT(bar->statusText(),
                                  u"%1 events match"_s.arg(QLocale().toString(matches)), 30000);
        EventTableModel *model = m_window->eventModel();
        QTRY_VERIFY_WITH_TIMEOUT(model->isCountExact() && model->rowCount() == matches, 10000);
        QVERIFY(!bar->cancelButton()->isVisible());
        m_window->eventView()->scrollToBottom();
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(matches - 1), 10000);
        QCOMPARE(model->event(matches - 1).position, BigEvents);
        QCOMPARE(model->event(matches - 1).stream, u"big-%1"_s.arg(BigEvents % 7));
        m_window->eventView()->scrollTo(model->index(10000, 0));
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(10000), 10000);
        QCOMPARE(model->event(10000).position, 10101);
        // The timeline marks a sample spread over the whole answer, the last hours included.
        const int marks = m_window->timeline()->markCount(StoreTools::SearchMarks);
        QVERIFY2(marks > StoreTools::MaxSearchMarks / 2 && marks <= StoreTools::MaxSearchMarks,
                 qPrintable(QString::number(marks)));

        // Plain text: every second event.
        bar->field()->setText(u"EVEN"_s);
        QTest::mouseClick(bar->containsMode(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(
            bar->statusText(), u"%1 events match"_s.arg(QLocale().toString(BigEvents / 2)), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() == BigEvents / 2, 10000);
        m_window->eventView()->scrollToBottom();
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(BigEvents / 2 - 1), 10000);
        QCOMPARE(model->event(BigEvents / 2 - 1).position, BigEvents);
    }

    // Cancel stops a running search: the table shows every event, the field keeps the text.
    void cancelStopsASearch()
    {
        openBigStore();
        PayloadSearchBar *bar = m_window->storeTools()->searchBar();
        QTest::mouseClick(bar->containsMode(), Qt::LeftButton);
        QTest::keyClicks(bar->field(), u"odd"_s);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QVERIFY(bar->cancelButton()->isVisibleTo(bar));
        QVERIFY(bar->statusText().startsWith(u"Searching"_s));
        bar->grab().save(u"/work/shots/storewin3-search-running.png"_s);
        QTest::mouseClick(bar->cancelButton(), Qt::LeftButton);
        QCOMPARE(bar->statusText(), u"Cancelled"_s);
        QVERIFY(!bar->cancelButton()->isVisibleTo(bar));
        QCOMPARE(bar->field()->text(), u"odd"_s);
        QTest::qWait(1000); // an answer on its way is dropped
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isSettled(), 10000);
        QVERIFY(!m_window->eventModel()->showsMatches());
        QCOMPARE(m_window->eventModel()->rowCount(), BigEvents);
        QCOMPARE(bar->statusText(), u"Cancelled"_s);
    }

    // Copy and export read every row they are given, loaded by the table or not.
    void copyAndExportReadRowsNotLoaded()
    {
        openBigStore();
        EventTableModel *model = m_window->eventModel();
        QTableView *table = m_window->eventView();
        // Rows 100 to 20,099 and the last: pages the table never loaded.
        QItemSelection rows(model->index(100, 0), model->index(20099, 0));
        rows.select(model->index(BigEvents - 1, 0), model->index(BigEvents - 1, 0));
        table->selectionModel()->select(rows,
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QVERIFY(!model->isRowLoaded(15000));
        StoreTools *tools = m_window->storeTools();
        QSignalSpy copied(tools, &StoreTools::copied);
        tools->copyJsonAction()->trigger();
        QVERIFY(copied.wait(30000));
        QCOMPARE(copied.constFirst().at(0).toLongLong(), 20001);
        QList<qint64> expected;
        for (qint64 p = 101; p <= 20100; ++p)
            expected << p;
        expected << BigEvents;
        QCOMPARE(linePositions(QApplication::clipboard()->text().toUtf8()), expected);

        QSignalSpy exported(tools, &StoreTools::exported);
        const QString selected = m_dir.filePath(u"big-selected.jsonl"_s);
        tools->exportEvents(selected, EventExporter::Format::Jsonl);
        QVERIFY(exported.wait(30000));
        QCOMPARE(exported.constFirst().at(1).toLongLong(), 20001);
        QFile selectedFile(selected);
        QVERIFY(selectedFile.open(QIODevice::ReadOnly));
        QCOMPARE(linePositions(selectedFile.readAll()), expected);

        // What the table shows is a search's matches: all 12,500 of them.
        table->clearSelection();
        PayloadSearchBar *bar = tools->searchBar();
        QTest::mouseClick(bar->containsMode(), Qt::LeftButton);
        QTest::keyClicks(bar->field(), u"even"_s);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(model->showsMatches() && model->rowCount() == BigEvents / 2,
                                 30000);
        const QString shown = m_dir.filePath(u"big-shown.jsonl"_s);
        tools->exportEvents(shown, EventExporter::Format::Jsonl);
        QVERIFY(exported.wait(30000));
        QCOMPARE(exported.last().at(1).toLongLong(), BigEvents / 2);
        QFile shownFile(shown);
        QVERIFY(shownFile.open(QIODevice::ReadOnly));
        expected.clear();
        for (qint64 p = 2; p <= BigEvents; p += 2)
            expected << p;
        QCOMPARE(linePositions(shownFile.readAll()), expected);
    }

    // The parts at the size the README's screenshots have.
    void screenshots()
    {
        m_window->resize(1500, 950);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isSettled(), 10000);
        StoreTools *tools = m_window->storeTools();
        tools->checkAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!tools->problemsList()->cancelButton()->isVisible(), 10000);
        QTest::qWait(200);
        m_window->grab().save(u"/work/shots/storewin3-check.png"_s);

        const QString projection = m_dir.filePath(u"adds-shot.json"_s);
        QFile file(projection);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"key": "$stream", "Added": [{"op": "increment", "path": "adds"}]})");
        file.close();
        tools->readModelAction()->trigger();
        tools->computeReadModel(projection);
        QTRY_COMPARE_WITH_TIMEOUT(tools->readModelView()->statusText(), u"3 keys"_s, 10000);
        QTest::qWait(200);
        m_window->grab().save(u"/work/shots/storewin3-readmodel.png"_s);
        // The chart keeps its axes however short the dock is.
        auto *dock = m_window->findChild<QDockWidget *>(u"readModelDock"_s);
        m_window->resizeDocks({dock}, {1}, Qt::Vertical); // as short as it goes
        QTest::qWait(200);
        m_window->grab().save(u"/work/shots/storewin3-readmodel-short.png"_s);
        QCOMPARE(tools->readModelView()->series()->chart()->axes().size(), 2);

        tools->schemaAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!tools->schemaView()->cancelButton()->isVisible(), 10000);
        tools->schemaView()->grab().save(u"/work/shots/storewin3-schema.png"_s);
        tools->schemaView()->hide();

        openBigStore();
        PayloadSearchBar *bar = tools->searchBar();
        QTest::keyClicks(bar->field(), u"n > 100"_s);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->eventModel()->showsMatches() && m_window->isSettled() &&
                                     bar->statusText().endsWith(u"match"_s),
                                 30000);
        m_window->eventView()->scrollToBottom();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isSettled(), 10000);
        QTest::qWait(200);
        m_window->grab().save(u"/work/shots/storewin3-search.png"_s);
        bar->field()->setText(u"even"_s);
        QTest::mouseClick(bar->containsMode(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->eventModel()->rowCount() == BigEvents / 2 && m_window->isSettled(), 30000);
        QTest::qWait(200);
        m_window->grab().save(u"/work/shots/storewin3-contains.png"_s);
    }

private:
    void openBigStore()
    {
        const QString big = m_dir.filePath(u"big.sqlite"_s);
        if (!QFile::exists(big))
            QVERIFY(TestSupport::execSql(big, BigStoreRows));
        m_window->openStore(big);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->isSettled() && m_window->eventModel()->isCountExact() &&
                                     m_window->eventModel()->rowCount() == BigEvents,
                                 30000);
    }

    QTemporaryDir m_dir;
    QString m_store;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestStoreWindow)
#include "tst_storewindow.moc"

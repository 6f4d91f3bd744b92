// The window's questions about the whole store (issue #15) on PostgreSQL: the same carts as
// tst_storewindow in the own layout, with jsonb payloads on a throwaway server and as a
// SQLite copy; search (a predicate and plain text, both narrowed in SQL on jsonb), Check
// Store, Schema and Read Model must show the same answers on both.

#include "eventtablemodel.h"
#include "mainwindow.h"
#include "payloadsearchbar.h"
#include "pgtestserver.h"
#include "problemslist.h"
#include "readmodelview.h"
#include "schemaview.h"
#include "storetools.h"
#include "testsupport.h"

#include <QAction>
#include <QCheckBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
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

// tst_storewindow's carts; cart-2's version 3 holds a JSON string (jsonb takes JSON only).
QStringList cartRows(const QString &payloadType)
{
    return {
        u"CREATE TABLE events(global_position bigint PRIMARY KEY, stream_id text, "
        "stream_version bigint, event_id text, type text, recorded_at text, data %1, "
        "metadata %1)"_s.arg(payloadType),
        row(1, u"cart-1"_s, 1, u"Added"_s, u"'2026-03-01T10:00:00.000Z'"_s,
            u"'{\"sku\":\"A\",\"qty\":1}'"_s),
        row(2, u"cart-2"_s, 1, u"Added"_s, u"'2026-03-02T10:00:00.000Z'"_s,
            u"'{\"sku\":\"B\",\"qty\":5}'"_s),
        row(3, u"cart-1"_s, 2, u"Added"_s, u"'2026-03-03T10:00:00.000Z'"_s,
            u"'{\"sku\":\"C\",\"qty\":\"3\"}'"_s),
        row(4, u"cart-1"_s, 4, u"Removed"_s, u"'2026-03-04T10:00:00.000Z'"_s,
            u"'{\"sku\":\"A\"}'"_s),
        row(5, u"cart-2"_s, 2, u"Added"_s, u"'2026-03-05T10:00:00.000Z'"_s,
            u"'{\"sku\":\"Big Box\",\"qty\":2,\"gift\":true}'"_s),
        row(6, u"cart-2"_s, 3, u"Added"_s, u"'2026-03-03T12:00:00.000Z'"_s,
            u"'\"sku: 50% off\"'"_s),
        row(7, u"cart-3"_s, 1, u"Added"_s, u"NULL"_s, u"'{\"sku\":\"D\",\"qty\":7}'"_s),
    };
}

// What the window answers, as text.
struct Answers
{
    QString predicateStatus;
    QList<qint64> predicateRows;
    QString containsStatus;
    QList<qint64> containsRows;
    QString checkStatus;
    QStringList problemGroups;
    QStringList schemaRows;
    QStringList readModelRows;
};

QList<qint64> tablePositions(EventTableModel *model)
{
    QList<qint64> positions;
    for (int row = 0; row < model->rowCount(); ++row)
        positions << model->event(row).position;
    return positions;
}

QStringList treeRows(QTreeWidget *tree)
{
    QStringList rows;
    for (int t = 0; t < tree->topLevelItemCount(); ++t) {
        const QTreeWidgetItem *type = tree->topLevelItem(t);
        rows << type->text(SchemaView::FieldColumn) + u" "_s + type->text(SchemaView::EventsColumn);
        for (int f = 0; f < type->childCount(); ++f) {
            const QTreeWidgetItem *field = type->child(f);
            rows << QStringList{field->text(SchemaView::FieldColumn),
                                field->text(SchemaView::TypesColumn),
                                field->text(SchemaView::EventsColumn),
                                field->text(SchemaView::ChangesColumn)}
                        .join(u" | "_s);
        }
    }
    return rows;
}

} // namespace

class TestStoreWindowPg : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PgTestServer m_server;

    void answer(const QString &store, Answers *answers, const QString &shots)
    {
        MainWindow window(m_dir.filePath(u"settings.ini"_s));
        window.resize(1500, 950);
        window.show();
        window.openStore(store);
        QTRY_VERIFY_WITH_TIMEOUT(window.isSettled() && window.eventModel()->isCountExact() &&
                                     window.eventModel()->rowCount() == 7,
                                 20000);
        StoreTools *tools = window.storeTools();
        PayloadSearchBar *bar = tools->searchBar();
        QTest::keyClicks(bar->field(), u"qty > 1"_s);
        QTest::keyClick(bar->field(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(bar->statusText().endsWith(u"match"_s) &&
                                     window.eventModel()->showsMatches() && window.isSettled(),
                                 10000);
        answers->predicateStatus = bar->statusText();
        answers->predicateRows = tablePositions(window.eventModel());

        bar->field()->setText(u"50% OFF"_s);
        QTest::mouseClick(bar->containsMode(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            (bar->statusText().endsWith(u"match"_s) || bar->statusText().endsWith(u"matches"_s)) &&
                window.eventModel()->rowCount() == 1 && window.isSettled(),
            10000);
        answers->containsStatus = bar->statusText();
        answers->containsRows = tablePositions(window.eventModel());
        window.grab().save(u"/work/shots/storewin3-%1-search.png"_s.arg(shots));
        QTest::mouseClick(bar->clearButton(), Qt::LeftButton);

        tools->checkAction()->trigger();
        ProblemsList *problems = tools->problemsList();
        QTRY_VERIFY_WITH_TIMEOUT(!problems->cancelButton()->isVisible() &&
                                     problems->statusText().contains(u"problems"_s),
                                 10000);
        answers->checkStatus = problems->statusText();
        answers->problemGroups = problems->groupTexts();

        tools->schemaAction()->trigger();
        SchemaView *schema = tools->schemaView();
        QTRY_VERIFY_WITH_TIMEOUT(
            !schema->cancelButton()->isVisible() && schema->tree()->topLevelItemCount() > 0, 10000);
        answers->schemaRows = treeRows(schema->tree());
        schema->hide();

        const QString projection = m_dir.filePath(u"adds.json"_s);
        QFile file(projection);
        if (!file.exists()) {
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(R"({"key": "$stream", "Added": [{"op": "increment", "path": "adds"}]})");
            file.close();
        }
        tools->readModelAction()->trigger();
        tools->computeReadModel(projection);
        ReadModelView *readModel = tools->readModelView();
        QTRY_COMPARE_WITH_TIMEOUT(readModel->statusText(), u"3 keys"_s, 10000);
        QAbstractItemModel *table = readModel->table()->model();
        for (int r = 0; r < table->rowCount(); ++r) {
            QStringList cells;
            for (int c = 0; c < table->columnCount(); ++c)
                cells << table->index(r, c).data().toString();
            answers->readModelRows << cells.join(u","_s);
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void sameAnswersAsTheSqliteCopy()
    {
        const QString copy = m_dir.filePath(u"carts.sqlite"_s);
        QVERIFY(TestSupport::execSql(copy, cartRows(QString())));
        QString error;
        QVERIFY2(m_server.createDatabase(u"carts"_s, &error), qPrintable(error));
        QVERIFY2(m_server.exec(u"carts"_s, cartRows(u"jsonb"_s), &error), qPrintable(error));
        QVERIFY2(m_server.createReader(u"viewer"_s, u"pw"_s, u"carts"_s, {u"public"_s}, &error),
                 qPrintable(error));

        Answers sqlite;
        answer(copy, &sqlite, u"sqlite"_s);
        if (QTest::currentTestFailed())
            return;
        Answers postgres;
        answer(m_server.url(u"viewer"_s, u"pw"_s, u"carts"_s), &postgres, u"postgres"_s);
        if (QTest::currentTestFailed())
            return;

        // By hand first, so that two wrong answers cannot agree.
        QCOMPARE(sqlite.predicateStatus, u"3 events match"_s);
        QCOMPARE(sqlite.predicateRows, (QList<qint64>{2, 5, 7}));
        QCOMPARE(sqlite.containsRows, (QList<qint64>{6}));
        QCOMPARE(sqlite.readModelRows,
                 (QStringList{u"cart-1,3,2,A"_s, u"cart-2,3,3,"_s, u"cart-3,1,1,"_s}));
        QVERIFY(sqlite.problemGroups.contains(u"version_gap (1)"_s));
        QVERIFY(sqlite.schemaRows.contains(
            u"gift | boolean 1 | 1 | appeared 2026-03-05 10:00; vanished after "
            "2026-03-05 10:00"_s));

        QCOMPARE(postgres.predicateStatus, sqlite.predicateStatus);
        QCOMPARE(postgres.predicateRows, sqlite.predicateRows);
        QCOMPARE(postgres.containsStatus, sqlite.containsStatus);
        QCOMPARE(postgres.containsRows, sqlite.containsRows);
        QCOMPARE(postgres.checkStatus, sqlite.checkStatus);
        QCOMPARE(postgres.problemGroups, sqlite.problemGroups);
        QCOMPARE(postgres.schemaRows, sqlite.schemaRows);
        QCOMPARE(postgres.readModelRows, sqlite.readModelRows);
    }
};

QTEST_MAIN(TestStoreWindowPg)
#include "tst_storewindowpg.moc"

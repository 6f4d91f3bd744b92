// The window decides by a failure's kind, never by its words: a stream or a store path that
// holds "cancelled" or "mapping" gets the answer its failure calls for.

#include "columnmappingdialog.h"
#include "mainwindow.h"
#include "testsupport.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QApplication>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

// Answers the next modal dialog of type T with the function. It polls from a timer rather
// than waiting in a loop of its own, which the dialog's exec() would nest inside.
template<typename T> void answerNextDialog(std::function<void(T *)> answer)
{
    auto *poll = new QTimer;
    QObject::connect(poll, &QTimer::timeout, poll, [poll, answer] {
        if (T *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            poll->deleteLater();
            poll->stop();
            answer(dialog);
        }
    });
    poll->start(50);
}

QStringList buttonTexts(const QMessageBox *box)
{
    QStringList texts;
    const auto buttons = box->buttons();
    for (const QAbstractButton *button : buttons)
        texts << button->text();
    return texts;
}

} // namespace

class TestWindowErrors : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Opens the store in a shown window with its failure messages on; the buttons of the
    // message box its failure shows, which is then closed.
    QStringList failureButtons(const QString &store, QString *message)
    {
        MainWindow window(m_dir.filePath(u"errors.ini"_s));
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return {};
        window.setFailureMessages(true);
        QStringList buttons;
        answerNextDialog<QMessageBox>([&](QMessageBox *box) {
            buttons = buttonTexts(box);
            *message = box->text();
            box->button(QMessageBox::Close)->click();
        });
        QSignalSpy failed(&window, &MainWindow::storeFailed);
        window.openStore(store);
        if (!failed.wait(10000) && failed.isEmpty())
            return {};
        if (!QTest::qWaitFor([&] { return !buttons.isEmpty(); }, 10000))
            return {};
        return buttons;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // A stream whose events all lack a version has nothing to replay: its replay fails, and
    // says so, though the stream's name holds "cancelled".
    void failingStreamNamedCancelledShowsItsError()
    {
        const QString path = m_dir.filePath(u"unversioned.db"_s);
        QVERIFY(TestSupport::execSql(
            path, {u"CREATE TABLE t(pos INTEGER PRIMARY KEY, s TEXT, v INTEGER, kind TEXT, "
                   "at TEXT, body TEXT)"_s,
                   u"INSERT INTO t VALUES (1, 'order-cancelled-7', NULL, 'OrderPlaced', "
                   "'2026-01-05T08:00:00.000Z', '{\"n\": 1}')"_s,
                   u"INSERT INTO t VALUES (2, 'order-8', 1, 'OrderPlaced', "
                   "'2026-01-05T08:01:00.000Z', '{\"n\": 2}')"_s}));
        MainWindow window(m_dir.filePath(u"stream.ini"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(path, u"table=t,position=pos,stream=s,version=v,type=kind,time=at,"
                               "data=body"_s);
        QVERIFY(opened.wait(20000));
        QVERIFY(QTest::qWaitFor([&] { return window.isSettled(); }, 20000));
        window.selectStream(u"order-cancelled-7"_s);
        QCOMPARE(window.selectedStream(), u"order-cancelled-7"_s);
        QVERIFY(QTest::qWaitFor([&] { return window.isSettled(); }, 20000));
        const QString shown = window.statusBar()->currentMessage();
        QVERIFY2(shown.contains(u"no stream named 'order-cancelled-7'"_s), qPrintable(shown));
    }

    // A file that is not a store, at a path that holds "mapping": no column mapping can help.
    void pathNamedMappingGetsNoMappingOffer()
    {
        const QString path = m_dir.filePath(u"mapping-notes.db"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("just some notes about a mapping\n");
        file.close();
        QString message;
        const QStringList buttons = failureButtons(path, &message);
        QVERIFY2(message.contains(u"not an SQLite database"_s), qPrintable(message));
        QVERIFY2(!buttons.isEmpty(), "no message box");
        QVERIFY2(!buttons.contains(u"Map Columns…"_s), qPrintable(buttons.join(u", "_s)));
    }

    // A database without an events table: a column mapping may read it, whatever its path.
    void storeWithoutLayoutGetsTheMappingOffer()
    {
        const QString path = m_dir.filePath(u"ledger.db"_s);
        QVERIFY(TestSupport::execSql(path, {u"CREATE TABLE entries(id INTEGER, note TEXT)"_s}));
        QString message;
        const QStringList buttons = failureButtons(path, &message);
        QVERIFY2(message.contains(u"no table looks like events"_s), qPrintable(message));
        QVERIFY2(buttons.contains(u"Map Columns…"_s), qPrintable(buttons.join(u", "_s)));
    }

    // Map Columns reads the tables' first rows off the GUI thread, then shows them in the
    // dialog; accepting it opens the store with the mapping.
    void mapColumnsShowsTheTablesAndOpensWithTheMapping()
    {
        const QString path = m_dir.filePath(u"mapped.db"_s);
        QVERIFY(TestSupport::createMappedStore(path, u"iso"_s));
        MainWindow window(m_dir.filePath(u"map.ini"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setFailureMessages(true);
        QStringList offered;
        answerNextDialog<QMessageBox>([&](QMessageBox *box) {
            offered = buttonTexts(box);
            const auto buttons = box->buttons();
            for (QAbstractButton *button : buttons) {
                if (button->text() == u"Map Columns…"_s)
                    return button->click();
            }
            box->button(QMessageBox::Close)->click();
        });
        QString shownTable;
        int shownRows = -1;
        answerNextDialog<ColumnMappingDialog>([&](ColumnMappingDialog *dialog) {
            shownTable = dialog->tableBox()->currentText();
            shownRows = dialog->sampleView()->rowCount();
            dialog->accept();
        });
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(path);
        QVERIFY2(opened.wait(20000), qPrintable(offered.join(u", "_s)));
        QVERIFY2(offered.contains(u"Map Columns…"_s), qPrintable(offered.join(u", "_s)));
        QCOMPARE(shownTable, u"events_v2"_s);
        QCOMPARE(shownRows, ColumnMappingDialog::ShownRows);
    }
};

QTEST_MAIN(TestWindowErrors)
#include "tst_windowerrors.moc"

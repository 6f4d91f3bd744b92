// The window on stores that real libraries wrote: an SQLite file with an Axon table and the
// own layout side by side (the table chooser), and a Message DB store on a real PostgreSQL
// server whose connection is cut while browsing (the reconnect offer).

#include "layoutfixtures.h"
#include "mainwindow.h"
#include "pgtestserver.h"
#include "replaybar.h"
#include "store/eventstore.h"
#include "streamlistmodel.h"
#include "testsupport.h"

#include <QAbstractButton>
#include <QAction>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QSlider>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QStringList streamNames(const StreamListModel *model)
{
    QStringList names;
    for (int row = 0; row < model->rowCount(); ++row)
        names << model->index(row, 0).data(StreamListModel::StreamRole).toString();
    return names;
}

LayoutFixture fixtureOf(SqlDialect dialect, const QString &name)
{
    for (const LayoutFixture &f : LayoutFixtures::all(dialect)) {
        if (f.name == name)
            return f;
    }
    qFatal("no fixture %s", qPrintable(name));
}

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

} // namespace

class TestLayoutWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    bool open(MainWindow &window, const QString &store)
    {
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(store);
        return opened.wait(20000) && QTest::qWaitFor([&] { return window.isSettled(); }, 20000);
    }

private slots:
    void libraryStoreWithAChoiceOfTables()
    {
        const QString path = m_dir.filePath(u"two.db"_s);
        QVERIFY(
            TestSupport::execSql(path, fixtureOf(SqlDialect::Sqlite, u"axon (jpa, xml)"_s).sql));
        QVERIFY(TestSupport::createSmallStore(path));
        MainWindow window(m_dir.filePath(u"settings.ini"_s));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(open(window, path));
        // The own layout comes first; the status bar says there is another table.
        QVERIFY(window.windowTitle().contains(u"eventscope layout"_s));
        const QString status = window.statusBar()->findChildren<QLabel *>().constFirst()->text();
        QVERIFY2(status.contains(u"1 of 2 event tables"_s), qPrintable(status));
        QAction *choose = window.findChild<QAction *>(u"chooseTableAction"_s);
        QVERIFY(choose && choose->isEnabled());

        QSignalSpy opened(&window, &MainWindow::storeOpened);
        answerNextDialog<QInputDialog>([](QInputDialog *dialog) {
            const QStringList items = dialog->comboBoxItems();
            QCOMPARE(items.size(), 2);
            dialog->setTextValue(items.at(1));
            dialog->accept();
        });
        choose->trigger();
        QVERIFY(opened.wait(20000));
        QVERIFY(QTest::qWaitFor([&] { return window.isSettled(); }, 20000));
        QVERIFY2(window.windowTitle().contains(u"axon layout"_s), qPrintable(window.windowTitle()));
        QTRY_COMPARE(streamNames(window.streamModel()), (QStringList{u"user-1"_s, u"user-2"_s}));
        // The replay of user-1 steps over its three events (slider -1..2).
        window.selectStream(u"user-1"_s);
        QVERIFY(QTest::qWaitFor([&] { return window.isSettled(); }, 20000));
        QVERIFY(window.replayBar()->isStreamMode());
        QCOMPARE(window.replayBar()->slider()->maximum(), 2);
        // Reload keeps the chosen table.
        QSignalSpy reopened(&window, &MainWindow::storeOpened);
        window.findChild<QAction *>(u"reloadAction"_s)->trigger();
        QVERIFY(reopened.wait(20000));
        QVERIFY(window.windowTitle().contains(u"axon layout"_s));
    }

    void postgresConnectionLostOffersReconnect()
    {
        PgTestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const LayoutFixture fixture = fixtureOf(SqlDialect::Postgres, u"message-db"_s);
        QVERIFY(server.createDatabase(u"store"_s, &error));
        QVERIFY2(server.exec(u"store"_s, fixture.sql, &error), qPrintable(error));
        QVERIFY(server.exec(u"postgres"_s, {u"CREATE ROLE viewer LOGIN PASSWORD 'pw'"_s}, &error));
        QVERIFY(server.grantRead(u"store"_s, u"viewer"_s, {u"message_store"_s}, &error));

        MainWindow window(m_dir.filePath(u"settings-pg.ini"_s));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(open(window, server.url(u"viewer"_s, u"pw"_s, u"store"_s)));
        QVERIFY2(window.windowTitle().contains(u"store on 127.0.0.1 (message-db layout)"_s),
                 qPrintable(window.windowTitle()));
        QTRY_COMPARE(streamNames(window.streamModel()), (QStringList{u"user-1"_s, u"user-2"_s}));
        QVERIFY(!window.storeName().contains(u"pw"_s));

        QVERIFY(server.exec(u"postgres"_s,
                            {u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                             "usename = 'viewer'"_s},
                            &error));
        window.setFailureMessages(true);
        QSignalSpy lost(&window, &MainWindow::connectionLost);
        QSignalSpy reopened(&window, &MainWindow::storeOpened);
        answerNextDialog<QMessageBox>([](QMessageBox *box) {
            QVERIFY(box->text().contains(u"connection to the server was lost"_s));
            box->button(QMessageBox::Retry)->click();
        });
        // Typing in the stream filter asks the server again.
        QTest::keyClicks(window.streamFilter(), u"user"_s);
        QVERIFY(lost.wait(20000) || lost.size() == 1);
        QVERIFY(reopened.wait(20000));
        QTRY_COMPARE(streamNames(window.streamModel()), (QStringList{u"user-1"_s, u"user-2"_s}));
    }
};

QTEST_MAIN(TestLayoutWindow)
#include "tst_layoutwindow.moc"

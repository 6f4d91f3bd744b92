// Cancel of the window's long questions (issue #14): on a stream of 200,000 events, a field's
// history and a bisect are started, then stopped with their Cancel buttons. The panel and the
// dialog say so and show no partial answer as if it were the answer, the session has nothing
// outstanding, and the next question is answered.

#include "bisectdialog.h"
#include "fieldhistorypanel.h"
#include "mainwindow.h"
#include "replaybar.h"
#include "stateview.h"
#include "testsupport.h"

#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int LongEvents = 200000;

// long-1: event i sets n to i, so every event changes n; short-1: three events.
bool writeStore(const QString &path)
{
    return TestSupport::execSql(
        path,
        {u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
         "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at TEXT "
         "NOT NULL, data TEXT, metadata TEXT, UNIQUE(stream_id, stream_version))"_s,
         u"WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < %1) "
         "INSERT INTO events SELECT n, 'long-1', n, NULL, 'Counted', "
         "strftime('%Y-%m-%dT%H:%M:%S.000Z', 1767225600 + n, 'unixepoch'), "
         "'{\"n\":' || n || '}', '{}' FROM i"_s.arg(LongEvents),
         u"INSERT INTO events VALUES (%1, 'short-1', 1, NULL, 'Opened', "
         "'2026-03-01T00:00:00.000Z', '{\"n\":1}', '{}'), (%2, 'short-1', 2, NULL, 'Counted', "
         "'2026-03-01T00:01:00.000Z', '{\"n\":2}', '{}'), (%3, 'short-1', 3, NULL, 'Noted', "
         "'2026-03-01T00:02:00.000Z', '{\"m\":1}', '{}')"_s.arg(LongEvents + 1)
             .arg(LongEvents + 2)
             .arg(LongEvents + 3)});
}

} // namespace

class TestAggregateCancel : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;

    AggregateTools *tools() const { return m_window->aggregateTools(); }

    bool waitSettled()
    {
        QTest::qWait(20);
        return QTest::qWaitFor([this] { return m_window->isSettled(); }, 60000);
    }

    bool selectStream(const QString &stream)
    {
        m_window->selectStream(stream);
        return QTest::qWaitFor(
                   [this, stream] {
                       return m_window->stateView()->heading().contains(stream) &&
                              m_window->isSettled();
                   },
                   60000) &&
               waitSettled();
    }

    static QueryPath pathOf(const QString &key)
    {
        PathStep step;
        step.key = key;
        return QueryPath({step});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString store = m_dir.filePath(u"long.db"_s);
        QVERIFY(writeStore(store));
        m_window = std::make_unique<MainWindow>(m_dir.filePath(u"settings.ini"_s));
        m_window->resize(1200, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy opened(m_window.get(), &MainWindow::storeOpened);
        m_window->openStore(store);
        QVERIFY(opened.wait(30000));
        QVERIFY(waitSettled());
        QVERIFY(selectStream(u"long-1"_s));
    }

    void cancelHistory()
    {
        tools()->showHistory(pathOf(u"n"_s));
        FieldHistoryPanel *panel = tools()->historyPanel();
        QVERIFY(panel->cancelButton()->isVisible());
        // Under way: some events folded, and far from all.
        QTRY_VERIFY_WITH_TIMEOUT(panel->statusText().contains(u"events folded"_s), 20000);
        QVERIFY(!m_window->session()->isIdle());
        QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(panel->statusText(), u"Cancelled."_s, 20000);
        QVERIFY(!panel->cancelButton()->isVisible());
        QCOMPARE(panel->model()->rowCount(), 0); // no partial list shown as the history
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isIdle(), 20000);
        QTest::qWait(200); // a late answer of the cancelled question would land here
        QCOMPARE(panel->statusText(), u"Cancelled."_s);
        QCOMPARE(panel->model()->rowCount(), 0);
    }

    void cancelBisect()
    {
        tools()->showBisect();
        BisectDialog *dialog = tools()->bisectDialog();
        QVERIFY(dialog && dialog->isVisible());
        dialog->predicateEdit()->setText(u"n < 0"_s); // never holds: the whole stream
        QVERIFY(dialog->findButton()->isEnabled());
        QTest::mouseClick(dialog->findButton(), Qt::LeftButton);
        QVERIFY(dialog->cancelButton()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(dialog->resultText().contains(u"events folded"_s), 20000);
        QVERIFY(!m_window->session()->isIdle());
        QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->resultText(), u"Cancelled."_s, 20000);
        QVERIFY(!dialog->cancelButton()->isVisible());
        QVERIFY(dialog->findButton()->isEnabled()); // it can be asked again
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isIdle(), 20000);
        QTest::qWait(200);
        QCOMPARE(dialog->resultText(), u"Cancelled."_s);
        dialog->close();
    }

    // After both cancels the questions' worker answers the next ones.
    void nextQuestionsWork()
    {
        QVERIFY(selectStream(u"short-1"_s));
        tools()->showHistory(pathOf(u"n"_s));
        FieldHistoryPanel *panel = tools()->historyPanel();
        QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 2, 20000);
        QCOMPARE(panel->statusText(), u"2 change(s); click one to replay to it."_s);

        tools()->showBisect();
        BisectDialog *dialog = tools()->bisectDialog();
        dialog->predicateEdit()->setText(u"m exists"_s);
        QTest::mouseClick(dialog->findButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->resultText().startsWith(u"Holds first after version 3"_s),
                                 20000);
        dialog->close();
        QVERIFY(waitSettled());
    }
};

QTEST_MAIN(TestAggregateCancel)
#include "tst_aggregatecancel.moc"

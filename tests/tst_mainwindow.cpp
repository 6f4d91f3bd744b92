// The window, offscreen, driven like a user: open the small store, filter and select streams,
// move the replay slider with the keyboard and compare the state view with ReplayEngine,
// click the timeline, pick a chart range, render a screenshot.

#include "activitychart.h"
#include "activitycharts.h"
#include "appsettings.h"
#include "clickschart.h"
#include "decoding/timecodec.h"
#include "eventfilterbar.h"
#include "eventinspector.h"
#include "eventtablemodel.h"
#include "importreportbox.h"
#include "jsontreemodel.h"
#include "mainwindow.h"
#include "replay/replayengine.h"
#include "replaybar.h"
#include "stateview.h"
#include "store/eventstore.h"
#include "streamlistmodel.h"
#include "testsupport.h"
#include "timelineview.h"
#include "writers/demogenerator.h"

#include <QChart>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QProcess>
#include <QProgressBar>
#include <QSet>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QStringList changedPaths(const QVector<JsonChange> &changes)
{
    QStringList paths;
    for (const JsonChange &c : changes)
        paths << c.path;
    return paths;
}

QStringList highlightedPaths(const JsonTreeModel *model)
{
    QStringList paths;
    const QModelIndexList changed = model->changedIndexes();
    for (const QModelIndex &index : changed)
        paths << index.data(JsonTreeModel::PathRole).toString();
    return paths;
}

QStringList column(const QAbstractItemModel *model, int role)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row)
        values << model->index(row, 0).data(role).toString();
    return values;
}

QString sqlText(const QString &text)
{
    return u'\'' + QString(text).replace(u'\'', u"''"_s) + u'\'';
}

// An event of Eventscope's own layout, its time as the text the store holds.
QString insertEvent(qint64 position, const QString &stream, qint64 version, const QString &type,
                    const QString &time)
{
    return u"INSERT INTO events VALUES (%1, %2, %3, NULL, %4, %5, '{}', NULL)"_s.arg(position)
        .arg(sqlText(stream))
        .arg(version)
        .arg(sqlText(type), sqlText(time));
}

qint64 residentKib()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').constFirst().toLongLong();
    }
    return 0;
}

QAction *actionNamed(QWidget *window, const QString &text)
{
    const auto actions = window->findChildren<QAction *>();
    for (QAction *a : actions) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_small;
    QString m_demo;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<EventStore> m_store; // the test's own, for the expected answers

    bool waitSettled(MainWindow &window)
    {
        QTest::qWait(20);
        return QTest::qWaitFor([&] { return window.isSettled(); }, 20000);
    }

    void selectStream(const QString &stream)
    {
        MainWindow &w = *m_window;
        const int row = w.streamModel()->rowOfStream(stream);
        QVERIFY(row >= 0);
        const QRect rect = w.streamView()->visualRect(w.streamModel()->index(row, 0));
        QTest::mouseClick(w.streamView()->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(w.selectedStream(), stream);
        QVERIFY(waitSettled(w));
    }

    // The state view shows exactly what ReplayEngine computes at the slider's index.
    void compareStateWithEngine(const QString &stream)
    {
        MainWindow &w = *m_window;
        ReplayEngine engine(*m_store, stream);
        QVERIFY(engine.load());
        const qint64 index = w.replayBar()->index();
        const auto expected = engine.stateAtIndex(index);
        QVERIFY(expected);
        QCOMPARE(w.stateView()->model()->json().toObject(), expected->state);
        QCOMPARE(highlightedPaths(w.stateView()->model()), changedPaths(expected->changed));
        QCOMPARE(w.stateView()->changes()->topLevelItemCount(),
                 qMax(1, int(expected->changed.size())) - (index < 0 ? 1 : 0));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_small = m_dir.filePath(u"small.db"_s);
        QVERIFY(TestSupport::createSmallStore(m_small));
        StoreError error;
        m_store = EventStore::open(StoreLocation::parse(m_small), {}, &error);
        QVERIFY2(m_store, qPrintable(error.message));
        m_window = std::make_unique<MainWindow>(m_dir.filePath(u"settings.ini"_s));
        m_window->resize(1500, 950);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy opened(m_window.get(), &MainWindow::storeOpened);
        m_window->openStore(m_small);
        QVERIFY(opened.wait(20000));
        QVERIFY(waitSettled(*m_window));
    }

    void opensTheStore()
    {
        MainWindow &w = *m_window;
        QVERIFY(w.windowTitle().contains(u"small.db (eventscope layout)"_s));
        QCOMPARE(
            column(w.streamModel(), StreamListModel::StreamRole),
            (QStringList{u"post-1"_s, u"user'; DROP TABLE events;--"_s, u"user-1"_s, u"user-2"_s}));
        QCOMPARE(w.eventModel()->rowCount(), 12);
        QVERIFY(w.eventModel()->isCountExact());
        const auto *filterBar = w.findChild<EventFilterBar *>();
        QVERIFY(filterBar);
        QCOMPARE(filterBar->eventCountText(), u"12 events"_s);
        QVERIFY(w.statusBar()->findChildren<QLabel *>().constFirst()->text().startsWith(
            u"12 events · 4 streams"_s));
    }

    void filterStreamsAsYouType()
    {
        MainWindow &w = *m_window;
        QTest::keyClicks(w.streamFilter(), u"USER-"_s);
        QVERIFY(waitSettled(w));
        QTRY_COMPARE(column(w.streamModel(), StreamListModel::StreamRole),
                     (QStringList{u"user-1"_s, u"user-2"_s}));
        w.streamFilter()->clear();
        QTRY_COMPARE(w.streamModel()->rowCount(), 4);
    }

    void selectingAStreamReplaysIt()
    {
        MainWindow &w = *m_window;
        selectStream(u"user-1"_s);
        QCOMPARE(w.replayBar()->index(), 4);     // the latest version first
        QCOMPARE(w.eventModel()->rowCount(), 5); // the table follows the selection
        compareStateWithEngine(u"user-1"_s);
        QVERIFY(w.stateView()->heading().contains(u"user-1 at version 5"_s));
    }

    void keyboardMovesTheReplay()
    {
        MainWindow &w = *m_window;
        QSlider *slider = w.replayBar()->slider();
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_Left);
        QTest::keyClick(slider, Qt::Key_Left);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.replayBar()->index(), 2);
        compareStateWithEngine(u"user-1"_s);
        QCOMPARE(highlightedPaths(w.stateView()->model()), QStringList{u"name"_s}); // renamed at v3

        QTest::keyClick(slider, Qt::Key_Home);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.replayBar()->index(), -1);
        QVERIFY(w.stateView()->model()->json().toObject().isEmpty());

        QTest::keyClick(slider, Qt::Key_Right);
        QVERIFY(waitSettled(w));
        compareStateWithEngine(u"user-1"_s);
        QCOMPARE(highlightedPaths(w.stateView()->model()), (QStringList{u"name"_s, u"plan"_s}));

        QTest::keyClick(slider, Qt::Key_End);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.replayBar()->index(), 4);
    }

    void playRunsToTheEnd()
    {
        MainWindow &w = *m_window;
        w.replayBar()->slider()->setFocus();
        QTest::keyClick(w.replayBar()->slider(), Qt::Key_Home);
        QTest::keyClick(w.replayBar()->slider(), Qt::Key_Space);
        QVERIFY(w.replayBar()->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(!w.replayBar()->isPlaying(), 10000);
        QCOMPARE(w.replayBar()->index(), 4);
        QVERIFY(waitSettled(w));
        compareStateWithEngine(u"user-1"_s);
    }

    // "N clicks up to T" is exact at the replayed event: the replay's own count of the click
    // type up to that event, and what SQL run separately counts, not the bucket's total.
    void clicksLabelIsExactAtTheReplayedEvent()
    {
        MainWindow &w = *m_window;
        QCOMPARE(w.selectedStream(), u"user-1"_s);
        QCOMPARE(w.charts()->clickTypes(), QStringList{u"Clicked"_s});
        ReplayEngine engine(*m_store, u"user-1"_s);
        QVERIFY(engine.load());
        QSlider *slider = w.replayBar()->slider();
        slider->setFocus();
        QTest::keyClick(slider, Qt::Key_End);
        QVERIFY(waitSettled(w));
        for (const qint64 index : {qint64(4), qint64(3), qint64(2), qint64(1), qint64(0)}) {
            QCOMPARE(w.replayBar()->index(), index);
            const auto state = engine.stateAtIndex(index);
            QVERIFY(state);
            const qint64 ms = w.charts()->playhead();
            const QString time = TimeCodec::format(ms);
            const auto rows = TestSupport::queryRows(
                m_small, u"SELECT COUNT(*) FROM events WHERE stream_id = 'user-1' AND type = "
                         "'Clicked' AND recorded_at <= '%1'"_s.arg(time));
            const qint64 clicks = state->eventCounts.value(u"Clicked"_s);
            QCOMPARE(rows.constFirst().constFirst().toLongLong(), clicks);
            const QString label =
                clicks == 1 ? u"1 click up to "_s : QString::number(clicks) + u" clicks up to "_s;
            QCOMPARE(w.charts()->clicksLabelText(), label + time);
            QTest::keyClick(slider, Qt::Key_Left);
            QVERIFY(waitSettled(w));
        }
    }

    void selectingAnEventInspectsAndReplaysIt()
    {
        MainWindow &w = *m_window;
        const int row = w.eventModel()->rowOfPosition(5); // user-1 v3, UserRenamed
        QVERIFY(row >= 0);
        w.eventView()->selectRow(row);
        QVERIFY(waitSettled(w));
        QVERIFY(w.inspector()->heading().startsWith(u"UserRenamed · user-1 v3"_s));
        QCOMPARE(w.replayBar()->index(), 2);
        compareStateWithEngine(u"user-1"_s);
    }

    void clickingATimelineMarkSelectsTheEvent()
    {
        MainWindow &w = *m_window;
        selectStream(u"user-2"_s);
        TimelineView *timeline = w.timeline();
        timeline->resetZoom();
        QVERIFY(waitSettled(w));
        // Lane 0 is the selected stream; user-2 v2 (position 6) was recorded at 10:20 on Jan 6.
        const QPoint mark(timeline->xForTime(TimeCodec::parseIso(u"2026-01-06T10:20:00Z"_s)),
                          timeline->laneRect(0).center().y());
        const auto hit = timeline->hitTest(mark);
        QVERIFY(hit);
        QCOMPARE(hit->position, 6);
        QTest::mouseClick(timeline, Qt::LeftButton, {}, mark);
        QVERIFY(waitSettled(w));
        const QModelIndexList rows = w.eventView()->selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(w.eventModel()->event(rows.constFirst().row()).position, 6);
        QVERIFY(w.inspector()->heading().startsWith(u"Clicked · user-2 v2 · position 6"_s));
        QCOMPARE(w.replayBar()->index(), 1); // and the replay follows
        compareStateWithEngine(u"user-2"_s);
    }

    void chartRangeFiltersTheTable()
    {
        MainWindow &w = *m_window;
        w.streamView()->clearSelection();
        QVERIFY(waitSettled(w));
        QCOMPARE(w.eventModel()->rowCount(), 12);
        const qint64 from = TimeCodec::parseIso(u"2026-01-06T00:00:00Z"_s);
        const qint64 to = TimeCodec::parseIso(u"2026-01-12T00:00:00Z"_s);
        emit w.charts()->rangeSelected(from, to);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.eventFilter().fromTimeMs, from);
        QCOMPARE(w.eventFilter().toTimeMs, to);
        QStringList positions;
        for (int row = 0; row < w.eventModel()->rowCount(); ++row)
            positions << QString::number(w.eventModel()->event(row).position);
        QCOMPARE(positions, (QStringList{u"5"_s, u"6"_s, u"7"_s}));
        QCOMPARE(w.timeline()->scale().startMs, from);
        QCOMPARE(w.timeline()->scale().endMs, to);
    }

    void clickTypesCanBeChosen()
    {
        MainWindow &w = *m_window;
        QMenu *menu = w.findChild<QMenu *>(u"clickTypesMenu"_s);
        QVERIFY(menu);
        QTRY_VERIFY(!menu->actions().isEmpty());
        QStringList checked;
        QAction *created = nullptr;
        const auto actions = menu->actions();
        for (QAction *a : actions) {
            if (a->isChecked())
                checked << a->text();
            if (a->text() == u"UserCreated")
                created = a;
        }
        QCOMPARE(checked, QStringList{u"Clicked"_s}); // "click" in the name by default
        QVERIFY(created);
        created->setChecked(true);
        QCOMPARE(w.charts()->clickTypes(), (QStringList{u"Clicked"_s, u"UserCreated"_s}));
    }

    void screenshotIsNotBlank()
    {
        MainWindow &w = *m_window;
        selectStream(u"user-2"_s);
        const QImage shot = w.grab().toImage();
        QVERIFY(!shot.isNull());
        QSet<QRgb> colours;
        for (int y = 0; y < shot.height(); y += 7) {
            for (int x = 0; x < shot.width(); x += 7)
                colours.insert(shot.pixel(x, y));
        }
        QVERIFY2(colours.size() > 40, qPrintable(QString::number(colours.size())));
        QVERIFY(shot.save(m_dir.filePath(u"window.png"_s)));
    }

    // Ctrl+arrows belong to the text field that has focus; the replay's keys from anywhere
    // (Alt+arrows) work there too and leave the text alone.
    void replayKeysLeaveTextEditingAlone()
    {
        MainWindow &w = *m_window;
        selectStream(u"user-1"_s);
        QCOMPARE(w.replayBar()->index(), 4);
        QLineEdit *filter = w.streamFilter();
        filter->setFocus();
        QTest::keyClicks(filter, u"user one"_s);
        QTest::keyClick(filter, Qt::Key_Left, Qt::ControlModifier);
        QCOMPARE(filter->cursorPosition(), 5); // moved by a word
        QCOMPARE(w.replayBar()->index(), 4);
        QTest::keyClick(filter, Qt::Key_Left, Qt::AltModifier);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.replayBar()->index(), 3);
        QCOMPARE(filter->text(), u"user one"_s);
        QCOMPARE(filter->cursorPosition(), 5);
        QTest::keyClick(filter, Qt::Key_Home, Qt::AltModifier);
        QCOMPARE(w.replayBar()->index(), -1);
        QTest::keyClick(filter, Qt::Key_End, Qt::AltModifier);
        QCOMPARE(w.replayBar()->index(), 4);
        filter->clear();
        QVERIFY(waitSettled(w));
    }

    // View ▸ Whole Store leaves the stream even when the filter has taken it off the list.
    void wholeStoreWhenTheStreamIsFilteredOut()
    {
        MainWindow &w = *m_window;
        selectStream(u"user-1"_s);
        QTest::keyClicks(w.streamFilter(), u"post"_s);
        QVERIFY(waitSettled(w));
        QTRY_COMPARE(w.streamModel()->rowCount(), 1);
        QCOMPARE(w.selectedStream(), u"user-1"_s);
        QAction *whole = actionNamed(&w, tr("&Whole Store"));
        QVERIFY(whole);
        whole->trigger();
        QVERIFY(waitSettled(w));
        QCOMPARE(w.selectedStream(), QString());
        QCOMPARE(w.eventModel()->filter().stream, QString());
        QVERIFY(w.charts()->activityChart()->chart()->title().endsWith(u"whole store"_s));
        w.streamFilter()->clear();
        QVERIFY(waitSettled(w));
    }

    // A click on another lane's event selects that stream and replays it there; "Selected
    // stream only" stays as the user left it and the table shows the event.
    void timelineClickOnAnotherStreamSelectsIt()
    {
        MainWindow &w = *m_window;
        selectStream(u"user-2"_s);
        auto *selectedOnly = w.findChild<QCheckBox *>(u"selectedStreamOnly"_s);
        QVERIFY(selectedOnly && selectedOnly->isChecked());
        TimelineView *timeline = w.timeline();
        timeline->resetZoom();
        QVERIFY(waitSettled(w));
        // user-1 v3 (position 5) is in one of the other lanes.
        QPoint mark;
        for (int lane = 1; lane < 8 && mark.isNull(); ++lane) {
            const QRect rect = timeline->laneRect(lane);
            for (int x = rect.left(); x < rect.right() && mark.isNull(); ++x) {
                const auto hit = timeline->hitTest(QPoint(x, rect.center().y()));
                if (hit && hit->position == 5)
                    mark = QPoint(x, rect.center().y());
            }
        }
        QVERIFY(!mark.isNull());
        QTest::mouseClick(timeline, Qt::LeftButton, {}, mark);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.selectedStream(), u"user-1"_s);
        QVERIFY(selectedOnly->isChecked());
        QCOMPARE(w.replayBar()->index(), 2);
        const QModelIndexList rows = w.eventView()->selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(w.eventModel()->event(rows.constFirst().row()).position, 5);
        QVERIFY(w.inspector()->heading().startsWith(u"UserRenamed · user-1 v3"_s));
        QVERIFY(w.charts()->activityChart()->chart()->title().endsWith(u"stream user-1"_s));
    }

    // With the table of all streams, the table still follows the replay to its event.
    void tableOfAllStreamsFollowsTheReplay()
    {
        MainWindow &w = *m_window;
        // Without the time filter an earlier test left, which hides events of user-1.
        const auto buttons = w.findChildren<QToolButton *>();
        for (QToolButton *b : buttons) {
            if (b->toolTip() == tr("Clear the time filter") && b->isVisible())
                QTest::mouseClick(b, Qt::LeftButton);
        }
        QCOMPARE(w.eventFilter().fromTimeMs, NoTime);
        selectStream(u"user-1"_s);
        auto *selectedOnly = w.findChild<QCheckBox *>(u"selectedStreamOnly"_s);
        selectedOnly->setChecked(false);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.eventModel()->filter().stream, QString());
        for (const qint64 version : {2, 5}) {
            w.replayTo(version);
            QVERIFY(waitSettled(w));
            const QModelIndexList rows = w.eventView()->selectionModel()->selectedRows();
            QCOMPARE(rows.size(), 1);
            const Event &event = w.eventModel()->event(rows.constFirst().row());
            QCOMPARE(event.stream, u"user-1"_s);
            QCOMPARE(event.version, version);
        }
        selectedOnly->setChecked(true);
        QVERIFY(waitSettled(w));
    }

    // The slider keeps most of the bar at the default width, whatever its label says.
    void sliderIsNotSqueezedByItsLabel()
    {
        MainWindow window(m_dir.filePath(u"slider.ini"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(m_small);
        QVERIFY(opened.wait(20000));
        window.selectStream(u"user'; DROP TABLE events;--"_s);
        QVERIFY(waitSettled(window));
        ReplayBar *bar = window.replayBar();
        QVERIFY2(bar->slider()->width() >= bar->width() / 2,
                 qPrintable(u"slider %1 of %2 px"_s.arg(bar->slider()->width()).arg(bar->width())));
        QVERIFY(window.grab().save(m_dir.filePath(u"slider.png"_s)));
    }

    // Nothing of one store's view stays for the next: the stream filter, the stream in the
    // charts' titles, an unticked "Selected stream only".
    void openingAnotherStoreResetsTheView()
    {
        MainWindow window(m_dir.filePath(u"reset.ini"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(m_small);
        QVERIFY(opened.wait(20000));
        QVERIFY(waitSettled(window));
        window.selectStream(u"user-1"_s);
        QVERIFY(waitSettled(window));
        QTest::keyClicks(window.streamFilter(), u"user-1"_s);
        window.findChild<QCheckBox *>(u"selectedStreamOnly"_s)->setChecked(false);
        QVERIFY(waitSettled(window));
        const QString other = m_dir.filePath(u"other.db"_s);
        QVERIFY(QFile::copy(m_small, other));
        window.openStore(other);
        QVERIFY(opened.wait(20000));
        QVERIFY(waitSettled(window));
        QCOMPARE(window.streamFilter()->text(), QString());
        QCOMPARE(window.streamModel()->rowCount(), 4);
        QCOMPARE(window.selectedStream(), QString());
        QVERIFY(window.findChild<QCheckBox *>(u"selectedStreamOnly"_s)->isChecked());
        const QString title = window.charts()->activityChart()->chart()->title();
        QVERIFY2(title.endsWith(u"whole store"_s), qPrintable(title));
        QVERIFY(!window.charts()->clicksChart()->chart()->title().contains(u"user-1"_s));
    }

    // A store file dropped on the window opens; a drop of something that is not a local file
    // is refused and leaves the open store alone.
    void droppedFileOpens()
    {
        MainWindow window(m_dir.filePath(u"drop.ini"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        const auto drag = [&window](QEvent::Type type, const QUrl &url) {
            QMimeData data;
            data.setUrls({url});
            QDropEvent event(QPointF(20, 20), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier,
                             type);
            QCoreApplication::sendEvent(&window, &event);
            return event.isAccepted();
        };
        QVERIFY(!drag(QEvent::DragEnter, QUrl(u"https://example.org/store.db"_s)));
        QVERIFY(drag(QEvent::DragEnter, QUrl::fromLocalFile(m_small)));
        QVERIFY(drag(QEvent::Drop, QUrl::fromLocalFile(m_small)));
        QVERIFY(opened.wait(20000));
        QCOMPARE(window.storeName(), m_small);
        QVERIFY(waitSettled(window));
        QCOMPARE(window.streamModel()->rowCount(), 4);
        QVERIFY(!drag(QEvent::Drop, QUrl(u"https://example.org/store.db"_s)));
        QCOMPARE(window.storeName(), m_small);
    }

    // Odd stores still render: a time in year 1 (the timeline's ticks), a type and a stream
    // of a million characters (the legend, lanes, lists, menus, titles), a first time that
    // parses and a last that does not. Each opens, settles and paints within bounds.
    // What the window leaves out it says in the status bar, with how many and why, as the
    // CLI does: events without a valid time (the store's), and events of the replayed stream
    // without a version.
    void statusSaysWhatIsLeftOut()
    {
        const QString path = m_dir.filePath(u"left-out.db"_s);
        QVERIFY(TestSupport::createSmallStore(path));
        const qint64 lowest = std::numeric_limits<qint64>::min();
        QVERIFY(TestSupport::execSql(
            path,
            {u"DELETE FROM events"_s, insertEvent(1, u"s"_s, 1, u"A"_s, u"2026-01-01T00:00:00Z"_s),
             insertEvent(2, u"s"_s, lowest, u"A"_s, u"2026-01-01T00:00:01Z"_s),
             insertEvent(3, u"s"_s, 2, u"A"_s, u"2026-02-30T00:00:00Z"_s),
             insertEvent(4, u"t"_s, 1, u"A"_s, u"not a time"_s),
             insertEvent(5, u"t"_s, 2, u"A"_s, u"2026-01-02T00:00:00Z"_s)}));
        MainWindow window(m_dir.filePath(u"left-out.ini"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(path);
        QVERIFY(opened.wait(30000));
        QVERIFY(waitSettled(window));
        auto *note = window.findChild<QLabel *>(u"skippedNote"_s);
        QVERIFY(note);
        const QString withoutTime = u"2 event(s) have no valid time (NULL, or not a date such as "
                                    "2026-02-30) and are on no timeline or chart"_s;
        QCOMPARE(note->text(), withoutTime);
        QVERIFY(note->isVisible());
        window.selectStream(u"s"_s);
        QVERIFY(waitSettled(window));
        QTRY_COMPARE(note->text(), withoutTime +
                                       u" · 1 event(s) of s have no version (NULL, or "
                                       "the lowest 64-bit integer) and are not replayed"_s);
        window.selectStream(u"t"_s);
        QVERIFY(waitSettled(window));
        QCOMPARE(note->text(), withoutTime);
        // A store that leaves nothing out says nothing.
        window.openStore(m_small);
        QVERIFY(opened.wait(30000));
        QVERIFY(waitSettled(window));
        QVERIFY(note->text().isEmpty());
        QVERIFY(!note->isVisible());
    }

    // The table shows the replayed event after its filters change, too: in the store with a
    // type and a stream name of a million characters, a replay of that stream (one event: the
    // replay cannot move, so no new state brings the table back) and of the stream whose event
    // has the long type.
    void tableKeepsTheReplayedEventAcrossFilters()
    {
        const QString huge(1000000, u'T');
        const QString path = m_dir.filePath(u"million.db"_s);
        QVERIFY(TestSupport::createSmallStore(path));
        QVERIFY(TestSupport::execSql(
            path,
            {u"DELETE FROM events"_s, insertEvent(1, u"s"_s, 1, huge, u"2026-01-01T00:00:00Z"_s),
             insertEvent(2, u"s"_s, 2, u"Clicked"_s, u"2026-01-02T00:00:00Z"_s),
             insertEvent(3, huge, 1, huge + u"click"_s, u"2026-01-03T00:00:00Z"_s)}));
        MainWindow window(m_dir.filePath(u"million.ini"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(path);
        QVERIFY(opened.wait(30000));
        QVERIFY(waitSettled(window));
        auto *selectedOnly = window.findChild<QCheckBox *>(u"selectedStreamOnly"_s);
        const auto replayedRow = [&window]() -> qint64 {
            const QModelIndexList rows = window.eventView()->selectionModel()->selectedRows();
            if (rows.size() != 1)
                return -1;
            // Shown, not only selected.
            const QRect rect = window.eventView()->visualRect(rows.constFirst());
            if (!window.eventView()->viewport()->rect().intersects(rect))
                return -2;
            return window.eventModel()->event(rows.constFirst().row()).position;
        };
        const auto toggleSelectedOnly = [&] {
            selectedOnly->setChecked(!selectedOnly->isChecked());
            return waitSettled(window);
        };
        window.selectStream(huge);
        QVERIFY(waitSettled(window));
        QTRY_COMPARE(replayedRow(), qint64(3));
        QVERIFY(toggleSelectedOnly()); // the table of all streams
        QTRY_COMPARE(replayedRow(), qint64(3));
        QVERIFY(toggleSelectedOnly());
        QTRY_COMPARE(replayedRow(), qint64(3));

        window.selectStream(u"s"_s);
        QVERIFY(waitSettled(window));
        window.replayTo(1);
        QVERIFY(waitSettled(window));
        QTRY_COMPARE(replayedRow(), qint64(1));
        QVERIFY(toggleSelectedOnly());
        QTRY_COMPARE(replayedRow(), qint64(1));
        QVERIFY(toggleSelectedOnly());
        QTRY_COMPARE(replayedRow(), qint64(1));
    }

    void oddStoresRender_data()
    {
        QTest::addColumn<QStringList>("events");
        const QString huge(1000000, u'T');
        QTest::newRow("year 1") << QStringList{
            insertEvent(1, u"s"_s, 1, u"Clicked"_s, u"0001-01-01T00:00:00Z"_s),
            insertEvent(2, u"s"_s, 2, u"Clicked"_s, u"2026-01-01T00:00:00Z"_s)};
        QTest::newRow("year 1 to 9999")
            << QStringList{insertEvent(1, u"s"_s, 1, u"A"_s, u"0001-01-01T00:00:00Z"_s),
                           insertEvent(2, u"s"_s, 2, u"B"_s, u"9999-12-31T23:59:59.999Z"_s)};
        QTest::newRow("a type of a million characters")
            << QStringList{insertEvent(1, u"s"_s, 1, huge, u"2026-01-01T00:00:00Z"_s),
                           insertEvent(2, u"s"_s, 2, u"Clicked"_s, u"2026-01-02T00:00:00Z"_s),
                           insertEvent(3, huge, 1, huge + u"click"_s, u"2026-01-03T00:00:00Z"_s)};
        QTest::newRow("last time does not parse")
            << QStringList{insertEvent(1, u"s"_s, 1, u"A"_s, u"2026-01-01T00:00:00Z"_s),
                           insertEvent(2, u"s"_s, 2, u"A"_s, u"not a time"_s)};
        QTest::newRow("first time does not parse")
            << QStringList{insertEvent(1, u"s"_s, 1, u"A"_s, u"not a time"_s),
                           insertEvent(2, u"s"_s, 2, u"A"_s, u"2026-01-01T00:00:00Z"_s)};
    }

    void oddStoresRender()
    {
        QFETCH(QStringList, events);
        const QString path =
            m_dir.filePath(QString::fromLatin1(QTest::currentDataTag()) + u".db"_s);
        QVERIFY(TestSupport::createSmallStore(path));
        QVERIFY(TestSupport::execSql(path, QStringList{u"DELETE FROM events"_s} + events));
        const qint64 before = residentKib();
        QElapsedTimer timer;
        timer.start();
        MainWindow window(m_dir.filePath(u"odd.ini"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        window.openStore(path);
        QVERIFY(opened.wait(30000));
        QVERIFY(waitSettled(window));
        window.selectStream(u"s"_s);
        QVERIFY(waitSettled(window));
        window.timeline()->zoomIn();
        QVERIFY(waitSettled(window));
        const QImage shot = window.grab().toImage();
        QVERIFY(!shot.isNull());
        QVERIFY(shot.save(path + u".png"_s));
        // No label grew the window to a name's width (a backing store of gigabytes).
        QVERIFY2(window.minimumSizeHint().width() <= 1600,
                 qPrintable(QString::number(window.minimumSizeHint().width())));
        QVERIFY2(timer.elapsed() < 60000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
        const qint64 grownMib = (residentKib() - before) / 1024;
        QVERIFY2(grownMib < 600, qPrintable(u"%1 MiB more"_s.arg(grownMib)));
        // Names are cut wherever they are drawn.
        const auto legend = window.charts()->activityChart()->chart()->legend()->markers();
        for (const QLegendMarker *marker : legend)
            QVERIFY(marker->label().size() <= 200);
        QVERIFY(window.charts()->clicksChart()->chart()->title().size() <= 1000);
    }

    // File ▸ Open Demo Store writes where the README says and opens on the busiest user,
    // replayed to the middle of its history, as the README's screenshot shows.
    void demoStoreOpensOnAReplay()
    {
        QStandardPaths::setTestModeEnabled(true);
        const QString path = AppSettings::demoStorePath();
        QCOMPARE(path, QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
                           u"/Eventscope/demo.db"_s);
        QFile::remove(path);
        MainWindow window(m_dir.filePath(u"demo.ini"_s));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(&window, &MainWindow::storeOpened);
        QAction *demo = actionNamed(&window, tr("Open &Demo Store"));
        QVERIFY(demo);
        demo->trigger();
        QVERIFY(opened.wait(60000));
        QVERIFY(waitSettled(window));
        QVERIFY(QFileInfo::exists(path));
        QTRY_VERIFY(window.selectedStream().startsWith(u"user-"_s));
        QVERIFY(waitSettled(window));
        const qint64 events =
            window.streamModel()
                ->index(window.streamModel()->rowOfStream(window.selectedStream()), 0)
                .data(StreamListModel::EventCountRole)
                .toLongLong();
        QVERIFY(events > 100);
        QCOMPARE(window.replayBar()->index(), (events - 1) / 2);
        QFile::remove(path);
        QStandardPaths::setTestModeEnabled(false);
    }

    // The demo store at the moments a user looks at: opened, a stream mid-replay, the timeline
    // zoomed in, a range picked on the chart. Set EVENTSCOPE_SHOTS_DIR to keep the pictures.
    void demoStoreMoments()
    {
        const QString demo = m_dir.filePath(u"demo.db"_s);
        DemoGenerator::Options options;
        options.events = 20000;
        QString error;
        QVERIFY2(DemoGenerator::generate(demo, options, &error), qPrintable(error));
        const QString shots = qEnvironmentVariable("EVENTSCOPE_SHOTS_DIR", m_dir.path());
        const auto snapshot = [&shots](QWidget &w, const QString &name) {
            QTest::qWait(300); // charts lay out their axes on a later pass, as the window does
            const QImage image = w.grab().toImage();
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 5) {
                for (int x = 0; x < image.width(); x += 5)
                    colours.insert(image.pixel(x, y));
            }
            QVERIFY2(colours.size() > 60, qPrintable(name));
            QVERIFY(image.save(shots + u'/' + name + u".png"_s));
        };

        MainWindow w(m_dir.filePath(u"demo.ini"_s));
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy opened(&w, &MainWindow::storeOpened);
        w.openStore(demo);
        QVERIFY(opened.wait(20000));
        QVERIFY(waitSettled(w));
        snapshot(w, u"1-opened"_s);

        QString busiest;
        {
            StoreError openError;
            auto store = EventStore::open(StoreLocation::parse(demo), {}, &openError);
            QVERIFY2(store, qPrintable(openError.message));
            StreamQuery query{u"user-"_s, {}, 1, StreamQuery::Order::MostEvents, 0};
            busiest = store->streams(query)->constFirst().stream;
        }
        w.selectStream(busiest);
        QVERIFY(waitSettled(w));
        const qint64 middle = w.replayBar()->index() / 2;
        w.replayBar()->setIndex(middle);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.replayBar()->index(), middle);
        QVERIFY(w.stateView()->heading().startsWith(busiest + u" at version "_s));
        // The replayed event is selected in the table and shown in the inspector.
        QVERIFY(w.inspector()->heading().contains(busiest + u" v"_s));
        const QModelIndexList selected = w.eventView()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(w.eventModel()->event(selected.constFirst().row()).position,
                 w.timeline()->selectedEvent());
        QTRY_VERIFY(w.eventView()->viewport()->rect().contains(
            w.eventView()->visualRect(selected.constFirst()).center())); // scrolled into view
        snapshot(w, u"2-replay"_s);

        const qint64 span = w.timeline()->scale().spanMs();
        w.timeline()->zoomIn();
        w.timeline()->zoomIn();
        w.timeline()->zoomIn();
        QVERIFY(waitSettled(w));
        QVERIFY(qAbs(w.timeline()->scale().spanMs() - span / 8) <= 2); // rounding per step
        snapshot(w, u"3-zoomed"_s);

        w.timeline()->resetZoom();
        w.streamView()->clearSelection();
        QVERIFY(waitSettled(w));
        const qint64 from = TimeCodec::parseIso(u"2026-01-20T00:00:00Z"_s);
        const qint64 to = TimeCodec::parseIso(u"2026-01-23T00:00:00Z"_s);
        emit w.charts()->rangeSelected(from, to);
        QVERIFY(waitSettled(w));
        QVERIFY(w.eventModel()->rowCount() > 0);
        for (int row = 0; row < w.eventModel()->rowCount(); ++row) {
            if (!w.eventModel()->isRowLoaded(row)) { // as the view would, scrolled there
                w.eventModel()->data(w.eventModel()->index(row, 0));
                QVERIFY(waitSettled(w));
            }
            const qint64 t = w.eventModel()->event(row).timeMs;
            QVERIFY(t >= from && t < to);
        }
        snapshot(w, u"4-range"_s);
    }

    void rememberedLayoutAndRecentStores()
    {
        m_window->close();
        MainWindow again(m_dir.filePath(u"settings.ini"_s));
        QCOMPARE(AppSettings(m_dir.filePath(u"settings.ini"_s)).recentStores(),
                 QStringList{m_small});
        QCOMPARE(again.size(), m_window->size());
    }

    // A store past the quick-summary size first shows its counts as bounds, then the exact
    // ones once it is indexed, with the indexing's progress in the status bar meanwhile; the
    // filter and the charts then answer from the index.
    void largeStoreIsIndexedInTheBackground()
    {
        const QString path = m_dir.filePath(u"large.db"_s);
        DemoGenerator::Options options;
        options.events = EventStore::QuickSummaryAbove + 50000;
        options.users = 300;
        QString error;
        QVERIFY2(DemoGenerator::generate(path, options, &error), qPrintable(error));
        MainWindow w(m_dir.filePath(u"large.ini"_s));
        w.resize(1500, 950);
        w.show();
        const auto *bar = w.statusBar()->findChild<QProgressBar *>();
        QVERIFY(bar);
        QSignalSpy progress(bar, &QProgressBar::valueChanged);
        QSignalSpy opened(&w, &MainWindow::storeOpened);
        w.openStore(path);
        QVERIFY(opened.wait(20000));
        const QLabel *status = w.statusBar()->findChildren<QLabel *>().constFirst();
        QVERIFY2(status->text().contains(u"counting streams"_s), qPrintable(status->text()));
        auto *timeline = w.findChild<TimelineView *>(u"timeline"_s);
        timeline->grab(); // the store's density, before the lanes
        QVERIFY(timeline->paintStats().densityColumns > 0);
        QCOMPARE(timeline->paintStats().denseLanes + timeline->paintStats().sparseMarks, 0);
        QVERIFY(waitSettled(w));
        QVERIFY(!bar->isVisible());
        int furthest = 0;
        for (const QList<QVariant> &value : std::as_const(progress))
            furthest = qMax(furthest, value.at(0).toInt());
        QVERIFY(furthest > 0);
        StoreError openError;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &openError);
        QVERIFY2(store, qPrintable(openError.message));
        const auto summary = store->summary(); // through SQL
        QVERIFY(summary);
        QVERIFY2(status->text().startsWith(u"%1 events · %2 streams"_s.arg(
                     QLocale().toString(summary->events), QLocale().toString(summary->streams))),
                 qPrintable(status->text()));

        StreamQuery query;
        query.filter = u"ER-1"_s;
        query.limit = 1000;
        const auto expected = store->streams(query); // through SQL
        QVERIFY(expected);
        QTest::keyClicks(w.streamFilter(), query.filter);
        QVERIFY(waitSettled(w));
        QTRY_COMPARE(w.streamModel()->rowCount(), int(expected->size()));
        QCOMPARE(w.streamModel()->index(0, 0).data(StreamListModel::StreamRole).toString(),
                 expected->constFirst().stream);
    }

    // A store Eventscope did not write, past the quick-summary size (integer times, no index
    // on the time or the type, a gap in its positions): the first paint shows what a sample
    // of it found; once it is indexed, its exact time range and every type, the one the
    // sample missed included.
    void foreignStoreGetsItsExactRangeAndTypes()
    {
        const QString path = m_dir.filePath(u"foreign.db"_s);
        QStringList sql{u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT "
                        "NOT NULL, stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT "
                        "NULL, recorded_at INTEGER NOT NULL, data TEXT, metadata TEXT, "
                        "UNIQUE(stream_id, stream_version))"_s};
        const qint64 base = TimeCodec::parseIso(u"2026-02-02T10:00:00Z"_s);
        const qint64 earliest = base - 3600000; // at the third position, not the first
        for (int i = 0; i < 60; ++i) {
            // The first 30 positions, then 30 past the quick summary's limit: the sample's
            // seeks land on the first event and on the later ones.
            const qint64 position = i < 30 ? i + 1 : i + 1 + EventStore::QuickSummaryAbove;
            sql << u"INSERT INTO events VALUES (%1, 'user-%2', %3, NULL, '%4', %5, '{}', NULL)"_s
                       .arg(position)
                       .arg(i % 2)
                       .arg(i / 2 + 1)
                       .arg(i == 4 ? u"Rare"_s : u"Clicked"_s)
                       .arg(i == 2 ? earliest : base + qint64(i) * 60000);
        }
        QVERIFY(TestSupport::execSql(path, sql));
        MainWindow w(m_dir.filePath(u"foreign.ini"_s));
        w.resize(1500, 950);
        w.show();
        auto *timeline = w.findChild<TimelineView *>(u"timeline"_s);
        QMenu *types = nullptr;
        for (QToolButton *button : w.findChildren<QToolButton *>()) {
            if (button->text() == u"Types")
                types = button->menu();
        }
        QVERIFY(types);
        const auto typeNames = [types] {
            QStringList names;
            for (const QAction *action : types->actions())
                names << action->text();
            return names;
        };
        // What the first paint shows, taken as it is shown: a small store's index may follow
        // within the same wait.
        qint64 firstStartMs = NoTime;
        QStringList firstTypes;
        connect(&w, &MainWindow::storeOpened, this, [&] {
            firstStartMs = timeline->scale().startMs;
            firstTypes = typeNames();
        });
        QSignalSpy opened(&w, &MainWindow::storeOpened);
        w.openStore(path);
        QVERIFY(opened.wait(20000));
        QVERIFY(firstStartMs > earliest); // the sample's range
        QCOMPARE(firstTypes, QStringList{u"Clicked (counting)"_s});

        QVERIFY(waitSettled(w));
        QVERIFY(timeline->scale().startMs < earliest);
        QCOMPARE(typeNames(), (QStringList{u"Clicked (59)"_s, u"Rare (1)"_s}));
        const QLabel *status = w.statusBar()->findChildren<QLabel *>().constFirst();
        QVERIFY2(status->text().startsWith(u"60 events · 2 streams"_s), qPrintable(status->text()));
    }

    void badStoreGivesAMessage()
    {
        const QString text = m_dir.filePath(u"notes.db"_s);
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("just some notes\n");
        f.close();
        MainWindow w(m_dir.filePath(u"other.ini"_s));
        QSignalSpy failed(&w, &MainWindow::storeFailed);
        w.openStore(text);
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.at(0).at(0).toString().contains(u"not an SQLite database"_s));
        QCOMPARE(w.storeName(), QString());

        // A recent store that has gone away leaves the recent list when it fails to open.
        const QString gone = m_dir.filePath(u"gone.db"_s);
        AppSettings(m_dir.filePath(u"other.ini"_s)).addRecentStore(gone);
        w.openStore(gone);
        QVERIFY(failed.wait(10000));
        QVERIFY(!AppSettings(m_dir.filePath(u"other.ini"_s)).recentStores().contains(gone));
    }

    // File ▸ Import… past its file dialogs: the store opens and the report names the format,
    // the field names and the rejected line.
    void importOpensTheStore()
    {
        const QString input = m_dir.filePath(u"message-db.jsonl"_s);
        QFile f(input);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"global_position":1,"stream_name":"account-1","position":0,"type":"Opened","time":"2026-03-01T10:00:00Z","data":{"x":1}})"
            "\n"
            "not json\n"
            R"({"global_position":2,"stream_name":"account-1","position":1,"type":"Changed","time":"2026-03-01T11:00:00Z","data":{"x":2}})"
            "\n");
        f.close();
        const QString output = m_dir.filePath(u"message-db.db"_s);
        MainWindow w(m_dir.filePath(u"import.ini"_s));
        QSignalSpy opened(&w, &MainWindow::storeOpened);
        w.importFile(input, output);
        QVERIFY(opened.wait(20000));
        QCOMPARE(w.storeName(), output);
        QVERIFY(waitSettled(w));
        QCOMPARE(w.streamModel()->rowCount(), 1);
        QCOMPARE(w.eventModel()->rowCount(), 2);

        auto *report = w.findChild<ImportReportBox *>(u"importReport"_s);
        QVERIFY(report);
        QCOMPARE(report->text(), u"Imported 2 events from message-db.jsonl (jsonl, Message DB "
                                 "field names) into message-db.db."_s);
        QVERIFY2(report->informativeText().contains(u"Line 2: not JSON"_s),
                 qPrintable(report->informativeText()));
        QVERIFY2(report->detailedText().startsWith(input + u":2: not JSON"_s),
                 qPrintable(report->detailedText()));

        // The writer never overwrites: a second import into the same file fails, and says so.
        QSignalSpy failedOpen(&w, &MainWindow::storeOpened);
        w.importFile(input, output);
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto boxes = w.findChildren<QMessageBox *>();
                return std::any_of(boxes.cbegin(), boxes.cend(), [](const QMessageBox *b) {
                    return b->text().contains(u"refusing to overwrite"_s);
                });
            },
            20000));
        QCOMPARE(failedOpen.size(), 0);
    }

    void screenshotCommandLine()
    {
        const QString gui = QFileInfo(TestSupport::cliPath()).absolutePath() + u"/eventscope"_s;
        const QString png = m_dir.filePath(u"cli-shot.png"_s);
        QProcess p;
        p.start(gui,
                {m_small, u"--stream"_s, u"user-1"_s, u"--at"_s, u"3"_s, u"--screenshot"_s, png,
                 u"--size"_s, u"1200x800"_s, u"--settings"_s, m_dir.filePath(u"shot.ini"_s)});
        const bool finished = p.waitForFinished(60000);
        p.kill();
        p.waitForFinished();
        QVERIFY2(finished, p.readAllStandardError().constData());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().contains("wrote"));
        const QImage shot(png);
        QCOMPARE(shot.size(), QSize(1200, 800));

        QProcess bad;
        bad.start(gui, {m_dir.filePath(u"missing.db"_s), u"--screenshot"_s, png, u"--settings"_s,
                        m_dir.filePath(u"shot.ini"_s)});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(bad.readAllStandardError().contains("no such file"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

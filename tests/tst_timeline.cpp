// The timeline widget: hit testing, clicks, zoom and pan by wheel, keys and drags, rendering
// and the level of detail on a lane of a million events.

#include "decoding/timecodec.h"
#include "timelineview.h"
#include "typepalette.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolTip>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const qint64 T0 = TimeCodec::parseIso(u"2026-01-05T08:00:00.000Z"_s);
constexpr int TimeWidth = 600; // the widget is this much wider than the label column

TimelineLane lane(const QString &stream, const QVector<qint64> &offsetsMs,
                  const QVector<quint16> &types, qint64 firstPosition)
{
    TimelineLane l;
    l.stream = stream;
    for (int i = 0; i < offsetsMs.size(); ++i) {
        l.times.append(T0 + offsetsMs.at(i));
        l.types.append(types.at(i));
        l.versions.append(i + 1);
        l.positions.append(firstPosition + 5 * i);
    }
    return l;
}

TimelineLane bigLane(qsizetype events, qint64 stepMs)
{
    TimelineLane l;
    l.stream = u"sensor-firehose"_s;
    l.times.resize(events);
    l.types.resize(events);
    l.versions.resize(events);
    l.positions.resize(events);
    for (qsizetype i = 0; i < events; ++i) {
        l.times[i] = T0 + i * stepMs;
        l.types[i] = quint16(i % 7 == 0 ? 1 : 0); // mostly Alpha
        l.versions[i] = i + 1;
        l.positions[i] = i;
    }
    return l;
}

// Two streams over one minute, shown as [T0, T0 + 60 s) over 600 px: 100 ms per pixel.
//   order-1: 10 s Alpha, 20 s Beta, 30 s Gamma, 45 s Alpha (positions 100, 105, 110, 115)
//   order-2: 15 s Beta, 40 s Gamma                          (positions 200, 205)
void setUp(TimelineView &view)
{
    view.setPalette(TypePalette({u"Gamma"_s, u"Alpha"_s, u"Beta"_s}));
    view.setLanes({lane(u"order-1"_s, {10000, 20000, 30000, 45000}, {0, 1, 2, 0}, 100),
                   lane(u"order-2"_s, {15000, 40000}, {1, 2}, 200)});
    view.resize(TimelineView::LabelWidth + TimeWidth, 240);
    view.setFullRange(T0, T0 + 60000);
    view.setVisibleRange(T0, T0 + 60000);
}

int centerY(const TimelineView &view, int lane)
{
    return view.laneRect(lane).center().y();
}

void wheel(QWidget *w, QPoint pos, int angleY, Qt::KeyboardModifiers modifiers)
{
    QWheelEvent event(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, angleY), Qt::NoButton,
                      modifiers, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &event);
}

// As a name, so that a failure reads "#f28e2b" and colour specs do not matter.
QString colorAt(const QImage &image, int x, int y)
{
    return QColor(image.pixel(x, y)).name();
}

QPair<qint64, qint64> range(const TimelineView &view)
{
    return {view.scale().startMs, view.scale().endMs};
}

QPair<qint64, qint64> offsets(qint64 from, qint64 to)
{
    return {T0 + from, T0 + to};
}

} // namespace

class TestTimeline : public QObject
{
    Q_OBJECT

private slots:
    void layout()
    {
        TimelineView view;
        setUp(view);
        QCOMPARE(view.timeArea().left(), TimelineView::LabelWidth);
        QCOMPARE(view.scale().widthPx, TimeWidth);
        QCOMPARE(view.xForTime(T0 + 10000), TimelineView::LabelWidth + 100);
        QCOMPARE(view.xForTime(T0 + 10099), TimelineView::LabelWidth + 100);
        QCOMPARE(view.xForTime(T0 + 10100), TimelineView::LabelWidth + 101);
        QVERIFY(view.laneRect(1).top() == view.laneRect(0).bottom() + 1);
        QVERIFY(view.minimumSizeHint().width() < view.sizeHint().width());
    }

    void hitTest()
    {
        TimelineView view;
        setUp(view);
        const int x = view.xForTime(T0 + 20000);
        for (int dx : {0, -TimelineView::HitTolerancePx, TimelineView::HitTolerancePx}) {
            const auto hit = view.hitTest(QPoint(x + dx, centerY(view, 0)));
            QVERIFY(hit);
            QCOMPARE(hit->lane, 0);
            QCOMPARE(hit->index, 1);
            QCOMPARE(hit->stream, u"order-1"_s);
            QCOMPARE(hit->type, u"Beta"_s);
            QCOMPARE(hit->timeMs, T0 + 20000);
            QCOMPARE(hit->version, 2);
            QCOMPARE(hit->position, 105);
        }
        // Just past the tolerance, and halfway between two marks: nothing.
        QVERIFY(!view.hitTest(QPoint(x + TimelineView::HitTolerancePx + 1, centerY(view, 0))));
        QVERIFY(!view.hitTest(QPoint(x - TimelineView::HitTolerancePx - 1, centerY(view, 0))));
        QVERIFY(!view.hitTest(QPoint(view.xForTime(T0 + 25000), centerY(view, 0))));
        // The same column in the other lane has no event; lane 2's event is found there.
        QVERIFY(!view.hitTest(QPoint(x, centerY(view, 1))));
        const auto other = view.hitTest(QPoint(view.xForTime(T0 + 40000) + 2, centerY(view, 1)));
        QVERIFY(other);
        QCOMPARE(other->position, 205);
        QCOMPARE(other->type, u"Gamma"_s);
        // The axis, the label column and below the lanes hit nothing.
        QVERIFY(!view.hitTest(QPoint(x, 2)));
        QVERIFY(!view.hitTest(QPoint(10, centerY(view, 0))));
        QVERIFY(!view.hitTest(QPoint(x, view.laneRect(1).bottom() + 5)));
    }

    void hitTestNearest()
    {
        // Two events 6 px apart: each half goes to the nearer one.
        TimelineView view;
        view.setPalette(TypePalette({u"Alpha"_s}));
        view.setLanes({lane(u"s"_s, {10000, 10600}, {0, 0}, 1)});
        view.resize(TimelineView::LabelWidth + TimeWidth, 200);
        view.setFullRange(T0, T0 + 60000);
        view.setVisibleRange(T0, T0 + 60000);
        const int x = view.xForTime(T0 + 10000);
        QCOMPARE(view.hitTest(QPoint(x + 2, centerY(view, 0)))->position, 1);
        QCOMPARE(view.hitTest(QPoint(x + 4, centerY(view, 0)))->position, 6);
    }

    void clickEmitsAndSelects()
    {
        TimelineView view;
        setUp(view);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy clicked(&view, &TimelineView::eventClicked);
        QTest::mouseClick(&view, Qt::LeftButton, {},
                          QPoint(view.xForTime(T0 + 30000) + 1, centerY(view, 0) + 3));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toString(), u"order-1"_s);
        QCOMPARE(clicked.at(0).at(1).toLongLong(), 110);
        QCOMPARE(clicked.at(0).at(2).toLongLong(), 3);
        QCOMPARE(view.selectedEvent(), 110);
        // Between marks: no signal, the selection stays.
        QTest::mouseClick(&view, Qt::LeftButton, {},
                          QPoint(view.xForTime(T0 + 35000), centerY(view, 0)));
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(view.selectedEvent(), 110);
    }

    void ctrlWheelZoomsAboutMouse()
    {
        TimelineView view;
        setUp(view);
        QSignalSpy changed(&view, &TimelineView::visibleRangeChanged);
        const QPoint mouse(TimelineView::LabelWidth + 300, centerY(view, 0));
        const qint64 under = view.scale().toTime(300);
        wheel(&view, mouse, 120, Qt::ControlModifier);
        QCOMPARE(view.scale().spanMs(), 48000); // 60 s / 1.25
        QCOMPARE(view.scale().toTime(300), under);
        QCOMPARE(range(view), offsets(6000, 54000));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toLongLong(), T0 + 6000);
        QCOMPARE(changed.at(0).at(1).toLongLong(), T0 + 54000);

        // About a point off the centre: a quarter of the way in.
        view.setVisibleRange(T0, T0 + 60000);
        const qint64 quarter = view.scale().toTime(150);
        wheel(&view, QPoint(TimelineView::LabelWidth + 150, 50), 240, Qt::ControlModifier);
        QCOMPARE(view.scale().spanMs(), 38400); // 60 s / 1.25^2
        QCOMPARE(view.scale().toTime(150), quarter);

        // Backwards zooms out, up to the whole store and no further.
        for (int i = 0; i < 20; ++i)
            wheel(&view, mouse, -120, Qt::ControlModifier);
        QCOMPARE(range(view), offsets(-1200, 61200));
    }

    void wheelPans()
    {
        TimelineView view;
        setUp(view);
        view.setVisibleRange(T0 + 20000, T0 + 30000); // 10 s over 600 px
        wheel(&view, QPoint(400, 50), -120, {});      // one notch down: a tenth of the width later
        QCOMPARE(range(view), offsets(21000, 31000));
        wheel(&view, QPoint(400, 50), 240, {});
        QCOMPARE(range(view), offsets(19000, 29000));
    }

    void keysZoomAboutCentre()
    {
        TimelineView view;
        setUp(view);
        view.setVisibleRange(T0 + 10000, T0 + 40000);
        QTest::keyClick(&view, Qt::Key_Plus);
        QCOMPARE(view.scale().spanMs(), qint64(30000 / TimelineView::ZoomFactor));
        QCOMPARE(range(view), offsets(17500, 32500));
        QTest::keyClick(&view, Qt::Key_Minus);
        QCOMPARE(range(view), offsets(10000, 40000));
        QTest::keyClick(&view, Qt::Key_Equal);
        QCOMPARE(range(view), offsets(17500, 32500));
        view.zoomOut();
        QCOMPARE(range(view), offsets(10000, 40000));
        view.zoomIn();
        QCOMPARE(range(view), offsets(17500, 32500));
    }

    void dragPans()
    {
        TimelineView view;
        setUp(view);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setVisibleRange(T0 + 10000, T0 + 40000); // 50 ms per pixel
        QSignalSpy clicked(&view, &TimelineView::eventClicked);
        const int y = centerY(view, 1);
        QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(400, y));
        QTest::mouseMove(&view, QPoint(450, y));
        QTest::mouseMove(&view, QPoint(500, y));
        QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(500, y));
        QCOMPARE(range(view), offsets(5000, 35000)); // dragged right: earlier times
        QCOMPARE(clicked.count(), 0);
        view.zoomBack(); // the whole drag is one step
        QCOMPARE(range(view), offsets(10000, 40000));
    }

    void bandZooms_data()
    {
        QTest::addColumn<Qt::MouseButton>("button");
        QTest::addColumn<Qt::KeyboardModifiers>("modifiers");
        QTest::newRow("shift drag") << Qt::LeftButton << Qt::KeyboardModifiers(Qt::ShiftModifier);
        QTest::newRow("right drag") << Qt::RightButton << Qt::KeyboardModifiers();
    }

    void bandZooms()
    {
        QFETCH(Qt::MouseButton, button);
        QFETCH(Qt::KeyboardModifiers, modifiers);
        TimelineView view;
        setUp(view);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const int y = centerY(view, 0);
        // Right to left, ending past the right edge is fine too; here columns 400..100.
        QTest::mousePress(&view, button, modifiers, QPoint(TimelineView::LabelWidth + 400, y));
        QTest::mouseMove(&view, QPoint(TimelineView::LabelWidth + 250, y));
        QTest::mouseMove(&view, QPoint(TimelineView::LabelWidth + 100, y));
        QTest::mouseRelease(&view, button, modifiers, QPoint(TimelineView::LabelWidth + 100, y));
        QCOMPARE(range(view), offsets(10000, 40000));
        view.zoomBack();
        QCOMPARE(range(view), offsets(0, 60000));
    }

    void resetAndBack()
    {
        TimelineView view;
        setUp(view);
        QSignalSpy changed(&view, &TimelineView::visibleRangeChanged);
        view.setVisibleRange(T0 + 20000, T0 + 21000);
        view.zoomIn();
        view.resetZoom();
        // The full range with a margin of a fiftieth each side, so edge marks show whole.
        QCOMPARE(range(view), offsets(-1200, 61200));
        QCOMPARE(changed.count(), 3);
        QCOMPARE(changed.last().at(0).toLongLong(), T0 - 1200);
        QCOMPARE(changed.last().at(1).toLongLong(), T0 + 61200);
        QTest::keyClick(&view, Qt::Key_Backspace);
        QCOMPARE(range(view), offsets(20250, 20750));
        view.zoomBack();
        QCOMPARE(range(view), offsets(20000, 21000));
        view.zoomBack(); // the first range was set from outside: not undoable
        QCOMPARE(range(view), offsets(20000, 21000));
        QTest::keyClick(&view, Qt::Key_0);
        QCOMPARE(range(view), offsets(-1200, 61200));
        // Resetting again changes nothing and emits nothing.
        const int emitted = changed.count();
        view.resetZoom();
        QCOMPARE(changed.count(), emitted);
    }

    void panStopsAtTheEnds()
    {
        TimelineView view;
        setUp(view);
        view.setVisibleRange(T0 + 50000, T0 + 60000);
        wheel(&view, QPoint(400, 50), -1200, {});
        QCOMPARE(range(view), offsets(51200, 61200));
    }

    void tooltip()
    {
        TimelineView view;
        setUp(view);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QPoint pos(view.xForTime(T0 + 45000), centerY(view, 0));
        QHelpEvent help(QEvent::ToolTip, pos, view.mapToGlobal(pos));
        QApplication::sendEvent(&view, &help);
        const QString text = QToolTip::text();
        QVERIFY2(text.contains(u"<b>Alpha</b>"_s), qPrintable(text));
        QVERIFY2(text.contains(u"2026-01-05T08:00:45.000Z"_s), qPrintable(text));
        QVERIFY2(text.contains(u"order-1"_s), qPrintable(text));
        QVERIFY2(text.contains(u"version 4"_s), qPrintable(text));
        QToolTip::hideText();
    }

    void renders()
    {
        TimelineView view;
        setUp(view);
        view.setPlayhead(T0 + 35000);
        view.setSelectedEvent(205);
        const QImage image = view.grab().toImage();
        QSet<QRgb> colors;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                colors.insert(image.pixel(x, y));
        }
        QVERIFY2(colors.size() >= 8, qPrintable(QString::number(colors.size())));
        const TypePalette palette({u"Gamma"_s, u"Alpha"_s, u"Beta"_s});
        const auto at = [&](qint64 offset, int lane) {
            return colorAt(image, view.xForTime(T0 + offset), centerY(view, lane));
        };
        QCOMPARE(at(10000, 0), palette.color(u"Alpha"_s).name());
        QCOMPARE(at(20000, 0), palette.color(u"Beta"_s).name());
        QCOMPARE(at(30000, 0), palette.color(u"Gamma"_s).name());
        QCOMPARE(at(15000, 1), palette.color(u"Beta"_s).name());
        // The diamond is 7 px wide: 3 px either side in colour, background past that.
        const int x = view.xForTime(T0 + 10000);
        const int y = centerY(view, 0);
        QCOMPARE(colorAt(image, x - 3, y), palette.color(u"Alpha"_s).name());
        QCOMPARE(colorAt(image, x + 3, y), palette.color(u"Alpha"_s).name());
        QCOMPARE(colorAt(image, x, y - 5), palette.color(u"Alpha"_s).name());
        QCOMPARE(colorAt(image, x + 5, y - 2), view.palette().color(QPalette::Base).name());
        QCOMPARE(colorAt(image, x, y - 7), view.palette().color(QPalette::Base).name());
        // The playhead crosses both lanes away from marks.
        const QColor text = view.palette().color(QPalette::WindowText);
        QCOMPARE(colorAt(image, view.xForTime(T0 + 35000), y - 8), text.name());
        QCOMPARE(colorAt(image, view.xForTime(T0 + 35000), centerY(view, 1) + 8), text.name());
        QCOMPARE(view.paintStats().sparseMarks, 6);
        QCOMPARE(view.paintStats().denseLanes, 0);

        QTemporaryDir dir;
        QVERIFY(image.save(dir.filePath(u"timeline.png"_s)));
    }

    void paletteChangeRedrawsMarks()
    {
        TimelineView view;
        setUp(view);
        const QColor gamma = TypePalette({u"Gamma"_s, u"Alpha"_s, u"Beta"_s}).color(u"Gamma"_s);
        const int x = view.xForTime(T0 + 30000);
        const int y = centerY(view, 0);
        QCOMPARE(colorAt(view.grab().toImage(), x, y), gamma.name());
        // Without Gamma in the palette its events are grey, however they were drawn before.
        view.setPalette(TypePalette({u"Alpha"_s, u"Beta"_s}));
        QCOMPARE(colorAt(view.grab().toImage(), x, y), TypePalette().color(u"Gamma"_s).name());
    }

    // Findings: a notch under the axis for each, a line through the lane of a shown stream,
    // none for a time outside the view or without a time; cleared by an empty set.
    void findingsAreMarked()
    {
        TimelineView view;
        setUp(view);
        const QColor red(200, 0, 0);
        view.setMarks(u"search"_s,
                      {{u"order-2"_s, T0 + 25000},
                       {u"not-shown"_s, T0 + 35000},
                       {u"order-1"_s, NoTime},
                       {u"order-1"_s, T0 + 120000}},
                      red);
        QCOMPARE(view.markCount(u"search"_s), 3); // the one without a time is dropped
        const QImage image = view.grab().toImage();
        const int notchY = view.timeArea().top() - 2;
        QCOMPARE(colorAt(image, view.xForTime(T0 + 25000), notchY), red.name());
        QCOMPARE(colorAt(image, view.xForTime(T0 + 35000), notchY), red.name());
        QVERIFY(colorAt(image, view.xForTime(T0 + 5000), notchY) != red.name());
        // The line in order-2's lane, away from its event marks; none in order-1's lane.
        const int x = view.xForTime(T0 + 25000);
        const QRgb inLane2 = image.pixel(x, view.laneRect(1).top() + 3);
        QVERIFY2(qRed(inLane2) > qGreen(inLane2) + 40, qPrintable(QColor(inLane2).name()));
        QCOMPARE(image.pixel(x, view.laneRect(0).top() + 3),
                 image.pixel(x + 20, view.laneRect(0).top() + 3));
        view.setMarks(u"search"_s, {}, red);
        QCOMPARE(view.markCount(u"search"_s), 0);
        QVERIFY(colorAt(view.grab().toImage(), view.xForTime(T0 + 25000), notchY) != red.name());
    }

    void marksAtHighDpi()
    {
        TimelineView view;
        setUp(view);
        const QString alpha = TypePalette({u"Alpha"_s}).color(u"Alpha"_s).name();
        const int x = view.xForTime(T0 + 10000);
        const int y = centerY(view, 0);
        QImage image(view.size() * 2, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(2);
        view.render(&image);
        // Twice as large in device pixels: 6 to either side of the centre is still the mark.
        QCOMPARE(colorAt(image, 2 * x + 1, 2 * y + 1), alpha);
        QCOMPARE(colorAt(image, 2 * x - 5, 2 * y + 1), alpha);
        QCOMPARE(colorAt(image, 2 * x + 7, 2 * y + 1), alpha);
        QCOMPARE(colorAt(image, 2 * x + 1, 2 * y - 9), alpha);
        // And back at the normal size, the same mark as before.
        const QImage normal = view.grab().toImage();
        QCOMPARE(colorAt(normal, x + 3, y), alpha);
        QCOMPARE(colorAt(normal, x + 5, y - 2), view.palette().color(QPalette::Base).name());
    }

    void densityColumnsMatchEvents_data()
    {
        QTest::addColumn<qint64>("fromMs");
        QTest::addColumn<qint64>("toMs");
        QTest::newRow("whole range") << qint64(-1) << qint64(-1);
        QTest::newRow("a tenth") << qint64(2000000) << qint64(2430000);
        QTest::newRow("a hundredth, from inside a burst") << qint64(3012345) << qint64(3055345);
        QTest::newRow("the end, past the last event") << qint64(4000000) << qint64(9000000);
    }

    void densityColumnsMatchEvents()
    {
        // Bursts, quiet stretches and runs of equal times, so that column boundaries fall
        // anywhere in the lane: every column with an event, and only those, gets a bar.
        QFETCH(qint64, fromMs);
        QFETCH(qint64, toMs);
        TimelineLane busy = bigLane(200000, 0);
        QRandomGenerator rng(7);
        qint64 t = T0;
        for (qsizetype i = 0; i < busy.times.size(); ++i) {
            busy.times[i] = t;
            t += rng.bounded(3) == 0 ? 0 : rng.bounded(60);
            if (rng.bounded(50000) == 0)
                t += 100000; // a quiet stretch
        }
        TimelineView view;
        view.setPalette(TypePalette({u"Alpha"_s, u"Beta"_s}));
        view.setLanes({busy});
        view.resize(1400, 200);
        view.setFullRange(busy.times.constFirst(), busy.times.constLast());
        if (fromMs >= 0)
            view.setVisibleRange(T0 + fromMs, T0 + toMs);
        view.grab();

        const TimeScale s = view.scale();
        QSet<int> columns;
        int visible = 0;
        for (qint64 time : std::as_const(busy.times)) {
            const double px = s.toPixel(time);
            if (px >= 0 && px < s.widthPx) {
                columns.insert(int(std::floor(px)));
                ++visible;
            }
        }
        QVERIFY(visible * 3 > s.widthPx); // dense, or this tests nothing
        QCOMPARE(view.paintStats().denseLanes, 1);
        QCOMPARE(view.paintStats().densityColumns, int(columns.size()));
    }

    void emptyState()
    {
        TimelineView view;
        view.resize(600, 200);
        QSignalSpy changed(&view, &TimelineView::visibleRangeChanged);
        const QImage image = view.grab().toImage();
        QSet<QRgb> colors;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                colors.insert(image.pixel(x, y));
        }
        QVERIFY(colors.size() > 1); // the hint is drawn
        QVERIFY(!view.hitTest(QPoint(300, 100)));
        view.zoomIn(); // without data nothing breaks
        view.resetZoom();
        view.zoomBack();
    }

    // Before the lanes: the store's density as one lane, a bar where the slices have events
    // and none where they have not, at any zoom; the lanes replace it.
    void overviewUntilTheLanes()
    {
        TimelineView view;
        view.resize(TimelineView::LabelWidth + 400, 200);
        view.setFullRange(T0, T0 + 399999);
        QVector<qint64> density(400, 0);
        for (int i = 0; i < 200; ++i)
            density[i] = i + 1; // events in the first half only
        view.setOverview(density, T0, T0 + 399999);
        view.setVisibleRange(T0, T0 + 400000); // a column per slice
        view.grab();
        QCOMPARE(view.paintStats().densityColumns, 200);
        const QImage image = view.grab().toImage();
        const QRect strip = view.laneRect(0);
        const auto barAt = [&](int x) {
            for (int y = strip.top(); y <= strip.bottom(); ++y) {
                if (image.pixel(x, y) == view.palette().color(QPalette::Mid).rgb())
                    return true;
            }
            return false;
        };
        QVERIFY(barAt(view.xForTime(T0 + 50000)));
        QVERIFY(!barAt(view.xForTime(T0 + 300000)));
        view.setVisibleRange(T0 + 100000, T0 + 149999); // zoomed in: every column over events
        view.grab();
        QCOMPARE(view.paintStats().densityColumns, 400);

        view.setLanes({lane(u"user-1"_s, {120000, 130000}, {0, 1}, 1)});
        view.grab();
        QCOMPARE(view.paintStats().densityColumns, 0);
        QCOMPARE(view.paintStats().sparseMarks, 2);
    }

    void millionEvents()
    {
        TimelineView view;
        view.setPalette(TypePalette({u"Alpha"_s, u"Beta"_s}));
        const qsizetype events = 1000000;
        view.setLanes({lane(u"order-1"_s, {10000, 20000}, {0, 1}, 1), bigLane(events, 60)});
        view.resize(1400, 300);
        view.setFullRange(T0, T0 + (events - 1) * 60);

        QElapsedTimer timer;
        timer.start();
        const QImage image = view.grab().toImage();
        qInfo("1,000,000 events, whole range over %d px: painted in %.2f ms", view.scale().widthPx,
              timer.nsecsElapsed() / 1e6);
        const TimelineView::PaintStats stats = view.paintStats();
        QCOMPARE(stats.denseLanes, 1);
        QVERIFY(stats.densityColumns > 0);
        QVERIFY(stats.maxMarksPerLane <= view.scale().widthPx);
        QCOMPARE(stats.sparseMarks, 1); // order-1's two events share a pixel column
        // Every column has 1/7 Beta at most, so the dense strip is Alpha all the way.
        const QColor alpha = TypePalette({u"Alpha"_s, u"Beta"_s}).color(u"Alpha"_s);
        QCOMPARE(colorAt(image, view.timeArea().center().x(), centerY(view, 1)), alpha.name());

        // Zoomed in to ten seconds the same lane has 167 events: single marks again.
        view.setVisibleRange(T0 + 600000, T0 + 610000);
        timer.restart();
        view.grab();
        qInfo("the same lane over 10 s: painted in %.2f ms", timer.nsecsElapsed() / 1e6);
        QCOMPARE(view.paintStats().denseLanes, 0);
        QVERIFY(view.paintStats().sparseMarks > 0);
        QVERIFY(view.paintStats().maxMarksPerLane <= view.scale().widthPx);

        // Zoomed in on a burst: a few thousand, still a strip but never more than the width.
        view.setVisibleRange(T0 + 600000, T0 + 900000);
        view.grab();
        QCOMPARE(view.paintStats().denseLanes, 1);
        QVERIFY(view.paintStats().maxMarksPerLane <= view.scale().widthPx);

        // Hit testing a million events is a binary search.
        view.resetZoom();
        timer.restart();
        const auto hit = view.hitTest(QPoint(view.timeArea().center().x(), centerY(view, 1)));
        QVERIFY(hit);
        QCOMPARE(hit->stream, u"sensor-firehose"_s);
        QVERIFY(timer.elapsed() < 1000); // generous: only guards against a linear scan hang
    }

    void playheadRepaintsOnlyStrips()
    {
        TimelineView view;
        view.setPalette(TypePalette({u"Alpha"_s, u"Beta"_s}));
        view.setLanes({bigLane(1000000, 60)});
        view.resize(1400, 200);
        view.setFullRange(T0, T0 + 999999 * 60);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.paintStats().densityColumns > 1000); // the first, full paint

        // Each move repaints the strips under the old and the new line, nothing else.
        for (qint64 at : {T0 + 10000000, T0 + 50000000}) {
            const int paints = view.paintStats().paintNumber;
            view.setPlayhead(at);
            QTRY_VERIFY(view.paintStats().paintNumber > paints);
            QVERIFY(view.paintStats().densityColumns > 0);
            QVERIFY(view.paintStats().densityColumns < 100);
        }
    }

    void screenshot()
    {
        // A realistic picture to look at: EVENTSCOPE_TIMELINE_PNG=/tmp/timeline.png saves it.
        TimelineView view;
        const QStringList types = {u"OrderPlaced"_s,     u"ItemAdded"_s,    u"ItemRemoved"_s,
                                   u"PaymentReceived"_s, u"OrderShipped"_s, u"Heartbeat"_s};
        view.setPalette(TypePalette(types));
        // Palette order is name order: Heartbeat 0, ItemAdded 1, ItemRemoved 2,
        // OrderPlaced 3, OrderShipped 4, PaymentReceived 5.
        QVector<TimelineLane> lanes;
        lanes.append(lane(u"order-7f3a9c21-4b1d-4e8a-9f00-123456789abc"_s,
                          {60000, 340000, 610000, 900000, 1500000, 2400000, 2460000, 5200000},
                          {3, 1, 1, 2, 1, 5, 4, 4}, 1000));
        lanes.append(lane(u"order-2"_s, {120000, 400000, 420000, 3300000}, {3, 1, 1, 5}, 2000));
        lanes.append(lane(u"customer-42"_s, {30000, 2000000, 4100000}, {3, 1, 5}, 3000));
        // Heartbeats slowing down over the range, with a burst of ItemAdded in the middle: the
        // density strip shows both the rate (bar height) and the type (colour).
        TimelineLane busy = bigLane(200000, 30);
        busy.stream = u"device-heartbeats"_s;
        for (qsizetype i = 0; i < busy.times.size(); ++i) {
            const double f = double(i) / busy.times.size();
            busy.times[i] = T0 + qint64(6000000 * f * f);
            busy.types[i] = quint16(f > 0.6 && f < 0.65 ? 1 : 0);
        }
        lanes.append(busy);
        view.setLanes(lanes);
        view.resize(900, 200);
        view.setFullRange(T0, T0 + 6000000);
        view.setPlayhead(T0 + 2420000);
        view.setSelectedEvent(1015); // the first stream's ItemRemoved at 900 s
        const QImage image = view.grab().toImage();
        QTemporaryDir dir;
        QVERIFY(image.save(dir.filePath(u"timeline.png"_s)));

        // A dark theme: backgrounds and text follow the widget's palette.
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Window, QColor(0x2d, 0x2d, 0x2d));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        dark.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
        dark.setColor(QPalette::PlaceholderText, QColor(0x99, 0x99, 0x99));
        view.setPalette(dark);
        const QImage darkImage = view.grab().toImage();
        QCOMPARE(colorAt(darkImage, view.width() - 2, view.height() - 2), u"#1e1e1e"_s);
        QCOMPARE(colorAt(darkImage, view.xForTime(T0 + 2420000), centerY(view, 1) + 8),
                 u"#e8e8e8"_s); // the playhead

        const QString out = qEnvironmentVariable("EVENTSCOPE_TIMELINE_PNG");
        if (!out.isEmpty()) {
            QVERIFY(image.save(out));
            QVERIFY(darkImage.save(QString(out).replace(u".png"_s, u"-dark.png"_s)));
        }
    }
};

QTEST_MAIN(TestTimeline)
#include "tst_timeline.moc"

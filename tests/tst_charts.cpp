// ActivityCharts: stacked series and their values, click types and counts, hover texts,
// drag selection, the playhead marker, the empty state, and the cost of setBuckets.

#include "activitychart.h"
#include "activitycharts.h"
#include "clickschart.h"
#include "decoding/timecodec.h"
#include "timescale.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QElapsedTimer>
#include <QGraphicsLineItem>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSplitter>
#include <QtTest>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 HourMs = 3600000;

qint64 iso(const char *text)
{
    return TimeCodec::parseIso(QString::fromLatin1(text));
}

const qint64 t0 = iso("2026-01-05T08:00:00.000Z");

// Three hour buckets with a one-hour gap before the last: 08:00, 09:00, (10:00 empty), 11:00.
QVector<Bucket> handMade()
{
    return {
        Bucket{t0, 3, {{u"Clicked"_s, 2}, {u"UserCreated"_s, 1}}},
        Bucket{t0 + HourMs, 4, {{u"Clicked"_s, 1}, {u"LinkClick"_s, 3}}},
        Bucket{t0 + 3 * HourMs, 3, {{u"LinkClick"_s, 1}, {u"UserCreated"_s, 2}}},
    };
}

TypePalette handMadePalette()
{
    return TypePalette({u"Clicked"_s, u"LinkClick"_s, u"UserCreated"_s});
}

QList<QPointF> pts(std::initializer_list<std::pair<qint64, qreal>> list)
{
    QList<QPointF> result;
    for (const auto &[ms, v] : list)
        result.append(QPointF(qreal(ms), v));
    return result;
}

// One event type, "Clicked", in n buckets of widthMs from the ISO time from.
QVector<Bucket> clickBuckets(const char *from, int n, qint64 widthMs)
{
    QVector<Bucket> result;
    const qint64 start = iso(from);
    for (int i = 0; i < n; ++i)
        result.append(Bucket{start + i * widthMs, 10 + i % 7, {{u"Clicked"_s, 10 + i % 7}}});
    return result;
}

// The time axis shows the ticks of the view's range and plot width, no others, and its labels
// neither overlap nor reach past the plot.
void verifyTimeAxis(BucketChartView *view)
{
    const ChartBuckets &data = view->data();
    QCategoryAxis *axis = view->timeAxis();
    QCOMPARE(qint64(axis->min()), data.startMs());
    QCOMPARE(qint64(axis->max()), data.endMs());
    const int width = int(view->chart()->plotArea().width());
    const TimeScale scale{data.startMs(), data.endMs(), width};
    const QVector<TimeScale::Tick> ticks = scale.ticks(80);
    const QStringList labels = axis->categoriesLabels();
    QVERIFY(!labels.isEmpty());
    // The scale's ticks in order; only those whose labels would reach past an end of the
    // plot may be left out.
    qsizetype next = 0;
    for (const TimeScale::Tick &tick : ticks) {
        const bool onAxis =
            next < labels.size() && qint64(axis->endValue(labels.at(next))) == tick.ms;
        if (!onAxis) {
            const double x = scale.toPixel(tick.ms);
            QVERIFY2(x < 60 || x > width - 60, qPrintable(tick.label));
            continue;
        }
        // A time of day repeated on a later day carries its date as well.
        QVERIFY2(labels.at(next).endsWith(tick.label), qPrintable(labels.at(next)));
        ++next;
    }
    QCOMPARE(next, labels.size());
    QCOMPARE(qint64(axis->startValue(labels.constFirst())), data.startMs());

    // Labels of the time axis are the text items below the plot.
    const QRectF plot = view->chart()->mapRectToScene(view->chart()->plotArea());
    QList<QRectF> shown;
    for (QGraphicsItem *item : view->scene()->items()) {
        auto *text = qgraphicsitem_cast<QGraphicsTextItem *>(item);
        if (!text || !text->isVisible() || text->toPlainText().isEmpty() ||
            text->sceneBoundingRect().top() < plot.bottom())
            continue;
        QVERIFY2(!text->toPlainText().endsWith(u"..."_s), qPrintable(text->toPlainText()));
        const QRectF rect = text->sceneBoundingRect();
        // Past the ends of the plot a label would be cut off or cover the value axes' labels.
        QVERIFY2(rect.left() >= plot.left() - 1 && rect.right() <= plot.right() + 1,
                 qPrintable(text->toPlainText()));
        for (const QRectF &other : std::as_const(shown))
            QVERIFY2(!rect.intersects(other), qPrintable(text->toPlainText()));
        shown.append(rect);
    }
    QVERIFY(!shown.isEmpty());
}

// The points span the plot: the first at its left edge, the last at its right edge. charted
// is the series in the chart that draws them: an area's boundary line is not in the chart.
void verifySpan(BucketChartView *view, const QLineSeries *points, QAbstractSeries *charted)
{
    const ChartBuckets &data = view->data();
    const QPointF first = points->at(0);
    const QPointF last = points->at(points->count() - 1);
    QCOMPARE(qint64(first.x()), data.startMs());
    QCOMPARE(qint64(last.x()), data.endMs());
    const QRectF plot = view->chart()->plotArea();
    QVERIFY(plot.width() > view->width() / 2);
    const qreal left = view->chart()->mapToPosition(first, charted).x();
    const qreal right = view->chart()->mapToPosition(last, charted).x();
    QVERIFY2(
        qAbs(left - plot.left()) < 1 && qAbs(right - plot.right()) < 1,
        qPrintable(u"%1..%2 in %3..%4"_s.arg(left).arg(right).arg(plot.left()).arg(plot.right())));
}

} // namespace

class TestCharts : public QObject
{
    Q_OBJECT

private slots:
    void stackedSeries()
    {
        ActivityCharts charts;
        charts.setPalette(handMadePalette());
        charts.setBuckets(handMade(), HourMs);
        QChart *chart = charts.activityChart()->chart();
        QCOMPARE(chart->series().size(), 3);

        const qint64 h = HourMs;
        // Running sums in name order: Clicked, +LinkClick, +UserCreated; a gap drops to zero.
        const QList<QPointF> clicked = pts({{t0, 2},
                                            {t0 + h, 2},
                                            {t0 + h, 1},
                                            {t0 + 2 * h, 1},
                                            {t0 + 2 * h, 0},
                                            {t0 + 3 * h, 0},
                                            {t0 + 3 * h, 0},
                                            {t0 + 4 * h, 0}});
        const QList<QPointF> link = pts({{t0, 2},
                                         {t0 + h, 2},
                                         {t0 + h, 4},
                                         {t0 + 2 * h, 4},
                                         {t0 + 2 * h, 0},
                                         {t0 + 3 * h, 0},
                                         {t0 + 3 * h, 1},
                                         {t0 + 4 * h, 1}});
        const QList<QPointF> all = pts({{t0, 3},
                                        {t0 + h, 3},
                                        {t0 + h, 4},
                                        {t0 + 2 * h, 4},
                                        {t0 + 2 * h, 0},
                                        {t0 + 3 * h, 0},
                                        {t0 + 3 * h, 3},
                                        {t0 + 4 * h, 3}});

        QAreaSeries *a = charts.activityChart()->areaSeries(u"Clicked"_s);
        QAreaSeries *b = charts.activityChart()->areaSeries(u"LinkClick"_s);
        QAreaSeries *c = charts.activityChart()->areaSeries(u"UserCreated"_s);
        QVERIFY(a && b && c);
        QCOMPARE(a->upperSeries()->count(), 8);
        QCOMPARE(a->upperSeries()->points(), clicked);
        QCOMPARE(b->upperSeries()->points(), link);
        QCOMPARE(c->upperSeries()->points(), all);
        QVERIFY(!a->lowerSeries() && !b->lowerSeries() && !c->lowerSeries());
        // Painted top of the stack first, so each lower layer covers the one above it.
        QCOMPARE(chart->series(), (QList<QAbstractSeries *>{c, b, a}));

        QCOMPARE(a->name(), u"Clicked"_s);
        QCOMPARE(a->brush().color(), handMadePalette().color(u"Clicked"_s));
        QCOMPARE(c->brush().color(), handMadePalette().color(u"UserCreated"_s));
    }

    void sameTypesReplaceInPlace()
    {
        ActivityCharts charts;
        charts.setBuckets(handMade(), HourMs);
        QAreaSeries *before = charts.activityChart()->areaSeries(u"LinkClick"_s);
        QSignalSpy replaced(before->upperSeries(), &QXYSeries::pointsReplaced);
        QVector<Bucket> more = handMade();
        more[1].byType[u"LinkClick"_s] = 5;
        more[1].events = 6;
        charts.setBuckets(more, HourMs);
        QCOMPARE(charts.activityChart()->areaSeries(u"LinkClick"_s), before);
        QCOMPARE(replaced.count(), 1);
        QCOMPARE(before->upperSeries()->at(2), QPointF(qreal(t0 + HourMs), 6.0));
    }

    void automaticClickTypes()
    {
        const QStringList types = ChartBuckets::automaticClickTypes(
            {u"Clicked"_s, u"LinkClick"_s, u"UserCreated"_s, u"DOUBLECLICK"_s});
        QCOMPARE(types, (QStringList{u"Clicked"_s, u"LinkClick"_s, u"DOUBLECLICK"_s}));

        ActivityCharts charts;
        QSignalSpy changed(&charts, &ActivityCharts::clickTypesChanged);
        charts.setBuckets(handMade(), HourMs);
        QCOMPARE(charts.clickTypes(), (QStringList{u"Clicked"_s, u"LinkClick"_s}));
        QCOMPARE(changed.count(), 1);
        QVERIFY(!charts.clickTypes().contains(u"UserCreated"_s));
    }

    void clickTypeOverride()
    {
        ActivityCharts charts;
        charts.setBuckets(handMade(), HourMs);
        QSignalSpy changed(&charts, &ActivityCharts::clickTypesChanged);
        charts.setClickTypes({u"UserCreated"_s});
        QCOMPARE(charts.clickTypes(), QStringList{u"UserCreated"_s});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(charts.clicksUpTo(t0 + 4 * HourMs), qint64(3));
        QCOMPARE(charts.clicksChart()->perBucketSeries()->count(), 8);
        QCOMPARE(charts.clicksChart()->perBucketSeries()->at(0), QPointF(qreal(t0), 1.0));

        charts.setClickTypes({});
        QCOMPARE(charts.clickTypes(), (QStringList{u"Clicked"_s, u"LinkClick"_s}));
        QCOMPARE(changed.count(), 2);
        QCOMPARE(charts.clicksUpTo(t0 + 4 * HourMs), qint64(7));
    }

    void clicksUpTo_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<qint64>("clicks");
        QTest::newRow("no playhead") << NoTime << qint64(0);
        QTest::newRow("before first") << t0 - 1 << qint64(0);
        QTest::newRow("first bucket start") << t0 << qint64(2);
        QTest::newRow("inside first") << t0 + HourMs / 2 << qint64(2);
        QTest::newRow("second bucket start") << t0 + HourMs << qint64(6);
        QTest::newRow("in the gap") << t0 + 2 * HourMs + 1 << qint64(6);
        QTest::newRow("last bucket start") << t0 + 3 * HourMs << qint64(7);
        QTest::newRow("after last") << t0 + 10 * HourMs << qint64(7);
    }

    void clicksUpTo()
    {
        QFETCH(qint64, ms);
        QFETCH(qint64, clicks);
        ActivityCharts charts;
        charts.setBuckets(handMade(), HourMs);
        QCOMPARE(charts.clicksUpTo(ms), clicks);
    }

    // A zoomed-in chart counts the clicks before its range into the running total.
    void clicksBeforeTheRangeCount()
    {
        ActivityCharts charts;
        const QMap<QString, qint64> earlier{
            {u"Clicked"_s, 10}, {u"LinkClick"_s, 5}, {u"UserCreated"_s, 7}};
        charts.setBuckets(handMade(), HourMs, earlier);
        QCOMPARE(charts.clicksUpTo(t0), qint64(15 + 2));
        QCOMPARE(charts.clicksUpTo(t0 + 3 * HourMs), qint64(15 + 7));
        QCOMPARE(charts.clicksUpTo(t0 - 1), qint64(-1)); // before the chart: not known here
        charts.setClickTypes({u"UserCreated"_s});
        QCOMPARE(charts.clicksUpTo(t0 + 3 * HourMs), qint64(7 + 1 + 2));
    }

    // The label never shows the buckets' running total (the playhead's whole bucket, the
    // range's end past it): only the exact count for the playhead's time, once it is known.
    void clicksLabelIsExactOrCounting()
    {
        ActivityCharts charts;
        charts.setBuckets(handMade(), HourMs);
        const qint64 inBucket = t0 + HourMs + 1800000; // the bucket's total is 6 by then
        charts.setPlayhead(inBucket);
        const QString counting =
            u"Counting clicks up to "_s + TimeCodec::format(inBucket) + u"\u2026"_s;
        QCOMPARE(charts.clicksLabelText(), counting);
        charts.setClickCount(inBucket + 1, 5); // an answer for another time
        QCOMPARE(charts.clicksLabelText(), counting);
        charts.setClickCount(inBucket, 4);
        QCOMPARE(charts.clicksLabelText(), u"4 clicks up to "_s + TimeCodec::format(inBucket));

        // Past the charted range: the exact count, not the range's end count.
        const qint64 past = t0 + 10 * HourMs;
        charts.setPlayhead(past);
        QVERIFY(charts.clicksLabelText().startsWith(u"Counting clicks up to "_s));
        charts.setClickCount(past, 1);
        QCOMPARE(charts.clicksLabelText(), u"1 click up to "_s + TimeCodec::format(past));

        // A count of other click types, or of another scope, is no longer the label's.
        charts.setClickTypes({u"UserCreated"_s});
        QVERIFY(charts.clicksLabelText().startsWith(u"Counting clicks up to "_s));
        charts.setClickCount(past, 9);
        charts.forgetClickCount();
        QVERIFY(charts.clicksLabelText().startsWith(u"Counting clicks up to "_s));

        // A failed count is said, not left counting (the status bar has the reason).
        charts.clickCountFailed();
        QCOMPARE(charts.clicksLabelText(),
                 u"The clicks up to "_s + TimeCodec::format(past) + u" could not be counted"_s);
    }

    void peaks()
    {
        QVector<Bucket> buckets;
        for (int i = 0; i < 10; ++i)
            buckets.append(Bucket{t0 + i * HourMs, i % 4, {{u"A"_s, i % 4}}});
        buckets.remove(5); // a gap inside the third group
        const ChartBuckets data(buckets, HourMs, {});
        QCOMPARE(data.peaks(20, ChartBuckets::Peak::Events).buckets().size(),
                 9); // enough columns: unchanged
        const ChartBuckets p =
            data.peaks(4, ChartBuckets::Peak::Events); // 10 slots in 4 columns: 3 hours each
        QCOMPARE(p.bucketMs(), 3 * HourMs);
        QCOMPARE(p.buckets().size(), 4);
        const QVector<qint64> starts{t0, t0 + 3 * HourMs, t0 + 6 * HourMs, t0 + 9 * HourMs};
        const QVector<qint64> events{2, 3, 3, 1}; // busiest of 0 1 2 | 3 4 - | 6 7 8 | 9
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(p.buckets().at(i).startMs, starts.at(i));
            QCOMPARE(p.buckets().at(i).events, events.at(i));
            QCOMPARE(p.counts(0).at(i), events.at(i));
        }
        // By clicks: "A" is no click type, "Click" only in hour 4.
        buckets[1].byType.insert(u"Click"_s, 1);
        buckets[1].events += 1;
        const ChartBuckets clicks(buckets, HourMs, {});
        const ChartBuckets byClicks = clicks.peaks(4, ChartBuckets::Peak::Clicks);
        QCOMPARE(byClicks.clicks(), (QVector<qint64>{1, 0, 0, 0}));
        QCOMPARE(byClicks.buckets().at(0).byType.value(u"Click"_s), 1); // hour 1's, not hour 2's
    }

    void runningClicksSeries()
    {
        ActivityCharts charts;
        charts.setBuckets(handMade(), HourMs);
        const qint64 h = HourMs;
        // The running total keeps its level across the gap: one extra point, not two.
        QCOMPARE(charts.clicksChart()->runningSeries()->points(), pts({{t0, 2},
                                                                       {t0 + h, 2},
                                                                       {t0 + h, 6},
                                                                       {t0 + 2 * h, 6},
                                                                       {t0 + 3 * h, 6},
                                                                       {t0 + 3 * h, 7},
                                                                       {t0 + 4 * h, 7}}));
    }

    void hoverTexts()
    {
        ActivityCharts charts;
        charts.setBuckets(handMade(), HourMs);
        QCOMPARE(charts.bucketAt(t0 - 1), -1);
        QCOMPARE(charts.bucketAt(t0), 0);
        QCOMPARE(charts.bucketAt(t0 + 2 * HourMs - 1), 1);
        QCOMPARE(charts.bucketAt(t0 + 2 * HourMs), -1);
        QCOMPARE(charts.bucketAt(t0 + 4 * HourMs), -1);

        const QPointF at(qreal(t0 + HourMs + 1800000), 1.0);
        QCOMPARE(charts.hoverText(at),
                 u"2026-01-05T09:00:00.000Z \u2013 2026-01-05T10:00:00.000Z\n4 events\n"
                 u"Clicked: 1\nLinkClick: 3"_s);
        QCOMPARE(charts.clicksHoverText(at),
                 u"2026-01-05T09:00:00.000Z \u2013 2026-01-05T10:00:00.000Z\n"
                 u"4 clicks in this bucket\n6 clicks up to its end"_s);
        QCOMPARE(charts.hoverText(QPointF(qreal(t0 + 2 * HourMs + 1), 0)), QString());
        QCOMPARE(charts.activityChart()->hoverText(t0 + HourMs), charts.hoverText(at));
    }

    void dragSelectsWholeBuckets()
    {
        ActivityCharts charts;
        charts.resize(900, 600);
        charts.setBuckets(handMade(), HourMs);
        charts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&charts));
        ActivityChart *view = charts.activityChart();
        QSignalSpy spy(&charts, &ActivityCharts::rangeSelected);

        const int y = int(
            view->mapFromScene(view->chart()->mapToScene(view->chart()->plotArea().center())).y());
        const auto x = [view](qint64 ms) {
            return int(view->xAt(ms));
        };
        QWidget *vp = view->viewport();
        QTest::mousePress(vp, Qt::LeftButton, {}, QPoint(x(t0 + 20 * 60000), y));
        QTest::mouseMove(vp, QPoint(x(t0 + HourMs), y));
        QVERIFY(view->selectionBand()->isVisible());
        QTest::mouseRelease(vp, Qt::LeftButton, {}, QPoint(x(t0 + HourMs + 40 * 60000), y));
        QVERIFY(!view->selectionBand()->isVisible());
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toLongLong(), t0);
        QCOMPARE(spy.at(0).at(1).toLongLong(), t0 + 2 * HourMs);

        // Right to left, past the end: clamped to the charted range.
        QTest::mousePress(vp, Qt::LeftButton, {}, QPoint(x(t0 + 4 * HourMs) + 30, y));
        QTest::mouseMove(vp, QPoint(x(t0 + 3 * HourMs), y));
        QTest::mouseRelease(vp, Qt::LeftButton, {}, QPoint(x(t0 + 2 * HourMs + 600000), y));
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).toLongLong(), t0 + 2 * HourMs);
        QCOMPARE(spy.at(1).at(1).toLongLong(), t0 + 4 * HourMs);

        // A click is not a selection.
        QTest::mouseClick(vp, Qt::LeftButton, {}, QPoint(x(t0 + HourMs), y));
        QCOMPARE(spy.count(), 2);
    }

    void playheadMarker()
    {
        ActivityCharts charts;
        charts.resize(900, 600);
        charts.setBuckets(handMade(), HourMs);
        charts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&charts));

        QAreaSeries *area = charts.activityChart()->areaSeries(u"Clicked"_s);
        QSignalSpy replaced(area->upperSeries(), &QXYSeries::pointsReplaced);
        QSignalSpy running(charts.clicksChart()->runningSeries(), &QXYSeries::pointsReplaced);

        const qint64 ms = t0 + HourMs + 1800000;
        charts.setPlayhead(ms);
        for (BucketChartView *view : {static_cast<BucketChartView *>(charts.activityChart()),
                                      static_cast<BucketChartView *>(charts.clicksChart())}) {
            const QGraphicsLineItem *marker = view->playheadMarker();
            QVERIFY(marker->isVisible());
            const QLineF line = marker->line();
            QCOMPARE(line.x1(), line.x2());
            QVERIFY(qAbs(view->mapFromScene(line.p1()).x() - view->xAt(ms)) <= 1);
            const QRectF plot = view->chart()->mapRectToScene(view->chart()->plotArea());
            QCOMPARE(line.y1(), plot.top());
            QCOMPARE(line.y2(), plot.bottom());
        }
        QCOMPARE(replaced.count(), 0);
        QCOMPARE(running.count(), 0);

        charts.setPlayhead(NoTime);
        QVERIFY(!charts.activityChart()->playheadMarker()->isVisible());
        QVERIFY(!charts.clicksChart()->playheadMarker()->isVisible());
        QCOMPARE(charts.clicksLabelText(), u"7 clicks in total"_s);
    }

    // The window sets new buckets as the timeline zooms: another bucket width over another
    // range each time. Every chart must show the new range across its whole plot, with the
    // new range's ticks only.
    void newRangesReplaceSeriesAndTicks_data()
    {
        QTest::addColumn<bool>("showFirst");
        QTest::newRow("shown, then data") << true;
        QTest::newRow("data, then shown") << false;
    }

    void newRangesReplaceSeriesAndTicks()
    {
        QFETCH(bool, showFirst);
        ActivityCharts charts;
        charts.resize(1400, 330);
        charts.setPalette(TypePalette({u"Clicked"_s}));
        if (showFirst) {
            charts.show();
            QVERIFY(QTest::qWaitForWindowExposed(&charts));
        }
        struct Step
        {
            const char *from;
            int count;
            qint64 widthMs;
        };
        const qint64 minute = 60000;
        const qint64 day = 24 * HourMs;
        const Step steps[] = {{"2026-01-05T00:00:00Z", 30, day},
                              {"2026-01-18T00:00:00Z", 72, HourMs},
                              {"2026-01-19T09:00:00Z", 360, minute},
                              {"2026-02-01T00:00:00Z", 45, day},
                              {"2026-01-31T00:00:00Z", 30, HourMs},
                              {"2026-01-31T00:00:00Z", 25, HourMs}}; // a tick near the end
        for (const Step &step : steps) {
            charts.setBuckets(clickBuckets(step.from, step.count, step.widthMs), step.widthMs);
            if (!charts.isVisible()) {
                charts.show();
                QVERIFY(QTest::qWaitForWindowExposed(&charts));
            }
            QTest::qWait(20); // the charts lay themselves out from posted events
            ClicksChart *clicks = charts.clicksChart();
            ActivityChart *activity = charts.activityChart();
            QCOMPARE(clicks->data().startMs(), iso(step.from));
            // The helpers' checks end only the helper; stop at the first step that fails.
            QLineSeries *perBucket = clicks->perBucketSeries();
            verifySpan(clicks, perBucket, clicks->chart()->series().constFirst());
            verifySpan(clicks, clicks->runningSeries(), clicks->runningSeries());
            QAreaSeries *area = activity->areaSeries(u"Clicked"_s);
            verifySpan(activity, area->upperSeries(), area);
            verifyTimeAxis(clicks);
            verifyTimeAxis(activity);
            if (QTest::currentTestFailed())
                QFAIL(step.from);
        }
    }

    // The splitter shares its width by the hints it sees first; whether data comes before or
    // after the first show, the activity chart gets about 3/5 of it and the clicks 2/5.
    void splitterShares_data()
    {
        QTest::addColumn<bool>("showFirst");
        QTest::newRow("shown, then data") << true;
        QTest::newRow("data, then shown") << false;
    }

    void splitterShares()
    {
        QFETCH(bool, showFirst);
        ActivityCharts charts;
        charts.resize(1400, 330);
        if (showFirst) {
            charts.show();
            QVERIFY(QTest::qWaitForWindowExposed(&charts));
        }
        charts.setBuckets(handMade(), HourMs);
        if (!showFirst) {
            charts.show();
            QVERIFY(QTest::qWaitForWindowExposed(&charts));
        }
        QTest::qWait(20);
        auto *splitter = charts.findChild<QSplitter *>();
        QVERIFY(splitter);
        const QList<int> sizes = splitter->sizes();
        QCOMPARE(sizes.size(), 2);
        QVERIFY2(sizes.at(0) > charts.width() * 3 / 10 && sizes.at(1) > charts.width() * 3 / 10,
                 qPrintable(u"%1 %2"_s.arg(sizes.at(0)).arg(sizes.at(1))));
        QVERIFY(qAbs(sizes.at(0) * 2 - sizes.at(1) * 3) < charts.width() / 20); // 3:2
    }

    void titles()
    {
        ActivityCharts charts;
        charts.setBuckets(handMade(), HourMs);
        charts.setTitleSuffix(u"stream user-7"_s);
        QVERIFY(charts.activityChart()->chart()->title().endsWith(u"stream user-7"_s));
        QVERIFY(charts.clicksChart()->chart()->title().endsWith(u"stream user-7"_s));
    }

    void emptyState()
    {
        ActivityCharts charts;
        QVERIFY(charts.isShowingEmptyMessage());
        bool found = false;
        for (const QLabel *label : charts.findChildren<QLabel *>())
            found = found || (label->text() == u"No events with a time to chart"_s &&
                              label->alignment() == Qt::AlignCenter);
        QVERIFY(found);
        charts.setBuckets(handMade(), HourMs);
        QVERIFY(!charts.isShowingEmptyMessage());
        charts.setBuckets({}, HourMs);
        QVERIFY(charts.isShowingEmptyMessage());
        QCOMPARE(charts.activityChart()->chart()->series().size(), 0);
        QCOMPARE(charts.clicksUpTo(t0), qint64(0));
        charts.setPlayhead(t0);
        QVERIFY(!charts.activityChart()->playheadMarker()->isVisible());
    }

    void rendersAndTimesSetBuckets()
    {
        const QStringList types{u"CartUpdated"_s,    u"Clicked"_s,    u"LinkClick"_s,
                                u"OrderPlaced"_s,    u"PageViewed"_s, u"SessionEnded"_s,
                                u"SessionStarted"_s, u"UserCreated"_s};
        QVector<Bucket> buckets;
        const qint64 minute = 60000;
        for (int i = 0; i < 3000; ++i) {
            Bucket b{t0 + i * minute, 0, {}};
            for (int k = 0; k < types.size(); ++k) {
                // Daily-ish waves per type, so the stack has shape.
                const qint64 n = qint64(5 + 4 * std::sin((i + 170 * k) / 180.0) + (i * k) % 3);
                b.byType.insert(types.at(k), n);
                b.events += n;
            }
            buckets.append(b);
        }

        ActivityCharts charts;
        charts.resize(900, 640);
        charts.setPalette(TypePalette(types));
        charts.setTitleSuffix(u"whole store"_s);
        charts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&charts));

        QElapsedTimer timer;
        timer.start();
        charts.setBuckets(buckets, minute);
        const qint64 first = timer.elapsed();
        buckets[10].byType[u"Clicked"_s] += 1;
        buckets[10].events += 1;
        timer.restart();
        charts.setBuckets(buckets, minute);
        const qint64 again = timer.elapsed();
        // What the user waits for: the layout and the first paint after the new series.
        timer.restart();
        charts.setBuckets(buckets, minute);
        QCoreApplication::processEvents();
        charts.grab();
        const qint64 painted = timer.elapsed();
        timer.restart();
        charts.activityChart()->grab();
        const qint64 repaint = timer.elapsed();
        timer.restart();
        for (int i = 0; i < 100; ++i)
            charts.setPlayhead(t0 + i * 30 * minute);
        const qint64 playheads = timer.elapsed();
        qInfo("setBuckets 3000 buckets x 8 types: %lld ms first (series created), %lld ms "
              "again (replace), %lld ms with layout and paint; activity chart repaint %lld ms; "
              "100 x setPlayhead: %lld ms",
              first, again, painted, repaint, playheads);
        // Narrower than 3,000 buckets at two pixels each: drawn by their peaks.
        const int columns = int(charts.activityChart()->chart()->plotArea().width() / 2);
        QVERIFY(columns < 3000);
        const QLineSeries *top =
            charts.activityChart()->areaSeries(u"UserCreated"_s)->upperSeries();
        QVERIFY(top->count() <= 2 * columns);
        QCOMPARE(top->at(0).x(), qreal(t0));

        QCOMPARE(charts.activityChart()->chart()->series().size(), 8);
        charts.setPlayhead(t0 + 1234 * minute);
        // The charts lay themselves out, then align their plots, from posted events.
        QTest::qWait(50);
        QCOMPARE(charts.clicksChart()->chart()->title(),
                 u"Clicks (Clicked, LinkClick) \u2014 whole store"_s);
        const QImage image = charts.grab().toImage();
        QSet<QRgb> colors;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7)
                colors.insert(image.pixel(x, y));
        }
        QVERIFY(colors.size() > 10);
        const QString png = qEnvironmentVariable("EVENTSCOPE_CHARTS_PNG");
        if (!png.isEmpty())
            image.save(png);
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"

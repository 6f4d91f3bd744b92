// The timeline's time <-> pixel math and its ticks, data-driven.

#include "decoding/timecodec.h"
#include "timescale.h"

#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

qint64 iso(const char *text)
{
    return TimeCodec::parseIso(QString::fromLatin1(text));
}

TimeScale scale(const char *from, const char *to, int width)
{
    return TimeScale{iso(from), iso(to), width};
}

} // namespace

Q_DECLARE_METATYPE(TimeScale)

class TestTimeScale : public QObject
{
    Q_OBJECT

private slots:
    void mapping_data()
    {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<int>("width");
        QTest::addColumn<qint64>("time");
        QTest::addColumn<double>("pixel");
        QTest::newRow("left edge") << qint64(0) << qint64(1000) << 100 << qint64(0) << 0.0;
        QTest::newRow("middle") << qint64(0) << qint64(1000) << 100 << qint64(500) << 50.0;
        QTest::newRow("right edge") << qint64(0) << qint64(1000) << 100 << qint64(1000) << 100.0;
        QTest::newRow("before") << qint64(1000) << qint64(2000) << 100 << qint64(0) << -100.0;
        QTest::newRow("year over 1920 px")
            << iso("2026-01-01T00:00:00Z") << iso("2027-01-01T00:00:00Z") << 1920
            << iso("2026-07-02T12:00:00Z") << 960.0;
    }

    void mapping()
    {
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(int, width);
        QFETCH(qint64, time);
        QFETCH(double, pixel);
        const TimeScale s{start, end, width};
        QCOMPARE(s.toPixel(time), pixel);
        QCOMPARE(s.toTime(pixel), time);
    }

    void zoomKeepsAnchor_data()
    {
        QTest::addColumn<double>("px");
        QTest::addColumn<double>("factor");
        QTest::newRow("in at left") << 0.0 << 2.0;
        QTest::newRow("in at middle") << 500.0 << 4.0;
        QTest::newRow("out at right") << 1000.0 << 0.5;
        QTest::newRow("in at a third") << 333.0 << 10.0;
    }

    void zoomKeepsAnchor()
    {
        QFETCH(double, px);
        QFETCH(double, factor);
        const TimeScale s{0, 1000000, 1000};
        const TimeScale z = s.zoomed(px, factor);
        QCOMPARE(z.spanMs(), qint64(std::llround(1000000 / factor)));
        QVERIFY(qAbs(z.toTime(px) - s.toTime(px)) <= qint64(1000000 / factor / 1000) + 1);
    }

    void zoomStopsAtMinimumSpan()
    {
        const TimeScale z = TimeScale{0, 100, 1000}.zoomed(500, 1000);
        QCOMPARE(z.spanMs(), TimeScale::minimumSpanMs);
    }

    void pan()
    {
        const TimeScale s{0, 1000, 100};
        const TimeScale p = s.panned(10); // dragging right shows earlier times
        QCOMPARE(p.startMs, -100);
        QCOMPARE(p.endMs, 900);
        QCOMPARE(p.panned(-10).startMs, 0);
    }

    void ticks_data()
    {
        QTest::addColumn<TimeScale>("scale");
        QTest::addColumn<qint64>("step");
        QTest::addColumn<QStringList>("firstLabels");
        QTest::newRow("milliseconds")
            << scale("2026-01-05T08:00:00Z", "2026-01-05T08:00:00.100Z", 1000) << qint64(10)
            << QStringList{u"01-05 08:00:00.000"_s, u"00.010"_s, u"00.020"_s};
        QTest::newRow("seconds") << scale("2026-01-05T08:00:00Z", "2026-01-05T08:01:00Z", 600)
                                 << qint64(10000)
                                 << QStringList{u"01-05 08:00:00"_s, u"08:00:10"_s, u"08:00:20"_s};
        QTest::newRow("hours across midnight")
            << scale("2026-01-05T20:30:00Z", "2026-01-06T08:00:00Z", 600) << qint64(3600000) * 2
            << QStringList{u"01-05 22:00"_s, u"01-06 00:00"_s, u"02:00"_s};
        QTest::newRow("days") << scale("2026-01-05T00:00:00Z", "2026-02-04T00:00:00Z", 1200)
                              << qint64(86400000) * 2
                              << QStringList{u"2026-01-05"_s, u"2026-01-07"_s, u"2026-01-09"_s};
        QTest::newRow("weeks start monday")
            << scale("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", 800) << qint64(86400000) * 7
            << QStringList{u"2026-01-05"_s, u"2026-01-12"_s, u"2026-01-19"_s};
        QTest::newRow("months") << scale("2025-11-15T00:00:00Z", "2027-01-01T00:00:00Z", 1000)
                                << (30 * 86400000LL + 36000000LL)
                                << QStringList{u"2025-12"_s, u"2026-01"_s, u"2026-02"_s};
        QTest::newRow("years") << scale("2010-06-01T00:00:00Z", "2030-01-01T00:00:00Z", 2000)
                               << 12 * (30 * 86400000LL + 36000000LL)
                               << QStringList{u"2011"_s, u"2012"_s, u"2013"_s};
    }

    void ticks()
    {
        QFETCH(TimeScale, scale);
        QFETCH(qint64, step);
        QFETCH(QStringList, firstLabels);
        QCOMPARE(scale.tickStepMs(60), step);
        const auto ticks = scale.ticks(60);
        QVERIFY(ticks.size() >= firstLabels.size());
        QStringList labels;
        for (int i = 0; i < firstLabels.size(); ++i)
            labels << ticks.at(i).label;
        QCOMPARE(labels, firstLabels);
        for (int i = 0; i < ticks.size(); ++i) {
            QVERIFY(ticks.at(i).ms >= scale.startMs && ticks.at(i).ms < scale.endMs);
            if (i > 0)
                QVERIFY(scale.toPixel(ticks.at(i).ms) - scale.toPixel(ticks.at(i - 1).ms) >=
                            60 - 1e-9 ||
                        step >= 30 * 86400000LL); // calendar months vary in length
        }
    }

    // Times from year 1 to year 9999 at every zoom: each call ends quickly with no more ticks
    // than fit, labels that name the calendar (ISO years, so year 1 is "0001"), and ticks in
    // order. The whole walk is some thousands of calls; a tick loop that does not end, or
    // one that makes a tick per month of ten millennia, fails it by the time limit.
    void ticksOverEveryYearAtEveryZoom_data()
    {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::newRow("year 1 to 9999")
            << iso("0001-01-01T00:00:00Z") << iso("9999-12-31T23:59:59.999Z");
        QTest::newRow("year 1") << iso("0001-01-01T00:00:00Z") << iso("0001-12-31T00:00:00Z");
        QTest::newRow("year 9999")
            << iso("9999-01-01T00:00:00Z") << iso("9999-12-31T23:59:59.999Z");
        QTest::newRow("beyond the limits") << TimeScale::earliestMs - 5 << TimeScale::latestMs + 5;
        QTest::newRow("a missing end") << iso("2026-01-01T00:00:00Z") << NoTime;
        QTest::newRow("every qint64") << NoTime << std::numeric_limits<qint64>::max();
    }

    void ticksOverEveryYearAtEveryZoom()
    {
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QElapsedTimer timer;
        timer.start();
        for (int width : {1, 600, 1920}) {
            for (double anchor : {0.0, 0.37, 1.0}) {
                TimeScale s{start, end, width};
                for (int zoom = 0; zoom < 35; ++zoom) {
                    const auto ticks = s.ticks(60);
                    QVERIFY2(ticks.size() <= width / 60 + 2,
                             qPrintable(u"%1 ticks over %2 px"_s.arg(ticks.size()).arg(width)));
                    for (qsizetype i = 0; i < ticks.size(); ++i) {
                        QVERIFY(!ticks.at(i).label.isEmpty());
                        QVERIFY(i == 0 || ticks.at(i).ms > ticks.at(i - 1).ms);
                    }
                    s = s.zoomed(anchor * width, 4);
                }
            }
        }
        // No spacing asked for is one pixel's: one tick per pixel at most.
        QVERIFY((TimeScale{start, end, 1920}.ticks(0).size() <= 1922));
        QVERIFY2(timer.elapsed() < 20000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
    }

    void calendarLabelsAtTheEndsOfTheCalendar_data()
    {
        QTest::addColumn<TimeScale>("scale");
        QTest::addColumn<QStringList>("firstLabels");
        QTest::newRow("years from year 1")
            << scale("0001-01-01T00:00:00Z", "0031-01-01T00:00:00Z", 2000)
            << QStringList{u"0001"_s, u"0002"_s, u"0003"_s};
        QTest::newRow("months of year 1")
            << scale("0001-01-01T00:00:00Z", "0002-01-01T00:00:00Z", 1000)
            << QStringList{u"0001-01"_s, u"0001-02"_s, u"0001-03"_s};
        QTest::newRow("days of year 1")
            << scale("0001-02-26T00:00:00Z", "0001-03-20T00:00:00Z", 2000)
            << QStringList{u"0001-02-26"_s, u"0001-02-27"_s, u"0001-02-28"_s, u"0001-03-01"_s};
        QTest::newRow("hours at the end of 9999")
            << scale("9999-12-31T20:00:00Z", "9999-12-31T23:59:59.999Z", 600)
            << QStringList{u"12-31 20:00"_s, u"20:30"_s};
        QTest::newRow("centuries")
            << scale("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", 1000)
            << QStringList{u"1000"_s, u"2000"_s, u"3000"_s};
    }

    void calendarLabelsAtTheEndsOfTheCalendar()
    {
        QFETCH(TimeScale, scale);
        QFETCH(QStringList, firstLabels);
        const auto ticks = scale.ticks(60);
        QStringList labels;
        for (qsizetype i = 0; i < qMin(ticks.size(), firstLabels.size()); ++i)
            labels << ticks.at(i).label;
        QCOMPARE(labels, firstLabels);
        // A date label is the start of the tick's own time, as the rest of the window shows it.
        for (const TimeScale::Tick &tick : ticks) {
            if (!tick.label.contains(u':'))
                QVERIFY2(TimeCodec::format(tick.ms).startsWith(tick.label),
                         qPrintable(tick.label + u" at "_s + TimeCodec::format(tick.ms)));
        }
    }
};

QTEST_GUILESS_MAIN(TestTimeScale)
#include "tst_timescale.moc"

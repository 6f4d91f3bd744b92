// The timeline's time <-> pixel math and its ticks, data-driven.

#include "timecodec.h"
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
};

QTEST_GUILESS_MAIN(TestTimeScale)
#include "tst_timescale.moc"

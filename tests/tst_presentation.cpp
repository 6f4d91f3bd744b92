// What the main window shows, worked out by the functions and the filter bar it uses: the
// charts' bucket size and visible buckets, the timeline's lanes, the drawable time range, the
// status line, where a version lands on the replay slider, and the events table's filter.

#include "decoding/timecodec.h"
#include "drawablerange.h"
#include "eventfilterbar.h"
#include "replayindex.h"
#include "storestatus.h"
#include "timelinelanes.h"
#include "timescale.h"
#include "typepalette.h"
#include "visiblebuckets.h"

#include <QCheckBox>
#include <QMenu>
#include <QSignalSpy>
#include <QToolButton>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Hour = 3600000;
constexpr qint64 Day = 24 * Hour;

Bucket bucket(qint64 startMs, const QMap<QString, qint64> &byType)
{
    Bucket b;
    b.startMs = startMs;
    for (auto it = byType.cbegin(); it != byType.cend(); ++it)
        b.events += it.value();
    b.byType = byType;
    return b;
}

QToolButton *buttonWithTip(const EventFilterBar &bar, const QString &tip)
{
    const auto buttons = bar.findChildren<QToolButton *>();
    for (QToolButton *b : buttons) {
        if (b->toolTip() == tip)
            return b;
    }
    return nullptr;
}

QStringList texts(const QMenu *menu)
{
    QStringList result;
    const auto actions = menu->actions();
    for (const QAction *a : actions)
        result << a->text();
    return result;
}

} // namespace

class TestPresentation : public QObject
{
    Q_OBJECT

private slots:
    void bucketSize_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<int>("size");
        QTest::newRow("nothing") << qint64(0) << int(BucketSize::Minute);
        QTest::newRow("12 hours") << 12 * Hour << int(BucketSize::Minute);
        QTest::newRow("just over 12 hours") << 12 * Hour + 1 << int(BucketSize::Hour);
        QTest::newRow("21 days") << 21 * Day << int(BucketSize::Hour);
        QTest::newRow("just over 21 days") << 21 * Day + 1 << int(BucketSize::Day);
        QTest::newRow("400 days") << 400 * Day << int(BucketSize::Day);
        QTest::newRow("just over 400 days") << 400 * Day + 1 << int(BucketSize::Week);
    }

    void bucketSize()
    {
        QFETCH(qint64, span);
        QFETCH(int, size);
        QCOMPARE(int(bucketSizeFor(span)), size);
    }

    void visibleBucketsFollowTheRange()
    {
        const QVector<Bucket> buckets{
            bucket(0, {{u"Clicked"_s, 2}}), bucket(Hour, {{u"Clicked"_s, 3}, {u"Viewed"_s, 1}}),
            bucket(2 * Hour, {{u"Viewed"_s, 4}}), bucket(3 * Hour, {{u"Clicked"_s, 5}}),
            bucket(4 * Hour, {{u"Clicked"_s, 6}})};
        // From half past two to four: the bucket of two o'clock reaches into the range, the
        // one of four starts at its (exclusive) end.
        const VisibleBuckets visible = visibleBuckets(buckets, Hour, 2 * Hour + Hour / 2, 4 * Hour);
        QCOMPARE(visible.buckets.size(), 2);
        QCOMPARE(visible.buckets.at(0).startMs, 2 * Hour);
        QCOMPARE(visible.buckets.at(1).startMs, 3 * Hour);
        const QMap<QString, qint64> earlier{{u"Clicked"_s, 5}, {u"Viewed"_s, 1}};
        QCOMPARE(visible.earlier, earlier);

        const VisibleBuckets all = visibleBuckets(buckets, Hour, -Hour, 10 * Hour);
        QCOMPARE(all.buckets.size(), buckets.size());
        QVERIFY(all.earlier.isEmpty());

        const VisibleBuckets after = visibleBuckets(buckets, Hour, 10 * Hour, 11 * Hour);
        QVERIFY(after.buckets.isEmpty());
        QCOMPARE(after.earlier.value(u"Clicked"_s), 16);
        QCOMPARE(after.earlier.value(u"Viewed"_s), 5);

        QVERIFY(visibleBuckets({}, Hour, 0, Hour).buckets.isEmpty());
    }

    void lanesIndexTypesByPalette()
    {
        StreamColumns a;
        a.stream = u"user-1"_s;
        a.times = {10, 20, 30};
        a.types = {u"Viewed"_s, u"Clicked"_s, u"Unknown"_s};
        a.versions = {1, 2, 3};
        a.positions = {100, 105, 110};
        StreamColumns b;
        b.stream = u"user-2"_s;
        const QVector<TimelineLane> lanes =
            timelineLanes({a, b}, QStringList{u"Clicked"_s, u"Viewed"_s});
        QCOMPARE(lanes.size(), 2);
        QCOMPARE(lanes.at(0).stream, u"user-1"_s);
        QCOMPARE(lanes.at(0).times, a.times);
        QCOMPARE(lanes.at(0).versions, a.versions);
        QCOMPARE(lanes.at(0).positions, a.positions);
        // A type the palette does not know takes the first colour.
        QCOMPARE(lanes.at(0).types, (QVector<quint16>{1, 0, 0}));
        QCOMPARE(lanes.at(1).stream, u"user-2"_s);
        QVERIFY(lanes.at(1).types.isEmpty());
        QVERIFY(timelineLanes({}, {}).isEmpty());
    }

    void drawable_data()
    {
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("last");
        QTest::addColumn<bool>("drawable");
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::newRow("no time") << NoTime << NoTime << false << qint64(0) << qint64(0);
        QTest::newRow("both") << qint64(1000) << qint64(5000) << true << qint64(1000)
                              << qint64(5000);
        QTest::newRow("no first") << NoTime << qint64(5000) << true << qint64(5000) << qint64(5000);
        QTest::newRow("no last") << qint64(1000) << NoTime << true << qint64(1000) << qint64(1000);
        QTest::newRow("out of order")
            << qint64(5000) << qint64(1000) << true << qint64(1000) << qint64(5000);
        QTest::newRow("beyond the timeline's math")
            << TimeScale::earliestMs - 1 << TimeScale::latestMs + 1 << true << TimeScale::earliestMs
            << TimeScale::latestMs;
    }

    void drawable()
    {
        QFETCH(qint64, first);
        QFETCH(qint64, last);
        QFETCH(bool, drawable);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        const std::optional<TimeRange> range = drawableRange(first, last);
        QCOMPARE(range.has_value(), drawable);
        if (range) {
            QCOMPARE(range->fromMs, from);
            QCOMPARE(range->toMs, to);
        }
    }

    void marginAroundTheRange()
    {
        const TimeRange small = withMargin({10000, 20000}); // a fiftieth is under a second
        QCOMPARE(small.fromMs, 9000);
        QCOMPARE(small.toMs, 21000);
        const TimeRange point = withMargin({10000, 10000});
        QCOMPARE(point.fromMs, 9000);
        QCOMPARE(point.toMs, 11000);
        const TimeRange day = withMargin({0, 50 * Hour});
        QCOMPARE(day.fromMs, -Hour);
        QCOMPARE(day.toMs, 51 * Hour);
    }

    void statusLine()
    {
        QLocale::setDefault(QLocale::c());
        StoreSummary summary;
        summary.events = 12;
        summary.streams = 3;
        summary.firstTimeMs = TimeCodec::parseIso(u"2026-01-05T08:01:30.250Z"_s);
        summary.lastTimeMs = TimeCodec::parseIso(u"2026-01-06T09:30:00Z"_s);
        summary.layoutTitle = u"Eventscope"_s;
        summary.table = u"events"_s;
        summary.matches = {{u"eventscope"_s, u"Eventscope"_s, u"events"_s}};
        QCOMPARE(storeStatusText(summary, u"/data/shop.db"_s),
                 u"12 events · 3 streams · 2026-01-05 08:01 – 2026-01-06 09:30 · /data/shop.db · "
                 "Eventscope events"_s);

        // A quick summary says what its figures are; a second table says how to choose it.
        summary.exact = false;
        summary.streams = -1;
        summary.matches << LayoutMatch{u"axon"_s, u"Axon"_s, u"domain_event_entry"_s};
        QCOMPARE(storeStatusText(summary, u"/data/shop.db"_s),
                 u"≤ 12 events · counting streams · 2026-01-05 08:01 – 2026-01-06 09:30 · "
                 "/data/shop.db · Eventscope events (1 of 2 event tables, Ctrl+Shift+T to "
                 "choose)"_s);

        summary.firstTimeMs = summary.lastTimeMs = NoTime;
        QVERIFY(storeStatusText(summary, u"x"_s).contains(u" ·  –  · "_s));
    }

    void replayIndex_data()
    {
        QTest::addColumn<qint64>("version");
        QTest::addColumn<qint64>("index");
        QTest::newRow("before the first") << qint64(0) << qint64(-1);
        QTest::newRow("the first") << qint64(1) << qint64(0);
        QTest::newRow("between") << qint64(4) << qint64(1);
        QTest::newRow("exactly") << qint64(5) << qint64(2);
        QTest::newRow("after the last") << qint64(100) << qint64(3);
    }

    void replayIndex()
    {
        QFETCH(qint64, version);
        QFETCH(qint64, index);
        QCOMPARE(replayIndexOf({1, 2, 5, 9}, version), index);
        QCOMPARE(replayIndexOf({}, version), -1);
    }

    void filterBarTypes()
    {
        EventFilterBar bar;
        const QMap<QString, qint64> quick{{u"Clicked"_s, -1}, {u"Viewed"_s, -1}};
        const TypePalette palette(quick.keys());
        bar.setTypes(quick, palette);
        QMenu *menu = bar.typeButton()->menu();
        QCOMPARE(texts(menu), (QStringList{u"Clicked (counting)"_s, u"Viewed (counting)"_s}));
        QCOMPARE(bar.typeButton()->text(), u"All types"_s);
        QVERIFY(bar.filter().types.isEmpty());

        QSignalSpy changed(&bar, &EventFilterBar::filterChanged);
        menu->actions().at(0)->setChecked(false);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(bar.filter().types, QStringList{u"Viewed"_s});
        QCOMPARE(bar.typeButton()->text(), u"1 type(s)"_s);
        // The last type shown stays shown.
        menu->actions().at(1)->setChecked(false);
        QVERIFY(menu->actions().at(1)->isChecked());
        QCOMPARE(bar.filter().types, QStringList{u"Viewed"_s});

        // The exact counts relabel the same types, and what is unticked stays unticked.
        const QMap<QString, qint64> exact{{u"Clicked"_s, 59}, {u"Viewed"_s, 7}};
        bar.updateTypes(exact, palette);
        QCOMPARE(texts(menu), (QStringList{u"Clicked (59)"_s, u"Viewed (7)"_s}));
        QVERIFY(!menu->actions().at(0)->isChecked());
        QCOMPARE(bar.filter().types, QStringList{u"Viewed"_s});

        // A type the quick summary missed: a new menu, the unticked one still unticked.
        const QMap<QString, qint64> more{{u"Clicked"_s, 59}, {u"Rare"_s, 1}, {u"Viewed"_s, 7}};
        bar.updateTypes(more, TypePalette(more.keys()));
        QCOMPARE(texts(menu), (QStringList{u"Clicked (59)"_s, u"Rare (1)"_s, u"Viewed (7)"_s}));
        QVERIFY(!menu->actions().at(0)->isChecked());
        QCOMPARE(bar.filter().types, (QStringList{u"Rare"_s, u"Viewed"_s}));

        // Ticking every type again is no type filter.
        menu->actions().at(0)->setChecked(true);
        QVERIFY(bar.filter().types.isEmpty());
    }

    void filterBarTimeAndStream()
    {
        EventFilterBar bar;
        bar.show();
        QToolButton *chip = buttonWithTip(bar, u"Clear the time filter"_s);
        QVERIFY(chip);
        QVERIFY(!chip->isVisible());
        QSignalSpy changed(&bar, &EventFilterBar::filterChanged);
        const qint64 from = TimeCodec::parseIso(u"2026-01-05T08:00:00Z"_s);
        const qint64 to = TimeCodec::parseIso(u"2026-01-05T10:30:00Z"_s);
        bar.setTimeRange(from, to);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(bar.filter().fromTimeMs, from);
        QCOMPARE(bar.filter().toTimeMs, to);
        QVERIFY(chip->isVisible());
        QCOMPARE(chip->text(), u"2026-01-05 08:00 – 2026-01-05 10:30"_s);
        QTest::mouseClick(chip, Qt::LeftButton);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(bar.filter().fromTimeMs, NoTime);
        QCOMPARE(bar.filter().toTimeMs, NoTime);
        QVERIFY(!chip->isVisible());

        auto *selectedOnly = bar.findChild<QCheckBox *>();
        QVERIFY(bar.selectedStreamOnly());
        selectedOnly->setChecked(false);
        QCOMPARE(changed.size(), 3);
        QVERIFY(!bar.selectedStreamOnly());
        QVERIFY(bar.filter().stream.isEmpty()); // the window adds the stream

        // A new store: no filter, the selected stream only, and nothing announced.
        bar.setTimeRange(from, to);
        const int before = int(changed.size());
        bar.reset();
        QCOMPARE(changed.size(), before);
        QVERIFY(bar.selectedStreamOnly());
        QCOMPARE(bar.filter().fromTimeMs, NoTime);
        QVERIFY(bar.filter().types.isEmpty());
    }
};

QTEST_MAIN(TestPresentation)
#include "tst_presentation.moc"

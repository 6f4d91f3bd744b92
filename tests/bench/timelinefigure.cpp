#include "timelinefigure.h"

#include "samples.h"
#include "store/eventstore.h"
#include "timelineview.h"

#include <QHash>
#include <QLocale>
#include <QRandomGenerator>

#include <algorithm>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

constexpr int LanePage = 10000;
constexpr QSize ViewSize(1920, 600); // a maximised window's timeline
// Visible share of the full range per zoom level: whole store down to a few minutes.
constexpr double ZoomShares[] = {1.0, 0.1, 0.01, 0.001};
constexpr double FrameMs = 16;

std::optional<TimelineLane> readLane(EventStore &store, const QString &stream,
                                     const QHash<QString, quint16> &typeIndex)
{
    TimelineLane lane;
    lane.stream = stream;
    qint64 after = std::numeric_limits<qint64>::min();
    for (;;) {
        const auto page = store.streamEvents(stream, after, LanePage);
        if (!page)
            return std::nullopt;
        for (const Event &e : *page) {
            lane.times << e.timeMs;
            lane.types << typeIndex.value(e.type);
            lane.versions << e.version;
            lane.positions << e.position;
        }
        if (page->size() < LanePage)
            return lane;
        after = page->constLast().version;
    }
}

} // namespace

bool TimelineFigure::measure(EventStore &store, const StoreSummary &summary,
                             const QStringList &streams, int grabsPerZoom, quint64 seed,
                             ResultTable &table, QString *error)
{
    const TypePalette palette(summary.typeCounts.keys());
    QHash<QString, quint16> typeIndex;
    for (const QString &type : palette.types())
        typeIndex.insert(type, quint16(typeIndex.size()));
    QVector<TimelineLane> lanes;
    qint64 events = 0;
    for (const QString &stream : streams) {
        auto lane = readLane(store, stream, typeIndex);
        if (!lane) {
            *error = store.errorString();
            return false;
        }
        events += lane->times.size();
        lanes << *lane;
    }

    TimelineView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.setPalette(palette);
    view.setLanes(lanes);
    view.setFullRange(summary.firstTimeMs, summary.lastTimeMs);
    view.resize(ViewSize);
    view.show();

    QRandomGenerator rng{quint32(seed)};
    const qint64 span = summary.lastTimeMs - summary.firstTimeMs;
    Samples grabs;
    Samples cpu;
    for (double share : ZoomShares) {
        const auto width = std::max<qint64>(1, qint64(double(span) * share));
        const auto start =
            summary.firstTimeMs + qint64(rng.bounded(quint64(std::max<qint64>(1, span - width))));
        view.setVisibleRange(start, start + width);
        for (int i = 0; i < grabsPerZoom; ++i) {
            const double cpuBefore = threadCpuMs();
            grabs.add(timeMs([&view] { view.grab(); }));
            cpu.add(threadCpuMs() - cpuBefore);
        }
    }
    const QString what =
        u"timeline repaint, %1 lanes / %2 events, %3x%4, %5 zooms"_s.arg(lanes.size())
            .arg(QLocale::c().toString(events))
            .arg(ViewSize.width())
            .arg(ViewSize.height())
            .arg(std::size(ZoomShares));
    table.addInfo(what + u", p50"_s, ResultTable::duration(grabs.median()));
    table.addTimed(what + u", p99"_s, grabs.percentile(99), std::nullopt, FrameMs);
    table.addInfo(what + u", p99 of thread CPU time"_s, ResultTable::duration(cpu.percentile(99)));
    return true;
}

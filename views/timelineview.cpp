#include "timelineview.h"

#include "elidedtext.h"

#include "decoding/timecodec.h"
#include "snapshotmark.h"

#include <QApplication>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSet>
#include <QToolTip>
#include <QVarLengthArray>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr double MarkHalfWidth = 3.5;  // a 7 px diamond
constexpr double MarkHalfHeight = 5.5; // a little taller than wide, so it reads as a tick
// The image a mark is stamped from: the diamond and a pixel of margin around it.
constexpr QSize MarkStampSize(9, 13);
constexpr QPoint MarkStampCenter(4, 6);
constexpr int RingRadius = 7;
constexpr int SnapshotTickWidth = 3;
constexpr int SparseSpacingPx = 3;  // fewer visible pixels per event than this: density strip
constexpr int DominantSamples = 32; // events looked at to colour a dense column
// How far ahead a dense strip asks for the events of the columns it will look at next. Its
// walk jumps a column's worth of events at a time, which the hardware's own prefetching does
// not follow, so without this each column waits for memory several times over.
constexpr int PrefetchColumns = 8;
constexpr qsizetype SkipStride = 32; // events per skip, see columnBounds
constexpr int CacheLineBytes = 64;
constexpr int HistoryLimit = 100;
constexpr int WheelGroupMs = 700; // wheel steps closer than this are one undo step

// Far off-screen times must not overflow an int; anything past this is off-screen anyway.
// The findings' notches under the axis.
constexpr int MarkNotchHeight = 5;

int column(const TimeScale &s, qint64 ms)
{
    return int(std::floor(std::clamp(s.toPixel(ms), -1e7, 1e7)));
}

// The first event at pixel column col or later, searching from index from on. Columns are
// floor(toPixel), so "column < col" is "toPixel < col" for integer col.
qsizetype firstAtColumn(const QVector<qint64> &times, qsizetype from, const TimeScale &s, int col)
{
    const auto it = std::partition_point(times.cbegin() + from, times.cend(),
                                         [&](qint64 t) { return s.toPixel(t) < col; });
    return it - times.cbegin();
}

// The first time at pixel column col or later. Every time goes to its column through
// toPixel, so the threshold is found by stepping from the rounded inverse until it agrees
// with toPixel, not by trusting the inverse.
qint64 columnStart(const TimeScale &s, int col)
{
    qint64 t = s.toTime(col);
    while (s.toPixel(t) >= col)
        --t;
    while (s.toPixel(t) < col)
        ++t;
    return t;
}

// std::lower_bound for a value at or after the one found last at from: gallops from there in
// doubling steps, then bisects the last step.
qsizetype gallopLowerBound(const QVector<qint64> &values, qsizetype from, qint64 value)
{
    qsizetype lo = from;
    qsizetype hi = from;
    for (qsizetype step = 1; hi < values.size() && values.at(hi) < value; step *= 2) {
        lo = hi + 1;
        hi = qMin(values.size(), lo + step);
    }
    return std::lower_bound(values.cbegin() + lo, values.cbegin() + hi, value) - values.cbegin();
}

// Asks for the events between two skips to be brought into the cache.
void prefetchStride(const QVector<qint64> &times, qsizetype skip)
{
    if (skip == 0)
        return;
    const auto *first = reinterpret_cast<const char *>(times.constData() + (skip - 1) * SkipStride);
    const auto *end = reinterpret_cast<const char *>(times.constData() +
                                                     qMin(skip * SkipStride + 1, times.size()));
    for (const char *line = first; line < end; line += CacheLineBytes)
        __builtin_prefetch(line);
    __builtin_prefetch(end - 1);
}

// The index of the first event at every column boundary 0..widthPx. A binary search per
// column over millions of times misses the cache at nearly every step, and each column's
// search waits for the last. Here the skips (small, read in order) tell which stride of
// SkipStride events holds each boundary; the strides a few columns ahead are fetched while
// the current one is searched, so that the searches find their events in the cache.
QVector<qsizetype> columnBounds(const QVector<qint64> &times, const QVector<qint64> &skips,
                                const TimeScale &s)
{
    const int columns = s.widthPx + 1;
    QVector<qint64> starts(columns);
    QVector<qsizetype> strides(columns); // skips before the column's first time
    qsizetype skip = 0;
    for (int col = 0; col < columns; ++col) {
        starts[col] = columnStart(s, col);
        skip = gallopLowerBound(skips, skip, starts.at(col));
        strides[col] = skip;
    }
    QVector<qsizetype> bounds(columns);
    for (int col = 0; col < columns; ++col) {
        if (col + PrefetchColumns < columns)
            prefetchStride(times, strides.at(col + PrefetchColumns));
        // Every skip before the stride is before the column, the one after it is not.
        const qsizetype stride = strides.at(col);
        const auto first = times.cbegin() + (stride > 0 ? (stride - 1) * SkipStride + 1 : 0);
        const auto last = times.cbegin() + qMin(stride * SkipStride, times.size());
        bounds[col] = std::lower_bound(first, last, starts.at(col)) - times.cbegin();
    }
    return bounds;
}

using ColumnSamples = std::array<qsizetype, DominantSamples>;

// A density bar's height by the square root of its count against `full`: rates ten times apart
// still look different (a logarithm flattens them), and the minimum keeps one event visible.
int barHeight(qint64 count, qint64 full, int minHeight, int maxHeight)
{
    return minHeight + int(std::lround((maxHeight - minHeight) *
                                       std::sqrt(double(qMin(count, full)) / double(full))));
}

// The events that decide the colour of a column of count events from begin on: all of them
// up to DominantSamples, else DominantSamples spread evenly, begin + k * count / samples for
// sample k. Stepped without a division per sample, which cost more than the loads did.
int columnSamples(qsizetype begin, qsizetype count, ColumnSamples &indexes)
{
    const auto samples = int(qMin<qsizetype>(count, DominantSamples));
    if (samples == 0)
        return 0;
    const qsizetype step = count / samples;
    const qsizetype extra = count % samples;
    qsizetype index = begin;
    qsizetype remainder = 0;
    for (int k = 0; k < samples; ++k) {
        indexes[k] = index;
        index += step;
        remainder += extra;
        if (remainder >= samples) {
            remainder -= samples;
            ++index;
        }
    }
    return samples;
}

// Asks for the events a column will sample to be brought into the cache.
void prefetchSamples(const QVector<quint16> &types, qsizetype begin, qsizetype end)
{
    ColumnSamples indexes;
    const int samples = columnSamples(begin, end - begin, indexes);
    for (int k = 0; k < samples; ++k)
        __builtin_prefetch(types.constData() + indexes[k]);
}

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QWidget(parent), m_emptyText(tr("Select a stream to see its events on the timeline"))
{
    setMouseTracking(true);
    setFocusPolicy(Qt::WheelFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    updateLayout();
}

void TimelineView::setPalette(const TypePalette &palette)
{
    m_palette = palette;
    m_typeColors.clear();
    m_markStamps.clear();
    const QStringList types = palette.types();
    for (const QString &type : types)
        m_typeColors.append(palette.color(type));
    update();
}

void TimelineView::setLanes(const QVector<TimelineLane> &lanes)
{
    m_lanes = lanes;
    m_positionsSorted.clear();
    m_skips.clear();
    for (const TimelineLane &lane : lanes) {
        m_positionsSorted.append(std::is_sorted(lane.positions.cbegin(), lane.positions.cend()));
        QVector<qint64> skips;
        skips.reserve(lane.times.size() / SkipStride + 1);
        for (qsizetype i = 0; i < lane.times.size(); i += SkipStride)
            skips.append(lane.times.at(i));
        m_skips.append(skips);
    }
    m_selected = findPosition(m_selectedPosition);
    updateLayout();
    updateGeometry();
    update();
}

void TimelineView::setFullRange(qint64 startMs, qint64 endMs)
{
    const bool first = m_fullStartMs == NoTime;
    m_fullStartMs = qMin(startMs, endMs);
    m_fullEndMs = qMax(startMs, endMs);
    if (first) {
        const auto [start, end] = paddedFullRange();
        applyRange(start, end, false);
    } else {
        applyRange(m_startMs, m_endMs, false); // keep it inside the new range
    }
}

void TimelineView::setVisibleRange(qint64 startMs, qint64 endMs)
{
    applyRange(startMs, endMs, false);
}

TimeScale TimelineView::scale() const
{
    return TimeScale{m_startMs, m_endMs, timeArea().width()};
}

void TimelineView::setPlayhead(qint64 ms)
{
    if (ms == m_playheadMs)
        return;
    // Only the two strips under the old and the new line are repainted.
    if (m_playheadMs != NoTime)
        updateColumn(xForTime(m_playheadMs));
    m_playheadMs = ms;
    if (m_playheadMs != NoTime)
        updateColumn(xForTime(m_playheadMs));
}

void TimelineView::setSelectedEvent(qint64 position)
{
    if (position == m_selectedPosition)
        return;
    update(markRect(m_selected));
    m_selectedPosition = position;
    m_selected = findPosition(position);
    update(markRect(m_selected));
}

void TimelineView::setOverview(const QVector<qint64> &density, qint64 startMs, qint64 endMs)
{
    m_overview = density;
    m_overviewStartMs = startMs;
    m_overviewEndMs = qMax(startMs, endMs);
    update();
}

void TimelineView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    if (m_lanes.isEmpty())
        update();
}

void TimelineView::setSnapshots(const QString &stream, const QVector<StoredSnapshot> &snapshots)
{
    m_snapshotStream = stream;
    m_snapshots.clear();
    for (StoredSnapshot s : snapshots) {
        if (s.timeMs == NoTime)
            continue;
        s.data.clear();
        m_snapshots << s;
    }
    update();
}

int TimelineView::laneOf(const QString &stream) const
{
    for (int i = 0; i < m_lanes.size(); ++i) {
        if (m_lanes.at(i).stream == stream)
            return i;
    }
    return -1;
}

QRect TimelineView::snapshotRect(int snapshot) const
{
    const int lane = laneOf(m_snapshotStream);
    if (lane < 0 || snapshot < 0 || snapshot >= m_snapshots.size())
        return QRect();
    const QRect lr = laneRect(lane);
    const int x = xForTime(m_snapshots.at(snapshot).timeMs);
    return QRect(x - SnapshotTickWidth / 2 - 1, lr.top() + 1, SnapshotTickWidth + 2,
                 lr.height() - 2);
}

int TimelineView::snapshotAt(QPoint pos) const
{
    const int lane = laneOf(m_snapshotStream);
    const QRect area = timeArea();
    if (lane < 0 || !laneRect(lane).contains(pos) || pos.x() < area.left())
        return -1;
    // Snapshots are few beside events: a scan costs less than keeping them sorted by time.
    int best = -1;
    int bestDistance = HitTolerancePx + 1;
    for (int i = 0; i < m_snapshots.size(); ++i) {
        const int distance = std::abs(xForTime(m_snapshots.at(i).timeMs) - pos.x());
        if (distance < bestDistance) {
            best = i;
            bestDistance = distance;
        }
    }
    return best;
}

QString TimelineView::snapshotToolTip(int snapshot) const
{
    const StoredSnapshot &s = m_snapshots.at(snapshot);
    return tr("Stored snapshot at version %1 (%2)").arg(s.version).arg(TimeCodec::format(s.timeMs));
}

std::optional<TimelineView::Hit> TimelineView::hitTest(QPoint pos) const
{
    const QRect area = timeArea();
    if (pos.x() < area.left() || pos.x() > area.right() || pos.y() < area.top())
        return std::nullopt;
    const int laneIndex = (pos.y() - area.top()) / m_laneHeight;
    if (laneIndex >= m_lanes.size())
        return std::nullopt;
    const TimelineLane &lane = m_lanes.at(laneIndex);
    const TimeScale s = scale();
    const int col = pos.x() - area.left();
    // The nearest mark is either the first one at or after the column or the one before it.
    const qsizetype after = firstAtColumn(lane.times, 0, s, col);
    qsizetype best = -1;
    int bestDistance = HitTolerancePx + 1;
    if (after > 0) {
        const int distance = col - column(s, lane.times.at(after - 1));
        if (distance < bestDistance) {
            best = after - 1;
            bestDistance = distance;
        }
    }
    if (after < lane.times.size()) {
        const int distance = column(s, lane.times.at(after)) - col;
        if (distance <= bestDistance && distance <= HitTolerancePx)
            best = after;
    }
    if (best < 0)
        return std::nullopt;
    Hit hit;
    hit.lane = laneIndex;
    hit.index = int(best);
    hit.stream = lane.stream;
    const quint16 type = lane.types.value(best);
    hit.type = m_palette.types().value(type);
    hit.timeMs = lane.times.at(best);
    hit.version = lane.versions.value(best);
    hit.position = lane.positions.value(best);
    return hit;
}

QRect TimelineView::timeArea() const
{
    return QRect(LabelWidth, m_axisHeight, qMax(1, width() - LabelWidth),
                 qMax(1, height() - m_axisHeight));
}

QRect TimelineView::laneRect(int lane) const
{
    return QRect(0, m_axisHeight + lane * m_laneHeight, width(), m_laneHeight);
}

int TimelineView::xForTime(qint64 ms) const
{
    return LabelWidth + column(scale(), ms);
}

QSize TimelineView::sizeHint() const
{
    const int lanes = std::clamp(int(m_lanes.size()), 3, 8);
    return QSize(760, m_axisHeight + lanes * preferredLaneHeight() + 1);
}

QSize TimelineView::minimumSizeHint() const
{
    return QSize(LabelWidth + 120, m_axisHeight + fontMetrics().height() + 4);
}

void TimelineView::zoomIn()
{
    const TimeScale s = scale().zoomed(timeArea().width() / 2.0, ZoomFactor);
    applyRange(s.startMs, s.endMs, true);
}

void TimelineView::zoomOut()
{
    const TimeScale s = scale().zoomed(timeArea().width() / 2.0, 1 / ZoomFactor);
    applyRange(s.startMs, s.endMs, true);
}

void TimelineView::resetZoom()
{
    const auto [start, end] = paddedFullRange();
    applyRange(start, end, true);
}

void TimelineView::zoomBack()
{
    while (!m_history.isEmpty()) {
        const auto [start, end] = m_history.takeLast();
        if (start != m_startMs || end != m_endMs) {
            applyRange(start, end, false);
            return;
        }
    }
}

QPair<qint64, qint64> TimelineView::paddedFullRange() const
{
    qint64 start = m_fullStartMs;
    qint64 end = m_fullEndMs;
    if (start == NoTime) {
        // Not told yet: whatever the lanes cover.
        start = std::numeric_limits<qint64>::max();
        end = std::numeric_limits<qint64>::min();
        for (const TimelineLane &lane : m_lanes) {
            if (!lane.times.isEmpty()) {
                start = qMin(start, lane.times.constFirst());
                end = qMax(end, lane.times.constLast());
            }
        }
        if (start > end)
            return {m_startMs, m_endMs};
    }
    // A margin so that the first and the last mark are drawn whole; a single instant gets a
    // minute around it.
    const qint64 span = end - start;
    const qint64 pad = span > 0 ? qMax(span / 50, TimeScale::minimumSpanMs) : 30 * 1000;
    return {start - pad, end + pad};
}

bool TimelineView::event(QEvent *event)
{
    switch (event->type()) {
    case QEvent::ToolTip: {
        const auto *help = static_cast<QHelpEvent *>(event);
        const int snapshot = snapshotAt(help->pos());
        if (const auto hit = hitTest(help->pos())) {
            QString text = u"<b>"_s + elidedName(hit->type).toHtmlEscaped() + u"</b><br>"_s +
                           TimeCodec::format(hit->timeMs) + u"<br>"_s +
                           elidedName(hit->stream).toHtmlEscaped() + u"<br>"_s +
                           tr("version %1, position %2").arg(hit->version).arg(hit->position);
            if (snapshot >= 0)
                text += u"<br>"_s + snapshotToolTip(snapshot);
            QToolTip::showText(help->globalPos(), text, this, markRect({{hit->lane, hit->index}}));
        } else if (snapshot >= 0) {
            QToolTip::showText(help->globalPos(), snapshotToolTip(snapshot), this,
                               snapshotRect(snapshot));
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    case QEvent::FontChange:
    case QEvent::StyleChange:
        updateLayout();
        updateGeometry();
        break;
    default:
        break;
    }
    return QWidget::event(event);
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    updateLayout();
    QWidget::resizeEvent(event);
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    const bool record = !m_lastWheel.isValid() || m_lastWheel.elapsed() > WheelGroupMs;
    m_lastWheel.start();
    const TimeScale s = scale();
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = event->angleDelta().y() / 120.0;
        const double px = event->position().x() - timeArea().left();
        const TimeScale z = s.zoomed(px, std::pow(WheelZoomFactor, steps));
        applyRange(z.startMs, z.endMs, record);
    } else {
        // Touchpads give pixels; wheels give notches, each a tenth of the width.
        const QPoint pixels = event->pixelDelta();
        const QPoint angle = event->angleDelta();
        double dx = 0;
        if (!pixels.isNull())
            dx = pixels.x() != 0 ? pixels.x() : pixels.y();
        else
            dx = (angle.x() != 0 ? angle.x() : angle.y()) / 120.0 * s.widthPx / 10.0;
        const TimeScale p = s.panned(dx);
        applyRange(p.startMs, p.endMs, record);
    }
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
        zoomOut();
        break;
    case Qt::Key_0:
    case Qt::Key_Home:
        resetZoom();
        break;
    case Qt::Key_Backspace:
        zoomBack();
        break;
    case Qt::Key_Left:
    case Qt::Key_Right: {
        const TimeScale s = scale();
        const TimeScale p = s.panned((event->key() == Qt::Key_Left ? 1 : -1) * s.widthPx / 10.0);
        applyRange(p.startMs, p.endMs, true);
        break;
    }
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    const bool band =
        event->button() == Qt::RightButton ||
        (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    if (band)
        m_drag = Drag::PendingBand;
    else if (event->button() == Qt::LeftButton)
        m_drag = Drag::PendingPan;
    else
        return QWidget::mousePressEvent(event);
    m_pressPos = event->position().toPoint();
    m_dragPos = m_pressPos;
    m_pressScale = scale();
    m_dragRecorded = false;
    event->accept();
}

void TimelineView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_drag == Drag::None) {
        setCursor(hitTest(pos) ? Qt::PointingHandCursor : Qt::ArrowCursor);
        return;
    }
    const bool moved = (pos - m_pressPos).manhattanLength() >= QApplication::startDragDistance();
    if (m_drag == Drag::PendingPan && moved) {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    } else if (m_drag == Drag::PendingBand && moved) {
        m_drag = Drag::Band;
    }
    if (m_drag == Drag::Pan) {
        const TimeScale p = m_pressScale.panned(pos.x() - m_pressPos.x());
        // One undo step for the whole drag.
        if (applyRange(p.startMs, p.endMs, !m_dragRecorded))
            m_dragRecorded = true;
    } else if (m_drag == Drag::Band) {
        m_dragPos = pos;
        update(); // the band spans every lane; the whole widget is cheap to paint anyway
    }
    event->accept();
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    const Drag drag = m_drag;
    m_drag = Drag::None;
    unsetCursor();
    if (drag == Drag::PendingPan && event->button() == Qt::LeftButton) {
        if (const auto hit = hitTest(m_pressPos)) {
            setSelectedEvent(hit->position);
            emit eventClicked(hit->stream, hit->position, hit->version);
        } else if (const int snapshot = snapshotAt(m_pressPos); snapshot >= 0) {
            emit snapshotClicked(m_snapshotStream, m_snapshots.at(snapshot).version);
        }
    } else if (drag == Drag::Band) {
        const QRect area = timeArea();
        const int x0 =
            std::clamp(qMin(m_pressPos.x(), m_dragPos.x()), area.left(), area.right() + 1);
        const int x1 =
            std::clamp(qMax(m_pressPos.x(), m_dragPos.x()), area.left(), area.right() + 1);
        if (x1 - x0 >= 2) {
            const TimeScale s = scale();
            applyRange(s.toTime(x0 - area.left()), s.toTime(x1 - area.left()), true);
        }
        update();
    } else if (drag == Drag::None) {
        return QWidget::mouseReleaseEvent(event);
    }
    event->accept();
}

void TimelineView::paintEvent(QPaintEvent *event)
{
    m_stats = {};
    m_stats.paintNumber = ++m_paintNumber;
    m_marksPerLane.fill(0, m_lanes.size());
    QPainter p(this);
    // Painted per rectangle of the region: a playhead move dirties two thin strips that may
    // be far apart, and their bounding rectangle would be most of the widget.
    for (const QRect &rect : event->region()) {
        p.save();
        p.setClipRect(rect);
        paintRect(p, rect);
        p.restore();
    }
    for (int marks : std::as_const(m_marksPerLane))
        m_stats.maxMarksPerLane = qMax(m_stats.maxMarksPerLane, marks);
}

void TimelineView::paintRect(QPainter &p, const QRect &rect)
{
    const QPalette &pal = palette();
    p.fillRect(rect, pal.color(QPalette::Base));
    if (m_lanes.isEmpty() && !m_overview.isEmpty()) {
        paintOverview(p, rect);
        return;
    }
    if (m_lanes.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(this->rect().adjusted(16, 0, -16, 0), Qt::AlignCenter | Qt::TextWordWrap,
                   m_emptyText);
        return;
    }
    const QRect area = timeArea();
    const int firstLane = qMax(0, (rect.top() - area.top()) / m_laneHeight);
    const int lastLane = qMin(int(m_lanes.size()) - 1, (rect.bottom() - area.top()) / m_laneHeight);
    for (int i = firstLane; i <= lastLane; ++i) {
        if (i % 2 == 1)
            p.fillRect(laneRect(i), pal.color(QPalette::AlternateBase));
    }

    const QVector<TimeScale::Tick> ticks = this->ticks();
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(70);
    for (const TimeScale::Tick &tick : ticks)
        p.fillRect(QRect(xForTime(tick.ms), area.top(), 1, area.height()), grid);

    p.fillRect(QRect(LabelWidth - 1, area.top(), 1, area.height()), pal.color(QPalette::Mid));
    for (int i = firstLane; i <= lastLane; ++i)
        paintLane(p, rect, i);

    if (m_selected) {
        const QRect ring = markRect(m_selected);
        if (ring.intersects(rect) && ring.center().x() >= area.left()) {
            p.save();
            p.setClipRect(area & rect);
            // One shape, so smoothing costs nothing; the marks themselves stay aliased.
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(QPen(pal.color(QPalette::WindowText), 2));
            p.setBrush(Qt::NoBrush);
            p.drawEllipse(QPointF(ring.center()) + QPointF(0.5, 0.5), RingRadius, RingRadius);
            p.restore();
        }
    }

    paintAxis(p, rect, ticks);
    paintMarks(p);

    if (m_playheadMs != NoTime) {
        const int x = xForTime(m_playheadMs);
        if (x >= area.left() && x <= area.right()) {
            const QColor color = pal.color(QPalette::WindowText);
            p.fillRect(QRect(x, area.top() - 6, 1, height()), color);
            // A small handle on the axis, so the line can be found among grid lines.
            const QPoint handle[] = {
                {x - 5, area.top() - 7}, {x + 6, area.top() - 7}, {x, area.top() - 1}};
            p.setPen(Qt::NoPen);
            p.setBrush(color);
            p.drawPolygon(handle, 3);
        }
    }

    if (m_drag == Drag::Band) {
        const int x0 = std::clamp(qMin(m_pressPos.x(), m_dragPos.x()), area.left(), area.right());
        const int x1 = std::clamp(qMax(m_pressPos.x(), m_dragPos.x()), area.left(), area.right());
        QColor fill = pal.color(QPalette::Highlight);
        fill.setAlpha(60);
        p.fillRect(QRect(x0, 0, x1 - x0 + 1, height()), fill);
        p.setPen(pal.color(QPalette::Highlight));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRect(x0, 0, x1 - x0, height() - 1));
    }
}

void TimelineView::paintAxis(QPainter &p, const QRect &rect, const QVector<TimeScale::Tick> &ticks)
{
    const QRect axis(0, 0, width(), m_axisHeight);
    if (!axis.intersects(rect))
        return;
    const QPalette &pal = palette();
    p.fillRect(axis, pal.color(QPalette::Window));
    p.fillRect(QRect(0, m_axisHeight - 1, width(), 1), pal.color(QPalette::Mid));
    p.fillRect(QRect(LabelWidth - 1, 0, 1, m_axisHeight), pal.color(QPalette::Mid));

    const QFontMetrics fm = fontMetrics();
    const int textTop = (m_axisHeight - 4 - fm.height()) / 2;
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(8, textTop, LabelWidth - 16, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Time (UTC)"));

    p.save();
    p.setClipRect(QRect(LabelWidth, 0, width() - LabelWidth, m_axisHeight) & rect);
    p.setPen(pal.color(QPalette::WindowText));
    for (const TimeScale::Tick &tick : ticks) {
        const int x = xForTime(tick.ms);
        p.fillRect(QRect(x, m_axisHeight - 6, 1, 6), pal.color(QPalette::WindowText));
        p.drawText(QRect(x + 4, textTop, width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   tick.label);
    }
    p.restore();
}

void TimelineView::paintLane(QPainter &p, const QRect &rect, int index)
{
    const TimelineLane &lane = m_lanes.at(index);
    const QRect lr = laneRect(index);
    const QPalette &pal = palette();

    if (rect.left() < LabelWidth) {
        QFont font = p.font();
        font.setBold(index == 0);
        p.setFont(font);
        p.setPen(pal.color(QPalette::WindowText));
        const QRect text(8, lr.top(), LabelWidth - 16, lr.height());
        p.drawText(
            text, Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetrics(font).elidedText(elidedName(lane.stream), Qt::ElideMiddle, text.width()));
        font.setBold(false);
        p.setFont(font);
    }

    const QRect area = timeArea();
    const QRect clip = lr & area & rect;
    if (clip.isEmpty() || lane.times.isEmpty())
        return;
    p.save();
    p.setClipRect(clip);
    const TimeScale s = scale();
    const int centerY = lr.center().y();

    // The stream's lifetime, so that a sparse stream still reads as one lane.
    const int first = std::clamp(column(s, lane.times.constFirst()), -1, s.widthPx);
    const int last = std::clamp(column(s, lane.times.constLast()), -1, s.widthPx);
    p.fillRect(QRect(area.left() + first, centerY, last - first + 1, 1), pal.color(QPalette::Mid));
    if (lane.stream == m_snapshotStream)
        paintSnapshots(p, lr, s); // behind the events, so that an event on a tick stays whole

    // The level of detail is chosen from the whole visible window, not the dirty rectangle,
    // so that repainting a strip draws exactly what a full paint would.
    const qsizetype visibleFrom = firstAtColumn(lane.times, 0, s, 0);
    const qsizetype visibleTo = firstAtColumn(lane.times, visibleFrom, s, s.widthPx);
    const bool dense = (visibleTo - visibleFrom) * SparseSpacingPx > s.widthPx;
    const int firstCol = qMax(0, clip.left() - area.left() - int(MarkHalfWidth) - 1);
    const int lastCol = qMin(s.widthPx - 1, clip.right() - area.left() + int(MarkHalfWidth) + 1);
    int marks = 0;
    if (dense) {
        marks = paintDensity(p, lane, m_skips.at(index), s, lr, firstCol, lastCol);
        ++m_stats.denseLanes;
        m_stats.densityColumns += marks;
    } else {
        const qsizetype from = firstAtColumn(lane.times, visibleFrom, s, firstCol);
        const qsizetype to = firstAtColumn(lane.times, from, s, lastCol + 1);
        marks = paintSparse(p, lane, s, centerY, from, to);
        m_stats.sparseMarks += marks;
    }
    m_marksPerLane[index] += marks;
    p.restore();
}

int TimelineView::paintSparse(QPainter &p, const TimelineLane &lane, const TimeScale &s,
                              int centerY, qsizetype from, qsizetype to)
{
    // Stamped from a ready image: filling a path of many diamonds costs the rasteriser time
    // that grows faster than the number of diamonds, as they all cross the same scan lines.
    // The marks are gathered per type and stamped in type order, as one path per type was.
    QVector<QVector<int>> columns(m_typeColors.size() + 1);
    int lastCol = std::numeric_limits<int>::min();
    int marks = 0;
    for (qsizetype i = from; i < to; ++i) {
        const int col = column(s, lane.times.at(i));
        if (col == lastCol)
            continue; // at most one mark per pixel column
        lastCol = col;
        columns[qMin<qsizetype>(lane.types.value(i), m_typeColors.size())].append(col);
        ++marks;
    }
    const int left = timeArea().left();
    const QPoint offset(-MarkStampCenter.x(), centerY - MarkStampCenter.y());
    for (qsizetype type = 0; type < columns.size(); ++type) {
        if (columns.at(type).isEmpty())
            continue;
        const QImage &stamp = markStamp(quint16(type), p.device()->devicePixelRatio());
        for (int col : std::as_const(columns.at(type)))
            p.drawImage(offset + QPoint(left + col, 0), stamp);
    }
    return marks;
}

const QImage &TimelineView::markStamp(quint16 type, qreal dpr)
{
    if (dpr != m_markStampDpr) {
        m_markStamps.clear();
        m_markStampDpr = dpr;
    }
    if (m_markStamps.size() <= type)
        m_markStamps.resize(type + 1);
    QImage &stamp = m_markStamps[type];
    if (stamp.isNull()) {
        // The diamond of a mark centred on pixel MarkStampCenter, filled as a path would be
        // on the widget itself, so that a stamp matches it pixel for pixel.
        stamp = QImage(MarkStampSize * dpr, QImage::Format_ARGB32_Premultiplied);
        stamp.setDevicePixelRatio(dpr);
        stamp.fill(Qt::transparent);
        const double x = MarkStampCenter.x() + 0.5;
        const double y = MarkStampCenter.y() + 0.5;
        QPainterPath diamond;
        diamond.moveTo(x, y - MarkHalfHeight);
        diamond.lineTo(x + MarkHalfWidth, y);
        diamond.lineTo(x, y + MarkHalfHeight);
        diamond.lineTo(x - MarkHalfWidth, y);
        diamond.closeSubpath();
        QPainter painter(&stamp);
        painter.fillPath(diamond, typeColor(type));
    }
    return stamp;
}

int TimelineView::paintDensity(QPainter &p, const TimelineLane &lane, const QVector<qint64> &skips,
                               const TimeScale &s, const QRect &laneRect, int firstCol, int lastCol)
{
    // Event index at every column boundary of the visible window: a search per column,
    // whatever the number of events.
    const QVector<qsizetype> bounds = columnBounds(lane.times, skips, s);
    QVector<qsizetype> filled; // counts of the columns with events
    for (int col = 1; col <= s.widthPx; ++col) {
        if (bounds.at(col) > bounds.at(col - 1))
            filled.append(bounds.at(col) - bounds.at(col - 1));
    }
    // Full height at the 95th percentile, not the maximum: one burst (or the start of a
    // store's import) would otherwise flatten every other column.
    qsizetype fullCount = 1;
    if (!filled.isEmpty()) {
        const auto nth = filled.begin() + (filled.size() - 1) * 95 / 100;
        std::nth_element(filled.begin(), nth, filled.end());
        fullCount = *nth;
    }

    const int typeCount = int(m_typeColors.size());
    QVarLengthArray<int, 64> counts(typeCount + 1);
    std::fill(counts.begin(), counts.end(), 0);
    QVector<QVector<QRect>> bars(typeCount + 1);
    const int maxHeight = laneRect.height() - 8;
    const int minHeight = qMin(3, maxHeight);
    const int centerY = laneRect.center().y();
    const int left = timeArea().left();
    int columns = 0;
    ColumnSamples indexes;
    std::array<int, DominantSamples> sampleTypes;
    for (int col = firstCol; col <= lastCol; ++col) {
        if (const int ahead = col + PrefetchColumns; ahead <= lastCol)
            prefetchSamples(lane.types, bounds.at(ahead), bounds.at(ahead + 1));
        const qsizetype begin = bounds.at(col);
        const qsizetype count = bounds.at(col + 1) - begin;
        if (count == 0)
            continue;
        // The most frequent type colours the column; past DominantSamples events an even
        // sample decides, so that a column of 100,000 events costs as much as one of 32.
        const int samples = columnSamples(begin, count, indexes);
        int dominant = 0;
        for (int k = 0; k < samples; ++k) {
            const int type = qMin<int>(lane.types.value(indexes[k]), typeCount);
            sampleTypes[k] = type;
            if (++counts[type] > counts[dominant] ||
                (counts[type] == counts[dominant] && type < dominant))
                dominant = type;
        }
        for (int k = 0; k < samples; ++k)
            counts[sampleTypes[k]] = 0;

        const int h = barHeight(count, fullCount, minHeight, maxHeight);
        bars[dominant].append(QRect(left + col, centerY - h / 2, 1, h));
        ++columns;
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(Qt::NoPen);
    for (int type = 0; type <= typeCount; ++type) {
        if (bars.at(type).isEmpty())
            continue;
        p.setBrush(typeColor(quint16(type)));
        p.drawRects(bars.at(type));
    }
    return columns;
}

// One lane of bars, a pixel column each, summing the slices the column covers; heights
// against the busiest column.
void TimelineView::paintOverview(QPainter &p, const QRect &rect)
{
    const QPalette &pal = palette();
    const QRect lane = laneRect(0);
    const QRect area = timeArea();
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(QRect(8, lane.top(), LabelWidth - 16, lane.height()),
               Qt::AlignLeft | Qt::AlignVCenter, tr("All events"));
    const TimeScale s = scale();
    const auto slices = qint64(m_overview.size());
    const qint64 span = m_overviewEndMs - m_overviewStartMs + 1;
    const auto sliceAt = [&](qint64 ms) {
        return std::clamp<qint64>((ms - m_overviewStartMs) * slices / span, 0, slices);
    };
    QVector<qint64> columns(s.widthPx, 0);
    for (int col = 0; col < s.widthPx; ++col) {
        const qint64 from = s.toTime(col);
        const qint64 to = s.toTime(col + 1);
        if (to <= m_overviewStartMs || from > m_overviewEndMs)
            continue;
        for (qint64 i = sliceAt(from); i < qMax(sliceAt(to), sliceAt(from) + 1) && i < slices; ++i)
            columns[col] += m_overview.at(i);
    }
    const qint64 busiest = *std::max_element(columns.cbegin(), columns.cend());
    QVector<QRect> bars;
    const int maxHeight = lane.height() - 8;
    const int minHeight = qMin(3, maxHeight);
    for (int col = 0; col < s.widthPx; ++col) {
        if (columns.at(col) == 0)
            continue;
        const int h = barHeight(columns.at(col), busiest, minHeight, maxHeight);
        bars.append(QRect(area.left() + col, lane.center().y() - h / 2, 1, h));
    }
    p.save();
    p.setClipRect(area & rect);
    p.setPen(Qt::NoPen);
    p.setBrush(pal.color(QPalette::Mid));
    p.drawRects(bars);
    p.restore();
    m_stats.densityColumns += int(bars.size());
    paintAxis(p, rect, ticks());
}

void TimelineView::setMarks(const QString &set, const QVector<TimelineMark> &marks,
                            const QColor &color)
{
    if (marks.isEmpty()) {
        if (m_marks.remove(set))
            update();
        return;
    }
    MarkSet &target = m_marks[set];
    target.color = color;
    target.marks.clear();
    std::copy_if(marks.cbegin(), marks.cend(), std::back_inserter(target.marks),
                 [](const TimelineMark &mark) { return mark.timeMs != NoTime; });
    std::stable_sort(
        target.marks.begin(), target.marks.end(),
        [](const TimelineMark &a, const TimelineMark &b) { return a.timeMs < b.timeMs; });
    update();
}

void TimelineView::paintMarks(QPainter &p)
{
    if (m_marks.isEmpty())
        return;
    const TimeScale s = scale();
    const QRect area = timeArea();
    p.save();
    p.setClipRect(area.adjusted(0, -MarkNotchHeight, 0, 0));
    p.setRenderHint(QPainter::Antialiasing, false);
    for (const MarkSet &set : std::as_const(m_marks)) {
        QColor line = set.color;
        line.setAlpha(150);
        QVector<QRect> lines;
        QVector<QRect> notches;
        // Only the visible window is looked at; one notch per pixel column, and one line per
        // column and lane.
        const auto first =
            std::lower_bound(set.marks.cbegin(), set.marks.cend(), s.startMs,
                             [](const TimelineMark &mark, qint64 ms) { return mark.timeMs < ms; });
        int lastCol = std::numeric_limits<int>::min();
        QSet<QPair<int, int>> laneColumns;
        QHash<QString, int> lanes; // laneOf() by stream, looked up once each
        for (auto mark = first; mark != set.marks.cend() && mark->timeMs <= s.endMs; ++mark) {
            const int col = column(s, mark->timeMs);
            const int x = area.left() + col;
            if (col != lastCol)
                notches << QRect(x - 1, area.top() - MarkNotchHeight, 3, MarkNotchHeight);
            lastCol = col;
            auto lane = lanes.constFind(mark->stream);
            if (lane == lanes.cend())
                lane = lanes.insert(mark->stream, laneOf(mark->stream));
            if (*lane >= 0 && !laneColumns.contains({*lane, col})) {
                laneColumns.insert({*lane, col});
                const QRect lr = laneRect(*lane);
                lines << QRect(x, lr.top() + 1, 1, lr.height() - 2);
            }
        }
        p.setPen(Qt::NoPen);
        p.setBrush(line);
        p.drawRects(lines);
        p.setBrush(set.color);
        p.drawRects(notches);
    }
    p.restore();
}

void TimelineView::paintSnapshots(QPainter &p, const QRect &laneRect, const TimeScale &s)
{
    QVector<QRect> ticks;
    int lastCol = std::numeric_limits<int>::min();
    for (const StoredSnapshot &snapshot : std::as_const(m_snapshots)) {
        const int col = column(s, snapshot.timeMs);
        if (col == lastCol || col < -SnapshotTickWidth || col > s.widthPx + SnapshotTickWidth)
            continue; // one tick per pixel column, none off screen
        lastCol = col;
        ticks << QRect(timeArea().left() + col - SnapshotTickWidth / 2, laneRect.top() + 2,
                       SnapshotTickWidth, laneRect.height() - 5);
    }
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(SnapshotMark::outline());
    p.setBrush(SnapshotMark::fill());
    p.drawRects(ticks);
}

QVector<TimeScale::Tick> TimelineView::ticks() const
{
    // Start from a spacing that fits a short label; widen it until the longest label of the
    // chosen step fits, so that labels never overlap.
    const QFontMetrics fm = fontMetrics();
    const TimeScale s = scale();
    int spacing = fm.horizontalAdvance(u"00:00:00"_s) + 24;
    QVector<TimeScale::Tick> result;
    for (int attempt = 0; attempt < 4; ++attempt) {
        result = s.ticks(spacing);
        int widest = 0;
        for (const TimeScale::Tick &tick : std::as_const(result))
            widest = qMax(widest, fm.horizontalAdvance(tick.label));
        if (widest + 16 <= spacing)
            break;
        spacing = widest + 16;
    }
    return result;
}

QColor TimelineView::typeColor(quint16 type) const
{
    return type < m_typeColors.size() ? m_typeColors.at(type) : m_palette.color(QString());
}

std::optional<QPair<int, qsizetype>> TimelineView::findPosition(qint64 position) const
{
    if (position < 0)
        return std::nullopt;
    for (int lane = 0; lane < m_lanes.size(); ++lane) {
        const QVector<qint64> &positions = m_lanes.at(lane).positions;
        if (m_positionsSorted.value(lane)) {
            const auto it = std::lower_bound(positions.cbegin(), positions.cend(), position);
            if (it != positions.cend() && *it == position)
                return QPair<int, qsizetype>(lane, it - positions.cbegin());
        } else if (const qsizetype i = positions.indexOf(position); i >= 0) {
            return QPair<int, qsizetype>(lane, i);
        }
    }
    return std::nullopt;
}

QRect TimelineView::markRect(const std::optional<QPair<int, qsizetype>> &mark) const
{
    if (!mark || mark->first >= m_lanes.size())
        return QRect();
    const TimelineLane &lane = m_lanes.at(mark->first);
    if (mark->second >= lane.times.size())
        return QRect();
    const QRect lr = laneRect(mark->first);
    const int x = xForTime(lane.times.at(mark->second));
    const int y = lr.center().y();
    return QRect(x - RingRadius - 2, y - RingRadius - 2, 2 * RingRadius + 5, 2 * RingRadius + 5);
}

void TimelineView::updateColumn(int x)
{
    update(QRect(x - 6, 0, 13, height()));
}

bool TimelineView::applyRange(qint64 startMs, qint64 endMs, bool record)
{
    qint64 span = qMax(endMs - startMs, TimeScale::minimumSpanMs);
    if (m_fullStartMs != NoTime) {
        // Zooming out stops at the whole store, panning at its ends.
        const auto [fullStart, fullEnd] = paddedFullRange();
        span = qMin(span, fullEnd - fullStart);
        startMs = std::clamp(startMs, fullStart, fullEnd - span);
    }
    endMs = startMs + span;
    if (startMs == m_startMs && endMs == m_endMs)
        return false;
    if (record) {
        m_history.append({m_startMs, m_endMs});
        if (m_history.size() > HistoryLimit)
            m_history.removeFirst();
    }
    m_startMs = startMs;
    m_endMs = endMs;
    update();
    emit visibleRangeChanged(m_startMs, m_endMs);
    return true;
}

int TimelineView::preferredLaneHeight() const
{
    return qMax(28, fontMetrics().height() + 12);
}

void TimelineView::updateLayout()
{
    m_axisHeight = fontMetrics().height() + 14;
    // Lanes shrink to fit the widget when there are many, down to a line of text.
    const int available = height() - m_axisHeight;
    const int fit = m_lanes.isEmpty() ? preferredLaneHeight() : available / int(m_lanes.size());
    m_laneHeight = std::clamp(fit, fontMetrics().height() + 2, preferredLaneHeight());
}

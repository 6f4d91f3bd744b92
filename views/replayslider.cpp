#include "replayslider.h"

#include "snapshotmark.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainterPath>
#include <QStyleOptionSlider>
#include <QStylePainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

ReplaySlider::ReplaySlider(QWidget *parent) : QSlider(Qt::Horizontal, parent)
{
    // Room for a whole mark above and below the groove, whatever the style's own height.
    setMinimumHeight(int(std::ceil(2 * SnapshotMark::HalfHeight)) + 5);
}

void ReplaySlider::setMarks(const QVector<int> &values, const QStringList &toolTips)
{
    m_values = values;
    m_toolTips = toolTips;
    update();
}

ReplaySlider::Track ReplaySlider::track() const
{
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    opt.sliderPosition = minimum();
    const QRect low =
        style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
    opt.sliderPosition = maximum();
    const QRect high =
        style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
    const QRect groove =
        style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, this);
    return {low.center().x(), high.center().x(), groove.center().y()};
}

int ReplaySlider::xForValue(const Track &track, int value) const
{
    // The style places the handle linearly between its two ends; a right-to-left slider runs
    // from right to left.
    const int span = track.last - track.first;
    const int offset = QStyle::sliderPositionFromValue(minimum(), maximum(), value, std::abs(span));
    return track.first + (span >= 0 ? offset : -offset);
}

QRect ReplaySlider::handleRect() const
{
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    return style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
}

QRect ReplaySlider::markRect(int mark) const
{
    const Track t = track();
    const int x = xForValue(t, m_values.at(mark));
    const int w = int(std::ceil(SnapshotMark::HalfWidth));
    const int h = int(std::ceil(SnapshotMark::HalfHeight));
    return QRect(x - w - 1, t.centerY - h - 1, 2 * w + 3, 2 * h + 3);
}

int ReplaySlider::markAt(QPoint pos) const
{
    if (m_values.isEmpty())
        return -1;
    const Track t = track();
    if (std::abs(pos.y() - t.centerY) > SnapshotMark::HalfHeight + HitTolerancePx)
        return -1;
    // Marks are in value order, so in x order one way or the other: the nearest is the first
    // at or past the point, or the one before it.
    const bool leftToRight = t.last >= t.first;
    const auto it = std::partition_point(m_values.cbegin(), m_values.cend(), [&](int value) {
        const int x = xForValue(t, value);
        return leftToRight ? x < pos.x() : x > pos.x();
    });
    const int after = int(it - m_values.cbegin());
    int best = -1;
    int bestDistance = HitTolerancePx + 1;
    for (int candidate : {after - 1, after}) {
        if (candidate < 0 || candidate >= m_values.size())
            continue;
        const int distance = std::abs(xForValue(t, m_values.at(candidate)) - pos.x());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

bool ReplaySlider::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const int mark = markAt(help->pos());
        if (mark >= 0) {
            QToolTip::showText(help->globalPos(), m_toolTips.value(mark), this, markRect(mark));
            return true;
        }
    }
    return QSlider::event(event);
}

void ReplaySlider::paintEvent(QPaintEvent *event)
{
    // As QSlider paints, but in two passes, so that the marks lie between groove and handle.
    QStylePainter p(this);
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    opt.subControls = QStyle::SC_SliderGroove;
    if (tickPosition() != NoTicks)
        opt.subControls |= QStyle::SC_SliderTickmarks;
    p.drawComplexControl(QStyle::CC_Slider, opt);

    m_paintedMarks = 0;
    if (!m_values.isEmpty() && isEnabled()) {
        const Track t = track();
        const int left = event->rect().left() - int(SnapshotMark::HalfWidth) - 1;
        const int right = event->rect().right() + int(SnapshotMark::HalfWidth) + 1;
        QPainterPath path;
        int lastX = std::numeric_limits<int>::min();
        for (int value : std::as_const(m_values)) {
            const int x = xForValue(t, value);
            if (x == lastX || x < left || x > right)
                continue; // one mark per pixel column, and only where the paint is
            lastX = x;
            SnapshotMark::addTo(path, QPointF(x + 0.5, t.centerY + 0.5));
            ++m_paintedMarks;
        }
        path.setFillRule(Qt::WindingFill);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(SnapshotMark::outline());
        p.setBrush(SnapshotMark::fill());
        p.drawPath(path);
    }

    if (!m_ticks.isEmpty() && isEnabled()) {
        const Track t = track();
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(m_tickColor);
        int lastX = std::numeric_limits<int>::min();
        for (int value : std::as_const(m_ticks)) {
            const int x = xForValue(t, value);
            if (x == lastX || x < event->rect().left() || x > event->rect().right())
                continue;
            lastX = x;
            p.drawLine(x, t.centerY + 4, x, t.centerY + 9);
        }
    }

    opt.subControls = QStyle::SC_SliderHandle;
    p.drawComplexControl(QStyle::CC_Slider, opt);
}

void ReplaySlider::setTicks(const QVector<int> &values, const QColor &color)
{
    m_ticks = values;
    m_tickColor = color;
    update();
}

void ReplaySlider::mousePressEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    // The handle stays draggable where it covers a mark.
    if (event->button() == Qt::LeftButton && !handleRect().contains(pos)) {
        if (const int mark = markAt(pos); mark >= 0) {
            setValue(m_values.at(mark));
            event->accept();
            return;
        }
    }
    QSlider::mousePressEvent(event);
}

void ReplaySlider::contextMenuEvent(QContextMenuEvent *event)
{
    const int mark = markAt(event->pos());
    if (mark < 0) {
        event->ignore();
        return;
    }
    emit markMenuRequested(mark, event->globalPos());
    event->accept();
}

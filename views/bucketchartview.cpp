#include "bucketchartview.h"

#include "timescale.h"

#include <QCategoryAxis>
#include <QDateTime>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QGraphicsLineItem>
#include <QMouseEvent>
#include <QSet>
#include <QToolTip>

using namespace Qt::StringLiterals;

namespace {

// Room for the widest label, "01-05 12:00", and a gap.
constexpr int minTickSpacingPx = 80;
// What the axis' text item adds on each side of its text (QTextDocument's default margin).
constexpr qreal labelMarginPx = 4;

} // namespace

BucketChartView::BucketChartView(QWidget *parent)
    : QChartView(new QChart, parent), m_timeAxis(new QCategoryAxis), m_marker(new QGraphicsLineItem)
{
    setRenderHint(QPainter::Antialiasing, false); // step shapes are all straight edges
    setRubberBand(QChartView::NoRubberBand);
    chart()->setAnimationOptions(QChart::NoAnimation);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    chart()->layout()->setContentsMargins(0, 0, 0, 0);
    chart()->setBackgroundRoundness(0);

    m_timeAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_timeAxis->setTruncateLabels(false);
    chart()->addAxis(m_timeAxis, Qt::AlignBottom);

    m_marker->setPen(QPen(QColor(0x20, 0x20, 0x20), 2));
    m_marker->setZValue(100); // above series and grid
    m_marker->setVisible(false);
    chart()->scene()->addItem(m_marker);

    connect(chart(), &QChart::plotAreaChanged, this, [this] {
        if (int(chart()->plotArea().width()) != m_tickWidthPx)
            updateSeries(); // a chart may draw less detail than its data has pixels for
        updateTicks();
        placeMarker();
    });
}

void BucketChartView::setData(const ChartBuckets &data)
{
    m_data = data;
    // The old range's ticks go now, not when a plot width next allows new ones: kept while
    // the view is hidden or empty, they would sit outside the new range, where the axis pins
    // their labels to its ends, on top of each other.
    clearTicks();
    if (!m_data.isEmpty()) {
        // Set the range before the series so that replace() draws once, in the new domain.
        m_timeAxis->setRange(qreal(m_data.startMs()), qreal(m_data.endMs()));
        // Only an axis without categories takes a new start value; with categories left it
        // would keep the old one for the first of the new.
        m_timeAxis->setStartValue(qreal(m_data.startMs()));
    }
    updateSeries();
    updateTicks();
    placeMarker();
}

void BucketChartView::setPlayhead(qint64 ms)
{
    m_playheadMs = ms;
    placeMarker();
}

QPointF BucketChartView::valueAt(const QPoint &viewportPos) const
{
    return chart()->mapToValue(chart()->mapFromScene(mapToScene(viewportPos)));
}

qreal BucketChartView::xAt(qint64 ms) const
{
    const QPointF inChart = chart()->mapToPosition(QPointF(qreal(ms), 0));
    return mapFromScene(chart()->mapToScene(inChart)).x();
}

void BucketChartView::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const bool inPlot = chart()->plotArea().contains(chart()->mapFromScene(scenePos));
    const QString text =
        inPlot ? hoverText(qint64(valueAt(event->position().toPoint()).x())) : QString();
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, viewport());
}

QSize BucketChartView::sizeHint() const
{
    return QSize(400, 240);
}

void BucketChartView::clearTicks()
{
    const QStringList old = m_timeAxis->categoriesLabels();
    for (const QString &label : old)
        m_timeAxis->remove(label);
    m_tickWidthPx = -1;
}

void BucketChartView::updateTicks()
{
    const int width = int(chart()->plotArea().width());
    if (m_data.isEmpty() || width <= 0 || width == m_tickWidthPx)
        return;
    clearTicks();
    m_tickWidthPx = width;

    const TimeScale scale{m_data.startMs(), m_data.endMs(), width};
    const QFontMetricsF metrics(m_timeAxis->labelsFont());
    QSet<QString> used;
    for (const TimeScale::Tick &tick : scale.ticks(minTickSpacingPx)) {
        // The axis keys categories by label; a time of day seen on an earlier day gets the
        // date it would otherwise leave implicit, so that no tick is dropped.
        QString label = tick.label;
        if (used.contains(label))
            label = QDateTime::fromMSecsSinceEpoch(tick.ms, Qt::UTC).toString(u"MM-dd "_s) % label;
        // The axis centres a label on its tick and draws it whole even where it reaches past
        // an end of the plot, cut off by the view or over the value axis' labels there; such
        // a tick goes.
        const qreal half = metrics.horizontalAdvance(label) / 2 + labelMarginPx;
        const double x = scale.toPixel(tick.ms);
        if (x < half || x > width - half)
            continue;
        used.insert(label);
        m_timeAxis->append(label, qreal(tick.ms));
    }
}

void BucketChartView::placeMarker()
{
    const bool inRange = m_playheadMs != NoTime && !m_data.isEmpty() &&
                         m_playheadMs >= m_data.startMs() && m_playheadMs <= m_data.endMs() &&
                         !chart()->series().isEmpty();
    m_marker->setVisible(inRange);
    if (!inRange)
        return;
    const QRectF plot = chart()->plotArea();
    const qreal x = chart()->mapToPosition(QPointF(qreal(m_playheadMs), 0)).x();
    const QPointF top = chart()->mapToScene(QPointF(x, plot.top()));
    const QPointF bottom = chart()->mapToScene(QPointF(x, plot.bottom()));
    m_marker->setLine(QLineF(top, bottom));
}

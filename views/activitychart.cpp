#include "activitychart.h"

#include "elidedtext.h"

#include "niceaxis.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QGraphicsRectItem>
#include <QLineSeries>
#include <QMouseEvent>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace {

// A press and release closer than this is a click, not a selection.
constexpr int minDragPx = 4;
// Narrowest step drawn; denser buckets are shown by their peaks.
constexpr qreal minColumnPx = 2;

} // namespace

ActivityChart::ActivityChart(QWidget *parent)
    : BucketChartView(parent), m_countAxis(new QValueAxis), m_band(new QGraphicsRectItem)
{
    m_countAxis->setLabelFormat(u"%.0f"_s);
    chart()->addAxis(m_countAxis, Qt::AlignLeft);
    chart()->legend()->setAlignment(Qt::AlignRight);

    m_band->setPen(QPen(QColor(0x30, 0x60, 0xa0), 1));
    m_band->setBrush(QColor(0x30, 0x60, 0xa0, 0x40));
    m_band->setZValue(90);
    m_band->setVisible(false);
    chart()->scene()->addItem(m_band);
}

void ActivityChart::setPalette(const TypePalette &palette)
{
    m_palette = palette;
    applyColors();
}

QString ActivityChart::hoverText(qint64 ms) const
{
    return data().activityText(ms);
}

QAreaSeries *ActivityChart::areaSeries(const QString &type) const
{
    for (const Layer &layer : m_layers) {
        if (layer.type == type)
            return layer.area;
    }
    return nullptr;
}

void ActivityChart::updateSeries()
{
    const ChartBuckets &d = data();
    bool sameTypes = d.types().size() == m_layers.size();
    for (qsizetype i = 0; sameTypes && i < m_layers.size(); ++i)
        sameTypes = m_layers.at(i).type == d.types().at(i);
    if (!sameTypes)
        rebuildLayers();

    // Layers follow every type of the data, so the legend does not change with the width.
    const ChartBuckets shown =
        d.peaks(int(chart()->plotArea().width() / minColumnPx), ChartBuckets::Peak::Events);
    const qsizetype n = shown.buckets().size();
    QVector<qint64> running(n, 0);
    for (const Layer &layer : std::as_const(m_layers)) {
        const int t = int(shown.types().indexOf(layer.type));
        for (qsizetype i = 0; t >= 0 && i < n; ++i)
            running[i] += shown.counts(t).at(i);
        layer.upper->replace(shown.steps(running, false));
    }
    const NiceAxis nice = NiceAxis::forMaximum(d.maxEvents());
    m_countAxis->setRange(0, nice.maximum);
    m_countAxis->setTickCount(nice.tickCount);
}

void ActivityChart::rebuildLayers()
{
    // The area is the chart's; its boundary line is not, so it goes with it.
    for (const Layer &layer : std::as_const(m_layers)) {
        chart()->removeSeries(layer.area);
        delete layer.area;
        delete layer.upper;
    }
    m_layers.clear();
    for (const QString &type : data().types()) {
        auto *upper = new QLineSeries(this);
        m_layers.append(Layer{type, new QAreaSeries(upper), upper});
    }
    // Each area reaches down to zero and the chart paints later series over earlier ones, so
    // adding the top of the stack first shows every type between its two running sums.
    // Lower series would only repeat the running sum of the layer below, a second list of
    // points per type to keep in step.
    for (auto it = m_layers.crbegin(); it != m_layers.crend(); ++it) {
        it->area->setName(elidedName(it->type));
        chart()->addSeries(it->area);
        it->area->attachAxis(timeAxis());
        it->area->attachAxis(m_countAxis);
    }
    applyColors();
}

void ActivityChart::applyColors()
{
    for (const Layer &layer : std::as_const(m_layers)) {
        // No outline: with buckets a pixel or two wide, outlines of the step edges would
        // cover the fill and muddy the colours that must match the timeline.
        layer.area->setBrush(m_palette.color(layer.type));
        layer.area->setPen(Qt::NoPen);
    }
}

void ActivityChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || data().isEmpty()) {
        BucketChartView::mousePressEvent(event);
        return;
    }
    m_pressX = event->position().toPoint().x();
    updateBand(m_pressX);
    m_band->setVisible(true);
    event->accept();
}

void ActivityChart::mouseMoveEvent(QMouseEvent *event)
{
    if (m_pressX >= 0)
        updateBand(event->position().toPoint().x());
    BucketChartView::mouseMoveEvent(event);
}

void ActivityChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_pressX < 0 || event->button() != Qt::LeftButton) {
        BucketChartView::mouseReleaseEvent(event);
        return;
    }
    const int pressX = std::exchange(m_pressX, -1);
    const int releaseX = event->position().toPoint().x();
    m_band->setVisible(false);
    event->accept();
    if (qAbs(releaseX - pressX) < minDragPx)
        return;
    const int y = event->position().toPoint().y();
    const qint64 a = qint64(valueAt(QPoint(pressX, y)).x());
    const qint64 b = qint64(valueAt(QPoint(releaseX, y)).x());
    const ChartBuckets &d = data();
    // Whole buckets only: the counts cannot say what happened inside one.
    const qint64 from = qBound(d.startMs(), d.snapDown(qMin(a, b)), d.endMs());
    const qint64 to = qBound(d.startMs(), d.snapUp(qMax(a, b)), d.endMs());
    if (to > from)
        emit rangeSelected(from, to);
}

void ActivityChart::updateBand(int toX)
{
    const QRectF plot = chart()->plotArea();
    const QPointF a = chart()->mapFromScene(mapToScene(QPoint(m_pressX, 0)));
    const QPointF b = chart()->mapFromScene(mapToScene(QPoint(toX, 0)));
    const qreal left = qBound(plot.left(), qMin(a.x(), b.x()), plot.right());
    const qreal right = qBound(plot.left(), qMax(a.x(), b.x()), plot.right());
    m_band->setRect(chart()->mapRectToScene(QRectF(left, plot.top(), right - left, plot.height())));
}

#pragma once

// What the activity and click charts share: a QChart over a UTC time axis whose ticks follow
// the timeline's TimeScale, the playhead marker line, and a tooltip naming the bucket under
// the mouse. QDateTimeAxis is not used because Qt 6.4 labels it in local time with ticks
// at arbitrary instants; the timeline and the rest of Eventscope speak UTC at round times.

#include "chartbuckets.h"

#include <QChartView>

class QCategoryAxis;
class QGraphicsLineItem;

class BucketChartView : public QChartView
{
    Q_OBJECT

public:
    explicit BucketChartView(QWidget *parent = nullptr);

    void setData(const ChartBuckets &data);
    const ChartBuckets &data() const { return m_data; }

    // NoTime or a time outside the buckets hides the marker. Moves one line item, nothing else.
    void setPlayhead(qint64 ms);
    const QGraphicsLineItem *playheadMarker() const { return m_marker; }
    QCategoryAxis *timeAxis() const { return m_timeAxis; }

    // Chart value (x = ms) under a point of the viewport.
    QPointF valueAt(const QPoint &viewportPos) const;
    // Viewport x of a time; the charts share one mapping along x.
    qreal xAt(qint64 ms) const;

    virtual QString hoverText(qint64 ms) const = 0;

    // A fixed hint: QGraphicsView's follows the scene, i.e. whatever size the chart last had,
    // and a splitter shares its space by the hints it sees first, so a chart laid out before
    // it had data kept a sliver.
    QSize sizeHint() const override;

protected:
    // Called after the data or the plot width changed: bring the series up to date with
    // replace().
    virtual void updateSeries() = 0;

    void mouseMoveEvent(QMouseEvent *event) override;

private:
    void clearTicks();
    void updateTicks();
    void placeMarker();

    ChartBuckets m_data;
    QCategoryAxis *m_timeAxis;
    QGraphicsLineItem *m_marker;
    qint64 m_playheadMs = NoTime;
    int m_tickWidthPx = -1; // plot width the ticks were made for
};

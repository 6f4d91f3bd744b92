#pragma once

// Events per bucket stacked by type: one QAreaSeries per type over a step-shaped line series,
// the running sum of the types up to and including it, coloured from the TypePalette; the
// areas of the types below it cover its lower part. A horizontal drag selects a time range,
// snapped to bucket edges.

#include "bucketchartview.h"
#include "typepalette.h"

class QAreaSeries;
class QGraphicsRectItem;
class QLineSeries;
class QValueAxis;

class ActivityChart : public BucketChartView
{
    Q_OBJECT

public:
    explicit ActivityChart(QWidget *parent = nullptr);

    void setPalette(const TypePalette &palette);
    QString hoverText(qint64 ms) const override;

    QAreaSeries *areaSeries(const QString &type) const; // nullptr for a type not charted
    const QGraphicsRectItem *selectionBand() const { return m_band; }

signals:
    void rangeSelected(qint64 fromMs, qint64 toMs);

protected:
    void updateSeries() override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    struct Layer
    {
        QString type;
        QAreaSeries *area = nullptr;
        QLineSeries *upper = nullptr; // running sum up to this type
    };

    void rebuildLayers();
    void applyColors();
    void updateBand(int toX);

    TypePalette m_palette;
    QVector<Layer> m_layers;
    QValueAxis *m_countAxis;
    QGraphicsRectItem *m_band;
    int m_pressX = -1; // viewport x where a drag started, -1 when none
};

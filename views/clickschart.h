#pragma once

// Clicks per bucket as a step-shaped area on the left axis, and the running click total as a
// step line on a right-hand axis, so the marker's crossing with it reads as "clicks so far".

#include "bucketchartview.h"

class QAreaSeries;
class QLineSeries;
class QValueAxis;

class ClicksChart : public BucketChartView
{
    Q_OBJECT

public:
    explicit ClicksChart(QWidget *parent = nullptr);

    void setColor(const QColor &color);
    QString hoverText(qint64 ms) const override;

    QLineSeries *perBucketSeries() const { return m_perBucket; }
    QLineSeries *runningSeries() const { return m_running; }

protected:
    void updateSeries() override;

private:
    QLineSeries *m_perBucket;
    QAreaSeries *m_perBucketArea;
    QLineSeries *m_running;
    QValueAxis *m_perBucketAxis;
    QValueAxis *m_runningAxis;
};

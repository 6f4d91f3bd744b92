#include "clickschart.h"

#include "niceaxis.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QLineSeries>
#include <QValueAxis>

using namespace Qt::StringLiterals;

ClicksChart::ClicksChart(QWidget *parent)
    : BucketChartView(parent), m_perBucket(new QLineSeries(this)),
      m_perBucketArea(new QAreaSeries(m_perBucket)), m_running(new QLineSeries),
      m_perBucketAxis(new QValueAxis), m_runningAxis(new QValueAxis)
{
    m_perBucketArea->setName(tr("Clicks per bucket"));
    m_running->setName(tr("Clicks so far"));
    m_running->setPen(QPen(QColor(0x33, 0x33, 0x33), 2));

    m_perBucketAxis->setLabelFormat(u"%.0f"_s);
    m_runningAxis->setLabelFormat(u"%.0f"_s);
    // Two scales on one plot: grid lines from the left axis only, or they would not line up.
    m_runningAxis->setGridLineVisible(false);
    chart()->addAxis(m_perBucketAxis, Qt::AlignLeft);
    chart()->addAxis(m_runningAxis, Qt::AlignRight);

    chart()->addSeries(m_perBucketArea);
    m_perBucketArea->attachAxis(timeAxis());
    m_perBucketArea->attachAxis(m_perBucketAxis);
    chart()->addSeries(m_running);
    m_running->attachAxis(timeAxis());
    m_running->attachAxis(m_runningAxis);
    chart()->legend()->setAlignment(Qt::AlignTop);

    setColor(QColor(0x4e, 0x79, 0xa7));
}

void ClicksChart::setColor(const QColor &color)
{
    // Lighter than the type's colour, so the running-total line stays the thing that stands
    // out; no outline, for the same reason as in the activity chart.
    m_perBucketArea->setBrush(color.lighter(130));
    m_perBucketArea->setPen(Qt::NoPen);
}

QString ClicksChart::hoverText(qint64 ms) const
{
    return data().clicksText(ms);
}

void ClicksChart::updateSeries()
{
    const ChartBuckets &d = data();
    // Per bucket, the busiest of neighbours narrower than two pixels (see ChartBuckets::peaks);
    // the running total stays exact, it has no noise to hide.
    const ChartBuckets shown =
        d.peaks(int(chart()->plotArea().width() / 2), ChartBuckets::Peak::Clicks);
    m_perBucket->replace(shown.steps(shown.clicks(), false));
    m_running->replace(d.steps(d.runningClicks(), true));
    qint64 most = 0;
    for (qint64 n : d.clicks())
        most = qMax(most, n);
    const NiceAxis left = NiceAxis::forMaximum(most);
    m_perBucketAxis->setRange(0, left.maximum);
    m_perBucketAxis->setTickCount(left.tickCount);
    const NiceAxis right = NiceAxis::forMaximum(d.totalClicks());
    m_runningAxis->setRange(0, right.maximum);
    m_runningAxis->setTickCount(right.tickCount);
}

#include "activitycharts.h"

#include "elidedtext.h"

#include "activitychart.h"
#include "clickschart.h"
#include "decoding/timecodec.h"

#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

ActivityCharts::ActivityCharts(QWidget *parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)),
      m_emptyLabel(new QLabel(tr("No events with a time to chart"))), m_activity(new ActivityChart),
      m_clicks(new ClicksChart), m_clicksLabel(new QLabel)
{
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setEnabled(false); // greyed, as placeholder text is

    auto *clicksPane = new QWidget;
    auto *clicksLayout = new QVBoxLayout(clicksPane);
    clicksLayout->setContentsMargins(0, 0, 0, 0);
    clicksLayout->setSpacing(2);
    m_clicksLabel->setContentsMargins(6, 2, 6, 0);
    clicksLayout->addWidget(m_clicksLabel);
    clicksLayout->addWidget(m_clicks, 1);

    // Side by side: the charts dock is wide and short, and each chart needs height to read.
    // Each plot keeps the width its own layout gives it: side by side, no x of one chart
    // corresponds to an x of the other, so there is nothing to align.
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_activity);
    splitter->addWidget(clicksPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(splitter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_activity, &ActivityChart::rangeSelected, this, &ActivityCharts::rangeSelected);
    updateTitles();
    updateClicksLabel();
}

void ActivityCharts::setPalette(const TypePalette &palette)
{
    m_palette = palette;
    m_activity->setPalette(palette);
    const QStringList clicks = m_data.clickTypes();
    // One click type: its own colour, so it reads as the same events as above.
    m_clicks->setColor(clicks.size() == 1 ? palette.color(clicks.constFirst())
                                          : QColor(0x4e, 0x79, 0xa7));
}

void ActivityCharts::setBuckets(const QVector<Bucket> &buckets, qint64 bucketMs,
                                const QMap<QString, qint64> &earlier)
{
    m_buckets = buckets;
    m_bucketMs = bucketMs;
    m_earlier = earlier;
    const QStringList before = m_data.clickTypes();
    updateData();
    m_activity->setData(m_data);
    if (m_data.clickTypes() != before)
        clickTypesHaveChanged();
}

void ActivityCharts::setClickTypes(const QStringList &types)
{
    if (types == m_clickTypesOverride)
        return;
    m_clickTypesOverride = types;
    const QStringList before = m_data.clickTypes();
    updateData();
    if (m_data.clickTypes() != before)
        clickTypesHaveChanged();
}

// The exact count was of the old types.
void ActivityCharts::clickTypesHaveChanged()
{
    forgetClickCount();
    emit clickTypesChanged();
}

QStringList ActivityCharts::clickTypes() const
{
    return m_data.clickTypes();
}

void ActivityCharts::setPlayhead(qint64 ms)
{
    m_playheadMs = ms;
    m_activity->setPlayhead(ms);
    m_clicks->setPlayhead(ms);
    updateClicksLabel();
}

void ActivityCharts::setClickCount(qint64 ms, qint64 count)
{
    m_countMs = ms;
    m_count = count;
    updateClicksLabel();
}

void ActivityCharts::clickCountFailed()
{
    setClickCount(m_playheadMs, -1);
}

void ActivityCharts::forgetClickCount()
{
    m_countMs = NoTime;
    updateClicksLabel();
}

qint64 ActivityCharts::clicksUpTo(qint64 ms) const
{
    return m_data.clicksUpTo(ms);
}

void ActivityCharts::setTitleSuffix(const QString &scope)
{
    m_scope = scope;
    updateTitles();
}

int ActivityCharts::bucketAt(qint64 ms) const
{
    return m_data.indexAt(ms);
}

QString ActivityCharts::hoverText(const QPointF &chartValue) const
{
    return m_data.activityText(qint64(chartValue.x()));
}

QString ActivityCharts::clicksHoverText(const QPointF &chartValue) const
{
    return m_data.clicksText(qint64(chartValue.x()));
}

QString ActivityCharts::clicksLabelText() const
{
    return m_clicksLabel->text();
}

bool ActivityCharts::isShowingEmptyMessage() const
{
    return m_stack->currentWidget() == m_emptyLabel;
}

// Rebuilds the numbers and the clicks chart; the caller decides whether the activity chart
// needs them too (a new click type list changes nothing there).
void ActivityCharts::updateData()
{
    m_data = ChartBuckets(m_buckets, m_bucketMs, m_clickTypesOverride, m_earlier);
    m_clicks->setData(m_data);
    setPalette(m_palette);
    m_stack->setCurrentIndex(m_data.isEmpty() ? 0 : 1);
    updateTitles();
    updateClicksLabel();
}

void ActivityCharts::updateTitles()
{
    const QString suffix = m_scope.isEmpty() ? QString() : u" \u2014 "_s % m_scope;
    m_activity->chart()->setTitle(tr("Events per bucket") % suffix);
    const QStringList types = m_data.clickTypes();
    QStringList names;
    for (const QString &type : types)
        names << elidedName(type);
    const QString which = types.isEmpty() ? tr("no click types") : names.join(u", "_s);
    m_clicks->chart()->setTitle(tr("Clicks (%1)").arg(which) % suffix);
}

void ActivityCharts::updateClicksLabel()
{
    if (m_playheadMs == NoTime) {
        const qint64 n = m_data.totalClicks();
        m_clicksLabel->setText(n == 1 ? tr("1 click in total") : tr("%1 clicks in total").arg(n));
        return;
    }
    const QString time = TimeCodec::format(m_playheadMs);
    // Never the buckets' running total: it counts the playhead's whole bucket, and stops at
    // the charted range.
    if (m_countMs != m_playheadMs) {
        m_clicksLabel->setText(tr("Counting clicks up to %1\u2026").arg(time));
        return;
    }
    if (m_count < 0) {
        m_clicksLabel->setText(tr("The clicks up to %1 could not be counted").arg(time));
        return;
    }
    const QString text =
        m_count == 1 ? tr("1 click up to %1") : tr("%1 clicks up to %2").arg(m_count);
    m_clicksLabel->setText(text.arg(time));
}

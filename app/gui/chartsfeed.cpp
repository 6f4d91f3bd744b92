#include "chartsfeed.h"

#include "activitycharts.h"
#include "elidedtext.h"
#include "session/storesession.h"
#include "store/eventstore.h"
#include "timelineview.h"
#include "typepalette.h"
#include "visiblebuckets.h"

#include <QMenu>

using namespace Qt::StringLiterals;

ChartsFeed::ChartsFeed(StoreSession *session, TimelineView *timeline, ActivityCharts *charts,
                       QWidget *window)
    : QObject(window), m_session(session), m_timeline(timeline), m_charts(charts),
      m_clickMenu(new QMenu(tr("&Click Types"), window))
{
    m_clickMenu->setObjectName(u"clickTypesMenu"_s);
    m_clickMenu->setToolTip(tr("The event types the clicks chart counts"));
    m_rangeDelay.setSingleShot(true);
    m_rangeDelay.setInterval(200);
    m_rangeDelay.callOnTimeout(this, &ChartsFeed::onVisibleRangeChanged);
    connect(m_timeline, &TimelineView::visibleRangeChanged, this, [this] { m_rangeDelay.start(); });
    connect(m_session, &StoreSession::bucketsReady, this, &ChartsFeed::onBucketsReady);
    connect(m_session, &StoreSession::countedUpTo, m_charts, &ActivityCharts::setClickCount);
    // Queued: the menu is rebuilt, and an action must not be deleted in its own signal.
    connect(m_charts, &ActivityCharts::clickTypesChanged, this, &ChartsFeed::updateClickMenu,
            Qt::QueuedConnection);
    connect(m_charts, &ActivityCharts::clickTypesChanged, this, &ChartsFeed::requestClickCount);
}

void ChartsFeed::open(const StoreSummary &summary, const TypePalette &palette)
{
    m_open = true;
    m_timed = summary.firstTimeMs != NoTime;
    setPalette(palette);
    m_charts->setClickTypes({});
    m_charts->setTitleSuffix(tr("whole store"));
}

void ChartsFeed::close()
{
    m_open = false;
    m_stream.clear();
    m_buckets.clear();
    m_charts->setTitleSuffix(QString());
    m_charts->setBuckets({}, EventStore::bucketMs(BucketSize::Day));
}

void ChartsFeed::setPalette(const TypePalette &palette)
{
    m_types = palette.types();
    m_charts->setPalette(palette);
}

void ChartsFeed::setStream(const QString &stream)
{
    m_stream = stream;
    requestBuckets();
    requestClickCount();
    m_charts->setTitleSuffix(stream.isEmpty() ? tr("whole store")
                                              : tr("stream %1").arg(elidedName(stream)));
}

void ChartsFeed::requestBuckets()
{
    if (!m_open || !m_timed)
        return;
    m_bucketSize = bucketSizeFor(m_timeline->scale().spanMs());
    BucketFilter filter;
    filter.stream = m_stream;
    m_session->requestBuckets(m_bucketSize, filter);
}

void ChartsFeed::setPlayhead(qint64 ms)
{
    m_charts->setPlayhead(ms);
    requestClickCount();
}

// The charts' "N clicks up to T", counted exactly on the worker for the charts' scope and
// click types; every request replaces the one before, so a moving playhead is counted once
// it rests.
void ChartsFeed::requestClickCount()
{
    m_charts->forgetClickCount();
    const qint64 ms = m_charts->playhead();
    if (m_open && ms != NoTime)
        m_session->requestCountUpTo(m_stream, m_charts->clickTypes(), ms);
}

void ChartsFeed::onBucketsReady(const QVector<Bucket> &buckets, BucketSize size)
{
    m_buckets = buckets;
    m_bucketSize = size;
    showVisibleBuckets();
}

// Only the buckets in the timeline's visible range: the charts follow its zoom.
void ChartsFeed::showVisibleBuckets()
{
    const TimeScale scale = m_timeline->scale();
    const qint64 width = EventStore::bucketMs(m_bucketSize);
    const VisibleBuckets visible = visibleBuckets(m_buckets, width, scale.startMs, scale.endMs);
    m_charts->setBuckets(visible.buckets, width, visible.earlier);
}

void ChartsFeed::onVisibleRangeChanged()
{
    if (bucketSizeFor(m_timeline->scale().spanMs()) != m_bucketSize)
        requestBuckets();
    else
        showVisibleBuckets();
    emit rangeShown();
}

// Which types the clicks chart counts: by default those with "click" in their name.
void ChartsFeed::updateClickMenu()
{
    m_clickMenu->clear();
    const QStringList counted = m_charts->clickTypes();
    for (const QString &type : std::as_const(m_types)) {
        QAction *a = m_clickMenu->addAction(elidedName(type));
        a->setData(type);
        a->setCheckable(true);
        a->setChecked(counted.contains(type));
        connect(a, &QAction::toggled, this, [this] {
            QStringList types;
            const auto actions = m_clickMenu->actions();
            for (QAction *action : actions) {
                if (action->isChecked())
                    types << action->data().toString();
            }
            m_charts->setClickTypes(types);
        });
    }
    m_clickMenu->setEnabled(!m_types.isEmpty());
}

#pragma once

// What the activity and clicks charts show, asked of the session: buckets of a size that
// suits the timeline's visible span, cut to the visible range as the timeline zooms and pans
// (after a short pause), for the whole store or the selected stream; the exact count of
// clicks up to the playhead; and View ▸ Click Types, the types that count as clicks.

#include "core/event.h"

#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QVector>

class ActivityCharts;
class QMenu;
class QWidget;
class StoreSession;
class TimelineView;
class TypePalette;

class ChartsFeed : public QObject
{
    Q_OBJECT

public:
    // window: the parent of the Click Types menu.
    ChartsFeed(StoreSession *session, TimelineView *timeline, ActivityCharts *charts,
               QWidget *window);

    QMenu *clickMenu() const { return m_clickMenu; }
    bool isWaiting() const { return m_rangeDelay.isActive(); } // for the timeline to rest

    // A store opened (its types coloured by palette, clicks found by name) or closed.
    void open(const StoreSummary &summary, const TypePalette &palette);
    void close();
    void setPalette(const TypePalette &palette); // the exact summary's types
    void setStream(const QString &stream);       // empty: the whole store
    void requestBuckets();
    void setPlayhead(qint64 ms);

signals:
    void rangeShown(); // the charts follow the timeline's visible range again

private:
    void requestClickCount();
    void onBucketsReady(const QVector<Bucket> &buckets, BucketSize size);
    void showVisibleBuckets();
    void onVisibleRangeChanged();
    void updateClickMenu();

    StoreSession *m_session;
    TimelineView *m_timeline;
    ActivityCharts *m_charts;
    QMenu *m_clickMenu;
    QTimer m_rangeDelay;
    bool m_open = false;  // a store is open
    bool m_timed = false; // and it has times to bucket
    QString m_stream;
    QStringList m_types; // the palette's
    QVector<Bucket> m_buckets;
    BucketSize m_bucketSize = BucketSize::Day;
};

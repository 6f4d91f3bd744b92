#pragma once

// The charts dock: activity per bucket stacked by event type beside clicks per bucket with
// their running total, a label "N clicks up to <time>" at the playhead, and a message instead
// of empty axes when nothing has a time. The window feeds it pre-bucketed counts; it never
// reads the store itself.

#include "chartbuckets.h"
#include "typepalette.h"

#include <QWidget>

class ActivityChart;
class ClicksChart;
class QLabel;
class QStackedWidget;

class ActivityCharts : public QWidget
{
    Q_OBJECT

public:
    explicit ActivityCharts(QWidget *parent = nullptr);

    void setPalette(const TypePalette &palette);
    // buckets from EventStore::buckets, ascending; bucketMs from EventStore::bucketMs.
    // earlier: events per type before the first bucket, when the buckets are a zoomed-in
    // range, so that the running click count starts from the beginning.
    void setBuckets(const QVector<Bucket> &buckets, qint64 bucketMs,
                    const QMap<QString, qint64> &earlier = {});
    void setClickTypes(const QStringList &types); // empty = automatic ("click" in the name)
    QStringList clickTypes() const;               // the effective list
    void setPlayhead(qint64 ms);                  // NoTime hides the marker
    qint64 playhead() const { return m_playheadMs; }
    // The label's "N clicks up to T": the exact count of the click types' events of the
    // charts' scope with a time at or before ms (EventStore::countUpTo), which buckets cannot
    // give inside a bucket or past the charted range. Until it arrives for the playhead, and
    // after the click types change or forgetClickCount(), the label says it is counting.
    void setClickCount(qint64 ms, qint64 count);
    void forgetClickCount(); // e.g. the scope changed
    void clickCountFailed(); // for the playhead: the label says so instead of counting on
    // The running total the clicks chart draws at ms: the clicks in the buckets starting at
    // or before ms, the bucket under ms whole. Not the label's exact count.
    qint64 clicksUpTo(qint64 ms) const;        // -1: before the charted range (see ChartBuckets)
    void setTitleSuffix(const QString &scope); // e.g. "whole store" or "stream user-7"

    // Hover texts, exposed so that they can be tested: chartValue.x() is a time in ms.
    int bucketAt(qint64 ms) const;                            // index into the buckets, -1 for none
    QString hoverText(const QPointF &chartValue) const;       // activity chart
    QString clicksHoverText(const QPointF &chartValue) const; // clicks chart

    ActivityChart *activityChart() const { return m_activity; }
    ClicksChart *clicksChart() const { return m_clicks; }
    QString clicksLabelText() const;
    bool isShowingEmptyMessage() const;

signals:
    void rangeSelected(qint64 fromMs, qint64 toMs);
    void clickTypesChanged();

private:
    void updateData();
    void updateTitles();
    void updateClicksLabel();
    void clickTypesHaveChanged();

    QStackedWidget *m_stack;
    QLabel *m_emptyLabel;
    ActivityChart *m_activity;
    ClicksChart *m_clicks;
    QLabel *m_clicksLabel;

    TypePalette m_palette;
    QVector<Bucket> m_buckets;
    QMap<QString, qint64> m_earlier; // events per type before m_buckets
    qint64 m_bucketMs = 1;
    QStringList m_clickTypesOverride;
    ChartBuckets m_data;
    qint64 m_playheadMs = NoTime;
    qint64 m_countMs = NoTime; // the time m_count is exact for; NoTime: none
    qint64 m_count = 0;        // -1: counting failed
    QString m_scope;
};

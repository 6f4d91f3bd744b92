#pragma once

// The timeline: one horizontal lane per stream with its events as marks coloured by type, a
// time axis on top and a playhead. The window feeds it plain vectors (no database access
// here). Painting is level-of-detail so that lanes of millions of events stay smooth: only
// the visible time window is looked at, sparse lanes get one mark per event (at most one per
// pixel column), dense lanes a density strip per pixel column. The stored snapshots of one
// stream are amber ticks in its lane, behind its events.

#include "core/event.h"
#include "timescale.h"
#include "typepalette.h"

#include <QColor>
#include <QElapsedTimer>
#include <QImage>
#include <QMap>
#include <QPair>
#include <QRect>
#include <QString>
#include <QVector>
#include <QWidget>

#include <optional>

// The events of one stream as the timeline draws them: parallel vectors, one entry per event.
struct TimelineLane
{
    QString stream;
    QVector<qint64> times;  // ms since the epoch, UTC, ascending; never NoTime
    QVector<quint16> types; // index into the palette's types()
    QVector<qint64> versions;
    QVector<qint64> positions;
};

// A finding to point at on the timeline: a search's hit, an integrity problem, a field's
// change.
struct TimelineMark
{
    QString stream;         // its lane, when the stream has one shown
    qint64 timeMs = NoTime; // NoTime: not drawn
};

class TimelineView : public QWidget
{
    Q_OBJECT

public:
    struct Hit
    {
        int lane = -1;
        int index = -1; // into the lane's vectors
        QString stream;
        QString type;
        qint64 timeMs = 0;
        qint64 version = 0;
        qint64 position = 0;
    };

    // What the last paint event drew, for tests: the level of detail must hold for any size.
    struct PaintStats
    {
        int sparseMarks = 0;     // single marks, all lanes
        int densityColumns = 0;  // density bars, all lanes
        int denseLanes = 0;      // lanes drawn as a density strip
        int maxMarksPerLane = 0; // marks or bars in the busiest lane
        int paintNumber = 0;     // counts paint events, so that a test can wait for one
    };

    static constexpr int LabelWidth = 140;          // the lane label column; the rest is time
    static constexpr double ZoomFactor = 2;         // keys, zoomIn() and zoomOut()
    static constexpr double WheelZoomFactor = 1.25; // per wheel notch
    static constexpr int HitTolerancePx = 4;

    explicit TimelineView(QWidget *parent = nullptr);

    using QWidget::setPalette; // the widget's colours (text, backgrounds) stay settable
    void setPalette(const TypePalette &palette);
    void setLanes(const QVector<TimelineLane> &lanes); // the first lane is the selected stream
    void setFullRange(qint64 startMs, qint64 endMs);
    void setVisibleRange(qint64 startMs, qint64 endMs);
    TimeScale scale() const;     // the visible range over the width of the time area
    void setPlayhead(qint64 ms); // NoTime hides it
    qint64 playhead() const { return m_playheadMs; }
    void setSelectedEvent(qint64 position); // -1: none
    qint64 selectedEvent() const { return m_selectedPosition; }
    void setEmptyText(const QString &text);
    // Until the lanes arrive: the whole store's events per equal slice of [startMs, endMs]
    // (StoreSummary::density), drawn as one "All events" lane. Empty clears it.
    void setOverview(const QVector<qint64> &density, qint64 startMs, qint64 endMs);
    // The snapshots a library stored for one stream; an empty stream clears them.
    void setSnapshots(const QString &stream, const QVector<StoredSnapshot> &snapshots);
    // Findings of one kind (`set` names it: "search", "check", "history"), drawn in `color`
    // over the lanes: a line through the stream's lane when it has one, and a notch under
    // the axis for every mark, so that marks of streams without a lane show too. At most one
    // per pixel column is drawn. An empty vector clears the set.
    void setMarks(const QString &set, const QVector<TimelineMark> &marks, const QColor &color);
    int markCount(const QString &set) const { return m_marks.value(set).marks.size(); }
    // The snapshot tick under a point (an index into those given), -1 when none is.
    int snapshotAt(QPoint pos) const;
    QRect snapshotRect(int snapshot) const;

    // The mark under a point, within HitTolerancePx; the nearest one when several are.
    std::optional<Hit> hitTest(QPoint pos) const;
    QRect timeArea() const;         // where marks are drawn, all lanes
    QRect laneRect(int lane) const; // one lane, label column included
    int xForTime(qint64 ms) const;  // the pixel column of a time
    PaintStats paintStats() const { return m_stats; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    void zoomBack(); // undoes the last zoom, pan or reset

signals:
    void eventClicked(const QString &stream, qint64 position, qint64 version);
    void snapshotClicked(const QString &stream, qint64 version); // where no event is
    void visibleRangeChanged(qint64 startMs, qint64 endMs);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    enum class Drag { None, PendingPan, Pan, PendingBand, Band };

    void paintRect(QPainter &p, const QRect &rect);
    void paintAxis(QPainter &p, const QRect &rect, const QVector<TimeScale::Tick> &ticks);
    void paintLane(QPainter &p, const QRect &rect, int index);
    int paintSparse(QPainter &p, const TimelineLane &lane, const TimeScale &s, int centerY,
                    qsizetype from, qsizetype to);
    int paintDensity(QPainter &p, const TimelineLane &lane, const QVector<qint64> &skips,
                     const TimeScale &s, const QRect &laneRect, int firstCol, int lastCol);
    // The diamond of a sparse mark of one type, ready to stamp; made on first use.
    const QImage &markStamp(quint16 type, qreal dpr);
    void paintSnapshots(QPainter &p, const QRect &laneRect, const TimeScale &s);
    void paintOverview(QPainter &p, const QRect &rect);
    void paintMarks(QPainter &p);
    int laneOf(const QString &stream) const; // -1 when it has none
    QString snapshotToolTip(int snapshot) const;
    QVector<TimeScale::Tick> ticks() const; // spaced so that their labels never overlap
    QColor typeColor(quint16 type) const;
    std::optional<QPair<int, qsizetype>> findPosition(qint64 position) const; // lane, index
    QRect markRect(const std::optional<QPair<int, qsizetype>> &mark) const;
    void updateColumn(int x);
    QPair<qint64, qint64> paddedFullRange() const;
    // Clamps to the full range; record puts the old range on the undo stack. True if changed.
    bool applyRange(qint64 startMs, qint64 endMs, bool record);
    int preferredLaneHeight() const;
    void updateLayout();

    QVector<TimelineLane> m_lanes;
    QVector<bool> m_positionsSorted;  // per lane, so that selection can binary search
    QVector<QVector<qint64>> m_skips; // per lane, every SkipStride-th time: see columnBounds
    TypePalette m_palette;
    QVector<QColor> m_typeColors; // by type index
    QVector<QImage> m_markStamps; // by type index, for m_markStampDpr; null until first drawn
    qreal m_markStampDpr = 1;
    QString m_emptyText;
    QVector<qint64> m_overview; // events per slice of m_overviewStartMs..m_overviewEndMs
    qint64 m_overviewStartMs = 0;
    qint64 m_overviewEndMs = 0;
    struct MarkSet
    {
        QVector<TimelineMark> marks; // by time
        QColor color;
    };
    QMap<QString, MarkSet> m_marks;
    QString m_snapshotStream;
    QVector<StoredSnapshot> m_snapshots; // without their data, which is never drawn

    qint64 m_fullStartMs = NoTime; // NoTime: not told, the lanes' extent instead
    qint64 m_fullEndMs = NoTime;
    qint64 m_startMs = 0;
    qint64 m_endMs = 1;
    QVector<QPair<qint64, qint64>> m_history;
    QElapsedTimer m_lastWheel; // wheel steps within a moment are one undo step

    qint64 m_playheadMs = NoTime;
    qint64 m_selectedPosition = -1;
    std::optional<QPair<int, qsizetype>> m_selected; // lane and index

    int m_axisHeight = 0;
    int m_laneHeight = 0;

    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    QPoint m_dragPos;
    TimeScale m_pressScale;
    bool m_dragRecorded = false;

    PaintStats m_stats;
    int m_paintNumber = 0;
    QVector<int> m_marksPerLane;
};

#pragma once

// The replay bar's slider, with marks at chosen slider values (the stored snapshots of the
// replayed stream) drawn on the groove, under the handle. Hovering a mark shows its tooltip, a
// click on it moves the slider there, and a right click asks for its menu. Marks are placed
// from the style's own handle positions at both ends of the range, so that a mark sits
// exactly where the handle stands at its value; at most one is drawn per pixel column.

#include <QColor>
#include <QSlider>
#include <QStringList>
#include <QVector>

class ReplaySlider : public QSlider
{
    Q_OBJECT

public:
    static constexpr int HitTolerancePx = 5;

    explicit ReplaySlider(QWidget *parent = nullptr);

    // values ascending, one tooltip each.
    void setMarks(const QVector<int> &values, const QStringList &toolTips);
    int markCount() const { return int(m_values.size()); }
    int markValue(int mark) const { return m_values.at(mark); }
    QRect markRect(int mark) const;
    // The mark nearest to a point within HitTolerancePx; -1 when none is.
    int markAt(QPoint pos) const;
    int paintedMarks() const { return m_paintedMarks; } // by the last paint, for tests
    // Findings (a field's changes) as short ticks under the groove, values ascending; at most
    // one is drawn per pixel column.
    void setTicks(const QVector<int> &values, const QColor &color);
    int tickCount() const { return int(m_ticks.size()); }

signals:
    void markMenuRequested(int mark, QPoint globalPos);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    // The handle's centre at the lowest and at the highest value, and the centre line.
    struct Track
    {
        int first = 0;
        int last = 0;
        int centerY = 0;
    };
    Track track() const;
    int xForValue(const Track &track, int value) const;
    QRect handleRect() const;

    QVector<int> m_values;
    QStringList m_toolTips;
    int m_paintedMarks = 0;
    QVector<int> m_ticks;
    QColor m_tickColor;
};

#pragma once

// How a stored snapshot is drawn: in a colour no event type takes, outlined dark so that it
// reads on the slider's filled groove and on the timeline's lanes alike; a diamond on the
// replay slider, a tick in the stream's lane on the timeline.

#include <QColor>
#include <QPainterPath>
#include <QPointF>

namespace SnapshotMark {
constexpr double HalfWidth = 4.5;
constexpr double HalfHeight = 6.5;

inline QColor fill()
{
    return QColor(0xff, 0xc4, 0x2e); // amber: apart from the palette's hues and the highlight
}

inline QColor outline()
{
    return QColor(0x5a, 0x3a, 0x00);
}

// Adds one diamond centred on `centre` to a path, so that many are filled in one call.
inline void addTo(QPainterPath &path, QPointF centre)
{
    path.moveTo(centre.x(), centre.y() - HalfHeight);
    path.lineTo(centre.x() + HalfWidth, centre.y());
    path.lineTo(centre.x(), centre.y() + HalfHeight);
    path.lineTo(centre.x() - HalfWidth, centre.y());
    path.closeSubpath();
}
} // namespace SnapshotMark

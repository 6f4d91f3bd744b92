#pragma once

// Stable colours for event types: the same type gets the same colour in the timeline, the
// charts and the legend, in every session and on every store (the colour comes from the
// type's name, not from the order types were seen in).

#include <QColor>
#include <QString>

class TypePalette
{
public:
    static QColor color(const QString &type);
};

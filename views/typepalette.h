#pragma once

// Colours for event types: the same type has the same colour in the timeline, the charts and
// the legend. Colours follow the store's types in name order, so they are stable for a store
// across sessions and no two of the first twelve types share one.

#include <QColor>
#include <QHash>
#include <QString>
#include <QStringList>

class TypePalette
{
public:
    TypePalette() = default;
    explicit TypePalette(const QStringList &types);

    QStringList types() const { return m_types; } // in name order
    QColor color(const QString &type) const;      // grey for a type it does not know

private:
    QStringList m_types;
    QHash<QString, QColor> m_colors;
};

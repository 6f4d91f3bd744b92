#include "typepalette.h"

#include <iterator>

namespace {

// Distinct hues, readable on light and dark backgrounds.
const QRgb palette[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948,
                        0xb07aa1, 0xff9da7, 0x9c755f, 0x2f4b7c, 0xa05195, 0x00a087};

} // namespace

TypePalette::TypePalette(const QStringList &types) : m_types(types)
{
    m_types.sort();
    m_types.removeDuplicates();
    for (qsizetype i = 0; i < m_types.size(); ++i) {
        QColor c = QColor::fromRgb(palette[i % std::size(palette)]);
        // Past the palette, the same hues again, darker each round.
        c = c.darker(100 + 25 * int(i / std::size(palette)));
        m_colors.insert(m_types.at(i), c);
    }
}

QColor TypePalette::color(const QString &type) const
{
    return m_colors.value(type, QColor(0x99, 0x99, 0x99));
}

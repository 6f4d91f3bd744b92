#include "typepalette.h"

#include <QCryptographicHash>

namespace {

// Distinct, readable on light and dark backgrounds (Tableau 10 order of hues).
const QRgb palette[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                        0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};

} // namespace

QColor TypePalette::color(const QString &type)
{
    // qHash is seeded per process; a content hash keeps colours stable across runs.
    const QByteArray digest =
        QCryptographicHash::hash(type.toUtf8(), QCryptographicHash::Md5);
    const quint8 index = quint8(digest.at(0)) % std::size(palette);
    return QColor::fromRgb(palette[index]);
}

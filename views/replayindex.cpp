#include "replayindex.h"

#include <algorithm>

qint64 replayIndexOf(const QVector<qint64> &versions, qint64 version)
{
    const auto it = std::upper_bound(versions.cbegin(), versions.cend(), version);
    return qint64(it - versions.cbegin()) - 1;
}

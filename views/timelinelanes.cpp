#include "timelinelanes.h"

#include <QHash>

QVector<TimelineLane> timelineLanes(const QVector<StreamColumns> &columns,
                                    const QStringList &paletteTypes)
{
    QHash<QString, quint16> typeIndex;
    for (int i = 0; i < paletteTypes.size(); ++i)
        typeIndex.insert(paletteTypes.at(i), quint16(i));
    QVector<TimelineLane> lanes;
    lanes.reserve(columns.size());
    for (const StreamColumns &c : columns) {
        TimelineLane lane;
        lane.stream = c.stream;
        lane.times = c.times;
        lane.versions = c.versions;
        lane.positions = c.positions;
        lane.types.reserve(c.types.size());
        for (const QString &type : c.types)
            lane.types << typeIndex.value(type);
        lanes << lane;
    }
    return lanes;
}

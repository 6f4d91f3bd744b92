#pragma once

// Where a version lands on the replay slider.

#include <QVector>

// The index of the last of versions (ascending) at or before version: the state the replay
// shows for it. -1 when version comes before them all.
qint64 replayIndexOf(const QVector<qint64> &versions, qint64 version);

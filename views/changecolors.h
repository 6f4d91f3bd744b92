#pragma once

// The colours of an added, changed and removed value, the same in every view that shows
// changes (the state tree, a field's history, a diff and its legend).

#include "replay/jsondiff.h"

#include <QColor>

inline QColor changeColor(JsonChange::Kind kind)
{
    switch (kind) {
    case JsonChange::Kind::Added:
        return QColor(60, 180, 75, 70);
    case JsonChange::Kind::Changed:
        return QColor(230, 170, 0, 80);
    case JsonChange::Kind::Removed:
        return QColor(220, 50, 50, 70);
    }
    return {};
}

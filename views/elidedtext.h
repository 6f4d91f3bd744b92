#pragma once

// Long payloads and values are cut for display: at `length` characters including the
// ellipsis, never inside a surrogate pair. Names (types, streams) are cut wherever they are
// drawn with elidedName: a store may hold a type of a million characters, and laying that
// out in a legend, a menu or a label takes gigabytes.

#include <QString>

inline QString elidedText(QString text, int length)
{
    if (text.size() <= length)
        return text;
    qsizetype cut = length - 1;
    if (text.at(cut).isLowSurrogate())
        --cut;
    text.truncate(cut);
    return text + u'\u2026';
}

constexpr int NameDisplayLength = 60;

inline QString elidedName(const QString &name)
{
    return elidedText(name, NameDisplayLength);
}

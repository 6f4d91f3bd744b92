#pragma once

// Long payloads and values are cut for display: at `length` characters including the
// ellipsis, never inside a surrogate pair.

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

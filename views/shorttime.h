#pragma once

// A time as the status bar and the time filter's chip show it: to the minute, in UTC,
// "2026-01-05 08:01"; empty for NoTime.

#include "core/event.h"
#include "decoding/timecodec.h"

#include <QString>

inline QString shortTime(qint64 ms)
{
    return ms == NoTime ? QString() : TimeCodec::format(ms).left(16).replace(u'T', u' ');
}

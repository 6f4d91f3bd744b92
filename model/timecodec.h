#pragma once

// Converts the ways stores keep time (ISO-8601 text, SQL timestamp text, epoch seconds or
// milliseconds, driver date-times) to milliseconds since the epoch, UTC, and back to the one
// text form Eventscope shows: YYYY-MM-DDTHH:MM:SS.mmmZ.

#include "event.h"

#include <QString>
#include <QVariant>

enum class TimeFormat { IsoText, EpochSeconds, EpochMillis };

class TimeCodec
{
public:
    static qint64 decode(const QVariant &value, TimeFormat format);
    static qint64 parseIso(const QString &text); // NoTime when it is not a time
    static QString format(qint64 ms);            // empty for NoTime
    static QString formatName(TimeFormat format);
    static bool parseFormatName(const QString &name, TimeFormat *format);
};

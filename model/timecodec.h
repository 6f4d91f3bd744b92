#pragma once

// Converts the ways stores keep time (ISO-8601 text, SQL timestamp text, epoch seconds or
// milliseconds, .NET ticks, driver date-times) to milliseconds since the epoch, UTC, and back
// to the one text form Eventscope shows: YYYY-MM-DDTHH:MM:SS.mmmZ.

#include "event.h"

#include <QString>
#include <QVariant>

// DotNetTicks: 100-ns ticks since 0001-01-01T00:00:00Z (DateTime.Ticks, as .NET stores write
// it into integer columns).
enum class TimeFormat { IsoText, EpochSeconds, EpochMillis, DotNetTicks };

class TimeCodec
{
public:
    static qint64 decode(const QVariant &value, TimeFormat format);
    static qint64 fromDotNetTicks(qint64 ticks); // NoTime outside 0001-01-01..9999-12-31
    static qint64 toDotNetTicks(qint64 ms);
    // YYYY-MM-DD, optionally followed by T (or a space) HH:MM[:SS[.fraction]] and a zone (Z,
    // +HH:MM, +HHMM or +HH; none means UTC). Fractions of any length are cut to milliseconds.
    // NoTime when it is not a time.
    static qint64 parseIso(const QString &text);
    static QString format(qint64 ms);             // empty for NoTime
    static QString formatName(TimeFormat format); // iso, s, ms or ticks
    static bool parseFormatName(const QString &name, TimeFormat *format);
};

#pragma once

// Converts the ways stores keep time (ISO-8601 text, SQL timestamp text, epoch seconds or
// milliseconds, .NET ticks, driver date-times) to milliseconds since the epoch, UTC, and back
// to the one text form Eventscope shows: YYYY-MM-DDTHH:MM:SS.mmmZ.
//
// This is Eventscope's one definition of a valid time: what decode() reads as one, from
// 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z (the years the text form can show).
// Anything else (2026-02-30, a tick count past 9999, 1e300 seconds) is no time (NoTime): it
// is shown as null, bounds no range, falls in no bucket and is counted as an event without
// a time. SQL reaches the same definition: on SQLite through the function SqliteTimeFunction
// installs, on PostgreSQL through EventStore's range checks.

#include "core/event.h"

#include <QString>
#include <QVariant>

#include <optional>
#include <string_view>

// DotNetTicks: 100-ns ticks since 0001-01-01T00:00:00Z (DateTime.Ticks, as .NET stores write
// it into integer columns).
enum class TimeFormat { IsoText, EpochSeconds, EpochMillis, DotNetTicks };

class TimeCodec
{
public:
    static constexpr qint64 MinMs = -62135596800000; // 0001-01-01T00:00:00.000Z
    static constexpr qint64 MaxMs = 253402300799999; // 9999-12-31T23:59:59.999Z
    static bool isValid(qint64 ms) { return ms >= MinMs && ms <= MaxMs; }

    static qint64 decode(const QVariant &value, TimeFormat format);
    // decode() of an integer, without a QVariant: exact for any 64-bit value.
    static qint64 fromInteger(qint64 value, TimeFormat format);
    static qint64 fromDotNetTicks(qint64 ticks); // NoTime outside 0001-01-01..9999-12-31
    static qint64 toDotNetTicks(qint64 ms);
    // YYYY-MM-DD, optionally followed by T (or a space) HH:MM[:SS[.fraction]] and a zone (Z,
    // +HH:MM, +HHMM or +HH, at most 15:59 either way as PostgreSQL takes them; none means
    // UTC). Fractions of any length are cut to milliseconds. NoTime when it is not a time.
    static qint64 parseIso(const QString &text);
    // parseIso() over bytes, without a QString: the same answer for text whose ends are ASCII;
    // nullopt where an end is not, as what parseIso() trims there depends on how the bytes are
    // decoded (the caller then asks parseIso() with the text as it decodes it).
    static std::optional<qint64> parseIsoBytes(std::string_view text);
    static QString format(qint64 ms);             // empty for NoTime
    static QString formatName(TimeFormat format); // iso, s, ms or ticks
    static bool parseFormatName(const QString &name, TimeFormat *format);
};

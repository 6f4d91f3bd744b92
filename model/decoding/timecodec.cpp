#include "decoding/timecodec.h"

#include <QDateTime>

#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MsPerDay = 86400000;
// .NET ticks (100 ns) from 0001-01-01 to 1970-01-01, and the last tick of 9999-12-31.
constexpr qint64 TicksAtEpoch = 621355968000000000;
constexpr qint64 TicksPerMs = 10000;
constexpr qint64 MaxTicks = 3155378975999999999;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil calendar
// algorithm); it avoids QDateTime on the per-event path.
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

void civilFromDays(qint64 z, qint64 *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = static_cast<qint64>(yoe) + era * 400 + (*m <= 2);
}

unsigned daysInMonth(qint64 y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

// The units of a text, compared with ASCII: a QString's UTF-16 units, or bytes (those past
// ASCII are never a character parseIso reads).
char16_t unitAt(const QString &s, qsizetype i)
{
    return s.at(i).unicode();
}
char16_t unitAt(std::string_view s, qsizetype i)
{
    return static_cast<unsigned char>(s[std::size_t(i)]);
}
qsizetype sizeOf(const QString &s)
{
    return s.size();
}
qsizetype sizeOf(std::string_view s)
{
    return qsizetype(s.size());
}

// ASCII only: QChar::isDigit() would also take Arabic-Indic or full-width digits.
bool isAsciiDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

// Reads exactly n digits at *pos.
template<typename Text> bool readDigits(const Text &s, qsizetype *pos, int n, int *out)
{
    if (*pos + n > sizeOf(s))
        return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const char16_t c = unitAt(s, *pos + i);
        if (!isAsciiDigit(c))
            return false;
        v = v * 10 + (c - u'0');
    }
    *pos += n;
    *out = v;
    return true;
}

template<typename Text> bool readChar(const Text &s, qsizetype *pos, char16_t c)
{
    if (*pos < sizeOf(s) && unitAt(s, *pos) == c) {
        ++*pos;
        return true;
    }
    return false;
}

// parseIso's grammar over a trimmed text.
template<typename Text> qint64 parseTrimmedIso(const Text &s)
{
    qsizetype pos = 0;
    int year, month, day;
    if (!readDigits(s, &pos, 4, &year) || !readChar(s, &pos, u'-') ||
        !readDigits(s, &pos, 2, &month) || !readChar(s, &pos, u'-') ||
        !readDigits(s, &pos, 2, &day))
        return NoTime;
    if (month < 1 || month > 12 || day < 1 || unsigned(day) > daysInMonth(year, month))
        return NoTime;

    const qsizetype size = sizeOf(s);
    int hour = 0, minute = 0, second = 0, millis = 0;
    if (pos < size &&
        (unitAt(s, pos) == u'T' || unitAt(s, pos) == u't' || unitAt(s, pos) == u' ')) {
        ++pos;
        if (!readDigits(s, &pos, 2, &hour) || !readChar(s, &pos, u':') ||
            !readDigits(s, &pos, 2, &minute))
            return NoTime;
        if (readChar(s, &pos, u':')) {
            if (!readDigits(s, &pos, 2, &second))
                return NoTime;
            if (readChar(s, &pos, u'.') || readChar(s, &pos, u',')) {
                // Any number of fraction digits; the first three are the milliseconds.
                int digits = 0;
                while (pos < size && isAsciiDigit(unitAt(s, pos))) {
                    if (digits < 3)
                        millis = millis * 10 + (unitAt(s, pos) - u'0');
                    ++digits;
                    ++pos;
                }
                if (digits == 0)
                    return NoTime;
                for (int i = digits; i < 3; ++i)
                    millis *= 10;
            }
        }
        if (hour > 23 || minute > 59 || second > 60)
            return NoTime;
    }

    qint64 offsetMinutes = 0; // no zone means UTC: stores keep UTC
    if (pos < size) {
        const char16_t c = unitAt(s, pos);
        if (c == u'Z' || c == u'z') {
            ++pos;
        } else if (c == u'+' || c == u'-') {
            ++pos;
            int oh = 0, om = 0;
            if (!readDigits(s, &pos, 2, &oh))
                return NoTime;
            if (readChar(s, &pos, u':')) {
                if (!readDigits(s, &pos, 2, &om))
                    return NoTime;
            } else if (pos < size) {
                if (!readDigits(s, &pos, 2, &om))
                    return NoTime;
            }
            if (oh > 15 || om > 59)
                return NoTime;
            offsetMinutes = (c == u'-' ? -1 : 1) * (oh * 60 + om);
        }
    }
    if (pos != size)
        return NoTime;

    const qint64 days = daysFromCivil(year, unsigned(month), unsigned(day));
    const qint64 ms = days * MsPerDay + ((hour * 60 + minute) * 60 + second) * 1000LL + millis -
                      offsetMinutes * 60000;
    return TimeCodec::isValid(ms) ? ms : NoTime; // year 0000, or an offset past either end
}

// What QString::trimmed() takes off an end, of ASCII.
bool isAsciiSpace(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

} // namespace

qint64 TimeCodec::parseIso(const QString &text)
{
    return parseTrimmedIso(text.trimmed());
}

std::optional<qint64> TimeCodec::parseIsoBytes(std::string_view text)
{
    while (!text.empty() && isAsciiSpace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && isAsciiSpace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    // QString::trimmed() takes off spaces past ASCII too (U+0085, U+00A0, ...).
    if (!text.empty() && (static_cast<unsigned char>(text.front()) >= 0x80 ||
                          static_cast<unsigned char>(text.back()) >= 0x80))
        return std::nullopt;
    return parseTrimmedIso(text);
}

qint64 TimeCodec::decode(const QVariant &value, TimeFormat format)
{
    if (value.isNull() || !value.isValid())
        return NoTime;
    if (value.metaType().id() == QMetaType::QDateTime) {
        const QDateTime dt = value.toDateTime();
        if (dt.timeSpec() != Qt::LocalTime)
            return dt.isValid() && isValid(dt.toMSecsSinceEpoch()) ? dt.toMSecsSinceEpoch()
                                                                   : NoTime;
        // Drivers hand a "timestamp without time zone" over as a local date-time holding the
        // stored wall time, and that wall time is UTC in every store we read. So the wall time
        // is read as UTC, from the date and the time rather than through QDateTime's local
        // conversion: a UTC time that falls into a local DST gap (02:30 on a spring-forward
        // night) makes the local QDateTime invalid, yet its date and time stay as stored.
        // Caveat: Qt 6.4's QPSQL also converts timestamptz values to local time, so a
        // timestamptz must be read as text (or the process run with TZ=UTC) to be right here.
        const QDate date = dt.date();
        const QTime time = dt.time();
        if (!date.isValid() || !time.isValid())
            return NoTime;
        const qint64 ms =
            daysFromCivil(date.year(), unsigned(date.month()), unsigned(date.day())) * MsPerDay +
            time.msecsSinceStartOfDay();
        return isValid(ms) ? ms : NoTime;
    }
    const int type = value.metaType().id();
    if (type == QMetaType::LongLong || type == QMetaType::Int || type == QMetaType::ULongLong ||
        type == QMetaType::UInt) {
        bool ok = false;
        const qint64 integer = value.toLongLong(&ok);
        return ok ? fromInteger(integer, format) : NoTime;
    }
    bool ok = false;
    switch (format) {
    case TimeFormat::EpochMillis: {
        // Compared as a double before any conversion: llround() of 1e300 has no answer.
        const double ms = value.toDouble(&ok);
        return ok && ms >= double(MinMs) && ms <= double(MaxMs) ? qint64(std::llround(ms)) : NoTime;
    }
    case TimeFormat::EpochSeconds: {
        const double ms = value.toDouble(&ok) * 1000.0;
        return ok && ms >= double(MinMs) && ms <= double(MaxMs) ? qint64(std::llround(ms)) : NoTime;
    }
    case TimeFormat::IsoText:
        return parseIso(value.toString());
    case TimeFormat::DotNetTicks: {
        // Integer arithmetic throughout: ticks exceed a double's 53-bit mantissa.
        const qint64 ticks = value.toLongLong(&ok);
        return ok ? fromDotNetTicks(ticks) : NoTime;
    }
    }
    return NoTime;
}

qint64 TimeCodec::fromInteger(qint64 value, TimeFormat format)
{
    switch (format) {
    case TimeFormat::EpochMillis:
        return isValid(value) ? value : NoTime;
    case TimeFormat::EpochSeconds:
        return value >= MinMs / 1000 && value <= MaxMs / 1000 ? value * 1000 : NoTime;
    case TimeFormat::DotNetTicks:
        return fromDotNetTicks(value);
    case TimeFormat::IsoText:
        break;
    }
    return parseIso(QString::number(value)); // an integer is no ISO time
}

qint64 TimeCodec::fromDotNetTicks(qint64 ticks)
{
    if (ticks < 0 || ticks > MaxTicks)
        return NoTime;
    const qint64 sinceEpoch = ticks - TicksAtEpoch;
    // Floored, so that a time before 1970 does not round up into the next millisecond.
    qint64 ms = sinceEpoch / TicksPerMs;
    if (sinceEpoch % TicksPerMs < 0)
        --ms;
    return ms;
}

qint64 TimeCodec::toDotNetTicks(qint64 ms)
{
    // Clamped to the tick range (plus one ms), so that far-off bounds cannot overflow.
    constexpr qint64 MinMs = -TicksAtEpoch / TicksPerMs;
    constexpr qint64 MaxMs = (MaxTicks - TicksAtEpoch) / TicksPerMs + 1;
    return qBound(MinMs, ms, MaxMs) * TicksPerMs + TicksAtEpoch;
}

QString TimeCodec::format(qint64 ms)
{
    if (ms == NoTime)
        return {};
    qint64 days = ms / MsPerDay;
    qint64 rest = ms % MsPerDay;
    if (rest < 0) {
        rest += MsPerDay;
        --days;
    }
    qint64 y;
    unsigned m, d;
    civilFromDays(days, &y, &m, &d);
    const qint64 secs = rest / 1000;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                  static_cast<long long>(rest % 1000));
    return QString::fromLatin1(buf);
}

QString TimeCodec::formatName(TimeFormat format)
{
    switch (format) {
    case TimeFormat::IsoText:
        return u"iso"_s;
    case TimeFormat::EpochSeconds:
        return u"s"_s;
    case TimeFormat::EpochMillis:
        return u"ms"_s;
    case TimeFormat::DotNetTicks:
        return u"ticks"_s;
    }
    return {};
}

bool TimeCodec::parseFormatName(const QString &name, TimeFormat *format)
{
    for (TimeFormat f : {TimeFormat::IsoText, TimeFormat::EpochSeconds, TimeFormat::EpochMillis,
                         TimeFormat::DotNetTicks}) {
        if (name.compare(formatName(f), Qt::CaseInsensitive) == 0) {
            *format = f;
            return true;
        }
    }
    return false;
}

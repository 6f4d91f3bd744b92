#include "timescale.h"

#include <QtNumeric>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Second = 1000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

constexpr qint64 niceSteps[] = {
    1,           2,           5,           10,      20,         50,
    100,         200,         500,         Second,  2 * Second, 5 * Second,
    10 * Second, 15 * Second, 30 * Second, Minute,  2 * Minute, 5 * Minute,
    10 * Minute, 15 * Minute, 30 * Minute, Hour,    2 * Hour,   3 * Hour,
    6 * Hour,    12 * Hour,   Day,         2 * Day, 7 * Day,    14 * Day,
};

// Past two weeks, ticks follow the calendar: the first of every Nth month (1, 2, 3, 6), then
// of every Nth year (1, 2, 5, 10, 20, 50, …), as far as the range needs.
constexpr qint64 AverageMonth = 30 * Day + 10 * Hour;
constexpr qint64 monthSteps[] = {1, 2, 3, 6};
constexpr qint64 MaxYearStep = 1000000;

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 sum = 0;
    if (qAddOverflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return sum;
}

// A double rounded to the qint64 it is closest to, the ends of the range included.
qint64 toInt64(double value)
{
    constexpr double limit = 9.2e18; // a little inside ±2^63, whose double is out of range
    if (std::isnan(value))
        return 0;
    return qint64(std::llround(std::clamp(value, -limit, limit)));
}

// A date of the proleptic Gregorian calendar with a year 0 (1 BC), as ISO 8601 counts years.
struct CivilDate
{
    qint64 year;
    int month; // 1..12
    int day;   // 1..31
};

// Days since 1970-01-01 and back (H. Hinnant's algorithms: exact for any qint64 day count a
// time in milliseconds can have, no loop, no table).
qint64 daysFromCivil(qint64 year, int month, int day)
{
    year -= month <= 2;
    const qint64 era = floorDiv(year, 400);
    const qint64 yearOfEra = year - era * 400;
    const qint64 dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

CivilDate civilFromDays(qint64 days)
{
    days += 719468;
    const qint64 era = floorDiv(days, 146097);
    const qint64 dayOfEra = days - era * 146097;
    const qint64 yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 shiftedMonth = (5 * dayOfYear + 2) / 153;
    const int month = int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
    const int day = int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
    return {yearOfEra + era * 400 + (month <= 2), month, day};
}

// Months since year 0: year * 12 + month - 1.
qint64 monthIndexOf(qint64 ms)
{
    const CivilDate date = civilFromDays(floorDiv(ms, Day));
    return date.year * 12 + date.month - 1;
}

qint64 monthStartMs(qint64 monthIndex)
{
    const qint64 year = floorDiv(monthIndex, 12);
    return daysFromCivil(year, int(monthIndex - year * 12) + 1, 1) * Day;
}

QString twoDigits(qint64 n)
{
    return u"%1"_s.arg(n, 2, 10, QChar(u'0'));
}

QString yearText(qint64 year)
{
    const QString digits = u"%1"_s.arg(year < 0 ? -year : year, 4, 10, QChar(u'0'));
    return year < 0 ? u'-' + digits : digits;
}

QString label(qint64 ms, qint64 step, bool newDay)
{
    const qint64 days = floorDiv(ms, Day);
    const CivilDate date = civilFromDays(days);
    if (step >= 12 * AverageMonth)
        return yearText(date.year);
    if (step >= AverageMonth)
        return yearText(date.year) + u'-' + twoDigits(date.month);
    if (step >= Day)
        return yearText(date.year) + u'-' + twoDigits(date.month) + u'-' + twoDigits(date.day);
    const qint64 ofDay = ms - days * Day;
    const QString hours = twoDigits(ofDay / Hour);
    const QString minutes = twoDigits(ofDay / Minute % 60);
    const QString seconds = twoDigits(ofDay / Second % 60);
    const QString millis = u"%1"_s.arg(ofDay % Second, 3, 10, QChar(u'0'));
    const QString prefix =
        newDay ? twoDigits(date.month) + u'-' + twoDigits(date.day) + u' ' : QString();
    if (step >= Minute)
        return prefix + hours + u':' + minutes;
    if (step >= Second)
        return prefix + hours + u':' + minutes + u':' + seconds;
    if (newDay)
        return prefix + hours + u':' + minutes + u':' + seconds + u'.' + millis;
    return seconds + u'.' + millis;
}

} // namespace

qint64 TimeScale::spanMs() const
{
    qint64 span = 0;
    if (qSubOverflow(endMs, startMs, &span))
        return endMs > startMs ? std::numeric_limits<qint64>::max()
                               : std::numeric_limits<qint64>::min();
    return span;
}

double TimeScale::toPixel(qint64 ms) const
{
    return (double(ms) - double(startMs)) * widthPx / double(qMax<qint64>(1, spanMs()));
}

qint64 TimeScale::toTime(double px) const
{
    return saturatingAdd(startMs, toInt64(std::floor(px * double(spanMs()) / qMax(1, widthPx))));
}

TimeScale TimeScale::zoomed(double px, double factor) const
{
    const qint64 anchor = toTime(px);
    const double fraction = px / qMax(1, widthPx);
    const qint64 span = qMax(minimumSpanMs, toInt64(double(spanMs()) / factor));
    TimeScale result = *this;
    result.startMs = saturatingAdd(anchor, -toInt64(fraction * double(span)));
    result.endMs = saturatingAdd(result.startMs, span);
    return result;
}

TimeScale TimeScale::panned(double dxPx) const
{
    const qint64 shift = toInt64(dxPx * double(spanMs()) / qMax(1, widthPx));
    TimeScale result = *this;
    result.startMs = saturatingAdd(result.startMs, -shift);
    result.endMs = saturatingAdd(result.endMs, -shift);
    return result;
}

qint64 TimeScale::tickStepMs(int minSpacingPx) const
{
    const double msPerPx = double(spanMs()) / qMax(1, widthPx);
    const double minSpacing = qMax(1, minSpacingPx);
    if (!(msPerPx > 0))
        return niceSteps[0]; // an empty or reversed range, which has no ticks
    for (qint64 step : niceSteps) {
        if (step / msPerPx >= minSpacing)
            return step;
    }
    for (qint64 months : monthSteps) {
        if (months * AverageMonth / msPerPx >= minSpacing)
            return months * AverageMonth;
    }
    // Years: 1, 2, 5 times a power of ten, up to a step longer than every time a scale lays
    // out (earliestMs..latestMs), which has one tick at most.
    for (qint64 decade = 1; decade < MaxYearStep; decade *= 10) {
        for (qint64 years : {decade, 2 * decade, 5 * decade}) {
            if (double(12 * years) * AverageMonth / msPerPx >= minSpacing)
                return 12 * years * AverageMonth;
        }
    }
    return 12 * MaxYearStep * AverageMonth;
}

QVector<TimeScale::Tick> TimeScale::ticks(int minSpacingPx) const
{
    const qint64 step = tickStepMs(minSpacingPx);
    // Only times a scale lays out get ticks: far outside them there is nothing to label.
    const qint64 from = clampTime(startMs);
    const qint64 to = clampTime(endMs);
    QVector<Tick> result;
    if (from >= to)
        return result;
    if (step >= AverageMonth) {
        // Calendar months, counted as whole numbers: every month start exists, so the walk
        // moves forward each time and ends after at most as many ticks as fit the width.
        const qint64 months = step / AverageMonth;
        for (qint64 index = floorDiv(monthIndexOf(from), months) * months;; index += months) {
            const qint64 t = monthStartMs(index);
            if (t >= to)
                break;
            if (t >= from)
                result.append({t, label(t, step, true)});
        }
        return result;
    }
    // Weeks align to Mondays (the epoch was a Thursday); shorter steps to the epoch.
    const qint64 shift = step >= 7 * Day ? 4 * Day : 0;
    qint64 previousDay = std::numeric_limits<qint64>::min();
    for (qint64 t = floorDiv(from - shift, step) * step + shift; t < to; t += step) {
        if (t < from)
            continue;
        const qint64 day = floorDiv(t, Day);
        result.append({t, label(t, step, day != previousDay)});
        previousDay = day;
    }
    return result;
}

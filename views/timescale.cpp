#include "timescale.h"

#include <QDateTime>

#include <cmath>
#include <iterator>
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

// Past two weeks, ticks follow the calendar: the first of every Nth month.
constexpr int monthSteps[] = {1, 2, 3, 6, 12, 24, 60, 120, 600, 1200};
constexpr qint64 AverageMonth = 30 * Day + 10 * Hour;

qint64 floorDiv(qint64 a, qint64 b)
{
    const qint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

QString label(qint64 ms, qint64 step, bool newDay)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    if (step >= 12 * AverageMonth)
        return t.toString(u"yyyy"_s);
    if (step >= AverageMonth)
        return t.toString(u"yyyy-MM"_s);
    if (step >= Day)
        return t.toString(u"yyyy-MM-dd"_s);
    const QString date = newDay ? t.toString(u"MM-dd "_s) : QString();
    if (step >= Minute)
        return date + t.toString(u"HH:mm"_s);
    if (step >= Second)
        return date + t.toString(u"HH:mm:ss"_s);
    return date + t.toString(newDay ? u"HH:mm:ss.zzz"_s : u"ss.zzz"_s);
}

} // namespace

double TimeScale::toPixel(qint64 ms) const
{
    return double(ms - startMs) * widthPx / double(qMax<qint64>(1, spanMs()));
}

qint64 TimeScale::toTime(double px) const
{
    return startMs + qint64(std::floor(px * double(spanMs()) / qMax(1, widthPx)));
}

TimeScale TimeScale::zoomed(double px, double factor) const
{
    const qint64 anchor = toTime(px);
    const double fraction = px / qMax(1, widthPx);
    const qint64 span = qMax<qint64>(minimumSpanMs, qint64(std::llround(spanMs() / factor)));
    TimeScale result = *this;
    result.startMs = anchor - qint64(std::llround(fraction * span));
    result.endMs = result.startMs + span;
    return result;
}

TimeScale TimeScale::panned(double dxPx) const
{
    const qint64 shift = qint64(std::llround(dxPx * double(spanMs()) / qMax(1, widthPx)));
    TimeScale result = *this;
    result.startMs -= shift;
    result.endMs -= shift;
    return result;
}

qint64 TimeScale::tickStepMs(int minSpacingPx) const
{
    const double msPerPx = double(spanMs()) / qMax(1, widthPx);
    for (qint64 step : niceSteps) {
        if (step / msPerPx >= minSpacingPx)
            return step;
    }
    for (int months : monthSteps) {
        if (months * AverageMonth / msPerPx >= minSpacingPx)
            return months * AverageMonth;
    }
    return monthSteps[std::size(monthSteps) - 1] * AverageMonth;
}

QVector<TimeScale::Tick> TimeScale::ticks(int minSpacingPx) const
{
    const qint64 step = tickStepMs(minSpacingPx);
    QVector<Tick> result;
    if (step >= AverageMonth) {
        const int months = int(step / AverageMonth);
        const QDate first = QDateTime::fromMSecsSinceEpoch(startMs, Qt::UTC).date();
        const int index = floorDiv(first.year() * 12 + first.month() - 1, months) * months;
        for (QDate d(index / 12, index % 12 + 1, 1);; d = d.addMonths(months)) {
            const qint64 t = QDateTime(d, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
            if (t >= endMs)
                break;
            if (t >= startMs)
                result.append({t, label(t, step, true)});
        }
        return result;
    }
    // Weeks align to Mondays (the epoch was a Thursday); shorter steps to the epoch.
    const qint64 shift = step >= 7 * Day ? 4 * Day : 0;
    qint64 previousDay = std::numeric_limits<qint64>::min();
    for (qint64 t = floorDiv(startMs - shift, step) * step + shift; t < endMs; t += step) {
        if (t < startMs)
            continue;
        const qint64 day = floorDiv(t, Day);
        result.append({t, label(t, step, day != previousDay)});
        previousDay = day;
    }
    return result;
}

#pragma once

// The timeline's time <-> pixel math, kept apart from painting so that it can be tested with
// plain data: a visible time range [startMs, endMs) laid over widthPx pixels, zoom about a
// pixel, pan by pixels, and tick marks at a "nice" step for the zoom level.
// Every range is safe, whatever times a store holds: the math is done in doubles (no
// overflow for far-apart or missing times), calendar ticks are counted in whole months of the
// proleptic Gregorian calendar (year 1 and year 9999 included), and no call makes more ticks
// than fit the width.

#include <QString>
#include <QVector>

struct TimeScale
{
    qint64 startMs = 0;
    qint64 endMs = 1;
    int widthPx = 1;

    struct Tick
    {
        qint64 ms = 0;
        QString label;
    };

    // Saturates instead of overflowing for a range that is not one (a missing end).
    qint64 spanMs() const;
    double toPixel(qint64 ms) const;
    qint64 toTime(double px) const;

    // factor > 1 zooms in; the time under px stays under px. The span never goes below
    // minimumSpanMs.
    TimeScale zoomed(double px, double factor) const;
    TimeScale panned(double dxPx) const;

    // The tick step: the smallest nice step whose ticks are at least minSpacingPx apart.
    qint64 tickStepMs(int minSpacingPx) const;
    // Ticks inside the range, labelled for the step: dates for days and more, HH:mm for
    // minutes and hours, HH:mm:ss for seconds, ss.zzz below. A tick on a new day shows the
    // date as well, so every label can be read on its own.
    QVector<Tick> ticks(int minSpacingPx) const;

    static constexpr qint64 minimumSpanMs = 10;
    // The times a scale lays out and ticks: about ±285,000 years around the epoch, where a
    // double still holds every millisecond. Years 1 to 9999 are well inside.
    static constexpr qint64 earliestMs = -(qint64(1) << 53);
    static constexpr qint64 latestMs = qint64(1) << 53;
    static qint64 clampTime(qint64 ms)
    {
        return ms < earliestMs ? earliestMs : ms > latestMs ? latestMs : ms;
    }
};

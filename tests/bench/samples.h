#pragma once

// Durations of repeated runs of one measurement, in milliseconds, and their percentiles.

#include <QElapsedTimer>

#include <vector>

class Samples
{
public:
    void add(double ms) { m_ms.push_back(ms); }
    bool isEmpty() const { return m_ms.empty(); }
    // Nearest-rank percentile, p in [0, 100].
    double percentile(double p) const;
    double median() const { return percentile(50); }
    double max() const { return percentile(100); }
    double mean() const;

private:
    std::vector<double> m_ms;
};

// How long f takes, in milliseconds.
template<typename F> double timeMs(F &&f)
{
    QElapsedTimer timer;
    timer.start();
    f();
    return double(timer.nsecsElapsed()) / 1e6;
}

// The CPU time the calling thread has used, in milliseconds: unlike wall-clock time, it leaves
// out the waits for a core on a loaded machine.
double threadCpuMs();

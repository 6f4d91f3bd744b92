#include "samples.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <time.h>

double Samples::percentile(double p) const
{
    if (m_ms.empty())
        return 0;
    std::vector<double> sorted = m_ms;
    std::sort(sorted.begin(), sorted.end());
    const auto rank = std::size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

double Samples::mean() const
{
    if (m_ms.empty())
        return 0;
    return std::accumulate(m_ms.cbegin(), m_ms.cend(), 0.0) / double(m_ms.size());
}

double threadCpuMs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

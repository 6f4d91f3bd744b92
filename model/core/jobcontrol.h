#pragma once

// What a long-running model call needs from its caller: a cancel flag it checks in its loops
// and a progress callback it calls now and then. Both are optional; a default JobControl
// never cancels and reports nowhere.

#include <QtGlobal>

#include <atomic>
#include <functional>

struct JobControl
{
    const std::atomic_bool *cancel = nullptr;
    std::function<void(qint64 done, qint64 total)> progress;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    void report(qint64 done, qint64 total) const
    {
        if (progress)
            progress(done, total);
    }
};

#pragma once

// What the figures were measured on: the CPU, its load, the build, and the process's peak
// memory.

#include <QString>

namespace MachineInfo {
QString cpuModel(); // "model name" from /proc/cpuinfo
int cores();
// The 1, 5 and 15 minute load averages from /proc/loadavg: the cores may be shared.
QString loadAverage();
QString buildType();
// Empty for an optimised build without sanitizers; else why its figures mean nothing.
QString buildWarning();
qint64 peakResidentBytes(); // VmHWM from /proc/self/status; -1 when unknown
// Sets VmHWM back to the resident size now (/proc/self/clear_refs), so that the next peak is
// one part's of the run; false where the kernel does not allow it.
bool resetPeakResident();
} // namespace MachineInfo

#pragma once

// What the figures were measured on: the CPU, the build, and the process's peak memory.

#include <QString>

namespace MachineInfo {
QString cpuModel(); // "model name" from /proc/cpuinfo
int cores();
QString buildType();
// Empty for an optimised build without sanitizers; else why its figures mean nothing.
QString buildWarning();
qint64 peakResidentBytes(); // VmHWM from /proc/self/status; -1 when unknown
} // namespace MachineInfo

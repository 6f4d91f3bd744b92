#pragma once

// What the fuzz targets share: the application object Qt's plugins (QSqlDatabase's drivers)
// need, the input as Qt types, and invariants that abort like a crash when they break, so
// that libFuzzer keeps the input that broke them.

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace Fuzz {

inline void startApplication()
{
    static int argc = 1;
    static char name[] = "eventscope-fuzz";
    static char *argv[] = {name, nullptr};
    static QCoreApplication application(argc, argv);
    // Qt's warnings (a driver's, a parser's) for each of millions of inputs are noise.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &text) {
        if (type == QtFatalMsg) {
            std::fprintf(stderr, "fatal: %s\n", qPrintable(text));
            std::abort();
        }
    });
}

// The input's bytes, not copied: valid while the call lasts.
inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
}

inline void check(bool holds, const char *invariant, const QString &detail = {})
{
    if (holds)
        return;
    std::fprintf(stderr, "invariant broken: %s\n%s\n", invariant, qPrintable(detail.left(2000)));
    std::abort();
}

} // namespace Fuzz

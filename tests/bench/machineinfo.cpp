#include "machineinfo.h"

#include <QFile>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {

// The value of the first line "key<spaces or tab>: value" in a /proc text file.
QByteArray procField(const QString &path, const QByteArray &key)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    // /proc files report a size of 0, so they are read whole rather than up to atEnd().
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed() == key)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

QString MachineInfo::cpuModel()
{
    const QByteArray model = procField(u"/proc/cpuinfo"_s, "model name");
    return model.isEmpty() ? u"unknown CPU"_s : QString::fromUtf8(model);
}

int MachineInfo::cores()
{
    return QThread::idealThreadCount();
}

QString MachineInfo::loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return u"unknown"_s;
    return QString::fromLatin1(file.readAll()).section(u' ', 0, 2);
}

QString MachineInfo::buildType()
{
    return QString::fromUtf8(EVENTSCOPE_BUILD_TYPE);
}

QString MachineInfo::buildWarning()
{
    // The compiler's own macros, so that the check holds whatever the build type is called.
#if defined(__SANITIZE_ADDRESS__)
    return u"this build has sanitizers: its figures are meaningless, use the release preset"_s;
#elif !defined(__OPTIMIZE__)
    return u"this build is not optimised: its figures are meaningless, use the release preset"_s;
#else
    return QString();
#endif
}

qint64 MachineInfo::peakResidentBytes()
{
    // "VmHWM:   123456 kB"
    const QByteArray value = procField(u"/proc/self/status"_s, "VmHWM");
    bool ok = false;
    const qint64 kb = value.split(' ').constFirst().toLongLong(&ok);
    return ok ? kb * 1024 : -1;
}

bool MachineInfo::resetPeakResident()
{
    QFile file(u"/proc/self/clear_refs"_s);
    return file.open(QIODevice::WriteOnly) && file.write("5") == 1;
}

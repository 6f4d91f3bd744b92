// eventscope-cli: the engine of Eventscope from the shell, without a display.

#include "clicommands.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

// Every failure eventscope-cli reports is one line of its own on stderr. Qt's diagnostics (a
// driver's warnings while a connection dies, say) would add lines around it that say less;
// they are kept out unless EVENTSCOPE_CLI_DIAGNOSTICS is set, for debugging. A fatal message
// still goes out, as the last thing the process says.
void cliMessageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    static const bool diagnostics = qEnvironmentVariableIsSet("EVENTSCOPE_CLI_DIAGNOSTICS");
    if (type != QtFatalMsg && !diagnostics)
        return;
    std::fprintf(stderr, "eventscope-cli: %s\n", qPrintable(message));
}

} // namespace

int main(int argc, char *argv[])
{
    qInstallMessageHandler(cliMessageHandler);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("eventscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("Eventscope"));
    return CliCommands::run(QCoreApplication::arguments());
}

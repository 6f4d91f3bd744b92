// eventscope-cli: the engine of Eventscope from the shell, without a display.

#include "clicommands.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("eventscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
    QCoreApplication::setOrganizationName(QStringLiteral("Eventscope"));
    return CliCommands::run(QCoreApplication::arguments());
}

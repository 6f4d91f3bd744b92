#pragma once

// The commands of eventscope-cli. Each command describes its arguments and options once;
// --help, usage errors and the reference in the README come from the same descriptions.

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

class QCommandLineParser;
class CliOutput;

struct CliCommand
{
    QString name;
    QStringList arguments; // positional, in order; all required
    QString summary;
    QList<QCommandLineOption> options;
    int (*run)(const QCommandLineParser &parser, const QStringList &arguments, CliOutput &out);
};

class CliCommands
{
public:
    enum ExitCode { Ok = 0, StoreFailed = 1, UsageError = 2 };

    static const QList<CliCommand> &all();
    // arguments as from QCoreApplication::arguments(); returns the exit code.
    static int run(const QStringList &arguments);
    static QString overview();
    // What eventscope-cli is for, shared by --help and the man page.
    static QString description();
    // The man page, in troff: eventscope-cli --man, run by the build.
    static QString manPage();
};

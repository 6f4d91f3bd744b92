#pragma once

// The window's command line, described once: main() parses with it and the man page is
// written from it, so that `man eventscope` and `eventscope --help` cannot disagree.

#include <QCommandLineOption>
#include <QList>
#include <QString>

class QCommandLineParser;

struct GuiCommandLine
{
    GuiCommandLine();

    // Adds the description, --help, --version, STORE and every option below.
    void setUp(QCommandLineParser &parser) const;
    // The man page, in troff: eventscope --man, run by the build.
    QString manPage() const;

    QCommandLineOption stream;
    QCommandLineOption at;
    QCommandLineOption map;
    QCommandLineOption table;
    QCommandLineOption screenshot;
    QCommandLineOption size;
    QCommandLineOption settings;
    QCommandLineOption man; // hidden from --help

private:
    QList<QCommandLineOption> options() const;
};

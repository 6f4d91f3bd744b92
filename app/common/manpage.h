#pragma once

// A troff man page built from the descriptions a program already has for --help, so that
// `man eventscope-cli` and `eventscope-cli --help` cannot disagree. Text passed in is plain:
// ManPage escapes what troff would otherwise read as requests or escapes.

#include <QCommandLineOption>
#include <QString>
#include <QStringList>

class ManPage
{
public:
    // name as invoked (eventscope-cli); summary is the one-line NAME description.
    ManPage(const QString &name, const QString &summary, const QString &version);

    // One synopsis line: the program name followed by these words; words in capitals or in
    // brackets are shown as placeholders.
    void addSynopsis(const QStringList &words);
    void addSection(const QString &title);
    void addSubsection(const QString &title);
    void addParagraph(const QString &text);
    void addItem(const QString &tag, const QString &text);
    void addOption(const QCommandLineOption &option);
    void addOptions(const QList<QCommandLineOption> &options);

    QString text() const { return m_text; }

    static QString escape(const QString &plain);

private:
    QString m_name;
    QString m_text;
    bool m_inSynopsis = false;
};

#include "manpage.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

// Backslashes, and dots or apostrophes that start a line (troff would read a request).
QString escapeTroff(const QString &plain)
{
    QString text = plain;
    text.replace(u"\\"_s, u"\\e"_s);
    static const QRegularExpression request(u"^(?=[.'])"_s, QRegularExpression::MultilineOption);
    text.replace(request, u"\\&"_s);
    // A break point after commas inside a long word (a column mapping): troff cannot otherwise
    // fit it on a terminal's line.
    static const QRegularExpression comma(u",(?=\\S)"_s);
    text.replace(comma, u",\\:"_s);
    return text;
}

// Hyphens in what is typed are minus signs to troff (\-): a plain hyphen may be rendered as a
// typographic one, and a command line copied from the page would not work.
QString typed(const QString &plain)
{
    return escapeTroff(plain).replace(u'-', u"\\-"_s);
}

QString optionTag(const QCommandLineOption &option)
{
    QStringList names;
    for (const QString &name : option.names())
        names += u"\\fB"_s + typed((name.size() == 1 ? u"-"_s : u"--"_s) + name) + u"\\fR"_s;
    QString tag = names.join(u", "_s);
    if (!option.valueName().isEmpty())
        tag += u" \\fI"_s + ManPage::escape(option.valueName()) + u"\\fR"_s;
    return tag;
}

// A synopsis word: options in bold, placeholders (in capitals) in italics, brackets plain.
QString synopsisWord(const QString &word)
{
    if (word.size() > 2 && word.startsWith(u'[') && word.endsWith(u']'))
        return u'[' + synopsisWord(word.mid(1, word.size() - 2)) + u']';
    if (word.startsWith(u'-'))
        return u"\\fB"_s + typed(word) + u"\\fR"_s;
    if (word == word.toUpper())
        return u"\\fI"_s + ManPage::escape(word) + u"\\fR"_s;
    return ManPage::escape(word);
}

} // namespace

ManPage::ManPage(const QString &name, const QString &summary, const QString &version) : m_name(name)
{
    // No date: the page is generated at build time, and a build date would make two builds of
    // the same sources differ.
    m_text = u".TH \"%1\" 1 \"\" \"Eventscope %2\" \"User Commands\"\n"_s.arg(
        escape(name.toUpper()), escape(version));
    // Ragged right and no hyphenation: option values such as column mappings are long words
    // that neither justify nor split well.
    m_text += u".ad l\n.nh\n"_s;
    addSection(u"Name"_s);
    m_text += escape(name) + u" \\- "_s + escape(summary) + u'\n';
}

void ManPage::addSynopsis(const QStringList &words)
{
    if (!m_inSynopsis)
        addSection(u"Synopsis"_s);
    else
        m_text += u".br\n"_s;
    m_inSynopsis = true;
    m_text += u".B "_s + escape(m_name) + u'\n';
    for (const QString &word : words)
        m_text += synopsisWord(word) + u'\n';
}

void ManPage::addSection(const QString &title)
{
    m_inSynopsis = false;
    m_text += u".SH "_s + escape(title.toUpper()) + u'\n';
}

void ManPage::addSubsection(const QString &title)
{
    m_text += u".SS \""_s + escape(title).replace(u"\""_s, u"\\(dq"_s) + u"\"\n"_s;
}

void ManPage::addParagraph(const QString &text)
{
    m_text += u".PP\n"_s + escape(text) + u'\n';
}

void ManPage::addItem(const QString &tag, const QString &text)
{
    m_text += u".TP\n"_s + tag + u'\n' + escape(text) + u'\n';
}

void ManPage::addOption(const QCommandLineOption &option)
{
    if (option.flags().testFlag(QCommandLineOption::HiddenFromHelp))
        return;
    addItem(optionTag(option), option.description());
}

void ManPage::addOptions(const QList<QCommandLineOption> &options)
{
    for (const QCommandLineOption &option : options)
        addOption(option);
}

QString ManPage::escape(const QString &plain)
{
    // Options mentioned in prose (--at, -h) are typed too; a hyphen that joins two words is not.
    static const QRegularExpression optionHyphen(u"(?<!\\w)-(?=-?\\w)"_s);
    return escapeTroff(plain).replace(optionHyphen, u"\\-"_s);
}

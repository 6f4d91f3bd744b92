#include "guicommandline.h"

#include "manpage.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace {

QString description()
{
    return u"Explore event-sourced data: streams, events, a timeline, and any aggregate's state "
           "at any point of its history."_s;
}

const QString storeArgument = u"STORE"_s;

QString storeDescription()
{
    return u"An SQLite event store, or a PostgreSQL URL "
           "postgresql://user[:password]@host[:port]/db[?schema=NAME], to open."_s;
}

QCommandLineOption hidden(QCommandLineOption option)
{
    option.setFlags(QCommandLineOption::HiddenFromHelp);
    return option;
}

} // namespace

GuiCommandLine::GuiCommandLine()
    : stream(u"stream"_s, u"Select this stream."_s, u"S"_s),
      at(u"at"_s, u"Replay the stream to this version."_s, u"VERSION"_s),
      map(u"map"_s, u"Column mapping, as for eventscope-cli."_s, u"SPEC"_s),
      table(u"table"_s, u"Of several event tables, open this one."_s, u"NAME"_s),
      screenshot(u"screenshot"_s, u"Render the window to this PNG file and exit."_s, u"FILE.png"_s),
      size(u"size"_s, u"Window size for --screenshot (default 1600x1000)."_s, u"WxH"_s),
      settings(u"settings"_s, u"Use this settings file."_s, u"FILE"_s),
      man(hidden(QCommandLineOption(u"man"_s, u"Print the man page (troff) and exit."_s)))
{
}

QList<QCommandLineOption> GuiCommandLine::options() const
{
    return {stream, at, map, table, screenshot, size, settings, man};
}

void GuiCommandLine::setUp(QCommandLineParser &parser) const
{
    parser.setApplicationDescription(description());
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(storeArgument, storeDescription(),
                                 u"["_s + storeArgument + u"]"_s);
    parser.addOptions(options());
}

QString GuiCommandLine::manPage() const
{
    ManPage page(u"eventscope"_s, u"explore event-sourced data in a window"_s,
                 QStringLiteral(EVENTSCOPE_VERSION));
    page.addSynopsis({u"[options]"_s, u"["_s + storeArgument + u"]"_s});
    page.addSection(u"Description"_s);
    page.addParagraph(description());
    page.addParagraph(u"Stores are opened read-only. Without a STORE, the last store opened is "
                      "opened again."_s);
    page.addSection(u"Arguments"_s);
    page.addItem(u"\\fI"_s + storeArgument + u"\\fR"_s, storeDescription());
    page.addSection(u"Options"_s);
    // QCommandLineParser's own --help and --version, which it does not hand out.
    page.addOption(
        QCommandLineOption({u"h"_s, u"help"_s}, u"Displays help on commandline options."_s));
    page.addOption(QCommandLineOption({u"v"_s, u"version"_s}, u"Displays version information."_s));
    page.addOptions(options());
    page.addSection(u"See also"_s);
    page.addParagraph(u"eventscope-cli(1)"_s);
    return page.text();
}

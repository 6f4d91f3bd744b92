#include "helpdialogs.h"

#include <QCoreApplication>
#include <QKeySequence>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("HelpDialogs", text);
}
} // namespace

namespace HelpDialogs {

void showShortcuts(QWidget *parent)
{
    QString rows;
    const auto add = [&rows](const QString &keys, const QString &what) {
        rows +=
            u"<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>"_s.arg(keys, what);
    };
    add(QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText), tr("Open a store"));
    add(u"Ctrl+Shift+D"_s, tr("Open the demo store"));
    add(u"Ctrl+Shift+O"_s, tr("Connect to a PostgreSQL store"));
    add(u"Ctrl+I"_s, tr("Import events into a new store"));
    add(QKeySequence(QKeySequence::Refresh).toString(QKeySequence::NativeText),
        tr("Reload the store"));
    add(u"Ctrl+M"_s, tr("Map the store's columns"));
    add(u"Ctrl+Shift+T"_s, tr("Choose another of the store's event tables"));
    add(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText), tr("Filter streams"));
    add(u"Ctrl+Shift+A"_s, tr("Whole store (no stream selected)"));
    add(u"Ctrl++ / Ctrl+− / Ctrl+0"_s, tr("Zoom the timeline in, out, reset"));
    add(tr("Ctrl+wheel, + / −"), tr("Zoom the timeline about the mouse"));
    add(tr("Wheel, drag"), tr("Pan the timeline"));
    add(tr("Shift+drag"), tr("Zoom the timeline to a range"));
    add(tr("Drag on the activity chart"), tr("Filter the events to a time range"));
    add(u"Ctrl+R"_s, tr("Focus the replay slider"));
    add(u"Ctrl+Shift+S"_s, tr("Compare a stored snapshot with the replay"));
    add(tr("Left / Right, Home / End"), tr("Step, jump (slider focused)"));
    add(tr("Space"), tr("Play / pause (slider focused)"));
    add(u"Ctrl+Space, Alt+Left/Right, Alt+Home/End"_s, tr("Play, step, jump from anywhere"));
    add(u"Esc"_s, tr("Cancel long work"));
    add(QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText),
        tr("Copy a value in the inspector"));
    QMessageBox::information(parent, tr("Keyboard Shortcuts"), u"<table>"_s + rows + u"</table>"_s);
}

void showAbout(QWidget *parent)
{
    QMessageBox::about(
        parent, tr("About Eventscope"),
        tr("<h3>Eventscope %1</h3><p>Explore event-sourced data: streams, events, "
           "a timeline, and the state of any aggregate at any point of its "
           "history.</p><p>Stores are opened read-only.</p><p>Built with Qt %2.</p>")
            .arg(QStringLiteral(EVENTSCOPE_VERSION), QString::fromLatin1(qVersion())));
}

} // namespace HelpDialogs

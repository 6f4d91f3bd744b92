#include "windowlayout.h"

#include "appsettings.h"

#include <QDockWidget>
#include <QMainWindow>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace WindowLayout {

namespace {
// The last widget of a column takes what height is left over.
QWidget *column(QWidget *parent, const QList<QWidget *> &widgets, int stretchingWidget)
{
    auto *pane = new QWidget(parent);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    for (int i = 0; i < widgets.size(); ++i)
        layout->addWidget(widgets.at(i), i == stretchingWidget ? 1 : 0);
    return pane;
}
} // namespace

QSplitter *addCentre(QMainWindow *window, const QList<QWidget *> &top,
                     const QList<QWidget *> &bottom)
{
    auto *splitter = new QSplitter(Qt::Vertical, window);
    splitter->setObjectName(u"centralSplitter"_s);
    splitter->addWidget(column(window, top, 0));
    splitter->addWidget(column(window, bottom, int(bottom.size()) - 1));
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    window->setCentralWidget(splitter);
    return splitter;
}

void addDocks(QMainWindow *window, const WindowDocks &docks, const AppSettings &settings)
{
    // Object names are what saveState() keys the layout by.
    const auto dock = [window](const QString &name, const QString &title, QWidget *widget,
                               Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, window);
        d->setObjectName(name);
        d->setWidget(widget);
        window->addDockWidget(area, d);
        return d;
    };
    QDockWidget *streams =
        dock(u"streamsDock"_s, QMainWindow::tr("Streams"), docks.streams, Qt::LeftDockWidgetArea);
    QDockWidget *state =
        dock(u"stateDock"_s, QMainWindow::tr("State"), docks.state, Qt::RightDockWidgetArea);
    QDockWidget *inspector = dock(u"inspectorDock"_s, QMainWindow::tr("Inspector"), docks.inspector,
                                  Qt::RightDockWidgetArea);
    QDockWidget *charts =
        dock(u"chartsDock"_s, QMainWindow::tr("Charts"), docks.charts, Qt::BottomDockWidgetArea);
    window->splitDockWidget(state, inspector, Qt::Vertical);
    if (!settings.windowState().isEmpty())
        return; // restore() gives the user's layout
    // Sizes given before the window is laid out are lost: the defaults once it is shown.
    QTimer::singleShot(0, window, [window, streams, state, inspector, charts] {
        window->resizeDocks({streams, state}, {260, 460}, Qt::Horizontal);
        window->resizeDocks({charts, state, inspector}, {300, 460, 220}, Qt::Vertical);
    });
}

void restore(QMainWindow *window, QSplitter *splitter, const AppSettings &settings)
{
    window->restoreGeometry(settings.windowGeometry());
    window->restoreState(settings.windowState());
    splitter->restoreState(settings.splitterState());
}

void save(const QMainWindow *window, const QSplitter *splitter, AppSettings &settings)
{
    settings.setWindowGeometry(window->saveGeometry());
    settings.setWindowState(window->saveState());
    settings.setSplitterState(splitter->saveState());
}

} // namespace WindowLayout

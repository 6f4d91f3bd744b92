#include "mainmenus.h"

#include "chartsfeed.h"
#include "helpdialogs.h"
#include "icons.h"
#include "newstorejobs.h"
#include "replaybar.h"
#include "session/storesession.h"
#include "storefollower.h"
#include "storeopener.h"
#include "storetools.h"
#include "streamspane.h"
#include "timelineview.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QSlider>
#include <QToolBar>

using namespace Qt::StringLiterals;

MainMenus::MainMenus(QMainWindow *window, const Parts &parts) : QObject(window)
{
    createFileMenu(window, parts);
    createViewMenu(window, parts);
    createReplayMenu(window, parts);
    createToolsMenu(window, parts);
    createHelpMenu(window);
    createToolBar(window, parts);
}

void MainMenus::createFileMenu(QMainWindow *window, const Parts &parts)
{
    QMenu *file = window->menuBar()->addMenu(tr("&File"));
    file->addAction(parts.opener->openAction());
    file->addMenu(parts.opener->recentMenu());
    m_demo = file->addAction(Icons::icon(Icons::Demo), tr("Open &Demo Store"), this,
                             &MainMenus::demoRequested);
    m_demo->setShortcut(u"Ctrl+Shift+D"_s);
    file->addAction(parts.opener->connectAction());
    QAction *import = file->addAction(tr("&Import…"), parts.jobs, &NewStoreJobs::showImportDialog);
    import->setObjectName(u"importAction"_s);
    import->setShortcut(u"Ctrl+I"_s);
    import->setStatusTip(tr("Import events from JSON Lines, KurrentDB Atom pages or CSV into a "
                            "new store"));
    file->addActions({parts.tools->exportAction(), parts.tools->sliceAction()});
    file->addSeparator();
    file->addActions(
        {parts.opener->mapAction(), parts.opener->tableAction(), parts.opener->reloadAction()});
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), window, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = window->menuBar()->addMenu(tr("&Edit"));
    edit->addActions({parts.tools->copyJsonAction(), parts.tools->copyCsvAction()});
}

void MainMenus::createToolsMenu(QMainWindow *window, const Parts &parts)
{
    QMenu *tools = window->menuBar()->addMenu(tr("&Tools"));
    tools->addActions(
        {parts.tools->checkAction(), parts.tools->schemaAction(), parts.tools->readModelAction()});
}

void MainMenus::createViewMenu(QMainWindow *window, const Parts &parts)
{
    QMenu *view = window->menuBar()->addMenu(tr("&View"));
    m_zoomIn = view->addAction(Icons::icon(Icons::ZoomIn), tr("Zoom &In"), parts.timeline,
                               &TimelineView::zoomIn);
    m_zoomIn->setShortcut(QKeySequence::ZoomIn);
    m_zoomOut = view->addAction(Icons::icon(Icons::ZoomOut), tr("Zoom &Out"), parts.timeline,
                                &TimelineView::zoomOut);
    m_zoomOut->setShortcut(QKeySequence::ZoomOut);
    m_zoomReset = view->addAction(Icons::icon(Icons::ZoomReset), tr("&Reset Zoom"), parts.timeline,
                                  &TimelineView::resetZoom);
    m_zoomReset->setShortcut(u"Ctrl+0"_s);
    QAction *filterVisible = view->addAction(tr("Filter Events to the &Visible Range"), this,
                                             &MainMenus::visibleRangeFilterRequested);
    filterVisible->setShortcut(u"Ctrl+T"_s);
    view->addMenu(parts.charts->clickMenu());
    view->addSeparator();
    QAction *findStream =
        view->addAction(tr("&Find Stream"), parts.streams, &StreamsPane::focusFilter);
    findStream->setShortcut(QKeySequence::Find);
    QAction *allStreams =
        view->addAction(tr("&Whole Store"), this, &MainMenus::wholeStoreRequested);
    allStreams->setShortcut(u"Ctrl+Shift+A"_s);
    view->addAction(parts.follower->action());
    view->addSeparator();
    const auto docks = window->findChildren<QDockWidget *>();
    for (QDockWidget *d : docks)
        view->addAction(d->toggleViewAction());
}

void MainMenus::createReplayMenu(QMainWindow *window, const Parts &parts)
{
    QMenu *replay = window->menuBar()->addMenu(tr("&Replay"));
    m_replayMenu = replay;
    const auto replayAction = [&](Icons::Name icon, const QString &text, const QString &keys,
                                  void (ReplayBar::*slot)()) {
        QAction *a = replay->addAction(Icons::icon(icon), text, parts.replayBar, slot);
        a->setShortcut(QKeySequence(keys));
        return a;
    };
    m_play =
        replayAction(Icons::Play, tr("&Play / Pause"), u"Ctrl+Space"_s, &ReplayBar::togglePlay);
    // Alt, not Ctrl: Ctrl+arrows and Ctrl+Home/End move by word and to the ends in text
    // fields and tables, and a shortcut that works from anywhere must not take them.
    replayAction(Icons::StepBack, tr("Step &Back"), u"Alt+Left"_s, &ReplayBar::stepBack);
    replayAction(Icons::StepForward, tr("Step &Forward"), u"Alt+Right"_s, &ReplayBar::stepForward);
    replayAction(Icons::JumpStart, tr("Jump to &Start"), u"Alt+Home"_s, &ReplayBar::jumpToStart);
    replayAction(Icons::JumpEnd, tr("Jump to &End"), u"Alt+End"_s, &ReplayBar::jumpToEnd);
    replay->addSeparator();
    ReplayBar *bar = parts.replayBar;
    QAction *focusSlider =
        replay->addAction(tr("Focus the &Slider"), bar, [bar] { bar->slider()->setFocus(); });
    focusSlider->setShortcut(u"Ctrl+R"_s);
    QAction *cancel = replay->addAction(Icons::icon(Icons::Cancel), tr("&Cancel Work"),
                                        parts.session, &StoreSession::cancel);
    cancel->setShortcut(u"Esc"_s);
    replay->addSeparator();
    replay->addAction(parts.replayBar->compareAction());
}

void MainMenus::createHelpMenu(QMainWindow *window)
{
    QMenu *help = window->menuBar()->addMenu(tr("&Help"));
    QAction *keys = help->addAction(tr("&Keyboard Shortcuts"), window,
                                    [window] { HelpDialogs::showShortcuts(window); });
    keys->setShortcut(QKeySequence::HelpContents);
    help->addAction(Icons::icon(Icons::App), tr("&About Eventscope"), window,
                    [window] { HelpDialogs::showAbout(window); });
}

void MainMenus::createToolBar(QMainWindow *window, const Parts &parts)
{
    QToolBar *tools = window->addToolBar(tr("Main"));
    tools->setObjectName(u"mainToolBar"_s);
    tools->setMovable(false);
    tools->addActions({parts.opener->openAction(), m_demo, parts.opener->reloadAction()});
    tools->addSeparator();
    tools->addActions({m_zoomIn, m_zoomOut, m_zoomReset});
    tools->addSeparator();
    tools->addAction(m_play);
}

void MainMenus::addReplayTools(const QList<QAction *> &actions, QMenu *submenu)
{
    m_replayMenu->addSeparator();
    m_replayMenu->addActions(actions);
    m_replayMenu->addMenu(submenu);
}

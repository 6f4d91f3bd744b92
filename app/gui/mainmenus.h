#pragma once

// The window's menu bar and toolbar: which action goes where, with its shortcut. The parts
// of the window own the actions that act on them (the store opener its File actions, the
// charts feed its Click Types menu, the replay bar its comparison); the ones made here act
// on a part directly, or ask the window through a signal.

#include <QObject>

class ChartsFeed;
class QAction;
class NewStoreJobs;
class QMainWindow;
class QMenu;
class ReplayBar;
class StoreOpener;
class StoreFollower;
class StoreSession;
class StoreTools;
class StreamsPane;
class TimelineView;

class MainMenus : public QObject
{
    Q_OBJECT

public:
    struct Parts
    {
        StoreOpener *opener;
        NewStoreJobs *jobs;
        StoreSession *session;
        StreamsPane *streams;
        TimelineView *timeline;
        ReplayBar *replayBar;
        ChartsFeed *charts;
        StoreFollower *follower;
        StoreTools *tools;
    };

    // After the window's docks exist: View lists them.
    MainMenus(QMainWindow *window, const Parts &parts);

    // A part made after the menus (AggregateTools) adds its Replay entries and submenu.
    void addReplayTools(const QList<QAction *> &actions, QMenu *submenu);

signals:
    void demoRequested();
    void visibleRangeFilterRequested(); // filter the events to the timeline's visible range
    void wholeStoreRequested();         // no stream selected

private:
    void createFileMenu(QMainWindow *window, const Parts &parts);
    void createViewMenu(QMainWindow *window, const Parts &parts);
    void createReplayMenu(QMainWindow *window, const Parts &parts);
    void createToolsMenu(QMainWindow *window, const Parts &parts);
    void createHelpMenu(QMainWindow *window);
    void createToolBar(QMainWindow *window, const Parts &parts);

    QAction *m_demo = nullptr;
    QAction *m_zoomIn = nullptr;
    QAction *m_zoomOut = nullptr;
    QAction *m_zoomReset = nullptr;
    QAction *m_play = nullptr;
    QMenu *m_replayMenu = nullptr;
};

#pragma once

// How the main window is laid out: its centre, where its docks go on a first start, and the
// layout the user made kept across sessions (geometry, docks, the timeline/table split).

#include <QList>

class AppSettings;
class QMainWindow;
class QSplitter;
class QWidget;

struct WindowDocks
{
    QWidget *streams;
    QWidget *state;
    QWidget *inspector;
    QWidget *charts;
};

namespace WindowLayout {
// The timeline and the replay bar above the search bar and the events table, split; the
// splitter is the window's central widget.
QSplitter *addCentre(QMainWindow *window, const QList<QWidget *> &top,
                     const QList<QWidget *> &bottom);
// The docks' first sizes unless the settings hold a layout of the user's.
void addDocks(QMainWindow *window, const WindowDocks &docks, const AppSettings &settings);
void restore(QMainWindow *window, QSplitter *splitter, const AppSettings &settings);
void save(const QMainWindow *window, const QSplitter *splitter, AppSettings &settings);
} // namespace WindowLayout

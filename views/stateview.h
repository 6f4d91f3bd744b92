#pragma once

// The replayed aggregate at the replay bar's position: its state as a tree with the fields the
// current event added, changed or removed highlighted, the list of those changes (the "diff
// vs previous" view), and how many events of each type have been applied.

#include "replay/replayengine.h"

#include <QWidget>

class JsonTreeModel;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QTreeView;
class QTreeWidget;

class StateView : public QWidget
{
    Q_OBJECT

public:
    explicit StateView(QWidget *parent = nullptr);

    void setState(const ReplayState &state);
    void showMessage(const QString &message); // empty state, loading, errors

    const JsonTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QTreeWidget *changes() const { return m_changes; }
    QTreeWidget *counts() const { return m_counts; }
    QString heading() const;

private:
    JsonTreeModel *m_model;
    QLabel *m_heading;
    QStackedWidget *m_stack;
    QLabel *m_message;
    QTabWidget *m_tabs;
    QTreeView *m_tree;
    QTreeWidget *m_changes;
    QTreeWidget *m_counts;
};

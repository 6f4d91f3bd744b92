#pragma once

// "Diff A ↔ B": the state at cursor A (pinned on the replay bar) against the state at cursor
// B (the replay's position, or another stream at B's time). B's state is shown as a tree with
// what differs from A highlighted (added, changed, removed as struck-out ghost rows), a legend
// of the colours and the list of changes.

#include "query/statediff.h"
#include "questionpanel.h"

class JsonTreeModel;
class QLineEdit;
class QTreeView;
class QTreeWidget;

class StateDiffView : public QuestionPanel
{
    Q_OBJECT

public:
    explicit StateDiffView(QWidget *parent = nullptr);

    void showPending(const QString &what);
    void setResult(const StateDiffResult &result);

    // B's stream when it is not the replayed one; empty: the replayed stream.
    QString otherStream() const;
    QLineEdit *otherStreamEdit() const { return m_otherStream; }
    JsonTreeModel *model() const { return m_model; }
    QTreeWidget *changes() const { return m_changes; }
    QTreeView *tree() const { return m_tree; }

signals:
    void otherStreamChanged();

private:
    QLineEdit *m_otherStream;
    JsonTreeModel *m_model;
    QTreeView *m_tree;
    QTreeWidget *m_changes;
};

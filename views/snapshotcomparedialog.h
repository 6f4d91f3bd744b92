#pragma once

// Replay ▸ Compare with Stored Snapshot: a snapshot the library stored beside the state the
// replay folds at the same version, each as a tree with the differing fields highlighted (or
// both as text when the snapshot is not JSON), the differences listed, and a one-line
// verdict. It only shows a SnapshotComparison; the window has it computed on the worker.

#include "replay/snapshotcomparison.h"

#include <QDialog>

class JsonTreeModel;
class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTreeView;
class QTreeWidget;

class SnapshotCompareDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SnapshotCompareDialog(QWidget *parent = nullptr);

    void showPending(const StoredSnapshot &snapshot); // while the replayed state is computed
    void setComparison(const SnapshotComparison &comparison);
    void showError(const QString &message);

    StoredSnapshot snapshot() const { return m_snapshot; }
    QString verdict() const;
    QTreeWidget *differences() const { return m_differences; }
    const JsonTreeModel *storedModel() const { return m_storedModel; }
    const JsonTreeModel *replayedModel() const { return m_replayedModel; }
    QString storedText() const; // what the text view shows, when the snapshot is not JSON
    QString replayedText() const;

private:
    // One side: a tree, or a text view for what is not compared field by field.
    struct Side
    {
        QLabel *title = nullptr;
        QStackedWidget *stack = nullptr;
        QTreeView *tree = nullptr;
        QPlainTextEdit *text = nullptr;
    };
    Side makeSide(JsonTreeModel *model, const QString &name);
    void showTree(const Side &side, JsonTreeModel *model, const QJsonValue &value,
                  const QVector<JsonChange> &marks);
    void setVerdict(const QString &text, const QColor &color);

    StoredSnapshot m_snapshot;
    QLabel *m_heading;
    QLabel *m_verdict;
    JsonTreeModel *m_storedModel;
    JsonTreeModel *m_replayedModel;
    Side m_stored;
    Side m_replayed;
    QTreeWidget *m_differences;
};

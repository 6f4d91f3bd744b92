#pragma once

// Tools ▸ Check Store's answer: the integrity problems grouped by kind ("version_gap (2)"),
// each with its stream, version, position and detail; while the check runs, its progress and
// a Cancel button. Activating a problem (click, Enter) asks to go to its event.

#include "query/integritycheck.h"

#include <QVector>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

class ProblemsList : public QWidget
{
    Q_OBJECT

public:
    explicit ProblemsList(QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    QPushButton *cancelButton() const { return m_cancel; }
    QString statusText() const;

    void showRunning();
    void showProgress(qint64 done, qint64 total); // total <= 0: not known
    void setProblems(const QVector<IntegrityProblem> &problems, const IntegritySummary &summary,
                     bool limited);
    void showMessage(const QString &message); // a failed or cancelled check
    void clear();

    // The kinds in the tree, with their counts: "version_gap (2)", in the tree's order.
    QStringList groupTexts() const;

signals:
    void cancelRequested();
    void problemActivated(const QString &stream, qint64 position);

private:
    void activate(QTreeWidgetItem *item);
    void setRunning(bool running);

    QTreeWidget *m_tree;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
};

#pragma once

// Tools ▸ Schema…: per event type its payload's fields, with their value types, how many
// events hold them, their presence over time (a strip: in each slice of the time range, the
// share of the type's events that hold the field) and the moments the field appeared, changed
// its value type or vanished. While the survey runs: progress and Cancel.

#include "query/schemadrift.h"

#include <QDialog>

class QLabel;
class QProgressBar;
class QPushButton;
class QTreeWidget;

class SchemaView : public QDialog
{
    Q_OBJECT

public:
    enum Column { FieldColumn, TypesColumn, EventsColumn, PresenceColumn, ChangesColumn };
    static constexpr int PresenceRole = Qt::UserRole; // QList<qreal>, a share per slice

    explicit SchemaView(QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    QPushButton *cancelButton() const { return m_cancel; }
    QString statusText() const;

    void showRunning();
    void showProgress(qint64 done);
    void setDrift(const SchemaDrift &drift);
    void showMessage(const QString &message);

signals:
    void cancelRequested();

private:
    void setRunning(bool running);

    QTreeWidget *m_tree;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
};

#pragma once

// The "History of this field" panel: every event that changed the value at one path of the
// replayed stream (version, time, type, kind of change, before → after), as FieldHistory
// finds it. A click on a row asks to move the replay to that version. While the history is
// being worked out it shows the progress and a Cancel button (QuestionPanel).

#include "query/fieldhistory.h"
#include "questionpanel.h"

#include <QAbstractTableModel>
class QTableView;

// The changes as rows; a million rows cost one vector, not a million items.
class FieldHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns { VersionColumn, TimeColumn, TypeColumn, ChangeColumn, ValuesColumn, ColumnCount };
    enum Roles { VersionRole = Qt::UserRole };

    using QAbstractTableModel::QAbstractTableModel;
    void setChanges(QVector<FieldChange> changes);
    const QVector<FieldChange> &changes() const { return m_changes; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVector<FieldChange> m_changes;
};

class FieldHistoryPanel : public QuestionPanel
{
    Q_OBJECT

public:
    explicit FieldHistoryPanel(QWidget *parent = nullptr);

    void showPending(const QString &stream, const QString &path);
    void showProgress(qint64 eventsFolded);
    void setChanges(const QVector<FieldChange> &changes);

    QTableView *view() const { return m_view; }
    FieldHistoryModel *model() const { return m_model; }

signals:
    void versionActivated(qint64 version);

private:
    QTableView *m_view;
    FieldHistoryModel *m_model;
};

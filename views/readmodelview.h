#pragma once

// The Read Model dock: a projection file with a "key" (Load Projection…), the states it
// folds the store into, one row per key, in a sortable table of the key, its events and the
// state's fields, and a bar chart of one numeric field per key (the chooser holds the fields
// that are numbers in every state holding them). While the fold runs: progress and Cancel.

#include "query/readmodel.h"

#include <QWidget>

class QBarSeries;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

class ReadModelView : public QWidget
{
    Q_OBJECT

public:
    // The most keys the chart shows bars for (the table holds them all).
    static constexpr int MaxBars = 40;

    explicit ReadModelView(QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    QComboBox *fieldChooser() const { return m_field; }
    QPushButton *loadButton() const { return m_load; }
    QPushButton *cancelButton() const { return m_cancel; }
    QBarSeries *series() const { return m_series; }
    QString statusText() const;

    void showRunning(const QString &projection);
    void showProgress(qint64 done, qint64 total);
    void setResult(const ReadModelResult &result);
    void showMessage(const QString &message);
    void clear();

signals:
    void loadRequested(const QString &path);
    void cancelRequested();

private:
    void showChart();
    void setRunning(bool running);

    QPushButton *m_load;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_sorted;
    QTableView *m_table;
    QComboBox *m_field;
    QChart *m_chart;
    QChartView *m_chartView;
    QBarSeries *m_series;
    ReadModelResult m_result;
};

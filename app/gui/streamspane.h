#pragma once

// The Streams dock: a filter field over the list of the store's streams. What is typed
// filters the list after a short pause, one query per pause rather than per key.

#include <QTimer>
#include <QWidget>

class QLineEdit;
class QTableView;
class StreamListModel;

class StreamsPane : public QWidget
{
    Q_OBJECT

public:
    explicit StreamsPane(QWidget *parent = nullptr);

    StreamListModel *model() const { return m_model; }
    QLineEdit *filterEdit() const { return m_filter; }
    QTableView *view() const { return m_view; }
    bool isFiltering() const { return m_filterDelay.isActive(); } // typed, not yet applied

    // Selects the stream, fetching the list's pages until it is there; false when the store
    // (as the list is filtered) has no such stream. Empty: no selection.
    bool selectStream(const QString &stream);
    void clearSelection();
    void focusFilter();
    void clearFilter(); // at once: a filter typed for the last store would empty the next

signals:
    void streamSelected(const QString &stream); // empty: none
    void filterApplied();

private:
    StreamListModel *m_model;
    QLineEdit *m_filter;
    QTableView *m_view;
    QTimer m_filterDelay;
};

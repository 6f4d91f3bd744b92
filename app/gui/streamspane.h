#pragma once

// The Streams dock: a filter field over the list of the store's streams. What is typed
// filters the list after a short pause, one query per pause rather than per key. The list's
// rows are read on the session's worker; a stream whose row is not loaded is found by a seek
// of the list, answered later.

#include <QTimer>
#include <QWidget>

class QLineEdit;
class QTableView;
class QVariant;
class StoreSession;
class StreamListModel;

class StreamsPane : public QWidget
{
    Q_OBJECT

public:
    explicit StreamsPane(QWidget *parent = nullptr);

    StreamListModel *model() const { return m_model; }
    QLineEdit *filterEdit() const { return m_filter; }
    QTableView *view() const { return m_view; }
    // The session whose open store the list reads; nullptr empties it (and forgets a seek).
    void setSession(StoreSession *session);
    // True when nothing typed waits to be applied and the list waits for no read.
    bool isSettled() const;

    // Selects the stream: at once when its row is loaded, else streamSelected(stream) at once
    // (what follows, a replay to a version, belongs to it) and the row once a seek of the list
    // has found it, or streamNotFound when the store (as the list is filtered) has no such
    // stream. Only the latest seek is carried out. Empty: no selection.
    void selectStream(const QString &stream);
    void clearSelection(); // and a seek not yet answered is dropped
    void focusFilter();
    void clearFilter(); // at once: a filter typed for the last store would empty the next

signals:
    void streamSelected(const QString &stream); // empty: none
    void streamNotFound(const QString &stream);
    void settled(); // the filter applied, or the list's last read answered

private:
    void onRowFound(int row, const QVariant &stream);
    void selectRow(int row);

    StreamListModel *m_model;
    QLineEdit *m_filter;
    QTableView *m_view;
    QTimer m_filterDelay;
    QString m_sought; // the stream of the latest seek, unanswered
};

#pragma once

// Which events of the replayed stream changed one field ("History of this field", from the
// State tree's context menu): a row per change with its version, time, event type and the
// value before and after; a click moves the replay to that event. While the stream is
// walked it shows progress and a Cancel button.

#include "query/fieldhistory.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTreeWidget;

class FieldHistoryPanel : public QWidget
{
    Q_OBJECT

public:
    // More changes than a list shows usefully; the rest are counted, not listed.
    static constexpr int MaxRows = 100000;

    explicit FieldHistoryPanel(QWidget *parent = nullptr);

    void showPending(const QString &stream, const QString &path);
    void setProgress(qint64 eventsRead);
    // `total`: all the changes found, of which `changes` are the first.
    void setChanges(const QVector<FieldChange> &changes, qint64 total);
    void showMessage(const QString &message); // an error, a cancel, or nothing asked yet

    QTreeWidget *list() const { return m_list; }
    QString heading() const;
    QString message() const;

signals:
    void changeActivated(qint64 index); // the event's index in the stream
    void cancelRequested();

private:
    QLabel *m_heading;
    QStackedWidget *m_stack;
    QLabel *m_message;
    QWidget *m_progressPage;
    QProgressBar *m_progress;
    QLabel *m_progressLabel;
    QPushButton *m_cancel;
    QTreeWidget *m_list;
};

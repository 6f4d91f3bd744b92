#pragma once

// The status bar's right end: what the session (or another job) is working on, its progress
// when the job reports one (indexing does), and a button that cancels the session's work.
// Hidden while nothing is running.

#include <QObject>
#include <QString>

class QLabel;
class QProgressBar;
class QStatusBar;
class QToolButton;
class StoreSession;

class BusyIndicator : public QObject
{
    Q_OBJECT

public:
    BusyIndicator(QStatusBar *bar, StoreSession *session);

    void setBusy(bool busy, const QString &what);
    void setText(const QString &what);           // of the running job
    void setProgress(qint64 done, qint64 total); // a bar that fills instead of a busy one

private:
    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_cancelButton;
    QString m_what; // the running job, as setBusy named it
};

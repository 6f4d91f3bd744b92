#pragma once

// The status bar's right end: what is being worked on, its progress when the job reports
// one, and a button that cancels it. Hidden while nothing is running.

#include <QObject>

class QLabel;
class QProgressBar;
class QStatusBar;
class QToolButton;

class BusyIndicator : public QObject
{
    Q_OBJECT

public:
    explicit BusyIndicator(QStatusBar *bar);

    void setBusy(bool busy, const QString &what);
    void setText(const QString &what);           // of the running job
    void setProgress(qint64 done, qint64 total); // a bar that fills instead of a busy one

signals:
    void cancelRequested();

private:
    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_cancelButton;
};

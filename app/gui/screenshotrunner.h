#pragma once

// Drives the window for `eventscope STORE --screenshot FILE.png`: waits until the store is
// open, the stream selected, the replay at the asked version and every view drawn, then
// renders the window to the PNG and quits (exit 0; 1 when the store cannot be opened).

#include <QObject>
#include <QString>
#include <QTimer>

class MainWindow;

class ScreenshotRunner : public QObject
{
    Q_OBJECT

public:
    ScreenshotRunner(MainWindow *window, const QString &path, const QString &stream, qint64 version,
                     QObject *parent = nullptr);

private:
    void onOpened();
    void onSettled();
    void capture();
    void finish(int code, const QString &message);

    MainWindow *m_window;
    QString m_path;
    QString m_stream;
    qint64 m_version;
    bool m_opened = false;
    QTimer m_quiet; // views repaint after the last answer: wait a moment of calm
    QTimer m_timeout;
};

#include "screenshotrunner.h"

#include "mainwindow.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPixmap>

#include <cstdio>

using namespace Qt::StringLiterals;

ScreenshotRunner::ScreenshotRunner(MainWindow *window, const QString &path, const QString &stream,
                                   qint64 version, QObject *parent)
    : QObject(parent), m_window(window), m_path(path), m_stream(stream), m_version(version)
{
    m_quiet.setSingleShot(true);
    m_quiet.setInterval(400);
    connect(&m_quiet, &QTimer::timeout, this, &ScreenshotRunner::capture);
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(120000);
    connect(&m_timeout, &QTimer::timeout, this,
            [this] { finish(1, u"timed out waiting for the window to settle"_s); });
    m_timeout.start();
    connect(window, &MainWindow::storeOpened, this, &ScreenshotRunner::onOpened);
    connect(window, &MainWindow::storeFailed, this,
            [this](const QString &message) { finish(1, message); });
    connect(window, &MainWindow::settled, this, &ScreenshotRunner::onSettled);
}

void ScreenshotRunner::onOpened()
{
    m_opened = true;
    if (!m_stream.isEmpty())
        m_window->selectStream(m_stream);
    if (m_version >= 0)
        m_window->replayTo(m_version);
}

void ScreenshotRunner::onSettled()
{
    if (m_opened)
        m_quiet.start();
}

void ScreenshotRunner::capture()
{
    if (!m_window->isSettled()) {
        m_quiet.start();
        return;
    }
    const QPixmap shot = m_window->grab();
    if (shot.isNull() || !shot.save(m_path, "PNG")) {
        finish(1, u"cannot write the screenshot to %1"_s.arg(m_path));
        return;
    }
    finish(0, u"wrote %1 (%2×%3)"_s.arg(QFileInfo(m_path).absoluteFilePath())
                  .arg(shot.width())
                  .arg(shot.height()));
}

void ScreenshotRunner::finish(int code, const QString &message)
{
    std::fprintf(code == 0 ? stdout : stderr, "eventscope: %s\n", qPrintable(message));
    std::fflush(nullptr);
    QCoreApplication::exit(code);
}

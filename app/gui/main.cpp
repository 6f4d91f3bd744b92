// eventscope: the explorer window.

#include "mainwindow.h"
#include "screenshotrunner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"Eventscope"_s);
    QApplication::setOrganizationName(u"Eventscope"_s);
    QApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
    QApplication::setDesktopFileName(u"io.github.eventscope.Eventscope"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Explore event-sourced data: streams, events, a timeline, "
                                     "and any aggregate's state at any point of its history."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(u"STORE"_s, u"An SQLite event store to open."_s, u"[STORE]"_s);
    const QCommandLineOption stream(u"stream"_s, u"Select this stream."_s, u"S"_s);
    const QCommandLineOption at(u"at"_s, u"Replay the stream to this version."_s, u"VERSION"_s);
    const QCommandLineOption map(u"map"_s, u"Column mapping, as for eventscope-cli."_s, u"SPEC"_s);
    const QCommandLineOption screenshot(u"screenshot"_s,
                                        u"Render the window to this PNG file and exit."_s,
                                        u"FILE.png"_s);
    const QCommandLineOption size(u"size"_s, u"Window size for --screenshot (default 1600x1000)."_s,
                                  u"WxH"_s);
    const QCommandLineOption settings(u"settings"_s, u"Use this settings file."_s, u"FILE"_s);
    parser.addOptions({stream, at, map, screenshot, size, settings});
    parser.process(app);

    const QStringList stores = parser.positionalArguments();
    const auto usage = [](const QString &message) {
        std::fprintf(stderr, "eventscope: %s\n", qPrintable(message));
        return 2;
    };
    if (stores.size() > 1)
        return usage(u"give one store at most"_s);
    qint64 version = -1;
    if (parser.isSet(at)) {
        bool ok = false;
        version = parser.value(at).toLongLong(&ok);
        if (!ok || version < 0)
            return usage(u"--at needs a version number, not '%1'"_s.arg(parser.value(at)));
        if (!parser.isSet(stream))
            return usage(u"--at needs --stream"_s);
    }
    QSize windowSize(1600, 1000);
    if (parser.isSet(size)) {
        const auto m = QRegularExpression(u"^(\\d+)x(\\d+)$"_s).match(parser.value(size));
        if (!m.hasMatch() || m.captured(1).toInt() < 400 || m.captured(2).toInt() < 300)
            return usage(u"--size needs WxH of at least 400x300, not '%1'"_s.arg(parser.value(size)));
        windowSize = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    }
    if (parser.isSet(screenshot) && stores.isEmpty())
        return usage(u"--screenshot needs a STORE"_s);

    MainWindow window(parser.value(settings));
    if (parser.isSet(screenshot)) {
        window.resize(windowSize);
        new ScreenshotRunner(&window, parser.value(screenshot), parser.value(stream), version,
                             &window);
    }
    window.show();
    const QString store = stores.isEmpty() ? AppSettings(parser.value(settings)).lastStore()
                                           : stores.constFirst();
    if (!store.isEmpty() && (!stores.isEmpty() || QFileInfo::exists(store)))
        window.openStore(store, parser.value(map));
    if (!parser.isSet(screenshot) && parser.isSet(stream)) {
        QObject::connect(&window, &MainWindow::storeOpened, &window, [&] {
            window.selectStream(parser.value(stream));
            if (version >= 0)
                window.replayTo(version);
        });
    }
    return app.exec();
}

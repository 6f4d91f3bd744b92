// eventscope: the explorer window.

#include "guicommandline.h"
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

    const GuiCommandLine options;
    QCommandLineParser parser;
    options.setUp(parser);
    parser.process(app);
    if (parser.isSet(options.man)) {
        std::fputs(options.manPage().toUtf8().constData(), stdout);
        return 0;
    }

    const QStringList stores = parser.positionalArguments();
    const auto usage = [](const QString &message) {
        std::fprintf(stderr, "eventscope: %s\n", qPrintable(message));
        return 2;
    };
    if (stores.size() > 1)
        return usage(u"give one store at most"_s);
    qint64 version = -1;
    if (parser.isSet(options.at)) {
        bool ok = false;
        version = parser.value(options.at).toLongLong(&ok);
        if (!ok || version < 0)
            return usage(u"--at needs a version number, not '%1'"_s.arg(parser.value(options.at)));
        if (!parser.isSet(options.stream))
            return usage(u"--at needs --stream"_s);
    }
    QSize windowSize(1600, 1000);
    if (parser.isSet(options.size)) {
        const auto m = QRegularExpression(u"^(\\d+)x(\\d+)$"_s).match(parser.value(options.size));
        if (!m.hasMatch() || m.captured(1).toInt() < 400 || m.captured(2).toInt() < 300)
            return usage(u"--size needs WxH of at least 400x300, not '%1'"_s.arg(
                parser.value(options.size)));
        windowSize = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    }
    if (parser.isSet(options.screenshot) && stores.isEmpty())
        return usage(u"--screenshot needs a STORE"_s);

    MainWindow window(parser.value(options.settings));
    if (parser.isSet(options.screenshot)) {
        window.resize(windowSize);
        new ScreenshotRunner(&window, parser.value(options.screenshot),
                             parser.value(options.stream), version, &window);
    }
    window.show();
    const QString store = stores.isEmpty() ? AppSettings(parser.value(options.settings)).lastStore()
                                           : stores.constFirst();
    if (!store.isEmpty() && (!stores.isEmpty() || QFileInfo::exists(store)))
        window.openStore(store, parser.value(options.map), parser.value(options.table));
    if (!parser.isSet(options.screenshot) && parser.isSet(options.stream)) {
        QObject::connect(&window, &MainWindow::storeOpened, &window, [&] {
            window.selectStream(parser.value(options.stream));
            if (version >= 0)
                window.replayTo(version);
        });
    }
    return app.exec();
}

#include "windowfigure.h"

#include "mainwindow.h"
#include "samples.h"
#include "timelineview.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

constexpr double FirstPaintMs = 1000;
constexpr int SettleTimeoutMs = 600000;
constexpr QSize WindowSize(1920, 1080);

// Runs the event loop until `signal` of `window`, or a failure; false on failure or timeout.
template<typename Signal> bool waitFor(MainWindow &window, Signal signal, QString *error)
{
    QEventLoop loop;
    bool ok = false;
    QObject::connect(&window, signal, &loop, [&] {
        ok = true;
        loop.quit();
    });
    QObject::connect(&window, &MainWindow::storeFailed, &loop, [&](const QString &message) {
        *error = message;
        loop.quit();
    });
    QTimer::singleShot(SettleTimeoutMs, &loop, [&] {
        *error = u"the window did not answer within %1 s"_s.arg(SettleTimeoutMs / 1000);
        loop.quit();
    });
    loop.exec();
    return ok;
}

int rows(const MainWindow &window, const QString &view)
{
    const auto *table = window.findChild<QTableView *>(view);
    return table && table->model() ? table->model()->rowCount() : -1;
}

} // namespace

bool WindowFigure::measure(const QString &store, const Options &options, ResultTable &table,
                           QString *error)
{
    Samples firstPaint;
    Samples settled;
    bool showsRows = true;
    for (int i = 0; i < options.repeats; ++i) {
        QTemporaryDir settings;
        MainWindow window(settings.filePath(u"eventscope.ini"_s));
        window.setAttribute(Qt::WA_DontShowOnScreen);
        window.resize(WindowSize);
        window.show();
        QElapsedTimer clock;
        clock.start();
        window.openStore(store, options.mapSpec);
        if (!waitFor(window, &MainWindow::storeOpened, error))
            return false;
        window.grab();
        firstPaint.add(double(clock.nsecsElapsed()) / 1e6);
        const auto *timeline = window.findChild<TimelineView *>(u"timeline"_s);
        showsRows = showsRows && rows(window, u"streams"_s) > 0 && rows(window, u"events"_s) > 0 &&
                    timeline &&
                    (!options.needsDensity || timeline->paintStats().densityColumns > 0);
        if (!waitFor(window, &MainWindow::settled, error))
            return false;
        window.grab();
        settled.add(double(clock.nsecsElapsed()) / 1e6);
    }
    const QString shows = options.needsDensity ? u"the timeline's density, streams and events"_s
                                               : u"streams and events"_s;
    table.addTimed(options.label +
                       u"window: open to first paint (counts, time range, density, streams, "
                       "events)"_s,
                   firstPaint.median(), std::nullopt, FirstPaintMs);
    table.add({options.label + u"window: first paint shows "_s + shows,
               showsRows ? u"yes"_s : u"no"_s,
               {},
               {},
               u"yes"_s,
               ResultTable::verdict(showsRows)});
    const QString settledWhat =
        options.label + u"window: open until indexed, timeline lanes and charts shown"_s;
    if (options.settledLimitMs)
        table.addTimed(settledWhat, settled.median(), std::nullopt, *options.settledLimitMs);
    else
        table.addInfo(settledWhat, ResultTable::duration(settled.median()));
    return true;
}

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

#include <functional>

using namespace Qt::StringLiterals;

namespace {

constexpr double FirstPaintMs = 1000;
constexpr int SettleTimeoutMs = 600000;
constexpr QSize WindowSize(1920, 1080);

// Runs the event loop until `done()` holds (looked at every millisecond), or a failure; false
// on failure or timeout.
bool waitUntil(MainWindow &window, const std::function<bool()> &done, QString *error)
{
    if (done())
        return true;
    QEventLoop loop;
    bool ok = false;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done()) {
            ok = true;
            loop.quit();
        }
    });
    poll.start(1);
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
    QStringList missing; // what a first paint lacked, for the row
    for (int i = 0; i < options.repeats; ++i) {
        QTemporaryDir settings;
        MainWindow window(settings.filePath(u"eventscope.ini"_s));
        window.setAttribute(Qt::WA_DontShowOnScreen);
        window.resize(WindowSize);
        window.show();
        bool opened = false;
        bool settledDown = false;
        QObject::connect(&window, &MainWindow::storeOpened, [&] { opened = true; });
        QObject::connect(&window, &MainWindow::settled, [&] { settledDown = opened; });
        QElapsedTimer clock;
        clock.start();
        window.openStore(store, options.mapSpec);
        // The first paint is when the lists show their first rows, not when the store is open:
        // they fill from the worker after storeOpened. A window that settles without them is
        // timed there and reported below.
        const auto listsShown = [&] {
            return opened && rows(window, u"streams"_s) > 0 && rows(window, u"events"_s) > 0;
        };
        if (!waitUntil(
                window, [&] { return listsShown() || settledDown; }, error))
            return false;
        window.grab();
        firstPaint.add(double(clock.nsecsElapsed()) / 1e6);
        const auto *timeline = window.findChild<TimelineView *>(u"timeline"_s);
        const int streams = rows(window, u"streams"_s);
        const int events = rows(window, u"events"_s);
        const int density = timeline ? timeline->paintStats().densityColumns : 0;
        const bool shows = streams > 0 && events > 0 && (!options.needsDensity || density > 0);
        if (!shows)
            missing << u"%1 streams, %2 events, %3 density columns"_s.arg(streams).arg(events).arg(
                density);
        showsRows = showsRows && shows;
        if (!waitUntil(
                window, [&] { return settledDown; }, error))
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
               showsRows ? u"yes"_s : u"no ("_s + missing.join(u"; "_s) + u')',
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

#include "aggregatefigure.h"

#include "aggregatetools.h"
#include "bisectdialog.h"
#include "fieldhistorypanel.h"
#include "machineinfo.h"
#include "mainwindow.h"
#include "samples.h"
#include "stateview.h"

#include "query/fieldhistory.h"
#include "query/statebisect.h"
#include "store/eventstore.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTimer>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

const QString BisectPredicate = u"risk == \"high\""_s;
constexpr int TickMs = 10;
constexpr double ResponsiveGapMs = 100; // a stall a user notices
constexpr int WaitLimitMs = 600000;
constexpr qint64 IdleMs = 2000;
constexpr QSize WindowSize(1500, 950);

QString count(qint64 n)
{
    return QLocale::c().toString(n);
}

QueryPath balancePath()
{
    PathStep step;
    step.key = u"balance"_s;
    return QueryPath({step});
}

// Runs the event loop until `done`, ticking every 10 ms; the longest time between two ticks
// (the GUI thread's longest stall), or a negative value after the time limit.
double longestGapUntil(const std::function<bool()> &done, double *elapsedMs = nullptr)
{
    QEventLoop loop;
    QTimer ticker;
    QElapsedTimer clock;
    QElapsedTimer sinceTick;
    double longest = 0;
    bool finished = false;
    ticker.setInterval(TickMs);
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, &loop, [&] {
        longest = qMax(longest, double(sinceTick.nsecsElapsed()) / 1e6);
        sinceTick.restart();
        if (done()) {
            finished = true;
            loop.quit();
        } else if (clock.elapsed() > WaitLimitMs) {
            loop.quit();
        }
    });
    clock.start();
    sinceTick.start();
    ticker.start();
    loop.exec();
    if (elapsedMs)
        *elapsedMs = double(clock.nsecsElapsed()) / 1e6;
    return finished ? longest : -1;
}

bool engineFigures(const QString &path, qint64 events, ResultTable &table, QString *error)
{
    StoreError openError;
    auto store = EventStore::open(StoreLocation::parse(path), {}, &openError);
    if (!store) {
        *error = openError.message;
        return false;
    }
    const QString stream = AggregateFigure::streamName();

    MachineInfo::resetPeakResident();
    QVector<FieldChange> changes;
    bool ok = false;
    const double historyMs = timeMs([&] {
        ReplayEngine engine(*store, stream);
        ok = FieldHistory::walk(
            engine, balancePath(),
            [&changes](const FieldChange &c) {
                changes.append(c);
                return true;
            },
            {}, error);
    });
    if (!ok)
        return false;
    table.addInfo(u"history of balance, %1-event stream (engine): %2 changes"_s.arg(
                      count(events), count(changes.size())),
                  ResultTable::duration(historyMs));
    table.addInfo(u"peak resident memory (VmHWM), history of balance"_s,
                  ResultTable::megabytes(double(MachineInfo::peakResidentBytes())));
    changes.clear();
    changes.squeeze();

    QueryError parseError;
    const auto predicate = Predicate::parse(BisectPredicate, &parseError);
    if (!predicate) {
        *error = parseError.text();
        return false;
    }
    std::optional<BisectResult> found;
    const double bisectMs = timeMs([&] {
        ReplayEngine engine(*store, stream);
        found = StateBisect::find(engine, *predicate, {}, error);
    });
    if (!found)
        return false;
    if (!found->found) {
        *error = u"bisect found no event where %1 holds"_s.arg(BisectPredicate);
        return false;
    }
    table.addInfo(u"bisect %1, flips at version %2 of %3 (engine)"_s.arg(
                      BisectPredicate, count(found->found->version), count(events)),
                  ResultTable::duration(bisectMs));
    return true;
}

bool windowFigures(const QString &path, ResultTable &table, QString *error)
{
    QTemporaryDir settings;
    MainWindow window(settings.filePath(u"eventscope.ini"_s));
    window.setAttribute(Qt::WA_DontShowOnScreen);
    window.resize(WindowSize);
    window.show();
    const QString stream = AggregateFigure::streamName();
    window.openStore(path);
    if (longestGapUntil([&] { return !window.storeName().isEmpty() && window.isSettled(); }) < 0) {
        *error = u"the window did not open %1"_s.arg(path);
        return false;
    }
    window.selectStream(stream);
    if (longestGapUntil([&] {
            return window.isSettled() && window.stateView()->heading().contains(stream);
        }) < 0) {
        *error = u"the window did not replay %1"_s.arg(stream);
        return false;
    }
    AggregateTools *tools = window.aggregateTools();
    // The stall an idle window shows on this machine (a loaded machine delays timers too): the
    // baseline of the stalls below.
    QElapsedTimer idle;
    idle.start();
    const double idleGap = longestGapUntil([&] { return idle.elapsed() >= IdleMs; });

    FieldHistoryPanel *panel = tools->historyPanel();
    tools->showHistory(balancePath());
    double historyMs = 0;
    const double historyGap =
        longestGapUntil([&] { return !panel->isBusy() && window.isSettled(); }, &historyMs);
    if (historyGap < 0 || panel->model()->rowCount() == 0) {
        *error = u"the window's history of balance did not finish: %1"_s.arg(panel->statusText());
        return false;
    }
    table.addInfo(u"window: history of balance until shown (%1 rows)"_s.arg(
                      count(panel->model()->rowCount())),
                  ResultTable::duration(historyMs));
    table.addTimed(u"window: longest GUI stall while the history runs (10 ms ticks)"_s, historyGap,
                   idleGap, ResponsiveGapMs);

    tools->showBisect();
    BisectDialog *dialog = tools->bisectDialog();
    dialog->predicateEdit()->setText(BisectPredicate);
    dialog->findButton()->click();
    double bisectMs = 0;
    const double bisectGap = longestGapUntil(
        [&] { return dialog->cancelButton()->isHidden() && window.isSettled(); }, &bisectMs);
    if (bisectGap < 0 || !dialog->resultText().startsWith(u"Holds first"_s)) {
        *error = u"the window's bisect did not finish: %1"_s.arg(dialog->resultText());
        return false;
    }
    table.addInfo(u"window: bisect until shown and the replay moved there"_s,
                  ResultTable::duration(bisectMs));
    table.addTimed(u"window: longest GUI stall while the bisect runs (10 ms ticks)"_s, bisectGap,
                   idleGap, ResponsiveGapMs);
    dialog->close();
    return true;
}

} // namespace

QString AggregateFigure::streamName()
{
    return u"account-1"_s;
}

bool AggregateFigure::writeStore(const QString &path, qint64 events, QString *error)
{
    const QString connection = u"aggregate-figure-writer"_s;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        QSqlQuery query(db);
        const QString late = QString::number(events - events / 20);
        // balance changes every tenth event; risk turns "high" for the last 5%.
        const QStringList sql{
            u"PRAGMA journal_mode = OFF"_s,
            u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
            "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at "
            "TEXT NOT NULL, data TEXT, metadata TEXT, UNIQUE(stream_id, stream_version))"_s,
            u"WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < %1) "
            "INSERT INTO events SELECT n, '%2', n, NULL, "
            "CASE n % 3 WHEN 0 THEN 'Deposited' WHEN 1 THEN 'Withdrawn' ELSE 'Noted' END, "
            "strftime('%Y-%m-%dT%H:%M:%S.000Z', 1767225600 + n, 'unixepoch'), "
            "'{\"seq\":' || n || ',\"balance\":' || ((n / 10) % 1000) || ',\"risk\":\"' || "
            "CASE WHEN n > %3 THEN 'high' ELSE 'low' END || '\"}', '{}' FROM i"_s.arg(events)
                .arg(streamName(), late)};
        ok = db.open();
        for (const QString &statement : sql) {
            if (ok && !query.exec(statement)) {
                *error = u"cannot write %1: %2"_s.arg(path, query.lastError().text());
                ok = false;
            }
        }
        if (!db.isOpen() && error->isEmpty())
            *error = u"cannot create %1: %2"_s.arg(path, db.lastError().text());
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

bool AggregateFigure::measure(const QString &storePath, qint64 events, ResultTable &table,
                              QString *error)
{
    return engineFigures(storePath, events, table, error) && windowFigures(storePath, table, error);
}

#include "storestatus.h"

#include "shorttime.h"

#include <QCoreApplication>
#include <QLocale>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("StoreStatus", text);
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

QString storeStatusText(const StoreSummary &summary, const QString &where)
{
    QString table = summary.table;
    if (summary.matches.size() > 1)
        table = tr("%1 (1 of %2 event tables, Ctrl+Shift+T to choose)")
                    .arg(summary.table)
                    .arg(summary.matches.size());
    // A quick summary's figures say what they are until the exact counts arrive.
    const QString events =
        summary.exact ? number(summary.events) : tr("≤ %1").arg(number(summary.events));
    const QString streams = summary.streams < 0 ? tr("counting") : number(summary.streams);
    return tr("%1 events · %2 streams · %3 – %4 · %5 · %6 %7")
        .arg(events, streams, shortTime(summary.firstTimeMs), shortTime(summary.lastTimeMs), where,
             summary.layoutTitle, table);
}

#pragma once

// Picks the StoreLayouts that describe a store: the known libraries' tables and Eventscope's
// own found in its catalog, or a user's column mapping checked against the table it names.

#include "store/storecatalog.h"
#include "store/storelayout.h"

#include <QSqlDatabase>
#include <QString>
#include <QVector>

class LayoutDetector
{
public:
    // Best first; empty (with error) when nothing matches. A mapping gives just its layout.
    static QVector<StoreLayout> detect(QSqlDatabase &db, const StoreCatalog &catalog,
                                       const QString &storeName, const QString &mapSpec,
                                       StoreError *error);
    // SQLite declares no reliable column types: one stored time tells text, epoch seconds and
    // epoch milliseconds apart.
    static bool sampleTimeFormat(QSqlDatabase &db, StoreLayout &layout, const QString &storeName,
                                 StoreError *error);
    // True when every time of the layout is a valid time in the canonical form
    // YYYY-MM-DDTHH:MM:SS.mmmZ, which orders as text as it does as a time: what a layout's
    // canonicalIsoTime claims, and only its own writer can promise. A user's store in the own
    // layout may hold anything: an offset makes 09:00+08:00 sort after 02:00Z, and
    // 2026-02-30 would bound ranges. One pass over the time column (its index, where it has
    // one); *ok false when it cannot be read.
    static bool allTimesCanonical(QSqlDatabase &db, const StoreLayout &layout, bool *ok);
    // A stream is named by its text: the integer 1 and the text "1" are one stream "1", and
    // a REAL stream 1.5 is the stream "1.5". Where an SQLite stream column may hold values
    // that compare unlike their text (a column without TEXT affinity holding reals, blobs, or
    // integers beside text), the layout's stream becomes that text, so that every listing,
    // filter and replay groups and finds streams by what they are shown as. One pass over the
    // column at open where its affinity is not TEXT (over the streams' table where a join
    // names them); not for a view. false when the column
    // cannot be read.
    static bool streamsByText(QSqlDatabase &db, const StoreCatalog &catalog, StoreLayout &layout,
                              const QString &storeName, StoreError *error);
};

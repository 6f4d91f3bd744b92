#pragma once

// Picks the StoreLayouts that describe a store: the known libraries' tables and Eventscope's
// own found in its catalog, or a user's column mapping checked against the table it names.

#include "storecatalog.h"
#include "storelayout.h"

#include <QSqlDatabase>
#include <QString>
#include <QVector>

class LayoutDetector
{
public:
    // Best first; empty (with error) when nothing matches. A mapping gives just its layout.
    static QVector<StoreLayout> detect(QSqlDatabase &db, const StoreCatalog &catalog,
                                       const QString &storeName, const QString &mapSpec,
                                       QString *error);
    // SQLite declares no reliable column types: one stored time tells text, epoch seconds and
    // epoch milliseconds apart.
    static bool sampleTimeFormat(QSqlDatabase &db, StoreLayout &layout, const QString &storeName,
                                 QString *error);
};

#pragma once

// The tables of well-known event-sourcing libraries (../shared/LAYOUTS.md) and Eventscope's
// own, recognised in a store's catalog. Each match is a StoreLayout ready to read; a store may
// hold several (one per schema, or tables of two libraries).

#include "store/columnmapping.h"
#include "store/storecatalog.h"
#include "store/storelayout.h"

#include <QStringList>
#include <QVector>

class KnownLayouts
{
public:
    // Every layout the catalog holds, in priority order. nearMisses gets a line for each
    // table named like a library's that lacks a column the library writes.
    static QVector<StoreLayout> match(const StoreCatalog &catalog, QStringList *nearMisses);
    // A layout that reads one table through a user's column names (columns already checked).
    static StoreLayout mapped(const StoreCatalog &catalog, const CatalogTable &table,
                              const ColumnMapping &mapping);
    // The stable ids, for documentation and the CLI's help.
    static QStringList ids();
};

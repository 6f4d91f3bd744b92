#pragma once

// Eventscope orders events by their position and pages through them by it ("after the last
// position of the page before"): that needs a position that is an integer, unique, and in
// every row. A text position repeats the first page forever; a repeated one loses the rows
// that share a page's last position; a NULL one is never read. The position of a known layout
// is such a column; one the user maps is checked when the store opens.

#include "store/storecatalog.h"
#include "store/storelayout.h"

#include <QSqlDatabase>
#include <QString>

class PositionColumn
{
public:
    // Whether `column` of `table`, the position of `layout`, pages faithfully: proven from
    // the schema (an INTEGER PRIMARY KEY; a NOT NULL integer column with a unique index), else
    // by reading the values of up to CheckedRows rows. Else false, and *error says what the
    // column lacks and what to map instead.
    static bool validate(QSqlDatabase &db, const CatalogTable &table, const QString &column,
                         const StoreLayout &layout, const QString &storeName, QString *error);

    static constexpr qint64 CheckedRows = 200000;
};

#pragma once

// Reads a store's catalog and picks the StoreLayout that describes it: Eventscope's own
// layout, or a user's column mapping (spec string) checked against the table it names.

#include "storelayout.h"

#include <QMap>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

class LayoutDetector
{
public:
    static std::optional<StoreLayout> detect(QSqlDatabase &db, const QString &storeName,
                                             const QString &mapSpec, QString *error);
    // Every table and view with its columns, in name order: what a user can map.
    static QMap<QString, QStringList> catalog(QSqlDatabase &db);
};

#pragma once

// The figures of the questions about the whole store (issue #15) on the main demo store:
// payload search (a predicate pushed into SQL, plain text narrowed in SQL, a predicate no SQL
// narrows), the integrity check, the schema survey and a read model, each against the raw
// two-thread scan of the index's columns that the shapes' `info` figures use.

#include "resulttable.h"

#include <QString>

class EventStore;

namespace StoreFigures {

// path: the store's SQLite file, for the raw scan. False with *error when a question fails.
bool measure(EventStore &store, const QString &path, ResultTable &table, QString *error);

} // namespace StoreFigures

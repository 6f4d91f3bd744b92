#pragma once

// A search's predicate (query/predicate.h) narrowed into SQL: a condition that every event
// whose payload satisfies the predicate meets, for the database to leave out most of the
// others before their rows are read. It is a prefilter only: the search still evaluates the
// predicate on each decoded event, so that the answer is the one the client's reading of the
// JSON gives, whatever the database's reading would say (duplicate keys, number precision,
// text order). Where it cannot be sure that a part of the predicate holds only for rows its
// test lets through, it drops that part (it reads as true).
//
// SQLite: a payload column holding JSON text is tested over json_tree(), which visits every
// value (duplicate keys included); rows that are not valid JSON text (BLOBs, compressed) are
// let through. PostgreSQL: a jsonb column with its operators (#>, jsonb_typeof). Other columns
// (json, text, bytea, large objects) and payloads the layout rewrites get no condition.

#include "store/storelayout.h"

#include <QString>
#include <QVariantList>

#include <optional>

class Predicate;

struct PayloadSqlCondition
{
    QString sql; // with positional '?' parameters
    QVariantList values;
};

class PayloadSqlFilter
{
public:
    // Over the layout's dataJson and metadataJson (a path starting with the key "metadata"
    // reads the metadata); nullopt when nothing can be pushed.
    static std::optional<PayloadSqlCondition> build(const Predicate &predicate,
                                                    const StoreLayout &layout, SqlDialect dialect);
};

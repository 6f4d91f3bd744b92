#pragma once

// NaturalOrder (core/naturalorder.h) in the SQL of each dialect, so that a store lists and
// pages streams in the order the EventIndex and the window use.
// - SQLite: the collation eventscope_natural on the connection, which calls
//   NaturalOrder::compare() itself.
// - PostgreSQL: a sort key computed by an expression (a read-only store cannot take a
//   CREATE COLLATION): the name's runs as an array of bytea, a digit run as 0x00, its length
//   without leading zeros as four bytes and those digits, any other run as 0x01 and its
//   UTF-8 bytes. Arrays compare element by element and bytea byte by byte, which is
//   compare()'s run by run; the name's own UTF-8 bytes break ties as compare() does.

#include <QSqlDatabase>
#include <QString>

class SqlNaturalOrder
{
public:
    // SQLite: adds the collation; false when the connection is not SQLite or SQLite refuses.
    static bool installCollation(const QSqlDatabase &db);
    // SQLite: `expression` compared in the natural order.
    static QString sqliteCollated(const QString &expression);
    // PostgreSQL: the key and the tie of a text expression; ordering by both, in this order,
    // is the natural order.
    static QString postgresKey(const QString &textExpression);
    static QString postgresTie(const QString &textExpression);
};

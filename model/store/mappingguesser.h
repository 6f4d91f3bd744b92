#pragma once

// Guesses which column of a table plays which role of a column mapping (position, stream,
// version, type, time, data, metadata) from the columns' names and from a sample of their
// values, for a store whose layout Eventscope does not know: the mapping dialog's proposal
// and the --map that the "no table looks like events" message suggests. Contents come first,
// since foreign tables are named anyhow: unique integers rising in table order are a
// position; a column whose groups another column counts up within (1, 2, 3…) is a stream, and
// that counter its version; values that all read as times are a time; a few texts repeating
// are a type; JSON or binary values are data, or metadata when named so. A name alone decides
// only where the sample has no values.

#include "core/storeerror.h"
#include "store/storecatalog.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVector>

#include <optional>

// The first rows of one table, as the database gives them.
struct TableSample
{
    static constexpr int Rows = 200;

    QString table; // as a mapping names it
    QStringList columns;
    QVector<QVariantList> rows; // at most Rows, in the table's own order

    // Up to Rows rows of the table; nullopt with *error when it cannot be read.
    static std::optional<TableSample> read(QSqlDatabase &db, const CatalogTable &table,
                                           StoreError *error);
};

struct RoleGuess
{
    QString column;
    QString reason; // for the user: what in the column made the guess
};

class MappingGuesser
{
public:
    // The roles, as --map names them, in the order a mapping lists them.
    static const QStringList &roles();
    // The column of each role that can be guessed; a role left out is not guessed.
    static QMap<QString, RoleGuess> guess(const TableSample &sample);
    // What the sample shows wrong in a chosen mapping (role -> column, empty = none): a
    // position that is not an integer or repeats, a version that repeats within a stream.
    // Empty when the sample shows nothing wrong.
    static QString problem(const TableSample &sample, const QMap<QString, QString> &mapping);
    // The --map spec of a table's guesses.
    static QString spec(const QString &table, const QMap<QString, RoleGuess> &guesses);
};

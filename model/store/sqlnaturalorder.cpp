#include "store/sqlnaturalorder.h"

#include "core/naturalorder.h"

#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace {

constexpr char CollationName[] = "eventscope_natural";

int naturalCompare(void *, int aSize, const void *a, int bSize, const void *b)
{
    return NaturalOrder::compare(QByteArrayView(static_cast<const char *>(a), aSize),
                                 QByteArrayView(static_cast<const char *>(b), bSize));
}

} // namespace

bool SqlNaturalOrder::installCollation(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    if (qstrcmp(handle.metaType().name(), "sqlite3*") != 0)
        return false;
    sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
    return sqlite3_create_collation_v2(connection, CollationName, SQLITE_UTF8, nullptr,
                                       naturalCompare, nullptr) == SQLITE_OK;
}

QString SqlNaturalOrder::sqliteCollated(const QString &expression)
{
    return u"%1 COLLATE %2"_s.arg(expression, QLatin1String(CollationName));
}

QString SqlNaturalOrder::postgresKey(const QString &textExpression)
{
    // [0-9] is ASCII only in PostgreSQL's regular expressions, as in compare().
    return u"COALESCE((SELECT array_agg(CASE WHEN run[1] ~ '^[0-9]' "
           "THEN '\\x00'::bytea || int4send(length(ltrim(run[1], '0'))) || "
           "convert_to(ltrim(run[1], '0'), 'UTF8') "
           "ELSE '\\x01'::bytea || convert_to(run[1], 'UTF8') END ORDER BY n) "
           "FROM regexp_matches(%1, '[0-9]+|[^0-9]+', 'g') WITH ORDINALITY AS runs(run, n)), "
           "'{}'::bytea[])"_s.arg(textExpression);
}

QString SqlNaturalOrder::postgresTie(const QString &textExpression)
{
    return u"convert_to(%1, 'UTF8')"_s.arg(textExpression);
}

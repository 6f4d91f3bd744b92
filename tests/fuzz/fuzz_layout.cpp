// Layout detection over a mutated catalog: the input is a schema, one table per line as
// "name: column type, column type" ("view name: ..." for a view over nothing), and a line
// "map SPEC" for a column mapping. The tables are created in an in-memory SQLite database,
// whose catalog is read and matched as a store's would be. Every layout found must be SQL that
// SQLite accepts over those tables: a name from the store must never break a statement.

#include "fuzzsupport.h"

#include "store/layoutdetector.h"
#include "store/storecatalog.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// The CREATE statement of one line, or empty when the line says none.
QString createStatement(const QString &line)
{
    const qsizetype colon = line.indexOf(u':');
    if (colon <= 0)
        return {};
    QString name = line.left(colon).trimmed();
    const bool view = name.startsWith(u"view "_s);
    if (view)
        name = name.mid(5).trimmed();
    QStringList columns;
    const QStringList specs = line.mid(colon + 1).split(u',', Qt::SkipEmptyParts);
    for (const QString &spec : specs) {
        const QStringList words = spec.trimmed().split(u' ', Qt::SkipEmptyParts);
        if (words.isEmpty())
            continue;
        // The type as words SQLite reads as a type name (letters only), however odd.
        QString type;
        for (qsizetype i = 1; i < words.size(); ++i) {
            if (std::all_of(words.at(i).cbegin(), words.at(i).cend(),
                            [](QChar c) { return c.isLetter() && c.unicode() < 128; }))
                type += u' ' + words.at(i);
        }
        columns << quotedIdentifier(words.first()) + type;
    }
    if (columns.isEmpty())
        return {};
    if (view) {
        for (QString &column : columns)
            column = u"NULL AS "_s + column.section(u' ', 0, 0);
        return u"CREATE VIEW %1 AS SELECT %2"_s.arg(quotedIdentifier(name), columns.join(u", "_s));
    }
    return u"CREATE TABLE %1 (%2)"_s.arg(quotedIdentifier(name), columns.join(u", "_s));
}

void detectIn(QSqlDatabase &db, const QString &schema)
{
    QString mapSpec;
    QSqlQuery query(db);
    for (const QString &line : schema.split(u'\n')) {
        if (line.startsWith(u"map "_s))
            mapSpec = line.mid(4);
        else if (const QString create = createStatement(line); !create.isEmpty())
            query.exec(create); // a statement SQLite refuses leaves that table out
    }
    StoreError error;
    const std::optional<StoreCatalog> catalog =
        StoreCatalog::read(db, SqlDialect::Sqlite, QString(), &error);
    Fuzz::check(catalog.has_value(), "an SQLite catalog can be read", error.message);
    const QVector<StoreLayout> layouts =
        LayoutDetector::detect(db, *catalog, u"fuzz.sqlite"_s, mapSpec, &error);
    Fuzz::check(!layouts.isEmpty() || (error.isError() && !error.message.isEmpty()),
                "finding no layout says why");
    for (const StoreLayout &layout : layouts) {
        Fuzz::check(!layout.position.isEmpty() && !layout.stream.isEmpty() &&
                        !layout.from.isEmpty(),
                    "a layout has a position, a stream and a FROM clause", layout.id);
        QStringList roles = {layout.position, layout.stream, layout.streamText};
        for (const QString &role :
             {layout.version, layout.type, layout.time, layout.data, layout.metadata}) {
            if (!role.isEmpty())
                roles << role;
        }
        const QString sql = u"SELECT %1 FROM %2%3 LIMIT 0"_s.arg(
            roles.join(u", "_s), layout.from,
            layout.where.isEmpty() ? QString() : u" WHERE "_s + layout.where);
        Fuzz::check(query.prepare(sql), "a layout's SQL prepares",
                    sql + u"\n"_s + query.lastError().text());
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::startApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString connection = u"fuzz"_s;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(u":memory:"_s);
        Fuzz::check(db.open(), "an in-memory SQLite database opens");
        detectIn(db, QString::fromUtf8(Fuzz::bytes(data, size)));
    }
    QSqlDatabase::removeDatabase(connection);
    return 0;
}

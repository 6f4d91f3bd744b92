#include "store/neventstorelayout.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

const QStringList requiredColumns{u"BucketId"_s, u"StreamIdOriginal"_s, u"StreamRevision"_s,
                                  u"Items"_s,    u"CheckpointNumber"_s, u"CommitStamp"_s,
                                  u"Payload"_s};

// The Commits table seen through the alias "c", each column spelled as the store spells it.
class Commits
{
public:
    explicit Commits(const CatalogTable &table) : m_table(table) {}

    QString col(const QString &name) const
    {
        const CatalogColumn *c = m_table.column(name);
        return c ? u"c."_s + quotedIdentifier(c->name) : QString();
    }
    QString type(const QString &name) const
    {
        const CatalogColumn *c = m_table.column(name);
        return c ? c->type : QString();
    }
    QString stream() const
    {
        return u"CASE WHEN %1 = 'default' THEN %2 ELSE %1 || '/' || %2 END"_s.arg(
            u"CAST(%1 AS text)"_s.arg(col(u"BucketId"_s)),
            u"CAST(%1 AS text)"_s.arg(col(u"StreamIdOriginal"_s)));
    }

private:
    const CatalogTable &m_table;
};

// The roles over the commit "c" and its events "ev", in each dialect.
struct Expansion
{
    QString from;
    QString isEvent; // the row is an event of a JSON commit (else a commit not read)
    QString place;   // the event's place in its commit, from 1
    QString version, type, data, metadata;
    QString notJson; // over "c" alone: the commit's payload is not a JSON list
};

Expansion sqlite(const Commits &c, const QString &table)
{
    // The payload's bytes without a UTF-8 byte order mark (.NET's StreamWriter writes one).
    const QString bytes = u"CAST(%1 AS BLOB)"_s.arg(c.col(u"Payload"_s));
    const QString stripped =
        u"CASE WHEN substr(%1, 1, 3) = X'EFBBBF' THEN substr(%1, 4) ELSE %1 END"_s.arg(bytes);
    const QString text = u"CAST(%1 AS TEXT)"_s.arg(stripped);
    // A List<EventMessage>: an array, or {"$type": ..., "$values": [...]} when every type name
    // is written (TypeNameHandling.All). Parsed twice (json_valid, json_each), the path chosen
    // by the first byte; a payload that is not JSON walks a list of one null.
    const QString object = u"substr(%1, 1, 1) = '{'"_s.arg(text);
    Expansion e;
    e.from = table + u" AS c, json_each(CASE WHEN json_valid(%1) THEN %1 WHEN %2 THEN "
                     "'{\"$values\":[null]}' ELSE '[null]' END, CASE WHEN %2 THEN "
                     "'$.\"$values\"' ELSE '$' END) AS ev"_s.arg(text, object);
    e.isEvent = u"ev.type = 'object'"_s;
    // BSON and .NET's binary formatter write NUL bytes, JSON never; JSON text starts with '['
    // or '{'. A test of bytes, so that counting them at open parses nothing.
    // An empty payload is none either (instr is NULL for it).
    e.notJson =
        u"COALESCE(instr(%1, X'00') > 0 OR substr(%2, 1, 1) NOT IN (X'5B', X'7B'), 1)"_s.arg(
            bytes, stripped);
    // A JSON scalar walks as one row without a key.
    e.place = u"(COALESCE(ev.key, 0) + 1)"_s;
    e.version =
        u"(%1 - %2 + 1 + COALESCE(ev.key, 0))"_s.arg(c.col(u"StreamRevision"_s), c.col(u"Items"_s));
    // The event message, NULL for anything else in the list (json_extract would fail on the
    // bare text json_each gives for a string).
    const QString item = u"CASE WHEN ev.type = 'object' THEN ev.value END"_s;
    // "Ns.Outer+UserCreated, Assembly" -> "UserCreated": before the first comma, after the
    // last '.' or '+' (rtrim strips what follows the last dot).
    const QString name = u"replace(substr(%1, 1, instr(%1 || ',', ',') - 1), '+', '.')"_s.arg(
        u"json_extract(%1, '$.Body.\"$type\"')"_s.arg(item));
    const QString shortName =
        u"substr(%1, length(rtrim(%1, replace(%1, '.', ''))) + 1)"_s.arg(name);
    e.type =
        u"COALESCE(NULLIF(%1, ''), json_extract(%2, '$.Headers.EventType'))"_s.arg(shortName, item);
    const auto member = [&](const QString &key, const QString &raw) {
        return u"CASE WHEN %1 THEN CASE WHEN json_type(ev.value, '$.%2') = 'object' THEN "
               "json_remove(json_extract(ev.value, '$.%2'), '$.\"$type\"') ELSE "
               "json_quote(json_extract(ev.value, '$.%2')) END ELSE %3 END"_s.arg(e.isEvent, key,
                                                                                  raw);
    };
    e.data = member(u"Body"_s, c.col(u"Payload"_s));
    e.metadata =
        member(u"Headers"_s, c.col(u"Headers"_s).isEmpty() ? u"NULL"_s : c.col(u"Headers"_s));
    return e;
}

Expansion postgres(const Commits &c, const QString &table)
{
    const auto bytesOf = [&](const QString &name) {
        const QString col = c.col(name);
        if (col.isEmpty())
            return u"CAST(NULL AS bytea)"_s;
        return c.type(name) == u"bytea" ? col : u"convert_to(CAST(%1 AS text), 'UTF8')"_s.arg(col);
    };
    const QString bytes = bytesOf(u"Payload"_s);
    const QString stripped = u"CASE WHEN substring(%1 from 1 for 3) = decode('efbbbf', 'hex') "
                             "THEN substring(%1 from 4) ELSE %1 END"_s.arg(bytes);
    // BSON and .NET's binary formatter write NUL bytes, JSON never; JSON text starts with '['
    // or '{'. Only such payloads are parsed (CASE tests its conditions in order).
    const QString notJson = u"CASE WHEN length(%1) = 0 THEN true WHEN position(decode('00', "
                            "'hex') in %1) > 0 THEN true ELSE get_byte(%2, 0) NOT IN (91, 123) "
                            "END"_s.arg(bytes, stripped);
    const QString doc =
        u"CASE WHEN %1 THEN NULL ELSE CAST(convert_from(%2, 'UTF8') AS jsonb) END"_s.arg(notJson,
                                                                                         stripped);
    Expansion e;
    e.from = table + u" AS c CROSS JOIN LATERAL (SELECT %1 AS doc) AS d CROSS JOIN LATERAL "
                     "jsonb_array_elements(CASE WHEN jsonb_typeof(d.doc) = 'array' THEN d.doc "
                     "WHEN jsonb_typeof(d.doc -> '$values') = 'array' THEN d.doc -> '$values' "
                     "ELSE '[null]'::jsonb END) WITH ORDINALITY AS ev(item, n)"_s.arg(doc);
    e.isEvent = u"jsonb_typeof(ev.item) = 'object'"_s;
    e.notJson = notJson;
    e.place = u"ev.n"_s;
    e.version = u"(%1 - %2 + ev.n)"_s.arg(c.col(u"StreamRevision"_s), c.col(u"Items"_s));
    // "Ns.Outer+UserCreated, Assembly" -> "UserCreated".
    e.type = u"COALESCE(NULLIF(regexp_replace(split_part(ev.item -> 'Body' ->> '$type', ',', 1), "
             "'^.*[.+]', ''), ''), ev.item -> 'Headers' ->> 'EventType')"_s;
    const auto member = [&](const QString &key, const QString &raw) {
        return u"CASE WHEN %1 THEN convert_to(CAST(CASE WHEN jsonb_typeof(ev.item -> '%2') = "
               "'object' THEN (ev.item -> '%2') - '$type' ELSE ev.item -> '%2' END AS text), "
               "'UTF8') ELSE %3 END"_s.arg(e.isEvent, key, raw);
    };
    e.data = member(u"Body"_s, bytes);
    e.metadata = member(u"Headers"_s, bytesOf(u"Headers"_s));
    return e;
}

// How many of the first commits are not JSON, and the first few of their checkpoints: the
// read notice's, from a bounded look at the payloads, so that opening a large store does not
// read every commit. Empty when all of them are JSON.
QString notJsonNotice(QSqlDatabase &db, const CatalogTable &table, const Commits &c,
                      const Expansion &e)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    const QString checkpoint = c.col(u"CheckpointNumber"_s);
    query.prepare(
        u"SELECT %1, %2 FROM (SELECT * FROM %3 AS c ORDER BY %1 LIMIT ?) AS c ORDER BY %1"_s.arg(
            checkpoint, e.notJson, table.sql()));
    query.addBindValue(NEventStoreLayout::CommitsLooked);
    if (!query.exec())
        return u"the payloads of %1 cannot be checked for JSON: %2"_s.arg(table.displayName(),
                                                                          query.lastError().text());
    QStringList first;
    qint64 looked = 0;
    qint64 count = 0;
    while (query.next()) {
        ++looked;
        if (!query.value(1).toBool())
            continue;
        if (++count <= 5)
            first << query.value(0).toString();
    }
    if (count == 0)
        return {};
    if (count > 5)
        first << u"…"_s;
    const QString which = looked < NEventStoreLayout::CommitsLooked
                              ? u"%1 commit(s)"_s.arg(count)
                              : u"%1 of the first %2 commits"_s.arg(count).arg(looked);
    return u"%1 (checkpoints %2) not JSON (BSON or binary serialisation): each shown as one "
           "event of its bytes, without a type"_s.arg(which, first.join(u", "_s));
}

} // namespace

QVector<StoreLayout> NEventStoreLayout::match(QSqlDatabase &db, const StoreCatalog &catalog,
                                              QStringList *nearMisses)
{
    QVector<StoreLayout> result;
    for (const CatalogTable &table : catalog.tables()) {
        if (table.name.compare(u"commits"_s, Qt::CaseInsensitive) != 0)
            continue;
        QStringList missing;
        for (const QString &column : requiredColumns) {
            if (!table.column(column))
                missing << column;
        }
        if (!missing.isEmpty()) {
            nearMisses->append(u"%1 is named like the NEventStore table but has no column %2"_s.arg(
                table.displayName(), missing.join(u", "_s)));
            continue;
        }
        const Commits c(table);
        const bool pg = catalog.dialect() == SqlDialect::Postgres;
        const Expansion e = pg ? postgres(c, table.sql()) : sqlite(c, table.sql());
        StoreLayout l;
        l.id = u"neventstore"_s;
        l.title = u"NEventStore"_s;
        l.table = table.displayName();
        l.from = e.from;
        l.positionGroup = c.col(u"CheckpointNumber"_s);
        l.positionPlace = e.place;
        l.positionStride = CommitStride;
        l.placesInOrder = !pg; // json_each walks the list in order
        l.position = u"(%1 * %2 + %3)"_s.arg(l.positionGroup, QString::number(CommitStride),
                                             l.positionPlace);
        l.streamText = c.stream();
        // Text however SQLite stores the columns, which spares LayoutDetector::streamsByText
        // a pass over every commit's events at open.
        l.stream = pg ? l.streamText : u"CAST(%1 AS TEXT)"_s.arg(l.streamText);
        l.version = e.version;
        l.type = e.type;
        l.time = c.col(u"CommitStamp"_s);
        if (pg && c.type(u"CommitStamp"_s).startsWith(u"timestamp"))
            l.timeStorage = TimeStorage::PostgresTimestamp;
        l.timeFormatSettled = pg; // SQLite's DATETIME may be text or ticks: sampled at open
        l.data = e.data;
        l.metadata = e.metadata;
        l.payloadEncoding = PayloadEncoding::Serialised;
        l.firstVersion = 1;
        QStringList notice{
            u"NEventStore: the events of each commit are read from its Payload "
            "(position = CheckpointNumber × %1 + place in the commit)"_s.arg(CommitStride)};
        if (const QString raw = notJsonNotice(db, table, c, e); !raw.isEmpty())
            notice << raw;
        l.notice = notice.join(u"; "_s);
        result << l;
    }
    return result;
}

// The search bar's "Contains text" mode (TextSearch): narrowed in SQL where the payload is
// plain JSON text, it answers exactly as the scan without SQL does, for texts holding LIKE's
// metacharacters (%, _, \), quotes, letters that fold from beyond ASCII (KELVIN SIGN, LONG S),
// and for payloads the decoder rewrites (XML indented, compressed, BLOBs), which the SQL
// lets through.

#include "query/textsearch.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString Table =
    u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT, "
    "stream_version INTEGER, event_id TEXT, type TEXT, recorded_at TEXT, data, metadata)"_s;

QString row(qint64 position, const QString &data)
{
    return u"INSERT INTO events VALUES (%1, 's', %1, NULL, 'Noted', "
           "'2026-01-01T00:00:00.000Z', %2, NULL)"_s.arg(position)
               .arg(data);
}

QString blob(const QByteArray &bytes)
{
    return u"X'"_s + QString::fromLatin1(bytes.toHex()) + u'\'';
}

// Plain text: JSON (one behind blanks), a string and a number, XML (indented when decoded),
// text that starts like zlib, no payload.
const QStringList PlainRows = {
    Table,
    row(1, u"'{\"note\":\"50% off\"}'"_s),
    row(2, u"'{\"note\":\"a_b c\"}'"_s),
    row(3, u"'{\"path\":\"C:\\\\dir\\\\50_%\"}'"_s),
    row(4, u"'{\"unit\":\"12 \u212A\"}'"_s),
    row(5, u"'{\"name\":\"\u017Fam O''Hara\"}'"_s),
    row(6, u"'<a><b>Off</b></a>'"_s),
    row(7, u"'x^plain text with MIXED case'"_s),
    row(8, u"'   {\"lead\":\"blanks ABC\"}'"_s),
    row(9, u"NULL"_s),
    row(10, u"'42'"_s),
    row(11, u"'\"just a string %_\"'"_s),
    row(12, u"'[\"OFF\", \"Kilo\"]'"_s),
};

// The same kind of payloads compressed, and JSON as a BLOB.
const QStringList PackedRows = {
    Table,
    row(1, blob(TestSupport::gzip(R"({"note":"50% off"})"))),
    row(2, blob(TestSupport::gzip(R"({"note":"a_b c","path":"C:\\dir"})"))),
    row(3, blob(R"({"name":"Kilo \\ Sam"})")),
    row(4, u"'{\"note\":\"plain, off\"}'"_s),
    row(5, blob(TestSupport::gzip("<a><b>Off</b></a>"))),
};

const QStringList Texts = {u"50%"_s,   u"%"_s,   u"_"_s,      u"\\"_s,    u"a_b"_s,   u"50_%"_s,
                           u"k"_s,     u"S"_s,   u"abc"_s,    u"  <b>"_s, u"mixed"_s, u"off"_s,
                           u"OFF\""_s, u"zzz"_s, u"42"_s,     u"\""_s,    u"'"_s,     u"O'hara"_s,
                           u"%_"_s,    u"\\d"_s, u"\u212A"_s, u"{"_s};

QList<qint64> found(EventStore &store, const QString &text, TextSearch::Method method,
                    TextSearch::Method *used = nullptr, qint64 *read = nullptr)
{
    QList<qint64> positions;
    TextSearch search(store, text, method);
    EventFilter all;
    const bool done = search.run(all, std::numeric_limits<qint64>::max(), [&](const Event &e) {
        positions << e.position;
        return true;
    });
    if (!done)
        qWarning().noquote() << search.errorString();
    if (used)
        *used = search.method();
    if (read)
        *read = search.eventsRead();
    return positions;
}

} // namespace

class TestTextSearch : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void plainTextIsNarrowedInSqlAndAnswersAsTheScan()
    {
        auto store = open(u"plain.sqlite"_s, PlainRows);
        QVERIFY(store);
        for (const QString &text : Texts) {
            TextSearch::Method used = TextSearch::Method::Scan;
            const QList<qint64> narrowed = found(*store, text, TextSearch::Method::Sql, &used);
            QCOMPARE(narrowed, found(*store, text, TextSearch::Method::Scan));
            // Beyond ASCII the databases fold case otherwise: scanned.
            QCOMPARE(used,
                     text == u"\u212A"_s ? TextSearch::Method::Scan : TextSearch::Method::Sql);
        }
        // By hand: LIKE's metacharacters are text; K and s fold from KELVIN SIGN and LONG S;
        // XML is searched as indented.
        QCOMPARE(found(*store, u"50%"_s, TextSearch::Method::Sql), (QList<qint64>{1}));
        QCOMPARE(found(*store, u"_"_s, TextSearch::Method::Sql), (QList<qint64>{2, 3, 11}));
        QCOMPARE(found(*store, u"\\"_s, TextSearch::Method::Sql), (QList<qint64>{3}));
        QCOMPARE(found(*store, u"50_%"_s, TextSearch::Method::Sql), (QList<qint64>{3}));
        QCOMPARE(found(*store, u"k"_s, TextSearch::Method::Sql),
                 (QList<qint64>{4, 8, 12})); // "blanks"
        QCOMPARE(found(*store, u"off"_s, TextSearch::Method::Sql), (QList<qint64>{1, 6, 12}));
        QCOMPARE(found(*store, u"  <b>"_s, TextSearch::Method::Sql), (QList<qint64>{6}));
        QCOMPARE(found(*store, u"O'hara"_s, TextSearch::Method::Sql), (QList<qint64>{5}));
        QCOMPARE(found(*store, u"S"_s, TextSearch::Method::Sql),
                 (QList<qint64>{5, 7, 8, 11})); // ſam, "blanks", "just a string"
        // The SQL left out the JSON rows without the text: only the rows it cannot judge
        // (XML, text, NULL, a number) were read.
        qint64 read = 0;
        QVERIFY(found(*store, u"zzz"_s, TextSearch::Method::Sql, nullptr, &read).isEmpty());
        QCOMPARE(read, 4);
    }

    void compressedAndBlobPayloadsAreLetThrough()
    {
        auto store = open(u"packed.sqlite"_s, PackedRows);
        QVERIFY(store);
        for (const QString &text : Texts)
            QCOMPARE(found(*store, text, TextSearch::Method::Sql),
                     found(*store, text, TextSearch::Method::Scan));
        QCOMPARE(found(*store, u"OFF"_s, TextSearch::Method::Sql), (QList<qint64>{1, 4, 5}));
        QCOMPARE(found(*store, u"\\"_s, TextSearch::Method::Sql), (QList<qint64>{2, 3}));
        QCOMPARE(found(*store, u"a_b"_s, TextSearch::Method::Sql), (QList<qint64>{2}));
        qint64 read = 0;
        QVERIFY(found(*store, u"zzz"_s, TextSearch::Method::Sql, nullptr, &read).isEmpty());
        QCOMPARE(read, 4); // all but the plain JSON text
    }

private:
    std::unique_ptr<EventStore> open(const QString &name, const QStringList &rows)
    {
        const QString path = m_dir.filePath(name);
        if (!TestSupport::execSql(path, rows))
            return nullptr;
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        if (!store)
            qWarning().noquote() << error.message;
        return store;
    }

    QTemporaryDir m_dir;
};

QTEST_MAIN(TestTextSearch)
#include "tst_textsearch.moc"

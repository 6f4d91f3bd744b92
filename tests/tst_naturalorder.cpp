// Streams are listed in NaturalOrder everywhere: the comparator itself (digit runs by value
// however long, leading zeros, mixed case, non-ASCII, empty), checked against the definition
// written out run by run; and the same order, page by page, from the SQLite collation (the CLI
// and EventStore without the index), the EventIndex, and PostgreSQL's sort key.

#include "core/naturalorder.h"
#include "index/eventindexbuilder.h"
#include "pgtestserver.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Each name before the next, as the order's rules say.
const QStringList Ordered = {
    u""_s,
    u"1"_s,   // a digit run before any other run
    u"007"_s, // 7 with zeros: before 7 by its bytes
    u"7"_s,
    u"9z"_s,
    u"10"_s,
    u"B"_s, // upper case before lower case
    u"a"_s,
    u"a1"_s,  // the same runs and one more
    u"a-1"_s, // "a" begins "a-"
    u"ab"_s,
    u"béta-2"_s,
    u"béta-10"_s,
    u"post"_s,
    u"post-"_s,
    u"post-0"_s,
    u"post-00"_s,
    u"post-001"_s,
    u"post-01"_s,
    u"post-1"_s,
    u"post-1-2"_s,
    u"post-1-10"_s,
    u"post-2"_s,
    u"post-2a"_s,
    u"post-10"_s,
    u"post-11"_s,
    u"x18446744073709551615"_s, // 2^64 - 1
    u"x18446744073709551616"_s, // 2^64
    u"x99999999999999999999999999999999"_s,
    u"x0100000000000000000000000000000000"_s,
    u"x100000000000000000000000000000000"_s,
    u"z9"_s,
    u"é"_s,
    u"数据-7"_s,
    u"数据-10"_s,
};

// The order as its header defines it, written out the long way: a name as a list of runs,
// each (is text, digits without leading zeros or the text's bytes), compared as lists, then
// the names' bytes.
using Runs = QList<std::pair<bool, QByteArray>>;

Runs runsOf(const QString &name)
{
    static const QRegularExpression run(u"[0-9]+|[^0-9]+"_s);
    Runs result;
    for (auto it = run.globalMatch(name); it.hasNext();) {
        const QString text = it.next().captured();
        const bool digits = text.front().isDigit() && text.front().unicode() < 128;
        QByteArray bytes = text.toUtf8();
        if (digits) {
            while (bytes.startsWith('0'))
                bytes.remove(0, 1);
            // By value: a longer number is larger.
            bytes.prepend(QByteArray::number(bytes.size()).rightJustified(12, '0'));
        }
        result.append({!digits, bytes});
    }
    return result;
}

int definedOrder(const QString &a, const Runs &x, const QString &b, const Runs &y)
{
    if (x != y)
        return std::lexicographical_compare(x.cbegin(), x.cend(), y.cbegin(), y.cend()) ? -1 : 1;
    const QByteArray p = a.toUtf8();
    const QByteArray q = b.toUtf8();
    return p < q ? -1 : p > q ? 1 : 0;
}

QStringList randomNames(quint32 seed, int count)
{
    // Digits (zeros often), separators, mixed case, two- and three-byte UTF-8.
    const QString alphabet = u"0001239-_.aAbBzZé数 "_s;
    QRandomGenerator rng(seed);
    QSet<QString> names;
    while (names.size() < count) {
        QString name;
        const int length = 1 + rng.bounded(10);
        for (int i = 0; i < length; ++i)
            name += alphabet.at(rng.bounded(int(alphabet.size())));
        if (rng.bounded(8) == 0)
            name += QString(30 + rng.bounded(10), u'9'); // beyond 64 bits
        names.insert(name);
    }
    return names.values();
}

// Each name once.
QStringList naturallySorted(const QStringList &withRepeats)
{
    QStringList names = QSet<QString>(withRepeats.cbegin(), withRepeats.cend()).values();
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return NaturalOrder::less(a.toUtf8(), b.toUtf8());
    });
    return names;
}

// A mapped table log(id, s, v, t) with the streams' events interleaved.
QStringList storeSql(const QStringList &streams, const QString &positionType)
{
    QStringList sql{
        u"CREATE TABLE log (id %1 PRIMARY KEY, s text, v integer, t text)"_s.arg(positionType)};
    int id = 0;
    for (int version = 1; version <= 2; ++version) {
        for (const QString &stream : streams) {
            ++id;
            sql << u"INSERT INTO log VALUES (%1, '%2', %3, '2026-01-05T08:00:%4.000Z')"_s.arg(id)
                       .arg(QString(stream).replace(u"'"_s, u"''"_s))
                       .arg(version)
                       .arg(id % 60, 2, 10, QChar(u'0'));
        }
    }
    return sql;
}

const QString Map = u"table=log,position=id,stream=s,version=v,time=t"_s;

// Every stream, `limit` at a time, as the window's list pages.
QStringList pagedNames(EventStore &store, int limit)
{
    QStringList names;
    StreamQuery query;
    query.limit = limit;
    for (;;) {
        const auto page = store.streams(query);
        if (!page)
            return {u"failed: "_s + store.errorString()};
        for (const StreamInfo &s : *page)
            names << s.stream;
        if (page->size() < limit)
            return names;
        query.after = page->constLast().stream;
    }
}

// Every stream from eventscope-cli, `limit` at a time with --after.
QStringList cliNames(const QString &store, int limit)
{
    QStringList names;
    QStringList after;
    for (;;) {
        QProcess p;
        p.start(TestSupport::cliPath(), QStringList{u"streams"_s, store, u"--map"_s, Map,
                                                    u"--limit"_s, QString::number(limit)} +
                                            after);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            return {u"failed: "_s + QString::fromUtf8(p.readAllStandardError())};
        int lines = 0;
        for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
            if (line.isEmpty())
                continue;
            names << QJsonDocument::fromJson(line).object().value(u"stream"_s).toString();
            ++lines;
        }
        if (lines < limit)
            return names;
        after = {u"--after"_s, names.constLast()};
    }
}

} // namespace

class TestNaturalOrder : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void ordersAsItsRulesSay()
    {
        for (qsizetype i = 0; i < Ordered.size(); ++i) {
            for (qsizetype j = 0; j < Ordered.size(); ++j) {
                const int c = NaturalOrder::compare(Ordered.at(i).toUtf8(), Ordered.at(j).toUtf8());
                const int expected = i < j ? -1 : i > j ? 1 : 0;
                QVERIFY2((c > 0) - (c < 0) == expected,
                         qPrintable(u"'%1' vs '%2'"_s.arg(Ordered.at(i), Ordered.at(j))));
            }
        }
    }

    void isTheDefinedTotalOrder()
    {
        const QStringList names = naturallySorted(randomNames(13, 400) + Ordered);
        QList<Runs> runs;
        for (const QString &name : names)
            runs << runsOf(name);
        for (qsizetype i = 0; i < names.size(); ++i) {
            for (qsizetype j = 0; j < names.size(); ++j) {
                const QString &a = names.at(i);
                const QString &b = names.at(j);
                const int c = NaturalOrder::compare(a.toUtf8(), b.toUtf8());
                const int d = definedOrder(a, runs.at(i), b, runs.at(j));
                QVERIFY2((c > 0) - (c < 0) == d, qPrintable(u"'%1' vs '%2'"_s.arg(a, b)));
                QCOMPARE(c == 0, a == b); // total: no two names tie
            }
        }
    }

    // The CLI (SQL through the collation), the store with its index and without, and the
    // comparator list the same streams in the same order, whole and page by page.
    void sqliteAndIndexAgree()
    {
        const QStringList names = naturallySorted(randomNames(7, 300) + Ordered.mid(1));
        const QString path = m_dir.filePath(u"natural.sqlite"_s);
        QVERIFY(TestSupport::execSql(path, storeSql(names, u"INTEGER"_s)));
        StoreError openError;
        auto sql = EventStore::open(StoreLocation::parse(path), {Map, {}}, &openError);
        QVERIFY2(sql, qPrintable(openError.message));
        auto indexed = EventStore::open(StoreLocation::parse(path), {Map, {}}, &openError);
        QVERIFY2(indexed, qPrintable(openError.message));
        QString error;
        auto index = EventIndexBuilder::build(*indexed, {}, &error);
        QVERIFY2(index && index->servesStreams(), qPrintable(error));
        indexed->attachIndex(index);
        for (const int limit : {1, 7, 1000}) {
            QCOMPARE(pagedNames(*sql, limit), names);
            QCOMPARE(pagedNames(*indexed, limit), names);
        }
        QCOMPARE(cliNames(path, 1000), names);
        QCOMPARE(cliNames(path, 17), names);
        // Ties in the count of events are broken in the same order.
        StreamQuery byEvents;
        byEvents.order = StreamQuery::Order::MostEvents;
        byEvents.limit = 5;
        const auto sqlPage = sql->streams(byEvents);
        const auto indexPage = indexed->streams(byEvents);
        QVERIFY(sqlPage && indexPage);
        QStringList first;
        QStringList fromIndex;
        for (qsizetype i = 0; i < sqlPage->size(); ++i) {
            first << sqlPage->at(i).stream;
            fromIndex << indexPage->at(i).stream;
        }
        QCOMPARE(first, names.mid(0, 5));
        QCOMPARE(fromIndex, first);
    }

    void postgresAgrees()
    {
        PgTestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QVERIFY2(server.exec(u"postgres"_s, {u"CREATE ROLE reader LOGIN PASSWORD 'pw'"_s}, &error),
                 qPrintable(error));
        const QStringList names = naturallySorted(randomNames(11, 300) + Ordered.mid(1));
        QVERIFY2(server.createDatabase(u"natural"_s, &error), qPrintable(error));
        QVERIFY2(server.exec(u"natural"_s, storeSql(names, u"bigint"_s), &error),
                 qPrintable(error));
        QVERIFY2(server.grantRead(u"natural"_s, u"reader"_s, {u"public"_s}, &error),
                 qPrintable(error));
        const QString url = server.url(u"reader"_s, u"pw"_s, u"natural"_s);
        StoreError openError;
        auto store = EventStore::open(StoreLocation::parse(url), {Map, {}}, &openError);
        QVERIFY2(store, qPrintable(openError.message));
        for (const int limit : {1, 7, 1000})
            QCOMPARE(pagedNames(*store, limit), names);
        QCOMPARE(cliNames(url, 1000), names);
        QCOMPARE(cliNames(url, 17), names);
    }
};

QTEST_GUILESS_MAIN(TestNaturalOrder)
#include "tst_naturalorder.moc"

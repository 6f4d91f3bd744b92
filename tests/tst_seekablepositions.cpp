// Positions made of a group and a place (NEventStore: CheckpointNumber × 100000 + the event's
// place in its commit) are read through the group's index: on an NEventStore store written by
// the test's own generator from LAYOUTS.md row 12 (tests/foreignstores/neventstorecommits),
// keyset pages, seeks forward and back, counts and the position range give what a brute force
// over every event gives, unfiltered and filtered, on SQLite and on PostgreSQL; SQLite plans
// each of those statements as a search of Commits by its key, with no scan of it and no sort;
// the quick summary of a first paint samples the commits by those seeks; and open counts the
// payloads that are not JSON among the first 2000 commits only, and says so.

#include "neventstorecommits.h"
#include "pgtestserver.h"
#include "store/eventstore.h"
#include "store/sqlitestreamreader.h"
#include "testsupport.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 Min = std::numeric_limits<qint64>::min();
constexpr qint64 Max = std::numeric_limits<qint64>::max();
constexpr int RandomBounds = 12;

NEventStoreCommits::Options storeOptions()
{
    NEventStoreCommits::Options o;
    o.commits = 2500;
    o.streams = 30;
    o.maxEventsPerCommit = 5;
    o.seed = 11;
    return o;
}

struct Filter
{
    QString name;
    EventFilter filter;
};

QVector<Filter> filters(const QVector<NEventStoreCommits::Event> &events)
{
    EventFilter stream;
    stream.stream = u"tenant-b/order-6"_s;
    EventFilter types;
    types.types = {u"OrderPaid"_s, u"ItemAdded"_s};
    EventFilter time;
    time.fromTimeMs = events.at(events.size() / 3).timeMs;
    time.toTimeMs = events.at(events.size() / 2).timeMs;
    return {{u"all"_s, {}}, {u"stream"_s, stream}, {u"types"_s, types}, {u"time"_s, time}};
}

bool matches(const EventFilter &f, const NEventStoreCommits::Event &e)
{
    return (f.stream.isEmpty() || e.stream == f.stream) &&
           (f.types.isEmpty() || f.types.contains(e.type)) &&
           (f.fromTimeMs == NoTime || e.timeMs >= f.fromTimeMs) &&
           (f.toTimeMs == NoTime || e.timeMs < f.toTimeMs);
}

// The positions a filter selects, in order: the brute force every answer is compared with.
std::vector<qint64> selected(const QVector<NEventStoreCommits::Event> &events, const EventFilter &f)
{
    std::vector<qint64> positions;
    for (const NEventStoreCommits::Event &e : events) {
        if (matches(f, e))
            positions.push_back(e.position);
    }
    return positions;
}

// Where answers start from: every kind of bound, events and the places between them.
QVector<qint64> bounds(const QVector<NEventStoreCommits::Event> &events, quint32 seed)
{
    QRandomGenerator rng(seed);
    const qint64 first = events.constFirst().position;
    const qint64 last = events.constLast().position;
    QVector<qint64> b{Min,
                      Max,
                      0,
                      -1,
                      first - 1,
                      first,
                      first + 1,
                      last - 1,
                      last,
                      last + 1,
                      first / 100000 * 100000,
                      (last / 100000 + 1) * 100000};
    for (int i = 0; i < RandomBounds; ++i) {
        const qint64 at = events.at(qsizetype(rng.bounded(quint64(events.size())))).position;
        b << at << at - 1 << at + 1 << at / 100000 * 100000 << at / 100000 * 100000 + 99999;
    }
    return b;
}

// The statements a SQLite connection starts while the object exists, as written.
class StatementLog
{
public:
    explicit StatementLog(sqlite3 *db) : m_db(db)
    {
        sqlite3_trace_v2(m_db, SQLITE_TRACE_STMT, &StatementLog::onTrace, this);
    }
    ~StatementLog() { sqlite3_trace_v2(m_db, 0, nullptr, nullptr); }
    StatementLog(const StatementLog &) = delete;
    StatementLog &operator=(const StatementLog &) = delete;

    const QStringList &statements() const { return m_statements; }

private:
    static int onTrace(unsigned, void *self, void *, void *sql)
    {
        static_cast<StatementLog *>(self)->m_statements
            << QString::fromUtf8(static_cast<const char *>(sql));
        return 0;
    }

    sqlite3 *m_db;
    QStringList m_statements;
};

// SQLite's plan of a statement, one detail line each.
QStringList queryPlan(sqlite3 *db, const QString &sql)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray explain = "EXPLAIN QUERY PLAN " + sql.toUtf8();
    if (sqlite3_prepare_v2(db, explain.constData(), -1, &stmt, nullptr) != SQLITE_OK)
        return {u"cannot explain: "_s + QString::fromUtf8(sqlite3_errmsg(db))};
    QStringList plan;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        plan << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 3)));
    sqlite3_finalize(stmt);
    return plan;
}

} // namespace

class SeekablePositionsTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PgTestServer m_server;
    QVector<NEventStoreCommits::Event> m_events;
    QString m_sqlite;
    QString m_postgres;

    QString location(const QString &dialect) const
    {
        return dialect == u"sqlite"_s ? m_sqlite : m_postgres;
    }

    static void addDialects()
    {
        QTest::addColumn<QString>("dialect");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgres") << u"postgres"_s;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const auto options = storeOptions();
        m_events = NEventStoreCommits::events(options);
        QVERIFY(m_events.size() > options.commits); // commits of several events
        QString error;
        m_sqlite = m_dir.filePath(u"neventstore.db"_s);
        QVERIFY2(NEventStoreCommits::writeSqlite(m_sqlite, options, &error), qPrintable(error));
        QVERIFY2(m_server.start(&error), qPrintable(error));
        const auto url = NEventStoreCommits::writePostgres(m_server, u"nes"_s, options, &error);
        QVERIFY2(url, qPrintable(error));
        m_postgres = *url;
    }

    void notJsonNoticeIsBounded_data() { addDialects(); }
    // Open looks at the first commits' payloads only, and says so.
    void notJsonNoticeIsBounded()
    {
        QFETCH(QString, dialect);
        QStringList bson;
        qint64 looked = 0;
        NEventStoreCommits::Generator generator(storeOptions());
        NEventStoreCommits::Commit c;
        while (generator.next(&c) && ++looked <= 2000) {
            if (c.events.constFirst().type.isEmpty())
                bson << QString::number(c.checkpoint);
        }
        QCOMPARE(bson.size(), 20); // and 5 more after the first 2000 commits
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(location(dialect)), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        const QString notice = u"20 of the first 2000 commits (checkpoints %1, …) not JSON"_s.arg(
            bson.mid(0, 5).join(u", "_s));
        QVERIFY2(store->readNotice().contains(notice), qPrintable(store->readNotice()));
    }

    void positionRange_data() { addDialects(); }
    void positionRange()
    {
        QFETCH(QString, dialect);
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(location(dialect)), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        QCOMPARE(store->layout().id, u"neventstore"_s);
        const auto range = store->positionRange();
        QVERIFY2(range, qPrintable(store->errorString()));
        QCOMPARE(range->first, m_events.constFirst().position);
        QCOMPARE(range->second, m_events.constLast().position);
    }

    // Before the index, the window's first paint: counts estimated from runs of commits,
    // times and types from a sample read by seeks, not from a pass over every commit.
    void quickSummary()
    {
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(m_sqlite), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        const auto summary = store->quickSummary({}, 1000);
        QVERIFY2(summary, qPrintable(store->errorString()));
        QVERIFY(!summary->exact);
        const double events = double(m_events.size());
        QVERIFY2(
            qAbs(double(summary->events) - events) < events / 5,
            qPrintable(
                u"%1 events estimated, %2 stored"_s.arg(summary->events).arg(m_events.size())));
        for (const QString &type :
             {u"OrderPlaced"_s, u"ItemAdded"_s, u"OrderPaid"_s, u"OrderShipped"_s})
            QVERIFY2(summary->typeCounts.contains(type), qPrintable(type));
        QVERIFY(summary->firstTimeMs >= m_events.constFirst().timeMs);
        QVERIFY(summary->lastTimeMs <= m_events.constLast().timeMs);
        QVERIFY(summary->lastTimeMs > summary->firstTimeMs);
    }

    void pages_data() { addDialects(); }
    // Every filter's pages, walked from the start, and single pages after every kind of bound.
    void pages()
    {
        QFETCH(QString, dialect);
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(location(dialect)), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        for (const Filter &f : filters(m_events)) {
            const std::vector<qint64> expected = selected(m_events, f.filter);
            QVERIFY2(!expected.empty(), qPrintable(f.name));
            std::vector<qint64> walked;
            EventFilter page = f.filter;
            page.limit = 97;
            for (;;) {
                const auto events = store->events(page);
                QVERIFY2(events, qPrintable(store->errorString()));
                for (const Event &e : *events)
                    walked.push_back(e.position);
                if (events->size() < page.limit)
                    break;
                page.afterPosition = events->constLast().position;
            }
            QVERIFY2(walked == expected, qPrintable(f.name));

            QVector<qint64> afters = bounds(m_events, 1);
            for (std::size_t i = 0; i < expected.size(); i += expected.size() / 20 + 1)
                afters << expected[i];
            for (const qint64 after : std::as_const(afters)) {
                // A stream's pages go on after one of its events (ordered by version, they
                // start after the version of the event at afterPosition).
                if (!f.filter.stream.isEmpty() && after != Min &&
                    !std::binary_search(expected.cbegin(), expected.cend(), after))
                    continue;
                page.afterPosition = after;
                page.limit = 23;
                const auto events = store->events(page);
                QVERIFY2(events, qPrintable(store->errorString()));
                const auto from = std::upper_bound(expected.cbegin(), expected.cend(), after);
                const std::vector<qint64> want(
                    from, from + std::min<std::ptrdiff_t>(page.limit, expected.cend() - from));
                std::vector<qint64> got;
                for (const Event &e : *events)
                    got.push_back(e.position);
                QVERIFY2(got == want, qPrintable(u"%1 after %2"_s.arg(f.name).arg(after)));
            }
        }
        // The rows themselves, for one page across commits.
        EventFilter page;
        page.afterPosition = m_events.at(100).position;
        page.limit = 50;
        const auto events = store->events(page);
        QVERIFY2(events, qPrintable(store->errorString()));
        QCOMPARE(events->size(), 50);
        for (int i = 0; i < 50; ++i) {
            const NEventStoreCommits::Event &want = m_events.at(101 + i);
            const Event &got = events->at(i);
            QCOMPARE(got.position, want.position);
            QCOMPARE(got.stream, want.stream);
            QCOMPARE(got.version, want.version);
            QCOMPARE(got.type, want.type);
            QCOMPARE(got.timeMs, want.timeMs);
        }
    }

    void seeksAndCounts_data() { addDialects(); }
    void seeksAndCounts()
    {
        QFETCH(QString, dialect);
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(location(dialect)), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        const QVector<qint64> steps{1, 3, 97, 100000, -1, -3, -97, -100000};
        for (const Filter &f : filters(m_events)) {
            const std::vector<qint64> expected = selected(m_events, f.filter);
            for (const qint64 from : bounds(m_events, 2)) {
                const auto before = std::lower_bound(expected.cbegin(), expected.cend(), from);
                const auto count = store->countEvents(f.filter, from);
                QVERIFY2(count, qPrintable(store->errorString()));
                QCOMPARE(*count, qint64(before - expected.cbegin()));
                const auto after = std::upper_bound(expected.cbegin(), expected.cend(), from);
                for (const qint64 rows : steps) {
                    qint64 want = 0;
                    if (rows > 0)
                        want = expected.cend() - after >= rows ? *(after + (rows - 1)) : Max;
                    else
                        want = before - expected.cbegin() >= -rows ? *(before + rows) : Min;
                    const auto got = store->seekPosition(f.filter, from, rows);
                    QVERIFY2(got, qPrintable(store->errorString()));
                    QVERIFY2(*got == want, qPrintable(u"%1: %2 rows from %3: %4, not %5"_s.arg(
                                               f.name, QString::number(rows), QString::number(from),
                                               QString::number(*got), QString::number(want))));
                }
            }
        }
    }

    // The index's scan over position ranges that start and end inside commits.
    void indexScan()
    {
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(m_sqlite), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        const qint64 after = m_events.at(40).position - 1; // inside a commit or before it
        const qint64 upTo = m_events.at(900).position + 1; // past the event, inside its commit
        auto reader = store->indexScan(after, upTo);
        QVERIFY2(reader, qPrintable(store->errorString()));
        std::vector<qint64> got;
        while (reader->next() == SqliteStreamReader::Step::Row)
            got.push_back(reader->position());
        std::vector<qint64> want;
        for (const NEventStoreCommits::Event &e : m_events) {
            if (e.position > after && e.position <= upTo)
                want.push_back(e.position);
        }
        QVERIFY(got == want);
    }

    // Every statement of a page, a seek either way, a count, the position range and the
    // index's scan reads Commits by its key: a search, never a scan of it or a sort.
    void sqlitePlansSeekTheCommitsKey()
    {
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(m_sqlite), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        sqlite3 *db = TestSupport::newestStoreConnection();
        QVERIFY(db);
        const qint64 middle = m_events.at(m_events.size() / 2).position;
        QStringList statements;
        {
            const StatementLog log(db);
            EventFilter page;
            page.afterPosition = middle;
            page.limit = 200;
            QVERIFY(store->events(page));
            page.types = {u"OrderPaid"_s};
            QVERIFY(store->events(page));
            QVERIFY(store->seekPosition({}, middle, 200));
            QVERIFY(store->seekPosition({}, middle, -200));
            QVERIFY(store->countEvents({}, middle));
            QVERIFY(store->positionRange());
            auto reader = store->indexScan(middle, middle + 1000000);
            QVERIFY(reader);
            while (reader->next() == SqliteStreamReader::Step::Row) {
            }
            statements = log.statements();
        }
        int searched = 0;
        for (const QString &sql : std::as_const(statements)) {
            if (!sql.contains(u"json_each"_s))
                continue; // not a read of the events
            ++searched;
            const QStringList plan = queryPlan(db, sql);
            const QString shown = sql.left(160) + u"… planned as: "_s + plan.join(u" | "_s);
            QVERIFY2(plan.filter(u"SEARCH c USING INTEGER PRIMARY KEY"_s).size() == 1,
                     qPrintable(shown));
            for (const QString &step : plan) {
                QVERIFY2(!step.startsWith(u"SCAN c"_s), qPrintable(shown));
                QVERIFY2(!step.contains(u"TEMP B-TREE"_s), qPrintable(shown));
            }
        }
        QVERIFY(searched >= 7);
    }

    void cleanupTestCase() { m_server.stop(); }
};

QTEST_GUILESS_MAIN(SeekablePositionsTest)
#include "tst_seekablepositions.moc"

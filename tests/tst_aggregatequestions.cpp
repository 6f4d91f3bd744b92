// Questions about one aggregate: a field's history, the diff of two moments or two streams,
// and bisect; through the engine (FieldHistory, StateDiff, StateBisect) and through
// eventscope-cli, with exact answers on stores the test writes: one in Eventscope's own
// layout and the same events in a foreign shape (integer-ms times, blob payloads, a table
// read through --map).

#include "pgtestserver.h"
#include "query/fieldhistory.h"
#include "query/predicate.h"
#include "query/sidebysidefolds.h"
#include "query/statebisect.h"
#include "query/statediff.h"
#include "replay/projection.h"
#include "replay/replayengine.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

// The story of the accounts (TestSupport::accountRows()): acct-1's fields change in every
// way a field can; its event n is at 2026-02-01T10:0n:00Z.
using Row = TestSupport::AccountRow;
using TestSupport::accountRows;
using TestSupport::accountRowTimeMs;

// What `Closed` does under the projection the tests use: the owner is unset, not nulled.
const QByteArray ClosingProjection = R"({"Closed":[{"op":"unset","path":"owner"}]})";

QString sqlText(const char *text)
{
    return u'\'' + QString::fromUtf8(text).replace(u'\'', u"''"_s) + u'\'';
}

// The foreign shape: other names, times as integer ms, payloads as blobs, positions with gaps.
const QString ForeignMap =
    u"table=ledger,stream=account,version=seq,type=kind,time=at_ms,data=body,position=id"_s;

bool writeForeignStore(const QString &path)
{
    QStringList sql{u"CREATE TABLE ledger(id INTEGER PRIMARY KEY, account TEXT, seq INTEGER, "
                    "kind TEXT, at_ms INTEGER, body BLOB)"_s,
                    u"CREATE TABLE other(x)"_s};
    int position = 0;
    for (const Row &r : accountRows()) {
        position += 7;
        sql << u"INSERT INTO ledger VALUES (%1, %2, %3, %4, %5, CAST(%6 AS BLOB))"_s.arg(position)
                   .arg(sqlText(r.stream))
                   .arg(r.version)
                   .arg(sqlText(r.type))
                   .arg(accountRowTimeMs(r))
                   .arg(sqlText(r.data));
    }
    return TestSupport::execSql(path, sql);
}

std::unique_ptr<EventStore> openStore(const QString &path, const QString &map = {})
{
    StoreError error;
    auto store = EventStore::open(StoreLocation::parse(path), StoreOpenOptions{map, {}}, &error);
    if (!store)
        qWarning() << "cannot open" << path << error.message;
    return store;
}

QueryPath path(const QString &text)
{
    QueryError error;
    const auto parsed = Predicate::parsePath(text, &error);
    if (!parsed)
        qFatal("bad test path %s: %s", qPrintable(text), qPrintable(error.text()));
    return *parsed;
}

Predicate predicate(const QString &text)
{
    QueryError error;
    auto parsed = Predicate::parse(text, &error);
    if (!parsed)
        qFatal("bad test predicate %s: %s", qPrintable(text), qPrintable(error.text()));
    return *parsed;
}

QString describe(const QJsonValue &value)
{
    return QString::fromUtf8(TestSupport::describeJson(value));
}

// "version kind before -> after", with "undefined" for a side that is not there.
QStringList historyOf(EventStore &store, const QString &stream, const QString &pathText,
                      const Projection &projection = {})
{
    ReplayEngine engine(store, stream, projection);
    QStringList lines;
    QString error;
    const bool ok = FieldHistory::walk(
        engine, path(pathText),
        [&lines](const FieldChange &c) {
            lines << u"%1 %2 %3 -> %4"_s.arg(c.version).arg(JsonDiff::kindName(c.change.kind),
                                                            describe(c.change.before),
                                                            describe(c.change.after));
            return true;
        },
        {}, &error);
    if (!ok)
        lines << u"error: "_s + error;
    return lines;
}

// The version bisect finds, or -1 for none, or -2 on error.
qint64 bisectVersion(EventStore &store, const QString &stream, const QString &text,
                     const Projection &projection = {})
{
    ReplayEngine engine(store, stream, projection);
    QString error;
    const auto result = StateBisect::find(engine, predicate(text), {}, &error);
    if (!result)
        return -2;
    return result->found ? result->found->version : -1;
}

Projection projectionFrom(const QByteArray &json)
{
    QString error;
    const auto projection = Projection::fromJson(json, &error);
    if (!projection)
        qFatal("bad test projection: %s", qPrintable(error));
    return *projection;
}

using TestSupport::runCli;

} // namespace

class TestAggregateQuestions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_own;
    QString m_foreign;
    QString m_projection;

    // Both stores, with what opens them; the answers must not depend on the shape.
    void addStoreColumn()
    {
        QTest::addColumn<QString>("storePath");
        QTest::addColumn<QString>("map");
    }
    // Each row once per store shape.
    template<typename Fill> void forEachStore(const char *name, Fill fill)
    {
        fill(QTest::addRow("own: %s", name) << m_own << QString());
        fill(QTest::addRow("foreign: %s", name) << m_foreign << ForeignMap);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_own = m_dir.filePath(u"own.db"_s);
        m_foreign = m_dir.filePath(u"foreign.db"_s);
        m_projection = m_dir.filePath(u"closing.json"_s);
        QVERIFY(TestSupport::createAccountStore(m_own));
        QVERIFY(writeForeignStore(m_foreign));
        QFile file(m_projection);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(ClosingProjection);
    }

    void history_data()
    {
        addStoreColumn();
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("closingProjection");
        QTest::addColumn<QStringList>("expected");

        // Set to the same value (v2) is no change; null is a value (v16).
        forEachStore("owner", [](QTestData &row) {
            row << u"owner"_s << false
                << QStringList{u"1 added undefined -> [\"Ann\"]"_s,
                               u"16 changed [\"Ann\"] -> [null]"_s,
                               u"17 changed [null] -> [\"Bea\"]"_s};
        });
        // Unset by the projection: removed and added again.
        forEachStore("owner, projection", [](QTestData &row) {
            row << u"owner"_s << true
                << QStringList{u"1 added undefined -> [\"Ann\"]"_s,
                               u"16 removed [\"Ann\"] -> undefined"_s,
                               u"17 added undefined -> [\"Bea\"]"_s};
        });
        // Nested: removed when its parent becomes a number (v5), re-added (v6); 100 and 100.0
        // are one number (v15).
        const QStringList cents{u"1 added undefined -> [100]"_s,   u"3 changed [100] -> [250]"_s,
                                u"5 removed [250] -> undefined"_s, u"6 added undefined -> [250]"_s,
                                u"9 changed [250] -> [-50]"_s,     u"10 changed [-50] -> [300]"_s,
                                u"11 changed [300] -> [-20]"_s,    u"14 changed [-20] -> [100]"_s};
        forEachStore("balance.cents",
                     [&cents](QTestData &row) { row << u"balance.cents"_s << false << cents; });
        // The generic fold (any projection) gives the same answer as the merge's fast one.
        forEachStore("balance.cents, projection",
                     [&cents](QTestData &row) { row << u"balance.cents"_s << true << cents; });
        forEachStore("balance, a subtree", [](QTestData &row) {
            row << u"balance"_s << false
                << QStringList{u"1 added undefined -> [{\"cents\":100}]"_s,
                               u"3 changed [{\"cents\":100}] -> [{\"cents\":250}]"_s,
                               u"5 changed [{\"cents\":250}] -> [5]"_s,
                               u"6 changed [5] -> [{\"cents\":250}]"_s,
                               u"9 changed [{\"cents\":250}] -> [{\"cents\":-50}]"_s,
                               u"10 changed [{\"cents\":-50}] -> [{\"cents\":300}]"_s,
                               u"11 changed [{\"cents\":300}] -> [{\"cents\":-20}]"_s,
                               u"14 changed [{\"cents\":-20}] -> [{\"cents\":100}]"_s};
        });
        forEachStore("array item added and removed", [](QTestData &row) {
            row << u"tags[1]"_s << false
                << QStringList{u"7 added undefined -> [\"b\"]"_s,
                               u"13 removed [\"b\"] -> undefined"_s};
        });
        forEachStore("array item changed", [](QTestData &row) {
            row << u"tags[0]"_s << false
                << QStringList{u"1 added undefined -> [\"a\"]"_s,
                               u"13 changed [\"a\"] -> [\"c\"]"_s};
        });
        forEachStore("quoted key", [](QTestData &row) {
            row << u"\"a.b\".c"_s << false << QStringList{u"4 added undefined -> [1]"_s};
        });
        forEachStore("same value again", [](QTestData &row) {
            row << u"note"_s << false << QStringList{u"4 added undefined -> [\"x\"]"_s};
        });
        forEachStore("never there",
                     [](QTestData &row) { row << u"balance.cents.x"_s << false << QStringList(); });
    }
    void history()
    {
        QFETCH(QString, storePath);
        QFETCH(QString, map);
        QFETCH(QString, field);
        QFETCH(bool, closingProjection);
        QFETCH(QStringList, expected);
        auto store = openStore(storePath, map);
        QVERIFY(store);
        const Projection projection =
            closingProjection ? projectionFrom(ClosingProjection) : Projection();
        QCOMPARE(historyOf(*store, u"acct-1"_s, field, projection), expected);
    }

    void historyKeepsTimesAndTypes()
    {
        auto store = openStore(m_foreign, ForeignMap);
        QVERIFY(store);
        ReplayEngine engine(*store, u"acct-1"_s);
        QVector<FieldChange> changes;
        QString error;
        QVERIFY(FieldHistory::walk(
            engine, path(u"tags[1]"_s),
            [&changes](const FieldChange &c) {
                changes << c;
                return true;
            },
            {}, &error));
        QCOMPARE(changes.size(), 2);
        QCOMPARE(changes.at(0).type, u"Tagged"_s);
        QCOMPARE(changes.at(0).index, 6);        // v7, the seventh event of acct-1
        QCOMPARE(changes.at(0).position, 9 * 7); // the ninth row of the table
        QCOMPARE(changes.at(0).timeMs, accountRowTimeMs(accountRows()[8]));
        QCOMPARE(changes.at(0).change.path, u"tags[1]"_s);
    }

    // PostgreSQL folds through libpq in statements of bounded rows; bisect stops in the middle
    // of one. The foreign shape there answers as in SQLite.
    void postgresAnswersAlike()
    {
        PgTestServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QVERIFY2(server.createDatabase(u"ledger"_s, &error), qPrintable(error));
        QStringList sql{u"CREATE TABLE ledger(id BIGINT PRIMARY KEY, account TEXT, seq BIGINT, "
                        "kind TEXT, at_ms BIGINT, body TEXT)"_s};
        int position = 0;
        for (const Row &r : accountRows()) {
            position += 7;
            sql << u"INSERT INTO ledger VALUES (%1, %2, %3, %4, %5, %6)"_s.arg(position)
                       .arg(sqlText(r.stream))
                       .arg(r.version)
                       .arg(sqlText(r.type))
                       .arg(accountRowTimeMs(r))
                       .arg(sqlText(r.data));
        }
        QVERIFY2(server.exec(u"ledger"_s, sql, &error), qPrintable(error));
        const QString url =
            server.url(PgTestServer::superUser(), server.superPassword(), u"ledger"_s);
        auto postgres = openStore(url, ForeignMap);
        QVERIFY(postgres);
        QCOMPARE(postgres->dialect(), SqlDialect::Postgres);
        auto sqlite = openStore(m_own);
        QVERIFY(sqlite);
        for (const QString &field : {u"owner"_s, u"balance.cents"_s, u"tags[1]"_s})
            QCOMPARE(historyOf(*postgres, u"acct-1"_s, field),
                     historyOf(*sqlite, u"acct-1"_s, field));
        QCOMPARE(bisectVersion(*postgres, u"acct-1"_s, u"balance.cents < 0"_s), 9);
        // The connection is usable again after the statement stopped halfway.
        QCOMPARE(bisectVersion(*postgres, u"acct-1"_s, u"owner == \"Bea\""_s), 17);
        const auto diff =
            StateDiff::compare(*postgres, {}, {u"acct-1"_s, 3}, {u"acct-1"_s, 7}, {}, &error);
        QVERIFY2(diff, qPrintable(error));
        QCOMPARE(diff->changes.size(), 3);
    }

    // The window cancels long questions through their JobControl.
    void cancelStopsTheWalk()
    {
        auto store = openStore(m_own);
        QVERIFY(store);
        const std::atomic_bool cancel{true};
        JobControl job;
        job.cancel = &cancel;
        QString error;
        ReplayEngine history(*store, u"acct-1"_s);
        QVERIFY(!FieldHistory::walk(
            history, path(u"owner"_s), [](const FieldChange &) { return true; }, job, &error));
        QVERIFY2(error.contains(u"cancelled"_s), qPrintable(error));
        ReplayEngine bisect(*store, u"acct-1"_s);
        QVERIFY(!StateBisect::find(bisect, predicate(u"owner missing"_s), job, &error));
        QVERIFY2(error.contains(u"cancelled"_s), qPrintable(error));
        QVERIFY(!StateDiff::compare(*store, {}, {u"acct-1"_s, 1}, {u"acct-2"_s, 1}, job, &error));
        QVERIFY2(error.contains(u"cancelled"_s), qPrintable(error));
        // An engine that has folded already cannot answer from the first event.
        ReplayEngine loaded(*store, u"acct-1"_s);
        QVERIFY(loaded.load());
        QVERIFY(!StateBisect::find(loaded, predicate(u"owner missing"_s), {}, &error));
        QVERIFY2(error.contains(u"from its first event"_s), qPrintable(error));
    }

    void bisect_data()
    {
        addStoreColumn();
        QTest::addColumn<QString>("condition");
        QTest::addColumn<qint64>("expected"); // the version, -1 for none

        // Below zero at v9, above at v10, below again at v11: the first is the answer.
        forEachStore("flips", [](QTestData &row) { row << u"balance.cents < 0"_s << 9ll; });
        // Holds at v1, no longer from v3, again at v14 with the tag of v13: v14.
        forEachStore("holds again later", [](QTestData &row) {
            row << u"balance.cents == 100 and tags contains \"c\""_s << 14ll;
        });
        forEachStore("holds at the first event",
                     [](QTestData &row) { row << u"balance.cents == 100"_s << 1ll; });
        forEachStore("missing", [](QTestData &row) { row << u"balance.cents missing"_s << 5ll; });
        forEachStore("missing from the start",
                     [](QTestData &row) { row << u"note missing"_s << 1ll; });
        forEachStore("array item", [](QTestData &row) { row << u"tags[1] == \"b\""_s << 7ll; });
        forEachStore("quoted key", [](QTestData &row) { row << u"\"a.b\".c exists"_s << 4ll; });
        forEachStore("null", [](QTestData &row) { row << u"owner == null"_s << 16ll; });
        forEachStore("or, not", [](QTestData &row) {
            row << u"not (owner == \"Ann\" or owner missing)"_s << 16ll;
        });
        forEachStore("matches", [](QTestData &row) { row << u"owner matches \"^B\""_s << 17ll; });
        forEachStore("never", [](QTestData &row) { row << u"balance.cents > 1000"_s << -1ll; });
    }
    void bisect()
    {
        QFETCH(QString, storePath);
        QFETCH(QString, map);
        QFETCH(QString, condition);
        QFETCH(qint64, expected);
        auto store = openStore(storePath, map);
        QVERIFY(store);
        QCOMPARE(bisectVersion(*store, u"acct-1"_s, condition), expected);
        // The generic fold agrees.
        QCOMPARE(bisectVersion(*store, u"acct-1"_s, condition,
                               projectionFrom(R"({"*":[{"op":"merge"}]})")),
                 expected);
    }

    void bisectAnswersWithTheWholeState()
    {
        auto store = openStore(m_own);
        QVERIFY(store);
        ReplayEngine engine(*store, u"acct-1"_s, {}, {4, 256ll * 1024 * 1024, 2000});
        QString error;
        const auto result =
            StateBisect::find(engine, predicate(u"balance.cents < 0"_s), {}, &error);
        QVERIFY2(result, qPrintable(error));
        QVERIFY(result->found);
        QCOMPARE(result->eventsApplied, 9);
        QCOMPARE(result->found->type, u"Withdrawn"_s);
        QCOMPARE(result->found->state,
                 TestSupport::jsonObject(R"({"owner":"Ann","balance":{"cents":-50},"tags":["a","b"],
                                             "note":"x","a.b":{"c":1}})"));
        // The pass stopped at the answer.
        QCOMPARE(engine.eventCount(), 9);

        ReplayEngine whole(*store, u"acct-1"_s);
        const auto none =
            StateBisect::find(whole, predicate(u"balance.cents > 1000"_s), {}, &error);
        QVERIFY(none);
        QVERIFY(!none->found);
        QCOMPARE(none->eventsApplied, 17);
    }

    void diff_data()
    {
        addStoreColumn();
        QTest::addColumn<QString>("rightStream");
        QTest::addColumn<qint64>("fromVersion");
        QTest::addColumn<QString>("fromTime");
        QTest::addColumn<qint64>("toVersion");
        QTest::addColumn<QString>("toTime");
        QTest::addColumn<QStringList>("expected");

        const QStringList threeToSeven{u"added [\"a.b\"] undefined -> [{\"c\":1}]"_s,
                                       u"added note undefined -> [\"x\"]"_s,
                                       u"added tags[1] undefined -> [\"b\"]"_s};
        forEachStore("versions", [&](QTestData &row) {
            row << u"acct-1"_s << 3ll << QString() << 7ll << QString() << threeToSeven;
        });
        // v3 at 10:03, v7 at 10:07: a time between events, and one exactly at an event.
        forEachStore("times", [&](QTestData &row) {
            row << u"acct-1"_s << 0ll << u"2026-02-01T10:03:30Z"_s << 0ll
                << u"2026-02-01T10:07:00Z"_s << threeToSeven;
        });
        forEachStore("backwards", [](QTestData &row) {
            row << u"acct-1"_s << 6ll << QString() << 5ll << QString()
                << QStringList{u"changed balance [{\"cents\":250}] -> [5]"_s};
        });
        forEachStore("before the first event", [](QTestData &row) {
            row << u"acct-1"_s << 0ll << QString() << 1ll << QString()
                << QStringList{u"added balance undefined -> [{\"cents\":100}]"_s,
                               u"added owner undefined -> [\"Ann\"]"_s,
                               u"added tags undefined -> [[\"a\"]]"_s};
        });
        forEachStore("the same state", [](QTestData &row) {
            row << u"acct-1"_s << 14ll << QString() << 15ll << QString() << QStringList();
        });
        forEachStore("two streams", [](QTestData &row) {
            row << u"acct-2"_s << 1ll << QString() << 2ll << QString()
                << QStringList{u"changed owner [\"Ann\"] -> [\"Cid\"]"_s,
                               u"added tags[1] undefined -> [\"z\"]"_s,
                               u"added vip undefined -> [true]"_s};
        });
    }
    void diff()
    {
        QFETCH(QString, storePath);
        QFETCH(QString, map);
        QFETCH(QString, rightStream);
        QFETCH(qint64, fromVersion);
        QFETCH(QString, fromTime);
        QFETCH(qint64, toVersion);
        QFETCH(QString, toTime);
        QFETCH(QStringList, expected);
        auto store = openStore(storePath, map);
        QVERIFY(store);
        const auto msOf = [](const QString &iso) {
            return iso.isEmpty() ? NoTime
                                 : QDateTime::fromString(iso, Qt::ISODate).toMSecsSinceEpoch();
        };
        const DiffSide left{u"acct-1"_s, fromVersion, msOf(fromTime)};
        const DiffSide right{rightStream, toVersion, msOf(toTime)};
        QString error;
        const auto result = StateDiff::compare(*store, {}, left, right, {}, &error);
        QVERIFY2(result, qPrintable(error));
        QStringList changes;
        for (const JsonChange &c : result->changes)
            changes << u"%1 %2 %3 -> %4"_s.arg(JsonDiff::kindName(c.kind), c.path,
                                               describe(c.before), describe(c.after));
        QCOMPARE(changes, expected);
        QCOMPARE(result->left.stream, u"acct-1"_s);
        QCOMPARE(result->right.stream, rightStream);
    }

    void diffErrors()
    {
        auto store = openStore(m_own);
        QVERIFY(store);
        QString error;
        QVERIFY(!StateDiff::compare(*store, {}, {u"acct-1"_s, 1}, {u"acct-1"_s, 99}, {}, &error));
        QVERIFY2(error.contains(u"no version 99"_s), qPrintable(error));
        QVERIFY(!StateDiff::compare(*store, {}, {u"acct-1"_s, 1}, {u"nope"_s, 1}, {}, &error));
        QVERIFY2(error.contains(u"no stream named 'nope'"_s), qPrintable(error));
    }

    // History and bisect follow values through the fold's own form, skipping events that
    // provably leave them alone; a scan of every state from zero must agree, on random streams
    // that nest, replace objects by values and back, and grow and shrink arrays.
    // Side by side keeps each column's fold and moves it with the cursor: after any sequence
    // of moves, each column is what a fresh fold gives at that time, and a step forward
    // applies only the events between the two times.
    void sideBySideFoldsMove()
    {
        auto store = openStore(m_own);
        QVERIFY(store);
        const QStringList streams{u"acct-1"_s, u"acct-2"_s};
        const qint64 ten = accountRowTimeMs(accountRows()[0]) - 60000; // 10:00, before every event
        // Minutes past ten; backward moves reach back past several checkpoints.
        const QVector<qint64> minutes{3, 10, 6, 17, 1, 0, 2, 14, 5, 5, 16, 9};
        ReplayEngine::Options small;
        small.checkpointInterval = 4;
        SideBySideFolds folds(Projection(), small);
        for (const qint64 minute : minutes) {
            const qint64 at = ten + minute * 60000 + 500;
            StoreError error;
            const auto states = folds.statesAt(*store, streams, at, {}, &error);
            QVERIFY2(states, qPrintable(error.message));
            QCOMPARE(states->size(), 2);
            for (qsizetype i = 0; i < streams.size(); ++i) {
                ReplayEngine fresh(*store, streams.at(i));
                QVERIFY(fresh.load());
                const auto expected = fresh.stateAtTime(at);
                QVERIFY(expected);
                const ReplayState &got = states->at(i);
                QCOMPARE(got.stream, streams.at(i));
                QCOMPARE(got.index, expected->index);
                QCOMPARE(got.version, expected->version);
                QCOMPARE(got.state, expected->state);
                QCOMPARE(got.eventCounts, expected->eventCounts);
            }
        }

        // Forward from 10:03 to 10:07: acct-1's versions 4 to 7, and nothing of acct-2 (its
        // last event, at 10:02:01, is behind both).
        SideBySideFolds counting{Projection()};
        StoreError error;
        QVERIFY(counting.statesAt(*store, streams, ten + 3 * 60000, {}, &error));
        const auto moved = counting.statesAt(*store, streams, ten + 7 * 60000, {}, &error);
        QVERIFY(moved);
        QCOMPARE(moved->at(0).version, 7);
        QCOMPARE(moved->at(1).version, 2);
        QCOMPARE(counting.lastApplications(), 4);
        // Staying put applies nothing; one more event, one application.
        QVERIFY(counting.statesAt(*store, streams, ten + 7 * 60000, {}, &error));
        QCOMPARE(counting.lastApplications(), 0);
        QVERIFY(counting.statesAt(*store, streams, ten + 8 * 60000, {}, &error));
        QCOMPARE(counting.lastApplications(), 1);
        // A stream no longer named is let go; one named again is folded from its start.
        const auto one = counting.statesAt(*store, {u"acct-2"_s}, ten + 8 * 60000, {}, &error);
        QVERIFY(one);
        QCOMPARE(one->size(), 1);
        QCOMPARE(one->at(0).version, 2);
    }

    void agreeWithAScanOfEveryState()
    {
        const QString storePath = m_dir.filePath(u"random.db"_s);
        QStringList sql{u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT "
                        "NOT NULL, stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT "
                        "NULL, recorded_at TEXT NOT NULL, data TEXT, metadata TEXT, "
                        "UNIQUE(stream_id, stream_version))"_s};
        QRandomGenerator random(20261203);
        const QStringList keys{u"a"_s, u"b"_s, u"c"_s};
        // A small random value: mostly objects over the same few keys, so merges go deep.
        std::function<QJsonValue(int)> value = [&](int depth) -> QJsonValue {
            switch (random.bounded(depth > 2 ? 4 : 8)) {
            case 0:
                return int(random.bounded(3));
            case 1:
                return random.bounded(2) ? QJsonValue(1.0) : QJsonValue(u"s"_s);
            case 2:
                return QJsonValue::Null;
            case 3: {
                QJsonArray array;
                for (int i = int(random.bounded(3)); i > 0; --i)
                    array.append(int(random.bounded(2)));
                return array;
            }
            default: {
                QJsonObject object;
                for (const QString &key : keys) {
                    if (random.bounded(2))
                        object.insert(key, value(depth + 1));
                }
                return object;
            }
            }
        };
        const int events = 400;
        for (int v = 1; v <= events; ++v) {
            const QJsonValue data = random.bounded(10) == 0 ? QJsonValue(7) : value(0);
            const QByteArray json =
                data.isObject() ? QJsonDocument(data.toObject()).toJson(QJsonDocument::Compact)
                                : QByteArray("7");
            sql << u"INSERT INTO events VALUES (%1, 's', %1, NULL, 'T', "
                   "'2026-01-01T00:00:00.000Z', %2, NULL)"_s.arg(v)
                       .arg(sqlText(json.constData()));
        }
        QVERIFY(TestSupport::execSql(storePath, sql));
        auto store = openStore(storePath);
        QVERIFY(store);

        // Every state, from the engine's stepping (which this test trusts, tst_replay checks it).
        ReplayEngine scan(*store, u"s"_s);
        QVERIFY(scan.load());
        QVector<QJsonObject> states;
        for (qint64 i = 0; i < events; ++i) {
            const auto state = scan.stateAtIndex(i);
            QVERIFY(state);
            states << state->state;
        }

        const QStringList paths{u"a"_s,    u"a.b"_s,  u"a.b.c"_s, u"c.a"_s,
                                u"a[0]"_s, u"b[1]"_s, u"c"_s,     u"b.b.b"_s};
        for (const QString &p : paths) {
            for (const bool generic : {false, true}) {
                const Projection projection =
                    generic ? projectionFrom(R"({"*":[{"op":"merge"}]})") : Projection();
                QStringList expected;
                QJsonValue before(QJsonValue::Undefined);
                for (qint64 i = 0; i < events; ++i) {
                    const QJsonValue after = path(p).valueIn(states.at(i));
                    if (after != before) {
                        const QString kind = before.isUndefined()  ? u"added"_s
                                             : after.isUndefined() ? u"removed"_s
                                                                   : u"changed"_s;
                        expected << u"%1 %2 %3 -> %4"_s.arg(i + 1).arg(kind, describe(before),
                                                                       describe(after));
                    }
                    before = after;
                }
                QVERIFY2(expected.size() > 3, qPrintable(p)); // the walk has something to find
                QCOMPARE(historyOf(*store, u"s"_s, p, projection), expected);
            }
        }

        // Comparisons of every path with small values, alone and in pairs; many first hold
        // late, after the value has changed back and forth.
        QStringList conditions{u"not (a exists)"_s, u"b contains 1 or a[0] == 0"_s};
        const QStringList values{u"0"_s, u"1"_s, u"2"_s, u"\"s\""_s, u"null"_s, u"[0, 1]"_s};
        for (const QString &p : paths) {
            for (const QString &v : values)
                conditions << p + u" == "_s + v;
            conditions << p + u" missing and a.b exists"_s << u"not ("_s + p + u" >= 1)"_s;
        }
        int late = 0;
        for (const QString &condition : conditions) {
            const Predicate parsed = predicate(condition);
            qint64 expected = -1;
            for (qint64 i = 0; i < events && expected < 0; ++i) {
                if (parsed.holds(states.at(i)))
                    expected = i + 1;
            }
            if (expected > 20)
                ++late;
            QCOMPARE(bisectVersion(*store, u"s"_s, condition), expected);
            QCOMPARE(bisectVersion(*store, u"s"_s, condition,
                                   projectionFrom(R"({"*":[{"op":"merge"}]})")),
                     expected);
        }
        QVERIFY2(late >= 10, qPrintable(QString::number(late)));
    }

    // The fast fold hands over leaf values from its own text; they must be the values Qt reads
    // (the generic fold's), whatever the scalar.
    void leafValuesReadAsQtReadsThem()
    {
        const QString storePath = m_dir.filePath(u"scalars.db"_s);
        const QList<QByteArray> values{"\"plain\"",
                                       "\"Zo\u00eb \\\"quoted\\\" \\\\ tab\\t\"",
                                       "\"\\u00e9t\u00e9\"",
                                       "\"\"",
                                       "0",
                                       "-7",
                                       "123456789012345678",
                                       "1234567890123456789",
                                       "-9223372036854775808",
                                       "1.5",
                                       "1e3",
                                       "1.0",
                                       "-0",
                                       "-0.0",
                                       "true",
                                       "false",
                                       "null",
                                       "[1,\"a\",null]",
                                       "{}"};
        QStringList sql{u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT "
                        "NOT NULL, stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT "
                        "NULL, recorded_at TEXT NOT NULL, data TEXT, metadata TEXT, "
                        "UNIQUE(stream_id, stream_version))"_s};
        int version = 0;
        for (const QByteArray &value : values) {
            const QByteArray json = "{\"v\":" + value + ",\"o\":{\"w\":" + value + "}}";
            ++version;
            sql << u"INSERT INTO events VALUES (%1, 's', %1, NULL, 'T', "
                   "'2026-01-01T00:00:00.000Z', %2, NULL)"_s.arg(version)
                       .arg(sqlText(json.constData()));
        }
        QVERIFY(TestSupport::execSql(storePath, sql));
        auto store = openStore(storePath);
        QVERIFY(store);
        const Projection generic = projectionFrom(R"({"*":[{"op":"merge"}]})");
        for (const QString &p : {u"v"_s, u"o.w"_s, u"o"_s}) {
            const QStringList fast = historyOf(*store, u"s"_s, p);
            QCOMPARE(fast, historyOf(*store, u"s"_s, p, generic));
            QVERIFY(fast.size() >= values.size() - 2); // 1.0 after 1e3, -0 after 1.0 and so on
        }
    }

    void cliHistory_data()
    {
        addStoreColumn();
        forEachStore("history", [](QTestData &) {});
    }
    void cliHistory()
    {
        QFETCH(QString, storePath);
        QFETCH(QString, map);
        QStringList args{u"history"_s, storePath,  u"--stream"_s,     u"acct-1"_s,
                         u"--path"_s,  u"owner"_s, u"--projection"_s, m_projection};
        if (!map.isEmpty())
            args << u"--map"_s << map;
        const TestSupport::CliRun run = runCli(args);
        QCOMPARE(run.exitCode, 0);
        const qint64 p16 = map.isEmpty() ? 18 : 18 * 7;
        const qint64 p17 = map.isEmpty() ? 19 : 19 * 7;
        const qint64 p1 = map.isEmpty() ? 1 : 7;
        QCOMPARE(
            run.lines(),
            (QList<QByteArray>{
                QByteArray(R"({"version":1,"position":)") + QByteArray::number(p1) +
                    R"(,"time":"2026-02-01T10:01:00.000Z","type":"Opened","change":"added","after":"Ann"})",
                QByteArray(R"({"version":16,"position":)") + QByteArray::number(p16) +
                    R"(,"time":"2026-02-01T10:16:00.000Z","type":"Closed","change":"removed","before":"Ann"})",
                QByteArray(R"({"version":17,"position":)") + QByteArray::number(p17) +
                    R"(,"time":"2026-02-01T10:17:00.000Z","type":"Reopened","change":"added","after":"Bea"})"}));
    }

    void cliDiff()
    {
        const TestSupport::CliRun versions =
            runCli({u"diff"_s, m_own, u"--stream"_s, u"acct-1"_s, u"--from"_s, u"1"_s, u"--to"_s,
                    u"2"_s, u"--other-stream"_s, u"acct-2"_s});
        QCOMPARE(versions.exitCode, 0);
        QCOMPARE(
            versions.lines(),
            QList<QByteArray>{
                R"({"left":{"stream":"acct-1","version":1},"right":{"stream":"acct-2","version":2},"changes":[)"
                R"({"path":"owner","change":"changed","before":"Ann","after":"Cid"},)"
                R"({"path":"tags[1]","change":"added","after":"z"},)"
                R"({"path":"vip","change":"added","after":true}]})"});

        // Times on the foreign shape; the left side before the first event has no version.
        const TestSupport::CliRun times =
            runCli({u"diff"_s, m_foreign, u"--map"_s, ForeignMap, u"--stream"_s, u"acct-1"_s,
                    u"--from-time"_s, u"2026-02-01T09:00:00Z"_s, u"--to-time"_s,
                    u"2026-02-01T10:05:30Z"_s});
        QCOMPARE(times.exitCode, 0);
        QCOMPARE(
            times.lines(),
            QList<QByteArray>{
                R"({"left":{"stream":"acct-1","version":null},"right":{"stream":"acct-1","version":5},"changes":[)"
                "{\"path\":\"[\\\"a.b\\\"]\",\"change\":\"added\",\"after\":{\"c\":1}},"
                R"({"path":"balance","change":"added","after":5},)"
                R"({"path":"note","change":"added","after":"x"},)"
                R"({"path":"owner","change":"added","after":"Ann"},)"
                R"({"path":"tags","change":"added","after":["a"]}]})"});

        // A version and a time mixed, the same state: no changes.
        const TestSupport::CliRun same =
            runCli({u"diff"_s, m_own, u"--stream"_s, u"acct-1"_s, u"--from"_s, u"15"_s,
                    u"--to-time"_s, u"2026-02-01T10:14:00Z"_s});
        QCOMPARE(same.exitCode, 0);
        QCOMPARE(
            same.lines(),
            QList<QByteArray>{
                R"({"left":{"stream":"acct-1","version":15},"right":{"stream":"acct-1","version":14},"changes":[]})"});
    }

    void cliBisect()
    {
        const TestSupport::CliRun found =
            runCli({u"bisect"_s, m_foreign, u"--map"_s, ForeignMap, u"--stream"_s, u"acct-1"_s,
                    u"--predicate"_s, u"balance.cents < 0"_s});
        QCOMPARE(found.exitCode, 0);
        QCOMPARE(found.lines(),
                 QList<QByteArray>{
                     R"({"found":true,"version":9,"position":77,"time":"2026-02-01T10:09:00.000Z",)"
                     R"("type":"Withdrawn","state":{"a.b":{"c":1},"balance":{"cents":-50},)"
                     R"("note":"x","owner":"Ann","tags":["a","b"]}})"});

        // The projection counts: with it the owner is missing after v16, without it null.
        const TestSupport::CliRun projected =
            runCli({u"bisect"_s, m_own, u"--stream"_s, u"acct-1"_s, u"--predicate"_s,
                    u"owner missing"_s, u"--projection"_s, m_projection});
        QCOMPARE(projected.exitCode, 0);
        QVERIFY(projected.out.startsWith(R"({"found":true,"version":16,)"));
        const TestSupport::CliRun merged = runCli(
            {u"bisect"_s, m_own, u"--stream"_s, u"acct-1"_s, u"--predicate"_s, u"owner missing"_s});
        QCOMPARE(merged.exitCode, 0);
        QCOMPARE(merged.lines(), QList<QByteArray>{R"({"found":false,"events_applied":17})"});
    }

    void cliErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");

        const QString own = u"OWN"_s;
        QTest::newRow("malformed predicate")
            << QStringList{u"bisect"_s,         own, u"--stream"_s, u"acct-1"_s, u"--predicate"_s,
                           u"balance.cents <"_s}
            << 2 << u"--predicate is malformed at column 16: expected a value after '<'"_s;
        QTest::newRow("predicate with a single =")
            << QStringList{u"bisect"_s,         own, u"--stream"_s, u"acct-1"_s, u"--predicate"_s,
                           u"owner = \"Ann\""_s}
            << 2 << u"--predicate is malformed at column 7: '=' is not an operator"_s;
        QTest::newRow("unquoted string")
            << QStringList{u"bisect"_s,      own,
                           u"--stream"_s,    u"acct-1"_s,
                           u"--predicate"_s, u"owner == Ann and x exists"_s}
            << 2 << u"--predicate is malformed at column 10: expected a JSON value"_s;
        QTest::newRow("unclosed parenthesis")
            << QStringList{u"bisect"_s,     own, u"--stream"_s, u"acct-1"_s, u"--predicate"_s,
                           u"not (a == 1"_s}
            << 2 << u"--predicate is malformed at column 12: expected ')'"_s;
        QTest::newRow("no predicate") << QStringList{u"bisect"_s, own, u"--stream"_s, u"acct-1"_s}
                                      << 2 << u"bisect needs --predicate"_s;
        QTest::newRow("malformed path")
            << QStringList{u"history"_s, own, u"--stream"_s, u"acct-1"_s, u"--path"_s, u"tags[x]"_s}
            << 2 << u"--path is malformed at column 6: expected an array index"_s;
        QTest::newRow("no stream") << QStringList{u"history"_s, own, u"--path"_s, u"owner"_s} << 2
                                   << u"history needs --stream"_s;
        QTest::newRow("diff without a right side")
            << QStringList{u"diff"_s, own, u"--stream"_s, u"acct-1"_s, u"--from"_s, u"1"_s} << 2
            << u"diff needs --to VERSION or --to-time ISO"_s;
        QTest::newRow("diff with both") << QStringList{u"diff"_s,      own,
                                                       u"--stream"_s,  u"acct-1"_s,
                                                       u"--from"_s,    u"1"_s,
                                                       u"--to"_s,      u"2"_s,
                                                       u"--to-time"_s, u"2026-02-01T10:00:00Z"_s}
                                        << 2 << u"diff needs --to VERSION or --to-time ISO"_s;
        QTest::newRow("diff past the end")
            << QStringList{u"diff"_s,   own,    u"--stream"_s, u"acct-1"_s,
                           u"--from"_s, u"1"_s, u"--to"_s,     u"99"_s}
            << 1 << u"no version 99"_s;
        QTest::newRow("unknown stream")
            << QStringList{u"history"_s, own, u"--stream"_s, u"nope"_s, u"--path"_s, u"a"_s} << 1
            << u"no stream named 'nope'"_s;
        QTest::newRow("bad projection") << QStringList{u"bisect"_s,       own,
                                                       u"--stream"_s,     u"acct-1"_s,
                                                       u"--predicate"_s,  u"a exists"_s,
                                                       u"--projection"_s, u"/nonexistent.json"_s}
                                        << 1 << u"/nonexistent.json"_s;
        QTest::newRow("no store") << QStringList{u"diff"_s,     u"/nonexistent.db"_s,
                                                 u"--stream"_s, u"acct-1"_s,
                                                 u"--from"_s,   u"1"_s,
                                                 u"--to"_s,     u"2"_s}
                                  << 1 << u"/nonexistent.db"_s;
    }
    void cliErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        args.replaceInStrings(u"OWN"_s, m_own);
        const TestSupport::CliRun run = runCli(args);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        // One line on stderr.
        QCOMPARE(run.err.count(u'\n'), 1);
    }
};

QTEST_GUILESS_MAIN(TestAggregateQuestions)
#include "tst_aggregatequestions.moc"

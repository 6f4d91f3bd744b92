// ReplayEngine: exact states of the small store at first, middle and last versions and by
// time, projections, and checkpointed jumps against a plain fold from zero.

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "replay/jsondiff.h"
#include "replay/replayengine.h"
#include "store/eventstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <limits>

using namespace Qt::StringLiterals;

class TestReplay : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<EventStore> m_small;
    std::unique_ptr<EventStore> m_long;
    static constexpr int LongEvents = 3000;

    static std::unique_ptr<EventStore> open(const QString &path)
    {
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        if (!store)
            qWarning() << error.message;
        return store;
    }

    // One stream with gaps in its versions, nested and removed fields, non-object data.
    static bool createLongStore(const QString &path)
    {
        QStringList sql{u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT, "
                        "stream_version INTEGER, event_id TEXT, type TEXT, recorded_at TEXT, "
                        "data TEXT, metadata TEXT)"_s};
        QRandomGenerator rng(7);
        const QString types[] = {u"Set"_s, u"Nested"_s, u"Drop"_s, u"Tick"_s, u"Junk"_s};
        qint64 time = TimeCodec::parseIso(u"2026-02-01T00:00:00Z"_s);
        for (int i = 0; i < LongEvents; ++i) {
            const QString type = types[rng.bounded(5)];
            QString data;
            if (type == u"Set")
                data = u"{\"k%1\": %2}"_s.arg(rng.bounded(20)).arg(rng.bounded(1000));
            else if (type == u"Nested")
                data = u"{\"deep\": {\"a%1\": {\"b\": [%2, %3]}}}"_s.arg(rng.bounded(5))
                           .arg(rng.bounded(9))
                           .arg(rng.bounded(9));
            else if (type == u"Drop")
                data = u"{\"key\": \"k%1\"}"_s.arg(rng.bounded(20));
            else if (type == u"Tick")
                data = u"{}"_s;
            else
                data = u"[1, 2, 3]"_s;
            time += rng.bounded(60000);
            sql << u"INSERT INTO events VALUES (%1, 'long', %2, NULL, '%3', '%4', '%5', NULL)"_s
                       .arg(i + 1)
                       .arg(i * 3 + 10) // versions with gaps: 10, 13, 16, ...
                       .arg(type, TimeCodec::format(time), data);
        }
        return TestSupport::execSql(path, sql);
    }

    static Projection longProjection()
    {
        QString error;
        auto p = Projection::fromJson(R"({
            "Drop": [{"op": "set", "path": "lastDrop", "from": "key"}, {"op": "unset", "path": "k3"}],
            "Tick": [{"op": "increment", "path": "ticks", "by": 2},
                     {"op": "append", "path": "recent", "value": "t", "keep": 3}]
        })",
                                      &error);
        if (!p)
            qWarning() << error;
        return p.value_or(Projection());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(TestSupport::createSmallStore(m_dir.filePath(u"small.db"_s)));
        QVERIFY(createLongStore(m_dir.filePath(u"long.db"_s)));
        m_small = open(m_dir.filePath(u"small.db"_s));
        m_long = open(m_dir.filePath(u"long.db"_s));
        QVERIFY(m_small && m_long);
    }

    void atVersion_data()
    {
        QTest::addColumn<qint64>("version");
        QTest::addColumn<qint64>("applied");
        QTest::addColumn<QJsonObject>("state");
        QTest::addColumn<QStringList>("changed");
        QTest::newRow("before first") << qint64(0) << qint64(0) << QJsonObject() << QStringList();
        QTest::newRow("first") << qint64(1) << qint64(1)
                               << TestSupport::jsonObject(R"({"name":"Ada","plan":"free"})")
                               << QStringList{u"added name"_s, u"added plan"_s};
        QTest::newRow("second") << qint64(2) << qint64(2)
                                << TestSupport::jsonObject(
                                       R"({"name":"Ada","plan":"free","postId":"post-1"})")
                                << QStringList{u"added postId"_s};
        QTest::newRow("middle") << qint64(3) << qint64(3)
                                << TestSupport::jsonObject(
                                       R"({"name":"Ada L.","plan":"free","postId":"post-1"})")
                                << QStringList{u"changed name"_s};
        QTest::newRow("same value again")
            << qint64(4) << qint64(4)
            << TestSupport::jsonObject(R"({"name":"Ada L.","plan":"free","postId":"post-1"})")
            << QStringList();
        QTest::newRow("last, not json")
            << qint64(5) << qint64(5)
            << TestSupport::jsonObject(R"({"name":"Ada L.","plan":"free","postId":"post-1"})")
            << QStringList();
    }

    void atVersion()
    {
        QFETCH(qint64, version);
        QFETCH(qint64, applied);
        QFETCH(QJsonObject, state);
        QFETCH(QStringList, changed);
        ReplayEngine engine(*m_small, u"user-1"_s);
        QVERIFY2(engine.load(), qPrintable(engine.errorString()));
        QCOMPARE(engine.eventCount(), 5);
        const auto r = engine.stateAtVersion(version);
        QVERIFY2(r, qPrintable(engine.errorString()));
        QCOMPARE(r->eventsApplied(), applied);
        QCOMPARE(r->state, state);
        QCOMPARE(TestSupport::changePaths(r->changed), changed);
        if (applied > 0)
            QCOMPARE(r->version, version);
    }

    void countsAndEventFields()
    {
        ReplayEngine engine(*m_small, u"user-1"_s);
        QVERIFY(engine.load());
        const auto r = engine.stateAtVersion(5);
        QVERIFY(r);
        const QMap<QString, qint64> counts{
            {u"Clicked"_s, 3}, {u"UserCreated"_s, 1}, {u"UserRenamed"_s, 1}};
        QCOMPARE(r->eventCounts, counts);
        QCOMPARE(r->position, 10);
        QCOMPARE(r->type, u"Clicked"_s);
        QCOMPARE(TimeCodec::format(r->timeMs), u"2026-01-12T02:00:00.000Z"_s);
        QCOMPARE(engine.versions(), (QVector<qint64>{1, 2, 3, 4, 5}));
        QCOMPARE(engine.positions(), (QVector<qint64>{1, 3, 5, 7, 10}));
    }

    void byTime_data()
    {
        QTest::addColumn<QString>("time");
        QTest::addColumn<qint64>("applied");
        QTest::newRow("before everything") << u"2026-01-01T00:00:00Z"_s << qint64(0);
        QTest::newRow("exactly the first") << u"2026-01-05T08:00:00Z"_s << qint64(1);
        QTest::newRow("a millisecond before the second")
            << u"2026-01-05T09:14:59.999Z"_s << qint64(1);
        QTest::newRow("between") << u"2026-01-06T12:00:00Z"_s << qint64(3);
        QTest::newRow("after everything") << u"2027-01-01T00:00:00Z"_s << qint64(5);
    }

    void byTime()
    {
        QFETCH(QString, time);
        QFETCH(qint64, applied);
        ReplayEngine engine(*m_small, u"user-1"_s);
        QVERIFY(engine.load());
        const auto r = engine.stateAtTime(TimeCodec::parseIso(time));
        QVERIFY(r);
        QCOMPARE(r->eventsApplied(), applied);
    }

    void projectionCountsClicks()
    {
        QString error;
        const auto projection = Projection::fromJson(
            R"({"Clicked": [{"op": "increment", "path": "clicks"},
                            {"op": "append", "path": "posts", "from": "postId", "keep": 2}],
                "UserRenamed": [{"op": "set", "path": "profile.name", "from": "name"}]})",
            &error);
        QVERIFY2(projection, qPrintable(error));
        ReplayEngine engine(*m_small, u"user-1"_s, *projection);
        QVERIFY(engine.load());
        const auto r = engine.stateAtVersion(5);
        QVERIFY(r);
        // The last click's data is not JSON: it still counts, and appends nothing.
        QCOMPARE(r->state, TestSupport::jsonObject(R"({"name":"Ada","plan":"free","clicks":3,
                                    "posts":["post-1","post-1"],"profile":{"name":"Ada L."}})"));
        QCOMPARE(TestSupport::changePaths(r->changed), QStringList{u"changed clicks"_s});
    }

    void errors()
    {
        ReplayEngine unknown(*m_small, u"nobody"_s);
        QVERIFY(!unknown.load());
        QVERIFY2(unknown.errorString().contains(u"no stream named 'nobody'"_s),
                 qPrintable(unknown.errorString()));

        ReplayEngine engine(*m_small, u"user-2"_s);
        QVERIFY(!engine.stateAtIndex(0));
        QVERIFY(engine.errorString().contains(u"not loaded"_s));
        QVERIFY(engine.load());
        QVERIFY(!engine.stateAtVersion(4));
        QVERIFY2(engine.errorString().contains(u"ends at version 3; there is no version 4"_s),
                 qPrintable(engine.errorString()));
        QVERIFY(!engine.stateAtIndex(3));
        QVERIFY(!engine.stateAtIndex(-2));
    }

    void injectionStreamName()
    {
        ReplayEngine engine(*m_small, u"user'; DROP TABLE events;--"_s);
        QVERIFY(engine.load());
        QCOMPARE(engine.eventCount(), 2);
        const auto r = engine.stateAtIndex(1);
        QVERIFY(r);
        QCOMPARE(r->state.value(u"name"_s).toString(), u"Robert'); DROP TABLE Students;--"_s);
    }

    void cancel()
    {
        std::atomic_bool cancel{true};
        ReplayEngine engine(*m_long, u"long"_s);
        JobControl job;
        job.cancel = &cancel;
        QVERIFY(!engine.load(job));
        QVERIFY(engine.errorString().contains(u"cancelled"_s));
        QVERIFY(!engine.isLoaded());
    }

    // Any jump, in any order, with checkpoints thinned by a tiny budget, gives exactly the
    // state, counts and changes of a plain fold from zero.
    void checkpointsMatchFoldFromZero_data()
    {
        QTest::addColumn<int>("interval");
        QTest::addColumn<qint64>("budget");
        QTest::newRow("interval 1") << 1 << qint64(256) * 1024 * 1024;
        QTest::newRow("interval 16") << 16 << qint64(256) * 1024 * 1024;
        QTest::newRow("interval 16, thinned") << 16 << qint64(20000);
        QTest::newRow("interval 1000") << 1000 << qint64(256) * 1024 * 1024;
    }

    void checkpointsMatchFoldFromZero()
    {
        QFETCH(int, interval);
        QFETCH(qint64, budget);
        const Projection projection = longProjection();

        // The reference: every state, folded from zero without the engine.
        QVector<QJsonObject> states;
        QVector<QMap<QString, qint64>> counts;
        {
            const auto all = m_long->streamEvents(u"long"_s, 0, LongEvents + 1);
            QVERIFY(all);
            QCOMPARE(all->size(), LongEvents);
            QJsonObject state;
            QMap<QString, qint64> count;
            for (const Event &e : *all) {
                projection.apply(state, e.type, Payload::toJson(e.data).value_or(QJsonValue()));
                ++count[e.type];
                states << state;
                counts << count;
            }
        }

        ReplayEngine::Options options;
        options.checkpointInterval = interval;
        options.checkpointBudgetBytes = budget;
        options.fetchChunk = 97; // pages that do not divide anything evenly
        ReplayEngine engine(*m_long, u"long"_s, projection, options);
        QVERIFY(engine.load());
        QCOMPARE(engine.eventCount(), LongEvents);
        QVERIFY(engine.checkpointBytes() <= qMax<qint64>(budget, 20000));
        if (budget < 100000)
            QVERIFY(engine.checkpointInterval() > interval);

        QRandomGenerator rng(interval);
        QList<qint64> targets{LongEvents - 1, 0, -1, 1, LongEvents - 2};
        for (int i = 0; i < 150; ++i)
            targets << rng.bounded(LongEvents);
        for (int i = 0; i < 40; ++i) { // single steps forward, as a playing slider makes
            const qint64 next = targets.constLast() + 1;
            targets << (next < LongEvents ? next : 0);
        }
        for (qint64 target : std::as_const(targets)) {
            const auto r = engine.stateAtIndex(target);
            QVERIFY2(r, qPrintable(engine.errorString()));
            QCOMPARE(r->index, target);
            if (target < 0) {
                QVERIFY(r->state.isEmpty());
                continue;
            }
            QCOMPARE(r->state, states.at(target));
            QCOMPARE(r->eventCounts, counts.at(target));
            QCOMPARE(r->changed,
                     JsonDiff::compare(target > 0 ? states.at(target - 1) : QJsonObject(),
                                       states.at(target)));
            QCOMPARE(r->version, target * 3 + 10);
            QVERIFY(engine.applicationsForLastAnswer() <= engine.checkpointInterval());
        }
        // Versions in the gaps resolve to the event before.
        QCOMPARE(engine.stateAtVersion(14)->index, 1);
        QCOMPARE(engine.stateAtVersion(9)->index, -1);
    }

    // A first pass run in parts answers for every event it has folded, exactly as a whole
    // pass does, and says which it has not reached; its checkpoints and index end up the same.
    void partialLoadAnswersEarly_data()
    {
        QTest::addColumn<bool>("defaultMerge");
        QTest::newRow("default merge (fast path)") << true;
        QTest::newRow("projection (generic path)") << false;
    }

    void partialLoadAnswersEarly()
    {
        QFETCH(bool, defaultMerge);
        const Projection projection = defaultMerge ? Projection() : longProjection();
        ReplayEngine::Options options;
        options.checkpointInterval = 64;
        options.fetchChunk = 97;
        ReplayEngine whole(*m_long, u"long"_s, projection, options);
        QVERIFY(whole.load());
        ReplayEngine parts(*m_long, u"long"_s, projection, options);
        QRandomGenerator rng(3);
        qint64 rounds = 0;
        while (!parts.isLoaded()) {
            const qint64 before = parts.eventCount();
            const qint64 step = 1 + rng.bounded(400);
            QVERIFY2(parts.loadMore(step), qPrintable(parts.errorString()));
            QVERIFY(parts.eventCount() - before <= step);
            ++rounds;
            if (parts.isLoaded())
                break;
            QCOMPARE(parts.eventCount() - before, step);
            // Every folded event answers, none past them does.
            for (int i = 0; i < 5; ++i) {
                const qint64 index = rng.bounded(parts.eventCount());
                const auto a = parts.stateAtIndex(index);
                const auto b = whole.stateAtIndex(index);
                QVERIFY2(a && b, qPrintable(parts.errorString()));
                QCOMPARE(a->state, b->state);
                QCOMPARE(a->eventCounts, b->eventCounts);
                QCOMPARE(a->version, b->version);
                QCOMPARE(TestSupport::changePaths(a->changed),
                         TestSupport::changePaths(b->changed));
            }
            QVERIFY(!parts.stateAtIndex(parts.eventCount()));
            QVERIFY2(parts.errorString().contains(u"not loaded"_s),
                     qPrintable(parts.errorString()));
            QVERIFY(!parts.stateAtVersion(parts.versions().constLast() + 1));
            QVERIFY(!parts.stateAtTime(0));
        }
        QVERIFY(rounds > 5);
        QCOMPARE(parts.versions(), whole.versions());
        QCOMPARE(parts.times(), whole.times());
        QCOMPARE(parts.positions(), whole.positions());
        QCOMPARE(parts.checkpointCount(), whole.checkpointCount());
        const auto last = parts.stateAtIndex(LongEvents - 1);
        QVERIFY(last);
        QCOMPARE(last->state, whole.stateAtIndex(LongEvents - 1)->state);
        QCOMPARE(parts.stateAtTime(std::numeric_limits<qint64>::max())->index, LongEvents - 1);
    }

    // What `replay --at V` runs: the pass stops just past V, and the state there is the one a
    // whole pass gives.
    // A stream that grew after it was loaded (View ▸ Follow) folds only its new events, from
    // the state at its old end, and then answers at every event as a replay of the whole
    // grown stream does; on the fast path and the generic one, on a store opened again.
    void continuePastEndFoldsOnlyTheNewEvents_data()
    {
        QTest::addColumn<bool>("defaultMerge");
        QTest::newRow("default merge (fast path)") << true;
        QTest::newRow("projection (generic path)") << false;
    }

    void continuePastEndFoldsOnlyTheNewEvents()
    {
        QFETCH(bool, defaultMerge);
        const Projection projection = defaultMerge ? Projection() : longProjection();
        constexpr int Before = 1234; // not on a checkpoint
        const QString path = m_dir.filePath(u"growing-%1.db"_s.arg(defaultMerge));
        QFile::remove(path);
        QVERIFY(QFile::copy(m_dir.filePath(u"long.db"_s), path));
        QVERIFY(TestSupport::execSql(
            path, {u"DELETE FROM events WHERE global_position > %1"_s.arg(Before)}));
        auto store = open(path);
        QVERIFY(store);
        ReplayEngine::Options options;
        options.checkpointInterval = 100;
        ReplayEngine engine(*store, u"long"_s, projection, options);
        QVERIFY(engine.load());
        QCOMPARE(engine.eventCount(), Before);

        QVERIFY(TestSupport::execSql(
            path,
            {u"ATTACH DATABASE '%1' AS whole"_s.arg(m_dir.filePath(u"long.db"_s)),
             u"INSERT INTO events SELECT * FROM whole.events WHERE global_position > %1"_s.arg(
                 Before)}));
        auto reopened = open(path);
        QVERIFY(reopened);
        engine.rebind(*reopened);
        store.reset();
        qint64 folded = 0;
        engine.setFoldObserver([&folded](const FoldedEvent &, const FoldedState &) {
            ++folded;
            return true;
        });
        QVERIFY2(engine.continuePastEnd(), qPrintable(engine.errorString()));
        QVERIFY(!engine.isLoaded());
        QVERIFY2(engine.load(), qPrintable(engine.errorString()));
        QCOMPARE(folded, LongEvents - Before);
        QCOMPARE(engine.eventCount(), LongEvents);

        ReplayEngine whole(*m_long, u"long"_s, projection);
        QVERIFY(whole.load());
        QCOMPARE(engine.versions(), whole.versions());
        QCOMPARE(engine.times(), whole.times());
        for (qint64 index : {qint64(0), qint64(Before - 2), qint64(Before - 1), qint64(Before),
                             qint64(Before + 1), qint64(2000), qint64(LongEvents - 1)}) {
            const auto a = engine.stateAtIndex(index);
            const auto b = whole.stateAtIndex(index);
            QVERIFY2(a && b, qPrintable(engine.errorString()));
            QCOMPARE(a->state, b->state);
            QCOMPARE(a->eventCounts, b->eventCounts);
            QCOMPARE(a->version, b->version);
            QCOMPARE(a->changed, b->changed);
        }
        // Nothing new: the pass ends at once where it was.
        folded = 0;
        QVERIFY(engine.continuePastEnd());
        QVERIFY(engine.load());
        QCOMPARE(folded, 0);
        QCOMPARE(engine.eventCount(), LongEvents);
    }

    void loadPastVersionStopsThere()
    {
        ReplayEngine whole(*m_long, u"long"_s);
        QVERIFY(whole.load());
        for (const qint64 version : {9, 10, 11, 13, 400, 1000, 3 * (LongEvents - 1) + 10}) {
            ReplayEngine engine(*m_long, u"long"_s);
            QVERIFY2(engine.loadPastVersion(version), qPrintable(engine.errorString()));
            // Versions are 10, 13, 16, ...: the events up to it and the one after.
            const qint64 upTo = version < 10 ? 0 : (version - 10) / 3 + 1;
            QCOMPARE(engine.eventCount(), qMin<qint64>(upTo + 1, LongEvents));
            QCOMPARE(engine.isLoaded(), upTo >= LongEvents);
            const auto a = engine.stateAtVersion(version);
            const auto b = whole.stateAtVersion(version);
            QVERIFY2(a && b, qPrintable(engine.errorString()));
            QCOMPARE(a->index, b->index);
            QCOMPARE(a->state, b->state);
            QCOMPARE(a->eventCounts, b->eventCounts);
        }
        ReplayEngine beyond(*m_long, u"long"_s);
        QVERIFY(beyond.loadPastVersion(1000000));
        QVERIFY(beyond.isLoaded());
        QVERIFY(!beyond.stateAtVersion(1000000));
        QVERIFY2(beyond.errorString().contains(u"there is no version 1000000"_s),
                 qPrintable(beyond.errorString()));
    }

    // A projection can build a state deeper than Qt's JSON parser reads back (1024 levels):
    // keeping it as a checkpoint must fail the replay, not turn the state into {}.
    void stateTooDeepToKeepIsAnError()
    {
        const QString path = m_dir.filePath(u"deep.db"_s);
        const QString data = u"{\"a\":"_s.repeated(1000) + u"1"_s + u"}"_s.repeated(1000);
        QVERIFY(TestSupport::execSql(
            path, {u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT, "
                   "stream_version INTEGER, event_id TEXT, type TEXT, recorded_at TEXT, "
                   "data TEXT, metadata TEXT)"_s,
                   u"INSERT INTO events VALUES (1, 'deep', 1, NULL, 'Deep', "
                   "'2026-02-01T00:00:00.000Z', '%1', NULL)"_s.arg(data)}));
        const auto store = open(path);
        QVERIFY(store);
        QStringList parts;
        for (int i = 0; i < 60; ++i)
            parts << u"p"_s;
        QString error;
        const auto projection = Projection::fromJson(
            uR"({"Deep": [{"op": "merge", "path": "%1"}]})"_s.arg(parts.join(u'.')).toUtf8(),
            &error);
        QVERIFY2(projection, qPrintable(error));
        ReplayEngine::Options options;
        options.checkpointInterval = 1;
        ReplayEngine engine(*store, u"deep"_s, *projection, options);
        QVERIFY(!engine.load());
        QVERIFY2(engine.errorString().contains(u"cannot be kept"_s),
                 qPrintable(engine.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"

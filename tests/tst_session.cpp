// StoreSession: the worker thread answers with the same figures as EventStore and
// ReplayEngine, drops stale answers, coalesces state requests and cancels.

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "index/eventindex.h"
#include "layoutfixtures.h"
#include "replay/replayengine.h"
#include "session/storesession.h"
#include "testsupport.h"
#include "writers/demogenerator.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace Qt::StringLiterals;

class TestSession : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_small;

    bool openSmall(StoreSession &session)
    {
        QSignalSpy opened(&session, &StoreSession::opened);
        session.open(StoreLocation::parse(m_small), {});
        return opened.wait(10000);
    }

    // A library's store written from its fixture; empty when there is no such fixture.
    QString fixtureStore(const QString &name, LayoutFixture *fixture = nullptr)
    {
        const auto fixtures = LayoutFixtures::all(SqlDialect::Sqlite);
        for (int i = 0; i < fixtures.size(); ++i) {
            if (fixtures.at(i).name != name)
                continue;
            const QString path = m_dir.filePath(u"fixture-%1.db"_s.arg(i));
            if (!QFile::exists(path) && !TestSupport::execSql(path, fixtures.at(i).sql))
                return {};
            if (fixture)
                *fixture = fixtures.at(i);
            return path;
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_small = m_dir.filePath(u"small.db"_s);
        QVERIFY(TestSupport::createSmallStore(m_small));
    }

    void opensAndSummarises()
    {
        StoreSession session;
        QSignalSpy opened(&session, &StoreSession::opened);
        QSignalSpy busy(&session, &StoreSession::busyChanged);
        session.open(StoreLocation::parse(m_small), {});
        QVERIFY(opened.wait(10000));
        const auto summary = opened.at(0).at(0).value<StoreSummary>();
        QCOMPARE(summary.events, 12);
        QCOMPARE(summary.streams, 4);
        // Then the events are indexed, before anything else is answered.
        QSignalSpy indexed(&session, &StoreSession::indexReady);
        QVERIFY(indexed.wait(10000));
        const auto index = indexed.at(0).at(0).value<std::shared_ptr<const EventIndex>>();
        QVERIFY(index);
        QCOMPARE(index->eventCount(), 12);
        QCOMPARE(index->summary({}).streams, 4);
        QCOMPARE(busy.size(), 3);
        QCOMPARE(busy.at(0).at(0).toBool(), true);
        QCOMPARE(busy.at(1).at(0).toBool(), true);
        QCOMPARE(busy.at(1).at(1).toString(), u"Indexing the events"_s);
        QCOMPARE(busy.at(2).at(0).toBool(), false);
        QVERIFY(session.isIdle());
    }

    // A foreign store whose positions span more than a quick summary's limit (a mapped table,
    // integer times, no index but its key): the first paint's summary comes from a sample and
    // says so, the index's exact one replaces it, and the lanes come from the index.
    void foreignStoreIsSummarisedQuicklyThenExactly()
    {
        const QString path = m_dir.filePath(u"foreign.db"_s);
        QStringList sql{u"CREATE TABLE log(seq INTEGER PRIMARY KEY, who TEXT, n INTEGER, "
                        "what TEXT, at INTEGER, body TEXT)"_s};
        const qint64 gap = EventStore::QuickSummaryAbove; // the positions' span passes it
        for (int i = 0; i < 40; ++i)
            sql << u"INSERT INTO log VALUES (%1, 'who-%2', %3, '%4', %5, '{}')"_s
                       .arg(i < 20 ? i + 1 : i + 1 + gap)
                       .arg(i % 3)
                       .arg(i / 3 + 1)
                       .arg(i == 7 ? u"Rare"_s : u"Common"_s)
                       .arg(Q_INT64_C(1767225600000) + qint64(i) * 60000);
        QVERIFY(TestSupport::execSql(path, sql));
        StoreSession session;
        QSignalSpy opened(&session, &StoreSession::opened);
        QSignalSpy completed(&session, &StoreSession::summaryCompleted);
        QSignalSpy indexed(&session, &StoreSession::indexReady);
        session.open(
            StoreLocation::parse(path),
            {u"table=log,stream=who,version=n,type=what,time=at,data=body,position=seq"_s, {}});
        QVERIFY(opened.wait(10000));
        const auto quick = opened.at(0).at(0).value<StoreSummary>();
        QVERIFY(!quick.exact);
        QCOMPARE(quick.events, 40 + gap);
        QCOMPARE(quick.streams, qint64(-1));
        QCOMPARE(quick.firstTimeMs, Q_INT64_C(1767225600000));
        QCOMPARE(quick.lastTimeMs, Q_INT64_C(1767225600000) + 39 * 60000);
        QCOMPARE(quick.density.size(), EventStore::DensitySlices);
        QVERIFY(completed.wait(10000));
        QCOMPARE(indexed.size(), 1);
        const auto exact = completed.at(0).at(0).value<StoreSummary>();
        QVERIFY(exact.exact);
        QCOMPARE(exact.events, qint64(40));
        QCOMPARE(exact.streams, qint64(3));
        QCOMPARE(exact.typeCounts, (QMap<QString, qint64>{{u"Common"_s, 39}, {u"Rare"_s, 1}}));

        QSignalSpy lanes(&session, &StoreSession::lanesReady);
        session.requestLanes(u"who-1"_s, 2);
        QVERIFY(lanes.wait(10000));
        const auto columns = lanes.at(0).at(0).value<QVector<StreamColumns>>();
        QCOMPARE(columns.size(), 2);
        QCOMPARE(columns.at(0).stream, u"who-1"_s);
        QCOMPARE(columns.at(0).versions.size(), 13);
        QCOMPARE(columns.at(0).positions.constLast(), 38 + gap);
        QCOMPARE(columns.at(0).types.at(2), u"Rare"_s);
        QCOMPARE(columns.at(1).stream, u"who-0"_s); // the busiest of the others
    }

    // A cancel (Esc) while indexing leaves the store open and queried by SQL.
    void cancelledIndexingIsReported()
    {
        const QString path = m_dir.filePath(u"large.db"_s);
        DemoGenerator::Options options;
        options.events = 300000;
        QString error;
        QVERIFY2(DemoGenerator::generate(path, options, &error), qPrintable(error));
        StoreSession session;
        QSignalSpy cancelled(&session, &StoreSession::cancelled);
        QSignalSpy buckets(&session, &StoreSession::bucketsReady);
        // As soon as the window would show that it indexes: the scan of 300,000 rows is
        // still running then.
        connect(&session, &StoreSession::busyChanged, &session,
                [&session](bool busy, const QString &what) {
                    if (busy && what.startsWith(u"Indexing"_s))
                        session.cancel();
                });
        session.open(StoreLocation::parse(path), {});
        QVERIFY(cancelled.wait(20000));
        QCOMPARE(cancelled.at(0).at(0).value<StoreSession::Job>(), StoreSession::Job::Index);
        session.requestBuckets(BucketSize::Day, {});
        QVERIFY(buckets.wait(20000));
        qint64 events = 0;
        for (const Bucket &b : buckets.at(0).at(0).value<QVector<Bucket>>())
            events += b.events;
        QCOMPARE(events, 300000);
    }

    void openFailureIsReported()
    {
        StoreSession session;
        QSignalSpy failed(&session, &StoreSession::failed);
        session.open(StoreLocation::parse(m_dir.filePath(u"missing.db"_s)), {});
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.at(0).at(0).value<StoreSession::Job>(), StoreSession::Job::Open);
        const auto error = failed.at(0).at(1).value<StoreError>();
        QVERIFY(error.message.endsWith(u"missing.db: no such file"_s));
        QCOMPARE(error.kind, StoreError::Kind::NotFound);
        QVERIFY(session.isIdle());
    }

    // Every request answers, also without a store: the busy state clears and idle() fires.
    void requestsWithoutAStoreFail()
    {
        StoreSession session;
        QSignalSpy failed(&session, &StoreSession::failed);
        QSignalSpy busy(&session, &StoreSession::busyChanged);
        QSignalSpy idle(&session, &StoreSession::idle);
        session.loadReplay(u"user-1"_s, Projection());
        QVERIFY(!session.isIdle());
        QCOMPARE(busy.size(), 1);
        QCOMPARE(busy.at(0).at(0).toBool(), true);
        QVERIFY(idle.wait(10000));
        QVERIFY(session.isIdle());
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.at(0).at(0).value<StoreSession::Job>(), StoreSession::Job::Replay);
        QCOMPARE(failed.at(0).at(1).value<StoreError>().kind, StoreError::Kind::NotFound);
        QCOMPARE(busy.size(), 2);
        QCOMPARE(busy.at(1).at(0).toBool(), false);

        session.requestBuckets(BucketSize::Day, {});
        session.requestCountUpTo({}, {}, 0);
        session.requestLanes({}, 3);
        session.requestSnapshots(u"user-1"_s);
        session.requestState(0);
        session.requestComparison(StoredSnapshot());
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 7, 10000);
        QVERIFY(session.isIdle());
        QCOMPARE(idle.size(), 2);
        const QList<StoreSession::Job> jobs{
            StoreSession::Job::Buckets,   StoreSession::Job::CountUpTo, StoreSession::Job::Lanes,
            StoreSession::Job::Snapshots, StoreSession::Job::State,     StoreSession::Job::Compare};
        for (int i = 0; i < jobs.size(); ++i) {
            QCOMPARE(failed.at(i + 1).at(0).value<StoreSession::Job>(), jobs.at(i));
            QCOMPARE(failed.at(i + 1).at(1).value<StoreError>().kind, StoreError::Kind::NotFound);
        }
    }

    // The lists' reads: each answers (none replaces another), with the store's answer or
    // error; one its asker no longer wants is not read, and answers nothing.
    void readsAnswerEach()
    {
        StoreSession session;
        QObject asker;
        QList<std::optional<qint64>> answers;
        QList<StoreError> errors;
        const auto read = [&](bool wanted) {
            session.readStore<qint64>(
                &asker, [wanted] { return wanted; },
                [](EventStore &store) -> std::optional<qint64> {
                    const auto summary = store.summary();
                    return summary ? std::optional<qint64>(summary->events) : std::nullopt;
                },
                [&](const std::optional<qint64> &events, const StoreError &error) {
                    answers << events;
                    errors << error;
                });
        };
        read(true); // no store yet
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 1, 10000);
        QVERIFY(!answers.at(0));
        QCOMPARE(errors.at(0).kind, StoreError::Kind::NotFound);
        QVERIFY(openSmall(session));
        QSignalSpy idle(&session, &StoreSession::idle);
        read(true);
        read(false);
        read(true);
        QVERIFY(!session.isIdle());
        QTRY_VERIFY_WITH_TIMEOUT(session.isIdle(), 10000);
        QCOMPARE(answers.size(), 3);
        QCOMPARE(answers.at(1), std::optional<qint64>(12));
        QCOMPARE(answers.at(2), std::optional<qint64>(12));
        QVERIFY(!errors.at(2).isError());
    }

    void bucketsAndLanes()
    {
        StoreSession session;
        QVERIFY(openSmall(session));
        QSignalSpy buckets(&session, &StoreSession::bucketsReady);
        session.requestBuckets(BucketSize::Hour, {}); // replaced before it is answered
        session.requestBuckets(BucketSize::Week, {});
        QVERIFY(buckets.wait(10000));
        QTest::qWait(50);
        QCOMPARE(buckets.size(), 1);
        const auto weeks = buckets.at(0).at(0).value<QVector<Bucket>>();
        QCOMPARE(weeks.size(), 2);
        QCOMPARE(weeks.at(0).events, 7);

        QSignalSpy lanes(&session, &StoreSession::lanesReady);
        QSignalSpy idle(&session, &StoreSession::idle);
        // The chosen stream first, then the busiest others: user-1 (5), user-2 (3), post-1 (2).
        session.requestLanes(u"post-1"_s, 3);
        QVERIFY(!session.isIdle());
        QVERIFY(lanes.wait(10000));
        QVERIFY(session.isIdle());
        QCOMPARE(idle.size(), 1);
        const auto columns = lanes.at(0).at(0).value<QVector<StreamColumns>>();
        QCOMPARE(columns.size(), 3);
        QCOMPARE(columns.at(0).stream, u"post-1"_s);
        QCOMPARE(columns.at(0).types, (QVector<QString>{u"PostPublished"_s, u"PostEdited"_s}));
        QCOMPARE(TimeCodec::format(columns.at(0).times.at(1)), u"2026-01-12T00:00:00.000Z"_s);
        QCOMPARE(columns.at(1).stream, u"user-1"_s);
        QCOMPARE(columns.at(2).stream, u"user-2"_s);
        QCOMPARE(columns.at(2).positions, (QVector<qint64>{4, 6, 9}));
    }

    // The charts' click count at the playhead: as the playhead moves, only the latest
    // request is answered, with the count SQL run separately gives.
    void countUpToAnswersTheLatest()
    {
        StoreSession session;
        QVERIFY(openSmall(session));
        QSignalSpy counted(&session, &StoreSession::countedUpTo);
        const QStringList clicks{u"Clicked"_s};
        for (const QString &time : {u"2026-01-05T09:30:00.000Z"_s, u"2026-01-06T10:20:00.000Z"_s,
                                    u"2026-01-12T02:00:00.000Z"_s})
            session.requestCountUpTo(u"user-1"_s, clicks, TimeCodec::parseIso(time));
        QVERIFY(counted.wait(10000));
        QTest::qWait(50);
        QCOMPARE(counted.size(), 1);
        const qint64 ms = TimeCodec::parseIso(u"2026-01-12T02:00:00.000Z"_s);
        QCOMPARE(counted.at(0).at(0).toLongLong(), ms);
        const auto rows = TestSupport::queryRows(
            m_small, u"SELECT COUNT(*) FROM events WHERE stream_id = 'user-1' AND type = "
                     "'Clicked' AND recorded_at <= '2026-01-12T02:00:00.000Z'"_s);
        QCOMPARE(counted.at(0).at(1).toLongLong(), rows.constFirst().constFirst().toLongLong());
        QCOMPARE(counted.at(0).at(1).toLongLong(), 3); // versions 2, 4 and 5
        QVERIFY(session.isIdle());
    }

    void replayAndCoalescedStates()
    {
        StoreSession session;
        QVERIFY(openSmall(session));
        QSignalSpy loaded(&session, &StoreSession::replayLoaded);
        session.loadReplay(u"user-1"_s, Projection());
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded.at(0).at(1).value<QVector<qint64>>(), (QVector<qint64>{1, 2, 3, 4, 5}));

        QSignalSpy states(&session, &StoreSession::stateReady);
        for (qint64 i = 0; i < 5; ++i)
            session.requestState(i);
        session.requestState(2);
        QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty(), 10000);
        QTest::qWait(100);
        // Only answers to the latest request arrive; earlier ones were skipped or dropped.
        const auto last = states.constLast().at(0).value<ReplayState>();
        QCOMPARE(last.index, 2);
        QCOMPARE(last.state.value(u"name"_s).toString(), u"Ada L."_s);
        QCOMPARE(last.changed.size(), 1);
        for (const auto &args : std::as_const(states))
            QCOMPARE(args.at(0).value<ReplayState>().index, 2);
        QVERIFY(session.isIdle());

        // Closing the replay answers nothing more and leaves the session idle.
        QSignalSpy idle(&session, &StoreSession::idle);
        session.requestState(1);
        QVERIFY(!session.isIdle());
        session.closeReplay();
        QVERIFY(session.isIdle());
        QCOMPARE(idle.size(), 1);
        QTest::qWait(100);
        QCOMPARE(states.constLast().at(0).value<ReplayState>().index, 2);
    }

    void unknownStreamFails()
    {
        StoreSession session;
        QVERIFY(openSmall(session));
        QSignalSpy failed(&session, &StoreSession::failed);
        session.loadReplay(u"ghost"_s, Projection());
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.at(0).at(0).value<StoreSession::Job>(), StoreSession::Job::Replay);
        const auto error = failed.at(0).at(1).value<StoreError>();
        QVERIFY(error.message.contains(u"no stream named 'ghost'"_s));
        QCOMPARE(error.kind, StoreError::Kind::NotFound);
    }

    void snapshotsOfLibraryStores_data()
    {
        QTest::addColumn<QString>("name");
        for (const LayoutFixture &f : LayoutFixtures::all(SqlDialect::Sqlite)) {
            if (!f.snapshots.isEmpty())
                QTest::newRow(qPrintable(f.name)) << f.name;
        }
    }

    // What the library stored, as the fixture wrote it: versions, times and decoded data.
    void snapshotsOfLibraryStores()
    {
        QFETCH(QString, name);
        LayoutFixture fixture;
        const QString path = fixtureStore(name, &fixture);
        QVERIFY(!path.isEmpty());
        StoreSession session;
        QSignalSpy opened(&session, &StoreSession::opened);
        session.open(StoreLocation::parse(path), {});
        QVERIFY(opened.wait(10000));
        QVERIFY(opened.at(0).at(0).value<StoreSummary>().hasSnapshots);

        const QString stream = fixture.events.constFirst().stream;
        QSignalSpy ready(&session, &StoreSession::snapshotsReady);
        session.requestSnapshots(fixture.events.at(2).stream); // replaced before it is answered
        session.requestSnapshots(stream);
        QVERIFY(ready.wait(10000));
        QTest::qWait(50);
        QCOMPARE(ready.size(), 1);
        QCOMPARE(ready.at(0).at(0).toString(), stream);
        const auto snapshots = ready.at(0).at(1).value<QVector<StoredSnapshot>>();
        QCOMPARE(snapshots.size(), fixture.snapshots.size());
        for (int i = 0; i < snapshots.size(); ++i) {
            const StoredSnapshot &got = snapshots.at(i);
            const StoredSnapshot &want = fixture.snapshots.at(i);
            QCOMPARE(got.stream, stream);
            QCOMPARE(got.version, want.version);
            QCOMPARE(TimeCodec::format(got.timeMs), TimeCodec::format(want.timeMs));
            if (fixture.jsonPayloads) {
                QCOMPARE(Payload::toJson(got.data), Payload::toJson(want.data));
            } else {
                // XML comes back indented, a line per element.
                QByteArray flat;
                for (const QByteArray &line : got.data.split('\n'))
                    flat += line.trimmed();
                QCOMPARE(flat, want.data);
            }
        }
        QVERIFY(session.isIdle());
    }

    void noSnapshotsInTheOwnLayout()
    {
        StoreSession session;
        QVERIFY(openSmall(session));
        QSignalSpy ready(&session, &StoreSession::snapshotsReady);
        session.requestSnapshots(u"user-1"_s);
        QVERIFY(ready.wait(10000));
        QVERIFY(ready.at(0).at(1).value<QVector<StoredSnapshot>>().isEmpty());
    }

    // Akka's snapshot of User|1 at version 2 is the fold of its first two events.
    void comparesASnapshotWithTheReplay()
    {
        const QString path = fixtureStore(u"akka-jdbc"_s);
        QVERIFY(!path.isEmpty());
        StoreSession session;
        QSignalSpy opened(&session, &StoreSession::opened);
        session.open(StoreLocation::parse(path), {});
        QVERIFY(opened.wait(10000));
        QSignalSpy ready(&session, &StoreSession::snapshotsReady);
        session.requestSnapshots(u"User|1"_s);
        QVERIFY(ready.wait(10000));
        const StoredSnapshot snapshot =
            ready.at(0).at(1).value<QVector<StoredSnapshot>>().constFirst();

        // Without a replay of the stream there is no state to compare with.
        QSignalSpy failed(&session, &StoreSession::failed);
        QSignalSpy compared(&session, &StoreSession::comparisonReady);
        session.requestComparison(snapshot);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.at(0).at(0).value<StoreSession::Job>(), StoreSession::Job::Compare);
        QCOMPARE(failed.at(0).at(1).value<StoreError>().message,
                 u"no replay of User|1 is loaded"_s);

        QSignalSpy loaded(&session, &StoreSession::replayLoaded);
        session.loadReplay(u"User|1"_s, Projection());
        QVERIFY(loaded.wait(10000));
        session.requestComparison(snapshot);
        QVERIFY(compared.wait(10000));
        const auto same = compared.at(0).at(0).value<SnapshotComparison>();
        QVERIFY(same.isIdentical());
        QCOMPARE(same.replayed()->version, 2);
        QCOMPARE(same.replayed()->index, 1);
        QCOMPARE(same.stored(), TestSupport::jsonObject(
                                    R"({"name":"Ada","email":"ada@example.com","page":"/home"})"));

        // A snapshot that the fold does not reproduce: one field differs, one is missing.
        StoredSnapshot changed = snapshot;
        changed.data = R"({"name":"Ada","email":"ada@example.org"})";
        session.requestComparison(changed);
        QVERIFY(compared.wait(10000));
        const auto differs = compared.at(1).at(0).value<SnapshotComparison>();
        QVERIFY(differs.isComparable());
        QVERIFY(!differs.isIdentical());
        const QVector<JsonChange> expected{
            {JsonChange::Kind::Changed, u"email"_s, u"ada@example.org"_s, u"ada@example.com"_s},
            {JsonChange::Kind::Added, u"page"_s, QJsonValue(QJsonValue::Undefined), u"/home"_s}};
        QCOMPARE(differs.differences(), expected);
        QVERIFY(session.isIdle());
    }

    // A long stream's replay arrives in parts; a state past the first part waits for the pass
    // to get there, and every state equals a whole pass's.
    void longReplayAnswersInParts()
    {
        constexpr int Events = 20000;
        const QString path = m_dir.filePath(u"long.db"_s);
        QStringList sql{u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id "
                        "TEXT, stream_version INTEGER, type TEXT, recorded_at INTEGER, data "
                        "TEXT, metadata TEXT)"_s};
        for (int i = 1; i <= Events; ++i)
            sql << u"INSERT INTO events VALUES (%1, 'long', %1, 'Set', %2, '{\"k%3\": %1}', "
                   "NULL)"_s.arg(i)
                       .arg(1767225600000 + i * 1000LL)
                       .arg(i % 7);
        QVERIFY(TestSupport::execSql(path, sql));
        StoreError error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        QVERIFY2(store, qPrintable(error.message));
        ReplayEngine whole(*store, u"long"_s);
        QVERIFY(whole.load());

        StoreSession session;
        QSignalSpy opened(&session, &StoreSession::opened);
        session.open(StoreLocation::parse(path), {});
        QVERIFY(opened.wait(10000));
        QSignalSpy extended(&session, &StoreSession::replayExtended);
        QSignalSpy loaded(&session, &StoreSession::replayLoaded);
        QSignalSpy states(&session, &StoreSession::stateReady);
        session.loadReplay(u"long"_s, Projection());
        session.requestState(Events - 2); // past the first part: answered once folded
        QVERIFY(states.wait(20000));
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 20000);
        const auto last = states.constLast().at(0).value<ReplayState>();
        QCOMPARE(last.index, Events - 2);
        QCOMPARE(last.state, whole.stateAtIndex(Events - 2)->state);

        QVERIFY(extended.size() >= 2);
        QCOMPARE(extended.constFirst().at(1).value<QVector<qint64>>().size(), 4096);
        QVector<qint64> versions;
        for (const auto &args : std::as_const(extended))
            versions += args.at(1).value<QVector<qint64>>();
        QCOMPARE(versions, whole.versions());
        QCOMPARE(loaded.constFirst().at(1).value<QVector<qint64>>(), whole.versions());

        session.requestState(10);
        QVERIFY(states.wait(10000));
        QCOMPARE(states.constLast().at(0).value<ReplayState>().state,
                 whole.stateAtIndex(10)->state);
        QVERIFY(session.isIdle());
    }

    void cancelledReplayIsReported()
    {
        StoreSession session;
        QVERIFY(openSmall(session));
        QSignalSpy failed(&session, &StoreSession::failed);
        QSignalSpy cancelled(&session, &StoreSession::cancelled);
        QSignalSpy loaded(&session, &StoreSession::replayLoaded);
        // Block the worker so that the cancel lands before the load starts.
        session.requestLanes(u"user-1"_s, 8);
        session.loadReplay(u"user-1"_s, Projection());
        session.cancel();
        // The lanes may be done before the cancel lands; the replay waits behind them, so the
        // cancel (set right after posting) reaches it before it starts.
        QTRY_VERIFY_WITH_TIMEOUT(!cancelled.isEmpty() &&
                                     cancelled.constLast().at(0).value<StoreSession::Job>() ==
                                         StoreSession::Job::Replay,
                                 10000);
        QVERIFY(failed.isEmpty()); // a cancel is not a failure
        QVERIFY(loaded.isEmpty());
        QVERIFY(session.isIdle());
    }

    // A question runs on its own thread and store: it is answered while the store's worker is
    // held by another job, and a newer question of its kind drops the older one's answer.
    // Follow: a store read immutable (WAL, no -wal when opened) that a writer then appends to.
    // A look finds the new event (the worker's store is opened again to see it), the index
    // and the summary count it, the next question reads it too, and a look that finds nothing
    // new says nothing.
    void pollFindsNewEventsOnceAndTheQuestionsSeeThem()
    {
        const QString path = m_dir.filePath(u"grows.db"_s);
        QVERIFY(TestSupport::createSmallStore(path, u"WAL"_s));
        QVERIFY(!QFile::exists(path + u"-wal"_s));
        StoreSession session;
        QSignalSpy opened(&session, &StoreSession::opened);
        QSignalSpy indexed(&session, &StoreSession::indexReady);
        QSignalSpy grew(&session, &StoreSession::storeGrew);
        QSignalSpy failed(&session, &StoreSession::failed);
        session.open(StoreLocation::parse(path), {});
        QVERIFY(indexed.wait(10000));
        QObject asker;
        QList<qint64> answers;
        const auto askEvents = [&] {
            session.ask<qint64>(
                StoreSession::Job::Check, u"Counting"_s, &asker,
                [](EventStore &store, const JobControl &,
                   StoreError *error) -> std::optional<qint64> {
                    const auto summary = store.summary();
                    if (!summary)
                        *error = store.lastError();
                    return summary ? std::optional<qint64>(summary->events) : std::nullopt;
                },
                [&](const qint64 &events) { answers << events; });
        };
        askEvents();
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 1, 10000);
        QCOMPARE(answers.at(0), qint64(12));

        session.pollForNewEvents(); // the first look: nothing since the index was built
        QTRY_VERIFY_WITH_TIMEOUT(session.isIdle(), 10000);
        QCOMPARE(grew.size(), 0);
        {
            TestSupport::WritingConnection writer(path);
            QVERIFY(writer.exec(u"INSERT INTO events VALUES (13, 'user-9', 1, NULL, 'Clicked', "
                                "'2026-01-09T00:00:00.000Z', '{}', NULL)"_s));
        }
        session.pollForNewEvents();
        QTRY_COMPARE_WITH_TIMEOUT(grew.size(), 1, 10000);
        QCOMPARE(grew.at(0).at(0).value<StoreSummary>().events, qint64(13));
        QCOMPARE(
            grew.at(0).at(0).value<StoreSummary>().typeCounts.value(u"Clicked"_s), qint64(1) + [&] {
                return opened.at(0).at(0).value<StoreSummary>().typeCounts.value(u"Clicked"_s);
            }());
        askEvents();
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 2, 10000);
        QCOMPARE(answers.at(1), qint64(13));
        session.pollForNewEvents();
        QTRY_VERIFY_WITH_TIMEOUT(session.isIdle(), 10000);
        QCOMPARE(grew.size(), 1);
        QVERIFY(failed.isEmpty());
    }

    void questionsRunBesideTheStoresWork()
    {
        StoreSession session;
        QSignalSpy failed(&session, &StoreSession::failed);
        QObject asker;
        QList<qint64> answers;
        const auto askEvents = [&](qint64 add) {
            session.ask<qint64>(
                StoreSession::Job::Check, u"Counting"_s, &asker,
                [add](EventStore &store, const JobControl &,
                      StoreError *error) -> std::optional<qint64> {
                    const auto summary = store.summary();
                    if (!summary) {
                        *error = store.lastError();
                        return std::nullopt;
                    }
                    return summary->events + add;
                },
                [&](const qint64 &events) { answers << events; });
        };
        askEvents(0); // no store yet
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed.at(0).at(0).value<StoreSession::Job>(), StoreSession::Job::Check);
        QCOMPARE(failed.at(0).at(1).value<StoreError>().kind, StoreError::Kind::NotFound);
        QVERIFY(answers.isEmpty());

        QVERIFY(openSmall(session));
        // Hold the store's worker: the question must not wait for it.
        std::atomic_bool release{false};
        session.readStore<bool>(
            &asker, {},
            [&release](EventStore &) -> std::optional<bool> {
                while (!release)
                    QThread::msleep(5);
                return true;
            },
            [](const std::optional<bool> &, const StoreError &) {});
        askEvents(1000);
        askEvents(0); // replaces the one before
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 1, 10000);
        release = true;
        QCOMPARE(answers, QList<qint64>{12});
        QTRY_VERIFY_WITH_TIMEOUT(session.isIdle(), 10000);
        QCOMPARE(answers.size(), 1);
        QCOMPARE(failed.size(), 1);
    }

    void questionCancelledAndStoreReplaced()
    {
        StoreSession session;
        QVERIFY(openSmall(session));
        QSignalSpy cancelled(&session, &StoreSession::cancelled);
        QSignalSpy failed(&session, &StoreSession::failed);
        QSignalSpy progress(&session, &StoreSession::progress);
        QObject asker;
        std::atomic_bool started{false};
        bool delivered = false;
        session.ask<bool>(
            StoreSession::Job::Schema, u"Surveying"_s, &asker,
            [&started](EventStore &, const JobControl &job, StoreError *) -> std::optional<bool> {
                job.report(1, 2);
                started = true;
                while (!job.cancelled())
                    QThread::msleep(5);
                return std::nullopt;
            },
            [&delivered](const bool &) { delivered = true; });
        QTRY_VERIFY_WITH_TIMEOUT(started.load(), 10000);
        session.cancelQuestion(StoreSession::Job::Schema);
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 10000);
        QCOMPARE(cancelled.at(0).at(0).value<StoreSession::Job>(), StoreSession::Job::Schema);
        QVERIFY(failed.isEmpty());
        QVERIFY(!delivered);
        // The index's last progress may come in after the question's began.
        QVERIFY(std::any_of(progress.cbegin(), progress.cend(), [](const QList<QVariant> &args) {
            return args.at(0).value<StoreSession::Job>() == StoreSession::Job::Schema;
        }));

        // After another open, the questions read the new store, not the one they opened first.
        const QString other = m_dir.filePath(u"other-for-questions.db"_s);
        QVERIFY(TestSupport::execSql(
            other,
            QStringList{u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT "
                        "NOT NULL, stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT "
                        "NULL, recorded_at TEXT NOT NULL, data TEXT, metadata TEXT)"_s,
                        u"INSERT INTO events VALUES (1, 'a', 1, NULL, 'T', "
                        "'2026-01-01T00:00:00.000Z', '{}', NULL)"_s}));
        QSignalSpy opened(&session, &StoreSession::opened);
        session.open(StoreLocation::parse(other), {});
        QVERIFY(opened.wait(10000));
        std::optional<qint64> events;
        session.ask<qint64>(
            StoreSession::Job::Check, {}, &asker,
            [](EventStore &store, const JobControl &, StoreError *error) -> std::optional<qint64> {
                const auto summary = store.summary();
                if (!summary)
                    *error = store.lastError();
                return summary ? std::optional<qint64>(summary->events) : std::nullopt;
            },
            [&events](const qint64 &n) { events = n; });
        QTRY_VERIFY_WITH_TIMEOUT(events.has_value(), 10000);
        QCOMPARE(*events, qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"

// The item models of the views library, each driven under QAbstractItemModelTester: the stream
// list and the event table reading through a StoreSession (as the window does) over the small
// store, larger generated ones (several pages) and a 100,000-event one in views, and the JSON
// tree against JsonDiff's paths and change kinds.

#include "decoding/timecodec.h"
#include "eventspane.h"
#include "eventtablemodel.h"
#include "index/eventindexbuilder.h"
#include "jsontreemodel.h"
#include "replay/jsondiff.h"
#include "session/storesession.h"
#include "streamlistmodel.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QElapsedTimer>
#include <QFile>
#include <QFont>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString injection = u"user'; DROP TABLE events;--"_s;
constexpr auto QtTestMode = QAbstractItemModelTester::FailureReportingMode::QtTest;

qint64 iso(const char *text)
{
    return TimeCodec::parseIso(QString::fromLatin1(text));
}

QString sqlText(const QString &text)
{
    return u'\'' + QString(text).replace(u'\'', u"''"_s) + u'\'';
}

QString insertEvent(qint64 position, const QString &stream, qint64 version, const QString &type,
                    qint64 timeMs, const QString &dataSql)
{
    return u"INSERT INTO events VALUES (%1, %2, %3, NULL, %4, %5, %6, NULL)"_s.arg(position)
        .arg(sqlText(stream))
        .arg(version)
        .arg(sqlText(type), sqlText(TimeCodec::format(timeMs)), dataSql);
}

QVariantList column(const QAbstractItemModel &model, int column, int role = Qt::DisplayRole,
                    const QModelIndex &parent = {})
{
    QVariantList result;
    for (int row = 0; row < model.rowCount(parent); ++row)
        result << model.data(model.index(row, column, parent), role);
    return result;
}

QStringList texts(const QAbstractItemModel &model, int col, int role = Qt::DisplayRole,
                  const QModelIndex &parent = {})
{
    QStringList result;
    for (const QVariant &v : column(model, col, role, parent))
        result << v.toString();
    return result;
}

QList<qint64> positions(const EventTableModel &model)
{
    QList<qint64> result;
    for (const QVariant &v : column(model, 0, EventTableModel::PositionRole))
        result << v.toLongLong();
    return result;
}

// Until every read the model has asked for is answered (and those the answers ask for).
bool settle(KeysetPagedModel &model)
{
    return QTest::qWaitFor([&] { return model.isSettled(); }, 20000);
}

// The rows' text in one column as a view would show them, waiting for their pages.
QStringList shown(KeysetPagedModel &model, int col, int first, int count)
{
    QStringList result;
    for (int row = first; row < first + count; ++row)
        model.data(model.index(row, col));
    if (!settle(model))
        return {u"not settled"_s};
    for (int row = first; row < first + count; ++row)
        result << model.data(model.index(row, col)).toString();
    return result;
}

// Every row loaded (as a view scrolled to the end would have them), the count exact.
bool loadAll(KeysetPagedModel &model)
{
    for (int row = 0; row < model.rowCount(); row += model.pageSize()) {
        model.data(model.index(row, 0));
        if (!settle(model))
            return false;
    }
    return model.isCountExact() &&
           (model.rowCount() == 0 || model.isRowLoaded(model.rowCount() - 1));
}

// The answer of a seek (rowFound), -2 when none came.
int seekRow(KeysetPagedModel &model, const std::function<void()> &seek)
{
    QSignalSpy found(&model, &KeysetPagedModel::rowFound);
    seek();
    if (found.isEmpty() && !found.wait(20000))
        return -2;
    return found.constFirst().at(0).toInt();
}

QList<int> changes(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    QList<int> result;
    for (const QVariant &v : column(model, 0, JsonTreeModel::ChangeRole, parent))
        result << v.toInt();
    return result;
}

constexpr int none = JsonTreeModel::NoChange;
constexpr int added = int(JsonChange::Kind::Added);
constexpr int changed = int(JsonChange::Kind::Changed);
constexpr int removed = int(JsonChange::Kind::Removed);

} // namespace

class TestModels : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_small;
    QString m_streams; // the small store and 450 more streams s000..s449
    QString m_events;  // the small store and 3002 more events from position 101
    QString m_big;     // the small store and 100,000 more events from position 1001
    // Stream name and event count of every stream in m_streams.
    QVector<std::pair<QString, qint64>> m_streamCounts;

    // A session with the store open and indexed, as the window has one.
    std::unique_ptr<StoreSession> open(const QString &path)
    {
        auto session = std::make_unique<StoreSession>();
        QSignalSpy opened(session.get(), &StoreSession::opened);
        QSignalSpy failed(session.get(), &StoreSession::failed);
        session->open(StoreLocation::parse(path), {});
        if (!opened.wait(20000) || !QTest::qWaitFor([&] { return session->isIdle(); }, 60000)) {
            qWarning() << "not opened" << failed;
            return nullptr;
        }
        return session;
    }

    // A copy that a test may break.
    QString copyOf(const QString &path, const QString &name)
    {
        const QString copy = m_dir.filePath(name);
        QFile::remove(copy);
        return QFile::copy(path, copy) ? copy : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_small = m_dir.filePath(u"small.db"_s);
        QVERIFY(TestSupport::createSmallStore(m_small));

        // Stream i has i % 3 + 1 events, so that most-events order has long runs of ties that
        // cross page boundaries.
        m_streams = m_dir.filePath(u"streams.db"_s);
        QVERIFY(TestSupport::createSmallStore(m_streams));
        m_streamCounts = {{u"post-1"_s, 2}, {injection, 2}, {u"user-1"_s, 5}, {u"user-2"_s, 3}};
        QStringList sql;
        qint64 position = 1000;
        const qint64 start = iso("2026-02-01T00:00:00.000Z");
        for (int i = 0; i < 450; ++i) {
            const QString stream = u"s%1"_s.arg(i, 3, 10, QChar(u'0'));
            const int count = i % 3 + 1;
            for (int v = 1; v <= count; ++v) {
                sql << insertEvent(position, stream, v, u"Tick"_s, start + position * 1000,
                                   u"'{}'"_s);
                ++position;
            }
            m_streamCounts.append({stream, count});
        }
        QVERIFY(TestSupport::execSql(m_streams, sql));

        // Bulk events 101..3100 alternate Tick (even i) and Tock (odd i); 3101 has line
        // breaks, 3102 a long JSON payload.
        m_events = m_dir.filePath(u"events.db"_s);
        QVERIFY(TestSupport::createSmallStore(m_events));
        sql.clear();
        for (int i = 1; i <= 3000; ++i) {
            sql << insertEvent(100 + i, u"bulk"_s, i, i % 2 ? u"Tock"_s : u"Tick"_s,
                               start + i * 1000, sqlText(u"{\"i\":%1}"_s.arg(i)));
        }
        sql << insertEvent(3101, u"odd"_s, 1, u"Text"_s, start + 4000000,
                           u"'line one' || char(10) || 'line two' || char(9) || 'end'"_s)
            << insertEvent(3102, u"odd"_s, 2, u"Long"_s, start + 4001000,
                           sqlText(u"{\"text\":\"%1\"}"_s.arg(QString(300, u'x'))));
        QVERIFY(TestSupport::execSql(m_events, sql));

        // Events 1001..101000 over streams big-0..big-99, Tick and Tock.
        m_big = m_dir.filePath(u"big.db"_s);
        QVERIFY(TestSupport::createSmallStore(m_big));
        QVERIFY(TestSupport::execSql(
            m_big,
            {u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
             "INSERT INTO events SELECT 1000 + i, 'big-' || (i % 100), i / 100 + 1, NULL, "
             "CASE i % 2 WHEN 0 THEN 'Tick' ELSE 'Tock' END, "
             "strftime('%Y-%m-%dT%H:%M:%fZ', '2026-03-01', '+' || i || ' seconds'), "
             "'{\"i\":' || i || '}', NULL FROM n"_s}));
    }

    // StreamListModel

    void streamListSmallStore()
    {
        auto session = open(m_small);
        QVERIFY(session);
        StreamListModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));

        model.setSession(session.get());
        QVERIFY(settle(model));
        QVERIFY(model.isCountExact()); // one short page: the whole list
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(model.headerData(StreamListModel::StreamColumn, Qt::Horizontal).toString(),
                 u"Stream"_s);
        QCOMPARE(model.headerData(StreamListModel::EventsColumn, Qt::Horizontal).toString(),
                 u"Events"_s);
        QCOMPARE(model.headerData(StreamListModel::LastTimeColumn, Qt::Horizontal).toString(),
                 u"Last event"_s);
        QCOMPARE(texts(model, StreamListModel::StreamColumn),
                 (QStringList{u"post-1"_s, injection, u"user-1"_s, u"user-2"_s}));
        QCOMPARE(texts(model, StreamListModel::EventsColumn),
                 (QStringList{u"2"_s, u"2"_s, u"5"_s, u"3"_s}));
        QCOMPARE(texts(model, StreamListModel::LastTimeColumn),
                 (QStringList{u"2026-01-12T00:00:00.000Z"_s, u"2026-01-12T03:00:01.000Z"_s,
                              u"2026-01-12T02:00:00.000Z"_s, u"2026-01-12T01:00:00.000Z"_s}));
        QCOMPARE(model.data(model.index(2, StreamListModel::EventsColumn), Qt::TextAlignmentRole)
                     .toInt(),
                 int(Qt::AlignRight | Qt::AlignVCenter));
        const QModelIndex user1 = model.index(2, StreamListModel::LastTimeColumn);
        QCOMPARE(model.data(user1, StreamListModel::StreamRole).toString(), u"user-1"_s);
        QCOMPARE(model.data(user1, StreamListModel::EventCountRole).toLongLong(), 5);
        QCOMPARE(model.data(user1, StreamListModel::FirstVersionRole).toLongLong(), 1);
        QCOMPARE(model.data(user1, StreamListModel::LastVersionRole).toLongLong(), 5);
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.rowOfStream(u"user-2"_s), 3);
        QCOMPARE(model.rowOfStream(u"user-3"_s), -1);
        QVERIFY(model.errorString().isEmpty());

        model.setSession(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOfStream(u"user-2"_s), -1);
    }

    void streamListFilterAndSort_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<int>("sortColumn");
        QTest::addColumn<QStringList>("expected");
        const QStringList all{u"post-1"_s, injection, u"user-1"_s, u"user-2"_s};
        QTest::newRow("USER") << u"USER"_s << 0 << all.mid(1);
        QTest::newRow("-1") << u"-1"_s << 0 << QStringList{u"post-1"_s, u"user-1"_s};
        QTest::newRow("underscore is text") << u"_"_s << 0 << QStringList();
        QTest::newRow("most events")
            << QString() << 1 << QStringList{u"user-1"_s, u"user-2"_s, u"post-1"_s, injection};
        QTest::newRow("most events, filtered")
            << u"user"_s << 1 << QStringList{u"user-1"_s, u"user-2"_s, injection};
        QTest::newRow("last event keeps name order") << QString() << 2 << all;
    }

    void streamListFilterAndSort()
    {
        QFETCH(QString, filter);
        QFETCH(int, sortColumn);
        QFETCH(QStringList, expected);
        auto session = open(m_small);
        QVERIFY(session);
        StreamListModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setSession(session.get());
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.sort(sortColumn, Qt::DescendingOrder);
        model.setFilter(filter);
        QCOMPARE(model.filter(), filter);
        QVERIFY(settle(model));
        QCOMPARE(texts(model, StreamListModel::StreamColumn), expected);
        // Sorting by the last event is not supported: no reset for it.
        QCOMPARE(resets.count(), sortColumn == StreamListModel::LastTimeColumn ? 1 : 2);
    }

    void streamListPages_data()
    {
        QTest::addColumn<int>("sortColumn");
        QTest::newRow("name") << int(StreamListModel::StreamColumn);
        QTest::newRow("most events") << int(StreamListModel::EventsColumn);
    }

    void streamListPages()
    {
        QFETCH(int, sortColumn);
        auto expected = m_streamCounts;
        if (sortColumn == StreamListModel::EventsColumn) {
            std::sort(expected.begin(), expected.end(), [](const auto &a, const auto &b) {
                return a.second != b.second ? a.second > b.second : a.first < b.first;
            });
        } else {
            std::sort(expected.begin(), expected.end());
        }
        QStringList names;
        QVariantList counts;
        for (const auto &[name, count] : expected) {
            names << name;
            counts << count;
        }
        QCOMPARE(names.size(), 454);

        auto session = open(m_streams);
        QVERIFY(session);
        StreamListModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.sort(sortColumn);
        model.setSession(session.get());
        QVERIFY(settle(model));
        // Lazy: the first page, and one page of placeholders (the count is an estimate).
        QCOMPARE(model.rowCount(), 400);
        QVERIFY(!model.isCountExact());
        QVERIFY(!model.isRowLoaded(200));
        QCOMPARE(model.data(model.index(200, 0)).toString(), KeysetPagedModel::placeholder());
        QCOMPARE(model.rowOfStream(names.last()), -1);
        QCOMPARE(model.rowOfStream(names.at(199)), 199);
        QCOMPARE(shown(model, StreamListModel::StreamColumn, 0, 400), names.mid(0, 400));
        QCOMPARE(model.rowCount(), 600); // the estimate moves on with the pages

        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        int rows = model.rowCount();
        connect(&model, &QAbstractItemModel::rowsInserted, this,
                [&](const QModelIndex &parent, int first, int last) {
                    QVERIFY(!parent.isValid());
                    QCOMPARE(first, rows); // appended only
                    QVERIFY(last - first + 1 <= StreamListModel::PageSize);
                    rows = last + 1;
                });
        connect(&model, &QAbstractItemModel::rowsRemoved, this,
                [&](const QModelIndex &, int first, int) { rows = first; });
        QVERIFY(loadAll(model));
        QCOMPARE(inserted.count(), 0); // the third page was short: placeholders went instead
        QCOMPARE(model.rowCount(), 454);
        QCOMPARE(texts(model, StreamListModel::StreamColumn), names);
        QCOMPARE(column(model, 0, StreamListModel::EventCountRole), counts);
        QCOMPARE(model.rowOfStream(names.last()), 453);
        QCOMPARE(model.rowOfStream(u"s200"_s), int(names.indexOf(u"s200"_s)));
    }

    // A store whose positions span past a quick summary's limit lists its streams before the
    // index is built: by name only, through the streams' index (binary order), answered between
    // the index's parts; once the index is ready, with their counts in NaturalOrder.
    void streamListNamesBeforeIndexThenCounts()
    {
        const QString path = m_dir.filePath(u"names-first.db"_s);
        QVERIFY(TestSupport::createSmallStore(path));
        QStringList sql{u"DELETE FROM events"_s}; // only the streams below
        const qint64 gap = 1000000;               // several index parts of empty positions
        const QStringList streams{u"s-2"_s, u"s-10"_s, u"s-1"_s};
        for (int i = 0; i < 30; ++i)
            sql << insertEvent(i < 15 ? 1000 + i : gap + i, streams.at(i % 3), i / 3 + 1, u"Tick"_s,
                               iso("2026-02-01T00:00:00.000Z") + i * 1000, u"'{}'"_s);
        QVERIFY(TestSupport::execSql(path, sql));

        StoreSession session;
        StreamListModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        QSignalSpy indexed(&session, &StoreSession::indexReady);
        // As the window does when it opens: the list's first read is asked right after the
        // index's first part.
        connect(&session, &StoreSession::opened, &model, [&] { model.setSession(&session); });
        // What the list shows when its first page arrives.
        QStringList firstNames;
        QStringList firstCounts;
        qint64 indexedThen = -1;
        QVariant firstCountRole;
        connect(&model, &KeysetPagedModel::settled, this, [&] {
            if (indexedThen >= 0 || model.rowCount() == 0)
                return;
            indexedThen = indexed.count();
            firstNames = texts(model, StreamListModel::StreamColumn);
            firstCounts = texts(model, StreamListModel::EventsColumn);
            firstCountRole = model.data(model.index(0, 0), StreamListModel::EventCountRole);
        });
        session.open(StoreLocation::parse(path), {});
        QVERIFY(QTest::qWaitFor([&] { return indexedThen >= 0; }, 20000));
        QCOMPARE(indexedThen, 0);
        QCOMPARE(firstNames, (QStringList{u"s-1"_s, u"s-10"_s, u"s-2"_s}));
        QCOMPARE(firstCounts, QStringList(3, KeysetPagedModel::placeholder()));
        QVERIFY(!firstCountRole.isValid());

        QVERIFY(indexed.count() > 0 || indexed.wait(20000));
        QVERIFY(settle(model));
        QVERIFY(shown(model, 0, 0, 1) != QStringList{u"not settled"_s});
        QCOMPARE(texts(model, StreamListModel::StreamColumn),
                 (QStringList{u"s-1"_s, u"s-2"_s, u"s-10"_s}));
        QCOMPARE(texts(model, StreamListModel::EventsColumn),
                 (QStringList{u"10"_s, u"10"_s, u"10"_s}));
        QCOMPARE(model.data(model.index(1, 0), StreamListModel::LastVersionRole).toLongLong(), 10);
    }

    void streamListFilterOverPages()
    {
        auto session = open(m_streams);
        QVERIFY(session);
        StreamListModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setSession(session.get());
        model.setFilter(u"S1"_s);
        QVERIFY(settle(model));
        QVERIFY(loadAll(model));
        QStringList expected;
        for (int i = 100; i < 200; ++i)
            expected << u"s%1"_s.arg(i);
        QCOMPARE(texts(model, StreamListModel::StreamColumn), expected);
    }

    void streamListError()
    {
        const QString path = copyOf(m_streams, u"streams-broken.db"_s);
        QVERIFY(!path.isEmpty());
        // Positions wider than the in-memory index takes: the list is read by SQL, which a
        // renamed table breaks.
        QVERIFY(TestSupport::execSql(
            path, {insertEvent(10000000000, u"zz-far"_s, 1, u"Tick"_s, 0, u"'{}'"_s)}));
        auto session = open(path);
        QVERIFY(session);
        StreamListModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        QSignalSpy errors(&model, &StreamListModel::errorOccurred);
        model.setSession(session.get());
        QVERIFY(settle(model));
        const QStringList loaded = texts(model, StreamListModel::StreamColumn).mid(0, 200);
        QVERIFY(settle(model)); // the placeholders asked for the second page
        QVERIFY(!model.isCountExact());
        QCOMPARE(errors.count(), 0);

        QVERIFY(TestSupport::execSql(path, {u"ALTER TABLE events RENAME TO gone"_s}));
        model.data(model.index(model.rowCount() - 1, 0)); // a placeholder a view shows
        QVERIFY(settle(model));
        QCOMPARE(errors.count(), 1);
        QVERIFY(!model.errorString().isEmpty());
        QCOMPARE(errors.at(0).at(0).value<StoreError>().message, model.errorString());
        // The pages read stay; the placeholders go, nothing more is read.
        QCOMPARE(texts(model, StreamListModel::StreamColumn).mid(0, 200), loaded);
        QVERIFY(model.isCountExact());
        QVERIFY(model.rowCount() >= 200);
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(model.isRowLoaded(row));

        model.setFilter(u"s"_s);
        QVERIFY(settle(model));
        QCOMPARE(errors.count(), 2);
        QCOMPARE(model.rowCount(), 0);
    }

    // EventTableModel

    void eventTableSmallStore()
    {
        auto session = open(m_small);
        QVERIFY(session);
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setSession(session.get());
        QVERIFY(settle(model));
        QCOMPARE(model.columnCount(), 6);
        QStringList headers;
        for (int c = 0; c < model.columnCount(); ++c)
            headers << model.headerData(c, Qt::Horizontal).toString();
        QCOMPARE(headers, (QStringList{u"Position"_s, u"Time"_s, u"Stream"_s, u"Version"_s,
                                       u"Type"_s, u"Data"_s}));
        QCOMPARE(positions(model), (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        QVERIFY(!model.canFetchMore({}));

        QStringList row0;
        for (int c = 0; c < model.columnCount(); ++c)
            row0 << model.data(model.index(0, c)).toString();
        QCOMPARE(row0, (QStringList{u"1"_s, u"2026-01-05T08:00:00.000Z"_s, u"user-1"_s, u"1"_s,
                                    u"UserCreated"_s, u"{\"name\":\"Ada\",\"plan\":\"free\"}"_s}));
        QCOMPARE(texts(model, EventTableModel::DataColumn).mid(8, 4),
                 (QStringList{u"{\"profile\":{\"city\":\"Paris\"}}"_s, u"not json"_s,
                              u"{\"name\":\"Robert'); DROP TABLE Students;--\"}"_s,
                              u"{\"postId\":\"post-1\"}"_s}));

        const QModelIndex first = model.index(0, EventTableModel::DataColumn);
        QCOMPARE(model.data(first, Qt::ToolTipRole).toString(),
                 u"{\n    \"name\": \"Ada\",\n    \"plan\": \"free\"\n}"_s);
        QCOMPARE(model.data(first, EventTableModel::PositionRole).toLongLong(), 1);
        QCOMPARE(model.data(first, EventTableModel::StreamRole).toString(), u"user-1"_s);
        QCOMPARE(model.data(first, EventTableModel::VersionRole).toLongLong(), 1);
        QCOMPARE(model.data(first, EventTableModel::TypeRole).toString(), u"UserCreated"_s);
        QCOMPARE(model.data(first, EventTableModel::TimeRole).toLongLong(),
                 iso("2026-01-05T08:00:00.000Z"));
        QCOMPARE(model.data(model.index(9, 0), EventTableModel::DataRole).toByteArray(),
                 QByteArray("not json"));
        QCOMPARE(model.data(first, EventTableModel::MetadataRole).toByteArray(),
                 QByteArray(R"({"source":"test"})"));
        QCOMPARE(
            model.data(model.index(9, EventTableModel::DataColumn), Qt::ToolTipRole).toString(),
            u"not json"_s);
        QCOMPARE(model.event(3).stream, u"user-2"_s);
        QCOMPARE(model.event(3).version, qint64(1));
        QCOMPARE(model.data(model.index(0, EventTableModel::PositionColumn), Qt::TextAlignmentRole)
                     .toInt(),
                 int(Qt::AlignRight | Qt::AlignVCenter));

        model.setSession(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void eventTableFilter_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::newRow("stream") << u"user-1"_s << QStringList() << NoTime << NoTime
                                << QList<qint64>{1, 3, 5, 7, 10};
        QTest::newRow("stream with a quote")
            << injection << QStringList() << NoTime << NoTime << QList<qint64>{11, 12};
        QTest::newRow("type") << QString() << QStringList{u"Clicked"_s} << NoTime << NoTime
                              << QList<qint64>{3, 6, 7, 10, 12};
        QTest::newRow("types") << QString() << QStringList{u"PostEdited"_s, u"UserRenamed"_s}
                               << NoTime << NoTime << QList<qint64>{5, 8};
        QTest::newRow("time, end exclusive")
            << QString() << QStringList() << iso("2026-01-06T00:00:00.000Z")
            << iso("2026-01-12T00:00:00.000Z") << QList<qint64>{5, 6, 7};
        QTest::newRow("all three") << u"user-2"_s << QStringList{u"Clicked"_s}
                                   << iso("2026-01-06T00:00:00.000Z") << NoTime << QList<qint64>{6};
        QTest::newRow("nothing") << u"user-9"_s << QStringList() << NoTime << NoTime
                                 << QList<qint64>();
    }

    void eventTableFilter()
    {
        QFETCH(QString, stream);
        QFETCH(QStringList, types);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(QList<qint64>, expected);
        auto session = open(m_small);
        QVERIFY(session);
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setSession(session.get());
        EventFilter filter;
        filter.stream = stream;
        filter.types = types;
        filter.fromTimeMs = from;
        filter.toTimeMs = to;
        // Ignored: the model pages itself.
        filter.afterPosition = 5;
        filter.limit = 1;
        model.setFilter(filter);
        QVERIFY(settle(model));
        QCOMPARE(positions(model), expected);
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(model.isCountExact());
        for (int row = 0; row < expected.size(); ++row)
            QCOMPARE(model.rowOfPosition(expected.at(row)), row);
        QCOMPARE(seekRow(model, [&] { model.seekPosition(4); }), expected.contains(4) ? 1 : -1);
    }

    void eventTablePreview()
    {
        QCOMPARE(EventTableModel::preview(QByteArray()), QString());
        QCOMPARE(EventTableModel::preview("  [1, 2,\n 3] "), u"[1,2,3]"_s);
        QCOMPARE(EventTableModel::preview("\"a\\nb\""), u"\"a\\nb\""_s);
        QCOMPARE(EventTableModel::preview("a\r\nb"), u"a  b"_s);
        const QString exact(200, u'y');
        QCOMPARE(EventTableModel::preview(exact.toUtf8()), exact);
        QCOMPARE(EventTableModel::preview(QString(201, u'y').toUtf8()), QString(199, u'y') + u'…');

        auto session = open(m_events);
        QVERIFY(session);
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setSession(session.get());
        EventFilter filter;
        filter.stream = u"odd"_s;
        model.setFilter(filter);
        QVERIFY(settle(model));
        QCOMPARE(positions(model), (QList<qint64>{3101, 3102}));
        QCOMPARE(model.data(model.index(0, EventTableModel::DataColumn)).toString(),
                 u"line one line two end"_s);
        const QString longPreview =
            model.data(model.index(1, EventTableModel::DataColumn)).toString();
        QCOMPARE(longPreview, u"{\"text\":\""_s + QString(190, u'x') + u'…');
        QCOMPARE(longPreview.size(), EventTableModel::PreviewLength);
        QCOMPARE(
            model.data(model.index(1, EventTableModel::DataColumn), Qt::ToolTipRole).toString(),
            u"{\n    \"text\": \""_s + QString(300, u'x') + u"\"\n}"_s);
    }

    void eventTablePages()
    {
        auto session = open(m_events);
        QVERIFY(session);
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setSession(session.get());
        QVERIFY(settle(model));
        // The first page, and the count: rows past the pages shown (here by the tester, at the
        // rows the count inserted) are placeholders until shown.
        QCOMPARE(model.rowCount(), 3014);
        QVERIFY(model.isCountExact());
        QVERIFY(model.isRowLoaded(499));
        QVERIFY(!model.isRowLoaded(1600));
        QCOMPARE(model.data(model.index(1600, 0)).toString(), KeysetPagedModel::placeholder());
        QCOMPARE(model.rowOfPosition(3), 2);
        QCOMPARE(model.rowOfPosition(50), -1);   // between the small store and the bulk
        QCOMPARE(model.rowOfPosition(3100), -1); // not loaded yet
        QVERIFY(settle(model));

        // A seek loads the page holding it, not those before.
        QCOMPARE(seekRow(model, [&] { model.seekPosition(2000); }), 1911);
        QCOMPARE(model.event(1911).position, 2000);
        QVERIFY(model.isRowLoaded(1500) && model.isRowLoaded(1999));
        QVERIFY(!model.isRowLoaded(2000));
        QCOMPARE(seekRow(model, [&] { model.seekPosition(3100); }), 3011);
        QCOMPARE(model.event(3011).position, 3100);
        QCOMPARE(model.event(3011).version, 3000);
        QCOMPARE(seekRow(model, [&] { model.seekPosition(3102); }), 3013);
        QCOMPARE(model.rowCount(), 3014);
        QCOMPARE(model.rowOfPosition(3102), 3013);
        QCOMPARE(seekRow(model, [&] { model.seekPosition(99999); }), -1);
        QCOMPARE(seekRow(model, [&] { model.seekPosition(100); }), -1);

        // Pages between loaded ones are read after the nearest one before them.
        QCOMPARE(shown(model, EventTableModel::PositionColumn, 2500, 3),
                 (QStringList{u"2589"_s, u"2590"_s, u"2591"_s}));
        QVERIFY(loadAll(model));
        const QList<qint64> all = positions(model);
        QCOMPARE(all.size(), 3014);
        QCOMPARE(all.mid(10, 4), (QList<qint64>{11, 12, 101, 102}));
        QVERIFY(std::adjacent_find(all.cbegin(), all.cend(), std::greater_equal<qint64>()) ==
                all.cend());
    }

    void eventTableSeekWithFilter()
    {
        auto session = open(m_events);
        QVERIFY(session);
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setSession(session.get());
        EventFilter filter;
        filter.types = {u"Tock"_s};
        model.setFilter(filter);
        QVERIFY(settle(model));
        QCOMPARE(model.rowCount(), 1500);
        QCOMPARE(seekRow(model, [&] { model.seekPosition(3099); }), 1499);
        QCOMPARE(seekRow(model, [&] { model.seekPosition(3100); }), -1); // a Tick
        QVERIFY(loadAll(model));
        QCOMPARE(model.rowCount(), 1500);
        QCOMPARE(model.data(model.index(1499, EventTableModel::TypeColumn)).toString(), u"Tock"_s);
        QCOMPARE(model.data(model.index(1499, EventTableModel::DataColumn)).toString(),
                 u"{\"i\":2999}"_s);
    }

    void eventTableError()
    {
        const QString path = copyOf(m_events, u"events-broken.db"_s);
        QVERIFY(!path.isEmpty());
        auto session = open(path);
        QVERIFY(session);
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        QSignalSpy errors(&model, &EventTableModel::errorOccurred);
        model.setSession(session.get());
        QVERIFY(settle(model));
        int loaded = 0; // the first page, and those the tester has shown
        while (model.isRowLoaded(loaded))
            ++loaded;
        QVERIFY(loaded >= 500 && loaded < 3014);
        QCOMPARE(model.rowCount(), 3014);

        QVERIFY(TestSupport::execSql(path, {u"ALTER TABLE events RENAME TO gone"_s}));
        QCOMPARE(seekRow(model, [&] { model.seekPosition(3100); }), -1);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).value<StoreError>().message, model.errorString());
        QVERIFY(!model.errorString().isEmpty());
        // The rows read stay; the placeholders go, nothing more is read.
        QCOMPARE(model.rowCount(), loaded);
        QCOMPARE(model.rowOfPosition(3), 2);
        QVERIFY(!model.canFetchMore({}));
        QVERIFY(settle(model));

        model.setFilter(EventFilter());
        QVERIFY(settle(model));
        QCOMPARE(errors.count(), 2);
        QCOMPARE(model.rowCount(), 0);
    }

    // The whole store's count is the index's (it counts while it is built): no COUNT(*) scan
    // holds the index's parts back, and the list shows the exact count once the index has
    // answered, or once it has said it cannot (then by SQL).
    void eventTableCountWaitsForIndex_data()
    {
        QTest::addColumn<qint64>("lastPosition");
        QTest::addColumn<bool>("indexed");
        QTest::addColumn<bool>("restartedByTheAnswer");
        const qint64 tooMany = EventIndexBuilder::MaxEvents + 1000;
        QTest::newRow("index built in parts") << qint64(1000000) << true << false;
        QTest::newRow("index unavailable") << tooMany << false << false;
        // As the window's handlers of the index's answer do (new types, a new time range): the
        // list restarted there counts, though the session has not yet settled that answer.
        QTest::newRow("index built, list restarted by its answer")
            << qint64(1000000) << true << true;
        QTest::newRow("index unavailable, list restarted by that answer")
            << tooMany << false << true;
    }

    void eventTableCountWaitsForIndex()
    {
        QFETCH(qint64, lastPosition);
        QFETCH(bool, indexed);
        QFETCH(bool, restartedByTheAnswer);
        const QString path = copyOf(m_big, u"count-after-index.db"_s);
        QVERIFY(!path.isEmpty());
        QVERIFY(
            TestSupport::execSql(path, {insertEvent(lastPosition, u"late"_s, 1, u"Tick"_s,
                                                    iso("2026-04-01T00:00:00.000Z"), u"'{}'"_s)}));
        StoreSession session;
        // In the window's pane, whose column widths follow the rows that arrive: those must not
        // read further pages themselves (they read through the whole store while the count was
        // an estimate, page after page, and evicted pages again and again).
        EventsPane pane;
        EventTableModel &model = *pane.model();
        QAbstractItemModelTester tester(&model, QtTestMode);
        QSignalSpy ready(&session, &StoreSession::indexReady);
        QSignalSpy unavailable(&session, &StoreSession::indexUnavailable);
        connect(&session, &StoreSession::opened, &model, [&] {
            model.setSession(&session);
            if (!restartedByTheAnswer)
                return;
            // Connected after the model's own handlers, so they run after them.
            const auto restart = [&] {
                model.setFilter(EventFilter{});
            };
            connect(&session, &StoreSession::indexReady, &model, restart);
            connect(&session, &StoreSession::indexUnavailable, &model, restart);
        });
        qint64 answersBeforeExact = -1; // the index's answers when the count became exact
        connect(&model, &KeysetPagedModel::countChanged, this, [&](int, bool exact) {
            if (exact && answersBeforeExact < 0)
                answersBeforeExact = ready.count() + unavailable.count();
        });
        session.open(StoreLocation::parse(path), {});
        QVERIFY(QTest::qWaitFor(
            [&] { return answersBeforeExact >= 0 && session.isIdle() && model.isSettled(); },
            60000));
        QCOMPARE(ready.count(), indexed ? 1 : 0);
        QCOMPARE(unavailable.count(), indexed ? 0 : 1);
        QCOMPARE(answersBeforeExact, 1);
        QVERIFY(model.isCountExact());
        QCOMPARE(model.rowCount(), 100013);
        int pagesRead = 0;
        for (int row = 0; row < model.rowCount(); row += model.pageSize())
            pagesRead += model.isRowLoaded(row) ? 1 : 0;
        // The first, and the last rows QAbstractItemModelTester looks at.
        QVERIFY2(pagesRead <= 2, qPrintable(QString::number(pagesRead)));

        // A filtered count does not wait: the index answers only the whole store's.
        EventFilter ticks;
        ticks.types = QStringList{u"Tick"_s};
        model.setFilter(ticks);
        QVERIFY(settle(model));
        QVERIFY(model.isCountExact());
        QCOMPARE(model.rowCount(), 50001);
    }

    // The real models in views, through a session, over 100,000 events.

    void eventViewScrollsToTheEnd()
    {
        auto session = open(m_big);
        QVERIFY(session);
        EventTableModel model;
        QTableView view;
        view.resize(800, 600);
        view.setModel(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        model.setSession(session.get());
        QVERIFY(settle(model));
        QCOMPARE(model.rowCount(), 100012);
        QElapsedTimer timer;
        timer.start();
        view.scrollToBottom();
        QVERIFY(QTest::qWaitFor(
            [&] {
                return model.isSettled() &&
                       model.isRowLoaded(view.rowAt(view.viewport()->height() - 2));
            },
            20000));
        qInfo("scrolled to the end of 100,012 events in %lld ms", timer.elapsed());
        const int last = view.rowAt(view.viewport()->height() - 2);
        QCOMPARE(last, 100011);
        view.viewport()->repaint();
        QCOMPARE(view.model()->index(last, EventTableModel::PositionColumn).data().toString(),
                 u"101000"_s);
        const int top = view.rowAt(1);
        QCOMPARE(view.model()->index(top, EventTableModel::PositionColumn).data().toLongLong(),
                 top - 12 + 1001);
        QVERIFY(model.cachedPageCount() <= model.maxCachedPages());
        QVERIFY(model.cachedPageCount() <= 3); // the first page and what the view shows

        // Jumping to an event: one seek, the view goes there and shows it.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        timer.start();
        const int row = seekRow(model, [&] { model.seekPosition(50500); });
        qInfo("sought event 50500 in %lld ms", timer.elapsed());
        QCOMPARE(row, 12 + 50500 - 1001);
        view.scrollTo(model.index(row, 0), QAbstractItemView::PositionAtCenter);
        QVERIFY(settle(model));
        QCOMPARE(view.model()->index(row, EventTableModel::StreamColumn).data().toString(),
                 u"big-0"_s);
        QCOMPARE(view.model()->index(row, EventTableModel::DataColumn).data().toString(),
                 u"{\"i\":49500}"_s);
        QVERIFY(view.rowAt(view.viewport()->height() / 2) - row <= 1);
        QCOMPARE(inserted.count(), 0);

        // Filtered to a stream: counted, and its last event at the end.
        EventFilter filter;
        filter.stream = u"big-7"_s;
        model.setFilter(filter);
        QVERIFY(settle(model));
        QCOMPARE(model.rowCount(), 1000);
        view.scrollToBottom();
        QVERIFY(
            QTest::qWaitFor([&] { return model.isSettled() && model.isRowLoaded(999); }, 20000));
        QCOMPARE(model.index(999, EventTableModel::PositionColumn).data().toString(), u"100907"_s);
    }

    void streamViewFilters()
    {
        auto session = open(m_big);
        QVERIFY(session);
        StreamListModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        QTableView view;
        view.setModel(&model);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        model.setSession(session.get());
        QVERIFY(settle(model));
        // Keystrokes one after another: each restarts the list, only the last one is shown.
        for (const QString &filter : {u"b"_s, u"bi"_s, u"big-"_s, u"big-7"_s})
            model.setFilter(filter);
        QVERIFY(settle(model));
        QCOMPARE(model.rowCount(), 11);
        QStringList names;
        for (int row = 0; row < model.rowCount(); ++row)
            names << view.model()->index(row, StreamListModel::StreamColumn).data().toString();
        QCOMPARE(names.constFirst(), u"big-7"_s);
        names.sort();
        QCOMPARE(names, (QStringList{u"big-7"_s, u"big-70"_s, u"big-71"_s, u"big-72"_s, u"big-73"_s,
                                     u"big-74"_s, u"big-75"_s, u"big-76"_s, u"big-77"_s,
                                     u"big-78"_s, u"big-79"_s}));
        QCOMPARE(seekRow(model, [&] { model.seekStream(u"big-75"_s); }),
                 int(names.indexOf(u"big-75"_s)));
        QCOMPARE(seekRow(model, [&] { model.seekStream(u"user-1"_s); }), -1);
    }

    // JsonTreeModel

    void jsonTreeChanges()
    {
        const QJsonObject before = TestSupport::jsonObject(
            R"({"name":"Ada","plan":"free","tags":["a","b","c"],
                "profile":{"city":"Paris","zip":"75001"},"old":{"x":1}})");
        const QJsonObject after = TestSupport::jsonObject(
            R"({"age":36,"name":"Ada L.","plan":"free","tags":["a","B"],
                "profile":{"city":"Paris","country":"FR"},"new":[1,2]})");
        const QVector<JsonChange> diff = JsonDiff::compare(before, after);
        QStringList diffPaths;
        for (const JsonChange &c : diff)
            diffPaths << c.path;
        QCOMPARE(diffPaths,
                 (QStringList{u"age"_s, u"name"_s, u"new"_s, u"old"_s, u"profile.country"_s,
                              u"profile.zip"_s, u"tags[1]"_s, u"tags[2]"_s}));

        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setJson(after, diff);
        QCOMPARE(model.columnCount(), 2);
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), u"Field"_s);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"Value"_s);
        QCOMPARE(model.json(), QJsonValue(after));

        const QStringList top{u"age"_s,  u"name"_s,    u"new"_s, u"old"_s,
                              u"plan"_s, u"profile"_s, u"tags"_s};
        QCOMPARE(texts(model, JsonTreeModel::KeyColumn), top);
        QCOMPARE(texts(model, JsonTreeModel::KeyColumn, JsonTreeModel::PathRole), top);
        QCOMPARE(texts(model, JsonTreeModel::ValueColumn),
                 (QStringList{u"36"_s, u"\"Ada L.\""_s, u"[2 items]"_s, u"{1 field}"_s,
                              u"\"free\""_s, u"{2 fields}"_s, u"[2 items]"_s}));
        QCOMPARE(changes(model), (QList<int>{added, changed, added, removed, none, none, none}));

        const QModelIndex profile = model.index(5, 0);
        QCOMPARE(texts(model, 0, Qt::DisplayRole, profile),
                 (QStringList{u"city"_s, u"country"_s, u"zip"_s}));
        QCOMPARE(texts(model, 0, JsonTreeModel::PathRole, profile),
                 (QStringList{u"profile.city"_s, u"profile.country"_s, u"profile.zip"_s}));
        QCOMPARE(texts(model, 1, Qt::DisplayRole, profile),
                 (QStringList{u"\"Paris\""_s, u"\"FR\""_s, u"\"75001\""_s}));
        QCOMPARE(changes(model, profile), (QList<int>{none, added, removed}));

        const QModelIndex tags = model.index(6, 0);
        QCOMPARE(texts(model, 0, Qt::DisplayRole, tags),
                 (QStringList{u"[0]"_s, u"[1]"_s, u"[2]"_s}));
        QCOMPARE(texts(model, 0, JsonTreeModel::PathRole, tags),
                 (QStringList{u"tags[0]"_s, u"tags[1]"_s, u"tags[2]"_s}));
        QCOMPARE(texts(model, 1, Qt::DisplayRole, tags),
                 (QStringList{u"\"a\""_s, u"\"B\""_s, u"\"c\""_s}));
        QCOMPARE(changes(model, tags), (QList<int>{none, changed, removed}));
        QCOMPARE(model.data(model.index(1, 1, tags), Qt::ToolTipRole).toString(), u"was \"b\""_s);

        // Inside an added member everything is new; inside a removed one everything is gone.
        QCOMPARE(changes(model, model.index(2, 0)), (QList<int>{added, added}));
        const QModelIndex old = model.index(3, 0);
        QCOMPARE(texts(model, 0, JsonTreeModel::PathRole, old), QStringList{u"old.x"_s});
        QCOMPARE(texts(model, 1, Qt::DisplayRole, old), QStringList{u"1"_s});
        QCOMPARE(changes(model, old), QList<int>{removed});
        QCOMPARE(model.data(old, JsonTreeModel::JsonRole).toJsonValue(),
                 QJsonValue(TestSupport::jsonObject(R"({"x":1})")));

        // Ghosts are struck out, parents of changes are bold, the rest has no font.
        const auto font = [&](const QModelIndex &index) {
            return qvariant_cast<QFont>(model.data(index, Qt::FontRole));
        };
        QVERIFY(font(old).strikeOut());
        QVERIFY(font(model.index(3, 1)).strikeOut());
        QVERIFY(font(model.index(2, 0, profile)).strikeOut());
        QVERIFY(font(profile).bold());
        QVERIFY(font(tags).bold());
        QVERIFY(!font(profile).strikeOut());
        QVERIFY(!model.data(model.index(5, 1), Qt::FontRole).isValid());
        QVERIFY(!model.data(model.index(4, 0), Qt::FontRole).isValid());
        QVERIFY(!model.data(model.index(1, 0), Qt::FontRole).isValid());

        // One translucent background per kind, none for unchanged rows.
        const auto background = [&](const QModelIndex &index) {
            return qvariant_cast<QBrush>(model.data(index, Qt::BackgroundRole)).color();
        };
        const QColor addedColor = background(model.index(0, 0));
        const QColor changedColor = background(model.index(1, 1));
        const QColor removedColor = background(old);
        QVERIFY(addedColor.alpha() > 0 && addedColor.alpha() < 255);
        QVERIFY(addedColor != changedColor && changedColor != removedColor &&
                addedColor != removedColor);
        QCOMPARE(background(model.index(1, 0, profile)), addedColor);
        QCOMPARE(background(model.index(2, 0, tags)), removedColor);
        QVERIFY(!model.data(model.index(4, 0), Qt::BackgroundRole).isValid());

        // Syntax colours in the value column only.
        const auto foreground = [&](int row) {
            return qvariant_cast<QBrush>(model.data(model.index(row, 1), Qt::ForegroundRole))
                .color();
        };
        QVERIFY(foreground(0) != foreground(1)); // number, string
        QVERIFY(foreground(1) != foreground(2)); // string, array
        QCOMPARE(foreground(2), foreground(5));  // array, object
        QVERIFY(!model.data(model.index(0, 0), Qt::ForegroundRole).isValid());

        QCOMPARE(model.indexForPath(u"profile.zip"_s), model.index(2, 0, profile));
        QCOMPARE(model.indexForPath(u"tags[2]"_s), model.index(2, 0, tags));
        QCOMPARE(model.indexForPath(u"old.x"_s), model.index(0, 0, old));
        QCOMPARE(model.indexForPath(u"plan"_s), model.index(4, 0));
        QVERIFY(!model.indexForPath(u"nope"_s).isValid());
        QVERIFY(!model.indexForPath(u"tags[9]"_s).isValid());
        QVERIFY(!model.indexForPath(u"tags.0"_s).isValid());
        QVERIFY(!model.indexForPath(u"profile..zip"_s).isValid());
        QVERIFY(!model.indexForPath(QString()).isValid());

        QStringList changedPaths;
        for (const QModelIndex &index : model.changedIndexes()) {
            QCOMPARE(index.column(), 0);
            changedPaths << index.data(JsonTreeModel::PathRole).toString();
        }
        QCOMPARE(changedPaths, diffPaths);

        model.setJson(after);
        QCOMPARE(texts(model, JsonTreeModel::KeyColumn).size(), 6);
        QCOMPARE(changes(model), (QList<int>{none, none, none, none, none, none}));
        QVERIFY(model.changedIndexes().isEmpty());
    }

    void jsonTreeQuotedKeys()
    {
        const QJsonObject before =
            TestSupport::jsonObject(R"({"a.b":{"c d":1,"gone key":2},"x":[{"y":null}]})");
        const QJsonObject after =
            TestSupport::jsonObject(R"({"a.b":{"c d":1,"":true},"x":[{"y":null}]})");
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setJson(after, JsonDiff::compare(before, after));
        const QModelIndex ab = model.index(0, 0);
        QCOMPARE(ab.data().toString(), u"a.b"_s);
        QCOMPARE(texts(model, 0, JsonTreeModel::PathRole, ab),
                 (QStringList{u"[\"a.b\"][\"\"]"_s, u"[\"a.b\"][\"c d\"]"_s,
                              u"[\"a.b\"][\"gone key\"]"_s}));
        QCOMPARE(changes(model, ab), (QList<int>{added, none, removed}));
        QCOMPARE(model.indexForPath(u"[\"a.b\"][\"gone key\"]"_s), model.index(2, 0, ab));
        QCOMPARE(model.indexForPath(u"x[0].y"_s),
                 model.index(0, 0, model.index(0, 0, model.index(1, 0))));
        QCOMPARE(model.indexForPath(u"x[0].y"_s).siblingAtColumn(1).data().toString(), u"null"_s);
        QVERIFY(!model.indexForPath(u"a.b"_s).isValid());
    }

    void jsonTreeRoots()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        QCOMPARE(model.rowCount(), 0);

        model.setJson(QJsonValue(42));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, 0).data().toString(), QString());
        QCOMPARE(model.index(0, 1).data().toString(), u"42"_s);
        QCOMPARE(model.index(0, 0).data(JsonTreeModel::PathRole).toString(), QString());
        QCOMPARE(model.indexForPath(QString()), model.index(0, 0));
        QVERIFY(!model.hasChildren(model.index(0, 0)));

        model.setJson(QJsonValue(u"hi \"you\""_s));
        QCOMPARE(model.index(0, 1).data().toString(), u"\"hi \\\"you\\\"\""_s);
        model.setJson(QJsonValue(QJsonValue::Null));
        QCOMPARE(model.index(0, 1).data().toString(), u"null"_s);
        model.setJson(QJsonValue(QJsonValue::Undefined));
        QCOMPARE(model.rowCount(), 0);

        const QJsonArray array = QJsonDocument::fromJson(R"([1,{"a":true}])").array();
        model.setJson(
            array, {{JsonChange::Kind::Removed, u"[2]"_s, QJsonValue(u"gone"_s), {}},
                    {JsonChange::Kind::Changed, u"[1].a"_s, QJsonValue(false), QJsonValue(true)}});
        QCOMPARE(texts(model, 0), (QStringList{u"[0]"_s, u"[1]"_s, u"[2]"_s}));
        QCOMPARE(texts(model, 1), (QStringList{u"1"_s, u"{1 field}"_s, u"\"gone\""_s}));
        QCOMPARE(changes(model), (QList<int>{none, none, removed}));
        const QModelIndex item = model.index(1, 0);
        QCOMPARE(texts(model, 0, JsonTreeModel::PathRole, item), QStringList{u"[1].a"_s});
        QCOMPARE(changes(model, item), QList<int>{changed});
        QCOMPARE(model.indexForPath(u"[1].a"_s), model.index(0, 0, item));
        QCOMPARE(model.changedIndexes(),
                 (QModelIndexList{model.index(2, 0), model.index(0, 0, item)}));
        QVERIFY(qvariant_cast<QFont>(item.data(Qt::FontRole)).bold());
    }

    void jsonTreeLarge()
    {
        // 10,000 keys, half of them removed: ghosts are merged in once per parent.
        QJsonObject before;
        QJsonObject after;
        for (int i = 0; i < 10000; ++i) {
            const QString key = u"k%1"_s.arg(i, 5, 10, QChar(u'0'));
            before.insert(key, i);
            if (i % 2)
                after.insert(key, i == 1 ? -1 : i);
        }
        after.insert(u"k10000"_s, 10000);
        const QVector<JsonChange> diff = JsonDiff::compare(before, after);
        QCOMPARE(diff.size(), 5002);

        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setJson(after, diff);
        QCOMPARE(model.rowCount(), 10001);
        QCOMPARE(model.index(4242, 0).data().toString(), u"k04242"_s);
        QCOMPARE(model.index(9999, 1).data().toString(), u"9999"_s);
        QCOMPARE(changes(model).mid(0, 4), (QList<int>{removed, changed, removed, none}));
        QCOMPARE(model.index(10000, 0).data(JsonTreeModel::ChangeRole).toInt(), added);
        QCOMPARE(model.changedIndexes().size(), 5002);
        QCOMPARE(model.indexForPath(u"k07000"_s), model.index(7000, 0));
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"

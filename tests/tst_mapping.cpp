// The column mapping that guesses right: MappingGuesser over foreign tables of many namings
// (the log(id, agg, seq, kind, at, body), odd names, names that hint at nothing, every
// time form, binary and JSON payloads, an empty table), the mapping's problems, the reasons;
// and the dialog driven offscreen: it starts on the events table, proposes the guesses with
// their reasons, shows sample rows, and refuses a mapping whose position repeats.

#include "columnmappingdialog.h"
#include "store/eventstore.h"
#include "store/mappingguesser.h"
#include "testsupport.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TableSample)

namespace {

// Events of five interleaved streams of 1-based versions (0-based with zeroBased), one of
// four types, a second apart from 2026-01-05T08:00:00Z.
struct Written
{
    int position;
    QString stream;
    int version;
    QString type;
    qint64 ms;
};

QVector<Written> events(int count, bool zeroBased = false)
{
    const QStringList streams = {u"order-7"_s, u"order-12"_s, u"cart-3"_s, u"user-41"_s,
                                 u"user-9"_s};
    const QStringList types = {u"Created"_s, u"Added"_s, u"Removed"_s, u"Paid"_s};
    QHash<QString, int> versions;
    QVector<Written> result;
    for (int i = 0; i < count; ++i) {
        const QString stream = streams.at((i * 7 + i / 3) % streams.size());
        const int version = versions[stream]++ + (zeroBased ? 0 : 1);
        result << Written{i + 1, stream, version, types.at((i * 5) % types.size()),
                          1767600000000LL + i * 1000};
    }
    return result;
}

TableSample table(const QString &name, const QStringList &columns,
                  const std::function<QVariantList(const Written &)> &row, int count = 60,
                  bool zeroBased = false)
{
    TableSample sample;
    sample.table = name;
    sample.columns = columns;
    for (const Written &e : events(count, zeroBased))
        sample.rows << row(e);
    return sample;
}

QString json(const Written &e)
{
    return u"{\"n\": %1, \"note\": \"x\"}"_s.arg(e.position);
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

// role=column pairs of the guesses, in the roles' order.
QString described(const QMap<QString, RoleGuess> &guesses)
{
    QStringList parts;
    for (const QString &role : MappingGuesser::roles()) {
        if (guesses.contains(role))
            parts << role + u'=' + guesses.value(role).column;
    }
    return parts.join(u',');
}

} // namespace

class TestMapping : public QObject
{
    Q_OBJECT

private slots:
    void guessesFromNamesAndContents_data()
    {
        QTest::addColumn<TableSample>("sample");
        QTest::addColumn<QString>("expected");

        QTest::newRow("the issue's log")
            << table(u"log"_s, {u"id"_s, u"agg"_s, u"seq"_s, u"kind"_s, u"at"_s, u"body"_s},
                     [](const Written &e) {
                         return QVariantList{qint64(e.position), e.stream,
                                             qint64(e.version),  e.type,
                                             iso(e.ms),          json(e)};
                     })
            << u"position=id,stream=agg,version=seq,type=kind,time=at,data=body"_s;

        QTest::newRow("names that hint at nothing")
            << table(u"t"_s, {u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s, u"f"_s},
                     [](const Written &e) {
                         return QVariantList{qint64(e.position), e.stream,
                                             qint64(e.version),  e.type,
                                             iso(e.ms),          json(e)};
                     })
            << u"position=a,stream=b,version=c,type=d,time=e,data=f"_s;

        QTest::newRow("shuffled columns, epoch milliseconds, metadata")
            << table(u"journal"_s,
                     {u"meta"_s, u"ms"_s, u"what"_s, u"payload"_s, u"n"_s, u"rev"_s, u"who"_s},
                     [](const Written &e) {
                         return QVariantList{
                             u"{\"by\": \"me\"}"_s, e.ms,    e.type, json(e), qint64(e.position),
                             qint64(e.version),     e.stream};
                     })
            << u"position=n,stream=who,version=rev,type=what,time=ms,data=payload,"
               "metadata=meta"_s;

        QTest::newRow("zero-based versions, SQL time text, binary data")
            << table(
                   u"Evts"_s,
                   {u"Nr"_s, u"Subject"_s, u"Counter"_s, u"Event"_s, u"When"_s, u"Blob"_s},
                   [](const Written &e) {
                       return QVariantList{qint64(e.position * 10),
                                           e.stream,
                                           qint64(e.version),
                                           e.type,
                                           QDateTime::fromMSecsSinceEpoch(e.ms, Qt::UTC)
                                               .toString(u"yyyy-MM-dd HH:mm:ss"_s),
                                           QByteArray("\x78\x9c\x01\x02\xff", 5)};
                   },
                   60, true)
            << u"position=Nr,stream=Subject,version=Counter,type=Event,time=When,"
               "data=Blob"_s;

        QTest::newRow("epoch seconds as REAL, ISO with offsets")
            << table(u"x"_s, {u"t1"_s, u"t2"_s, u"s"_s, u"v"_s, u"k"_s, u"p"_s},
                     [](const Written &e) {
                         return QVariantList{
                             double(e.ms) / 1000.0,
                             QDateTime::fromMSecsSinceEpoch(e.ms, Qt::OffsetFromUTC, 3600)
                                 .toString(Qt::ISODate),
                             e.stream,
                             qint64(e.version),
                             e.type,
                             qint64(e.position)};
                     })
            << u"position=p,stream=s,version=v,type=k,time=t1"_s;

        QTest::newRow(".NET ticks, integer streams")
            << table(
                   u"ticks"_s,
                   {u"Id"_s, u"AggregateId"_s, u"Version"_s, u"EventType"_s, u"Ticks"_s, u"Json"_s},
                   [](const Written &e) {
                       return QVariantList{qint64(e.position),
                                           qint64(qHash(e.stream) % 1000),
                                           qint64(e.version),
                                           e.type,
                                           qint64(TimeCodec::toDotNetTicks(e.ms)),
                                           json(e)};
                   })
            << u"position=Id,stream=AggregateId,version=Version,type=EventType,time=Ticks,"
               "data=Json"_s;

        QTest::newRow("no version, no time")
            << table(u"feed"_s, {u"rowno"_s, u"channel"_s, u"label"_s, u"doc"_s},
                     [](const Written &e) {
                         return QVariantList{qint64(e.position), e.stream, e.type, json(e)};
                     })
            << u"position=rowno,stream=channel,type=label,data=doc"_s;

        QTest::newRow("a misleading name: 'id' is the stream")
            << table(
                   u"misleading"_s, {u"id"_s, u"position"_s, u"version"_s, u"type"_s},
                   [](const Written &e) {
                       return QVariantList{e.stream, qint64(e.position), qint64(e.version), e.type};
                   })
            << u"position=position,stream=id,version=version,type=type"_s;

        QTest::newRow("positions with gaps, not in table order")
            << table(u"gaps"_s, {u"g"_s, u"stream_key"_s, u"ver"_s, u"category"_s, u"created_at"_s},
                     [](const Written &e) {
                         return QVariantList{qint64((e.position * 7919) % 100003), e.stream,
                                             qint64(e.version), e.type, iso(e.ms)};
                     })
            << u"position=g,stream=stream_key,version=ver,type=category,time=created_at"_s;

        QTest::newRow("NULLs here and there")
            << table(u"sparse"_s, {u"pk"_s, u"stream"_s, u"num"_s, u"type"_s, u"ts"_s, u"data"_s},
                     [](const Written &e) {
                         return QVariantList{qint64(e.position),
                                             e.stream,
                                             qint64(e.version),
                                             e.position % 4 ? QVariant(e.type) : QVariant(),
                                             e.position % 5 ? QVariant(iso(e.ms)) : QVariant(),
                                             e.position % 6 ? QVariant(json(e)) : QVariant()};
                     })
            << u"position=pk,stream=stream,version=num,type=type,time=ts,data=data"_s;

        QTest::newRow("an empty table: names alone")
            << table(
                   u"empty"_s,
                   {u"global_position"_s, u"stream_id"_s, u"stream_version"_s, u"type"_s,
                    u"recorded_at"_s, u"data"_s, u"metadata"_s},
                   [](const Written &) { return QVariantList(); }, 0)
            << u"position=global_position,stream=stream_id,version=stream_version,type=type,"
               "time=recorded_at,data=data,metadata=metadata"_s;
    }

    void guessesFromNamesAndContents()
    {
        QFETCH(TableSample, sample);
        QFETCH(QString, expected);
        const auto guesses = MappingGuesser::guess(sample);
        QCOMPARE(described(guesses), expected);
        for (const RoleGuess &guess : guesses)
            QVERIFY2(!guess.reason.isEmpty(), qPrintable(guess.column));
    }

    void reasonsSayWhy()
    {
        const TableSample log =
            table(u"log"_s, {u"id"_s, u"agg"_s, u"seq"_s, u"kind"_s, u"at"_s, u"body"_s},
                  [](const Written &e) {
                      return QVariantList{qint64(e.position), e.stream, qint64(e.version), e.type,
                                          iso(e.ms),          json(e)};
                  });
        const auto guesses = MappingGuesser::guess(log);
        QCOMPARE(guesses.value(u"position"_s).reason, u"unique integers, rising in table order"_s);
        QCOMPARE(guesses.value(u"stream"_s).reason,
                 u"5 values repeating in 60 rows, seq counting up within each"_s);
        QCOMPARE(guesses.value(u"version"_s).reason, u"counts 1, 2, 3… within each agg"_s);
        QCOMPARE(guesses.value(u"type"_s).reason, u"4 distinct values in 60 rows"_s);
        QCOMPARE(guesses.value(u"time"_s).reason, u"every value is a time (ISO text)"_s);
        QCOMPARE(guesses.value(u"data"_s).reason, u"JSON values"_s);
        QCOMPARE(MappingGuesser::spec(u"log"_s, guesses),
                 u"table=log,position=id,stream=agg,version=seq,type=kind,time=at,data=body"_s);
    }

    void problemsOfAChosenMapping()
    {
        const TableSample log =
            table(u"log"_s, {u"id"_s, u"agg"_s, u"seq"_s, u"kind"_s}, [](const Written &e) {
                return QVariantList{qint64(e.position), e.stream, qint64(e.version), e.type};
            });
        QVERIFY(
            MappingGuesser::problem(
                log, {{u"position"_s, u"id"_s}, {u"stream"_s, u"agg"_s}, {u"version"_s, u"seq"_s}})
                .isEmpty());
        QCOMPARE(MappingGuesser::problem(log, {{u"position"_s, u"seq"_s}}),
                 u"The position seq repeats values (12 distinct in 60 rows): a position must "
                 "name one event."_s);
        QCOMPARE(MappingGuesser::problem(log, {{u"position"_s, u"kind"_s}}),
                 u"The position kind holds values that are not whole numbers, so it cannot put "
                 "events in order."_s);
        QVERIFY(MappingGuesser::problem(log, {{u"stream"_s, u"kind"_s}, {u"version"_s, u"seq"_s}})
                    .startsWith(u"The version seq repeats"_s));
    }

    // The dialog over a real store: the mapped store's table with an unrelated one before it.
    void dialogProposesShowsAndChecks()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"mapped.db"_s);
        QVERIFY(TestSupport::createMappedStore(path, u"iso"_s));
        QVERIFY(TestSupport::execSql(
            path, {u"CREATE TABLE aaa (note TEXT)"_s, u"INSERT INTO aaa VALUES ('hello')"_s}));
        StoreError error;
        const auto samples = EventStore::tableSamples(StoreLocation::parse(path), &error);
        QVERIFY2(samples, qPrintable(error.message));
        ColumnMappingDialog dialog(u"mapped.db"_s, u"no table looks like events"_s, *samples);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.tableBox()->currentText(), u"events_v2"_s);
        QCOMPARE(dialog.spec(), u"table=events_v2,position=id,stream=aggregate_id,version=seq,"
                                "type=kind,time=created,data=body"_s);
        QCOMPARE(dialog.reasonLabel(u"version"_s)->text(),
                 u"counts 1, 2, 3… within each aggregate_id"_s);
        QVERIFY(dialog.reasonLabel(u"metadata"_s)->text().isEmpty());
        // A few rows of the table, each column's values shown.
        QTableWidget *rows = dialog.sampleView();
        QCOMPARE(rows->rowCount(), ColumnMappingDialog::ShownRows);
        QCOMPARE(rows->columnCount(), 6);
        QCOMPARE(rows->horizontalHeaderItem(1)->text(), u"aggregate_id"_s);
        QVERIFY(!rows->item(0, 1)->text().isEmpty());
        QVERIFY(rows->item(0, 5)->text().startsWith(u'{'));
        auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(ok->isEnabled());

        // A position that repeats is refused before opening, and its reason goes.
        QComboBox *position = dialog.roleBox(u"position"_s);
        position->setCurrentIndex(position->findData(u"seq"_s));
        QVERIFY(!ok->isEnabled());
        QVERIFY2(dialog.hint().startsWith(u"The position seq repeats values"_s),
                 qPrintable(dialog.hint()));
        QVERIFY(dialog.reasonLabel(u"position"_s)->text().isEmpty());
        position->setCurrentIndex(position->findData(u"id"_s));
        QVERIFY(ok->isEnabled());

        // Another table: its own columns and rows, no guesses where nothing fits.
        dialog.tableBox()->setCurrentText(u"aaa"_s);
        QCOMPARE(rows->columnCount(), 1);
        QCOMPARE(rows->item(0, 0)->text(), u"hello"_s);
        QCOMPARE(dialog.spec(), u"table=aaa"_s);
        QVERIFY(!ok->isEnabled());
    }

    // A stream the guesser reads from two columns is proposed as the pair, and opens.
    void dialogProposesACompositeStream()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"shared.db"_s);
        QStringList sql{u"CREATE TABLE shared_log (n INTEGER PRIMARY KEY, store TEXT, agg TEXT, "
                        "rev INTEGER, payload TEXT)"_s};
        // Each store has the aggregates id-0 and id-1; neither column alone is counted within.
        for (int i = 1; i <= 12; ++i)
            sql << u"INSERT INTO shared_log VALUES (%1, '%2', 'id-%3', %4, '{}')"_s.arg(i)
                       .arg(i % 2 ? u"POSTS"_s : u"USERS"_s)
                       .arg((i - 1) % 4 / 2)
                       .arg((i - 1) / 4 + 1);
        QVERIFY(TestSupport::execSql(path, sql));
        StoreError error;
        const auto samples = EventStore::tableSamples(StoreLocation::parse(path), &error);
        QVERIFY2(samples, qPrintable(error.message));
        ColumnMappingDialog dialog(u"shared.db"_s, u"no table looks like events"_s, *samples);
        QCOMPARE(dialog.roleBox(u"stream"_s)->currentText(), u"store + agg"_s);
        QCOMPARE(dialog.spec(),
                 u"table=shared_log,position=n,stream=store+agg,version=rev,data=payload"_s);
        QVERIFY(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    }
};

QTEST_MAIN(TestMapping)
#include "tst_mapping.moc"

#include "testsupport.h"
#include "writers/demogenerator.h"

#include <QCryptographicHash>
#include <QDir>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;

namespace {

const QString AllColumns = u"SELECT global_position, stream_id, stream_version, event_id, type, "
                           "recorded_at, data, metadata FROM events ORDER BY global_position"_s;

DemoGenerator::Options sized(qint64 events)
{
    DemoGenerator::Options options;
    options.events = events;
    return options;
}

bool isJsonObject(const QVariant &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toString().toUtf8(), &error);
    return error.error == QJsonParseError::NoError && document.isObject();
}

} // namespace

class TestDemo : public QObject
{
    Q_OBJECT

private slots:
    void eventCount_data();
    void eventCount();
    void wellFormed_data();
    void wellFormed();
    void deterministic();
    void sameStoreAsBefore();
    void hasTrafficSpike();
    void hasVeryActiveUsers();
    void createsAllUsersMostlyEarly();
    void reportsProgress();
    void refusesExistingFile();
    void cancelLeavesNothing_data();
    void cancelLeavesNothing();
    void rejectsBadOptions();

private:
    QString generate(const QTemporaryDir &dir, const DemoGenerator::Options &options,
                     const QString &name = u"demo.sqlite"_s);
};

QString TestDemo::generate(const QTemporaryDir &dir, const DemoGenerator::Options &options,
                           const QString &name)
{
    const QString path = dir.filePath(name);
    QString error;
    if (!DemoGenerator::generate(path, options, &error))
        qWarning().noquote() << u"generation failed:"_s << error;
    return path;
}

void TestDemo::eventCount_data()
{
    QTest::addColumn<qint64>("events");
    QTest::newRow("none") << qint64(0);
    QTest::newRow("one") << qint64(1);
    QTest::newRow("two") << qint64(2);
    QTest::newRow("fifty") << qint64(50);
    QTest::newRow("thousand") << qint64(1000);
    QTest::newRow("twenty thousand") << qint64(20000);
}

void TestDemo::eventCount()
{
    QFETCH(qint64, events);
    QTemporaryDir dir;
    const QString path = generate(dir, sized(events));
    const auto rows = TestSupport::queryRows(path, u"SELECT count(*), min(global_position), "
                                                   "max(global_position) FROM events"_s);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0][0].toLongLong(), events);
    QCOMPARE(rows[0][1].toLongLong(), std::min<qint64>(events, 1));
    QCOMPARE(rows[0][2].toLongLong(), events);
    // Nothing but the store is left in the folder: no temporary file.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"demo.sqlite"_s});
}

void TestDemo::wellFormed_data()
{
    eventCount_data();
}

// Per stream: versions 1, 2, 3, ... and the right first event; globally: positions 1..N,
// times never going back and inside the period; every payload is a JSON object.
void TestDemo::wellFormed()
{
    QFETCH(qint64, events);
    QTemporaryDir dir;
    const DemoGenerator::Options options = sized(events);
    const auto rows = TestSupport::queryRows(generate(dir, options), AllColumns);
    QCOMPARE(rows.size(), events);

    const QString first = options.start.toString(Qt::ISODateWithMs);
    const QString end = options.start.addDays(options.days).toString(Qt::ISODateWithMs);
    QHash<QString, qint64> versions;
    QString previousTime;
    for (qint64 i = 0; i < rows.size(); ++i) {
        const QVariantList &row = rows.at(i);
        QCOMPARE(row[0].toLongLong(), i + 1);
        const QString stream = row[1].toString();
        const qint64 version = ++versions[stream];
        QCOMPARE(row[2].toLongLong(), version);
        if (version == 1) {
            QCOMPARE(row[4].toString(),
                     stream.startsWith(u"user-"_s) ? u"UserCreated"_s : u"PostPublished"_s);
        }
        const QString time = row[5].toString();
        QVERIFY2(time >= previousTime, qPrintable(time));
        QVERIFY2(time >= first && time < end, qPrintable(time));
        previousTime = time;
        QVERIFY2(isJsonObject(row[6]), qPrintable(row[6].toString()));
        QVERIFY2(isJsonObject(row[7]), qPrintable(row[7].toString()));
        QCOMPARE(QUuid::fromString(row[3].toString()).version(), QUuid::Random);
    }
}

void TestDemo::deterministic()
{
    QTemporaryDir dir;
    DemoGenerator::Options options = sized(3000);
    options.seed = 7;
    const auto once = TestSupport::queryRows(generate(dir, options, u"a.sqlite"_s), AllColumns);
    const auto again = TestSupport::queryRows(generate(dir, options, u"b.sqlite"_s), AllColumns);
    options.seed = 8;
    const auto other = TestSupport::queryRows(generate(dir, options, u"c.sqlite"_s), AllColumns);
    QCOMPARE(once.size(), 3000);
    QCOMPARE(once, again);
    QCOMPARE(other.size(), 3000);
    QVERIFY(once != other);
}

// The default store, byte for byte, as DemoGenerator wrote it before the writer moved from
// QSqlQuery to the sqlite3 C API and the generator to byte buffers: every column's text and
// storage class goes into the digest, so any change to the events, their order or their
// payload bytes shows here. A deliberate change of the demo updates the digest.
void TestDemo::sameStoreAsBefore()
{
    QTemporaryDir dir;
    const auto rows = TestSupport::queryRows(
        generate(dir, DemoGenerator::Options()),
        u"SELECT global_position, stream_id, stream_version, event_id, type, recorded_at, data, "
        "metadata, typeof(stream_id) || typeof(event_id) || typeof(type) || "
        "typeof(recorded_at) || typeof(data) || typeof(metadata) "
        "FROM events ORDER BY global_position"_s);
    QCOMPARE(rows.size(), 20000);
    QCryptographicHash digest(QCryptographicHash::Sha256);
    for (const QVariantList &row : rows) {
        for (const QVariant &value : row) {
            digest.addData(value.toString().toUtf8());
            digest.addData(QByteArrayView("\x1f"));
        }
        digest.addData(QByteArrayView("\x1e"));
    }
    QCOMPARE(digest.result().toHex(),
             QByteArrayLiteral("10b1d2c76660eb347a5c80265baddef2cdbbbd63d7086c7e42254b18dab30016"));
}

// The busiest hour is the viral post's: several times a normal hour, most clicks on one post.
void TestDemo::hasTrafficSpike()
{
    QTemporaryDir dir;
    const QString path = generate(dir, DemoGenerator::Options());
    const auto hours = TestSupport::queryRows(
        path, u"SELECT substr(recorded_at, 1, 13) AS hour, count(*) AS n FROM events "
              "GROUP BY hour ORDER BY n"_s);
    QVERIFY(hours.size() > 24 * 20);
    const qint64 median = hours.at(hours.size() / 2)[1].toLongLong();
    const QVariantList busiest = hours.constLast();
    QVERIFY2(busiest[1].toLongLong() >= 5 * median,
             qPrintable(u"busiest %1, median %2"_s.arg(busiest[1].toString()).arg(median)));

    const auto clicks =
        TestSupport::queryRows(path, u"SELECT data FROM events WHERE type = 'Clicked' "
                                     "AND substr(recorded_at, 1, 13) = '"_s +
                                         busiest[0].toString() + u"'"_s);
    QHash<QString, int> perPost;
    for (const QVariantList &click : clicks) {
        const QJsonObject data = QJsonDocument::fromJson(click[0].toString().toUtf8()).object();
        ++perPost[data.value("postId"_L1).toString()];
    }
    const int top = *std::max_element(perPost.cbegin(), perPost.cend());
    QVERIFY2(top * 2 > clicks.size(), qPrintable(u"%1 of %2"_s.arg(top).arg(clicks.size())));
}

void TestDemo::hasVeryActiveUsers()
{
    QTemporaryDir dir;
    const auto largest = TestSupport::queryRows(generate(dir, DemoGenerator::Options()),
                                                u"SELECT stream_id, count(*) AS n FROM events "
                                                "GROUP BY stream_id ORDER BY n DESC LIMIT 1"_s);
    QCOMPARE(largest.size(), 1);
    QVERIFY2(largest[0][1].toLongLong() >= 1000, qPrintable(largest[0][1].toString()));
}

void TestDemo::createsAllUsersMostlyEarly()
{
    QTemporaryDir dir;
    const DemoGenerator::Options options;
    const auto created = TestSupport::queryRows(
        generate(dir, options), u"SELECT recorded_at FROM events WHERE type = 'UserCreated' "
                                "ORDER BY global_position"_s);
    QCOMPARE(created.size(), options.users);
    const QString firstThird = options.start.addDays(options.days / 3).toString(Qt::ISODateWithMs);
    QVERIFY(created.at(created.size() / 2)[0].toString() < firstThird);
}

void TestDemo::reportsProgress()
{
    QTemporaryDir dir;
    QVector<QPair<qint64, qint64>> reports;
    JobControl job;
    job.progress = [&reports](qint64 done, qint64 total) {
        reports.append({done, total});
    };
    QString error;
    QVERIFY2(DemoGenerator::generate(dir.filePath(u"demo.sqlite"_s), sized(25000), &error, job),
             qPrintable(error));
    QVERIFY(reports.size() >= 3);
    QCOMPARE(reports.constLast(), qMakePair(qint64(25000), qint64(25000)));
    for (qsizetype i = 1; i < reports.size(); ++i)
        QVERIFY(reports.at(i).first >= reports.at(i - 1).first);
}

void TestDemo::refusesExistingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"taken.sqlite"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArrayLiteral("precious"));
    file.close();

    QString error;
    QVERIFY(!DemoGenerator::generate(path, sized(10), &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArrayLiteral("precious"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"taken.sqlite"_s});
}

void TestDemo::cancelLeavesNothing_data()
{
    QTest::addColumn<bool>("fromStart");
    QTest::newRow("before starting") << true;
    QTest::newRow("while writing") << false;
}

void TestDemo::cancelLeavesNothing()
{
    QFETCH(bool, fromStart);
    QTemporaryDir dir;
    std::atomic_bool cancel(fromStart);
    JobControl job;
    job.cancel = &cancel;
    job.progress = [&cancel](qint64 done, qint64) {
        if (done >= 10000)
            cancel = true;
    };
    QString error;
    QVERIFY(!DemoGenerator::generate(dir.filePath(u"demo.sqlite"_s), sized(50000), &error, job));
    QCOMPARE(error, u"cancelled"_s);
    QVERIFY(QDir(dir.path()).isEmpty());
}

void TestDemo::rejectsBadOptions()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"demo.sqlite"_s);
    QString error;
    DemoGenerator::Options options = sized(-1);
    QVERIFY(!DemoGenerator::generate(path, options, &error));
    QVERIFY(!error.isEmpty());
    options = sized(10);
    options.days = 0;
    QVERIFY(!DemoGenerator::generate(path, options, &error));
    options = sized(10);
    options.users = 0;
    QVERIFY(!DemoGenerator::generate(path, options, &error));
    QVERIFY(QDir(dir.path()).isEmpty());
}

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"

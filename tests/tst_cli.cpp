// eventscope-cli end to end: runs the binary, parses its JSON, checks exit codes and messages.

#include "decoding/timecodec.h"
#include "layoutfixtures.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

using TestSupport::runCli;

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_small;

    // A library's store written from its fixture, with more statements after it if given.
    QString fixtureStore(const QString &name, const QString &file, const QStringList &more = {})
    {
        for (const LayoutFixture &f : LayoutFixtures::all(SqlDialect::Sqlite)) {
            const QString path = m_dir.filePath(file);
            if (f.name == name && TestSupport::execSql(path, f.sql + more))
                return path;
        }
        return {};
    }

private slots:
    // No error eventscope-cli prints holds a URL's password: a URL that does not parse, a
    // port out of range, a host that does not resolve, nothing listening.
    void errorsHideThePassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("port out of range") << u"postgresql://u:S3cr3t@127.0.0.1:99999/db"_s;
        QTest::newRow("unclosed IPv6 host") << u"postgresql://u:S3cr3t@[::1/db"_s;
        QTest::newRow("bad escape") << u"postgresql://u:S3cr3t%zz@127.0.0.1/db"_s;
        QTest::newRow("bad host") << u"postgresql://u:S3cr3t@no-such-host.invalid/db"_s;
        QTest::newRow("nothing listening") << u"postgresql://u:S3cr3t@127.0.0.1:1/db"_s;
    }

    void errorsHideThePassword()
    {
        QFETCH(QString, url);
        const TestSupport::CliRun run = runCli({u"info"_s, url});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.err.count(u'\n'), 1);
        QVERIFY2(!run.err.contains(u"S3cr3t"_s), qPrintable(run.err));
        QVERIFY(run.out.isEmpty());
    }

    void initTestCase()
    {
        QVERIFY(QFile::exists(TestSupport::cliPath()));
        QVERIFY(m_dir.isValid());
        m_small = m_dir.filePath(u"small.db"_s);
        QVERIFY(TestSupport::createSmallStore(m_small));
    }

    void helpAndVersion()
    {
        const TestSupport::CliRun version = runCli({u"--version"_s});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out, QByteArray("eventscope-cli " EVENTSCOPE_VERSION "\n"));

        const TestSupport::CliRun help = runCli({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        for (const char *command :
             {"info", "streams", "events", "replay", "snapshots", "stats", "demo", "import"})
            QVERIFY2(help.out.contains(QByteArray(QByteArray("  ") + command)), command);

        const TestSupport::CliRun importHelp = runCli({u"import"_s, u"--help"_s});
        QCOMPARE(importHelp.exitCode, 0);
        QVERIFY(importHelp.out.contains("Usage: eventscope-cli import [options] INPUT OUT\n"));
        QVERIFY(importHelp.out.contains("KurrentDB Atom pages or CSV"));
        QVERIFY(importHelp.out.contains("--format <F>"));

        const TestSupport::CliRun commandHelp = runCli({u"events"_s, u"--help"_s});
        QCOMPARE(commandHelp.exitCode, 0);
        QVERIFY(commandHelp.out.contains("Usage: eventscope-cli events [options] STORE\n"));
        QVERIFY(commandHelp.out.contains("--from-time <ISO>"));
        QVERIFY(commandHelp.out.contains("--map <SPEC>"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("nothing") << QStringList() << QString();
        QTest::newRow("unknown command")
            << QStringList{u"frobnicate"_s} << u"unknown command 'frobnicate'"_s;
        QTest::newRow("unknown option")
            << QStringList{u"info"_s, u"x.db"_s, u"--colour"_s} << u"Unknown option 'colour'"_s;
        QTest::newRow("missing store")
            << QStringList{u"info"_s} << u"usage: eventscope-cli info STORE"_s;
        QTest::newRow("two stores") << QStringList{u"info"_s, u"a"_s, u"b"_s} << u"usage:"_s;
        QTest::newRow("bad limit") << QStringList{u"events"_s, u"x.db"_s, u"--limit"_s, u"many"_s}
                                   << u"--limit needs a whole number of at least 0, not 'many'"_s;
        QTest::newRow("bad time") << QStringList{u"events"_s, u"x.db"_s, u"--from-time"_s,
                                                 u"noon"_s}
                                  << u"--from-time needs an ISO-8601 time"_s;
        QTest::newRow("replay without stream")
            << QStringList{u"replay"_s, u"x.db"_s} << u"replay needs --stream NAME"_s;
        QTest::newRow("snapshots without stream")
            << QStringList{u"snapshots"_s, u"x.db"_s} << u"snapshots needs --stream NAME"_s;
        QTest::newRow("at and time")
            << QStringList{u"replay"_s, u"x.db"_s, u"--stream"_s, u"s"_s,
                           u"--at"_s,   u"1"_s,    u"--time"_s,   u"2026-01-01"_s}
            << u"give --at or --time, not both"_s;
        QTest::newRow("bad order") << QStringList{u"streams"_s, u"x.db"_s, u"--order"_s, u"size"_s}
                                   << u"--order is name or events, not 'size'"_s;
        QTest::newRow("bad bucket")
            << QStringList{u"stats"_s, u"x.db"_s, u"--bucket"_s, u"fortnight"_s}
            << u"--bucket is minute, hour, day or week, not 'fortnight'"_s;
        QTest::newRow("map on demo") << QStringList{u"demo"_s, u"x.db"_s, u"--map"_s, u"stream=s"_s}
                                     << u"--map does not apply"_s;
        QTest::newRow("bad import map")
            << QStringList{u"import"_s, u"in.jsonl"_s, u"out.db"_s, u"--map"_s, u"colour=red"_s}
            << u"unknown key 'colour'"_s;
        QTest::newRow("bad import format")
            << QStringList{u"import"_s, u"in.jsonl"_s, u"out.db"_s, u"--format"_s, u"xml"_s}
            << u"--format is jsonl, atom or csv, not 'xml'"_s;
        QTest::newRow("bad demo size") << QStringList{u"demo"_s, u"x.db"_s, u"--events"_s, u"0"_s}
                                       << u"--events needs a whole number of at least 1"_s;
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const TestSupport::CliRun run = runCli(args);
        QCOMPARE(run.exitCode, 2);
        if (!message.isEmpty()) {
            QVERIFY2(run.err.startsWith(u"eventscope-cli: "_s), qPrintable(run.err));
            QVERIFY2(run.err.contains(message), qPrintable(run.err));
        }
    }

    void storeErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString missing = m_dir.filePath(u"missing.db"_s);
        QTest::newRow("missing file")
            << QStringList{u"info"_s, missing} << missing + u": no such file"_s;
        QTest::newRow("postgres") << QStringList{u"streams"_s,
                                                 u"postgresql://u:pw@127.0.0.1:1/db"_s}
                                  << u"no PostgreSQL server answers at 127.0.0.1:1"_s;
        QTest::newRow("unknown stream")
            << QStringList{u"replay"_s, m_small, u"--stream"_s, u"ghost"_s}
            << u"no stream named 'ghost'"_s;
        QTest::newRow("snapshots of an unknown stream")
            << QStringList{u"snapshots"_s, m_small, u"--stream"_s, u"ghost"_s}
            << u"no stream named 'ghost'"_s;
        QTest::newRow("version too far")
            << QStringList{u"replay"_s, m_small, u"--stream"_s, u"user-2"_s, u"--at"_s, u"9"_s}
            << u"ends at version 3"_s;
        QTest::newRow("bad mapping")
            << QStringList{u"info"_s, m_small, u"--map"_s, u"table=nope,stream=x"_s}
            << u"no table or view named 'nope'"_s;
        QTest::newRow("missing projection")
            << QStringList{u"replay"_s, m_small,           u"--stream"_s,
                           u"user-1"_s, u"--projection"_s, m_dir.filePath(u"nope.json"_s)}
            << u"nope.json"_s;
    }

    void storeErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const TestSupport::CliRun run = runCli(args);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.startsWith(u"eventscope-cli: "_s), qPrintable(run.err));
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QCOMPARE(run.err.count(u'\n'), 1);
        QVERIFY(!run.err.contains(u"pw"_s));
    }

    void info()
    {
        const TestSupport::CliRun run = runCli({u"info"_s, m_small});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.startsWith(R"({"layout":"eventscope","layout_title":"Eventscope",)"
                                   R"("table":"events","tables":[{"layout":"eventscope",)"
                                   R"("table":"events"}],"snapshots":false,"events":12,)"
                                   R"("streams":4,)"));
        const QJsonObject o = run.object();
        QCOMPARE(o.value(u"first_time"_s).toString(), u"2026-01-05T08:00:00.000Z"_s);
        QCOMPARE(o.value(u"last_time"_s).toString(), u"2026-01-12T03:00:01.000Z"_s);
        QCOMPARE(o.value(u"types"_s).toObject().value(u"Clicked"_s).toInt(), 5);
        QCOMPARE(o.value(u"types"_s).toObject().size(), 6);
    }

    void streams()
    {
        const TestSupport::CliRun run =
            runCli({u"streams"_s, m_small, u"--filter"_s, u"user"_s, u"--limit"_s, u"2"_s});
        QCOMPARE(run.exitCode, 0);
        const auto lines = run.objects();
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).value(u"stream"_s).toString(), u"user'; DROP TABLE events;--"_s);
        QCOMPARE(lines.at(1).value(u"stream"_s).toString(), u"user-1"_s);
        QCOMPARE(lines.at(1).value(u"events"_s).toInt(), 5);
        QCOMPARE(lines.at(1).value(u"first_version"_s).toInt(), 1);
        QCOMPARE(lines.at(1).value(u"last_version"_s).toInt(), 5);
        QCOMPARE(lines.at(1).value(u"last_time"_s).toString(), u"2026-01-12T02:00:00.000Z"_s);

        const TestSupport::CliRun busiest =
            runCli({u"streams"_s, m_small, u"--order"_s, u"events"_s, u"--limit"_s, u"3"_s});
        QCOMPARE(busiest.exitCode, 0);
        QStringList order;
        for (const QJsonObject &o : busiest.objects())
            order << o.value(u"stream"_s).toString();
        QCOMPARE(order, (QStringList{u"user-1"_s, u"user-2"_s, u"post-1"_s}));

        const TestSupport::CliRun next = runCli({u"streams"_s, m_small, u"--after"_s, u"user-1"_s});
        QCOMPARE(next.objects().size(), 1);
        QCOMPARE(next.object().value(u"stream"_s).toString(), u"user-2"_s);
    }

    // A stream may be named "": it comes first, and `--after ""` pages past it (an empty
    // --after is a key like any other, not "from the start").
    void emptyStreamNameIsAPagingKey()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"empty-name.db"_s);
        QVERIFY(TestSupport::createSmallStore(path));
        QVERIFY(
            TestSupport::execSql(path, {u"INSERT INTO events VALUES (100, '', 1, NULL, 'Noted', "
                                        "'2026-01-20T00:00:00.000Z', '{}', NULL)"_s}));
        QStringList all;
        const TestSupport::CliRun whole = runCli({u"streams"_s, path});
        QCOMPARE(whole.exitCode, 0);
        for (const QJsonObject &o : whole.objects())
            all << o.value(u"stream"_s).toString();
        QCOMPARE(all.value(0), u""_s);
        QVERIFY(all.size() > 2);
        QStringList paged;
        QStringList args{u"streams"_s, path, u"--limit"_s, u"1"_s};
        for (int i = 0; i < all.size() + 2; ++i) {
            const TestSupport::CliRun page = runCli(args);
            QCOMPARE(page.exitCode, 0);
            if (page.objects().isEmpty())
                break;
            paged << page.object().value(u"stream"_s).toString();
            args = {u"streams"_s, path, u"--limit"_s, u"1"_s, u"--after"_s, paged.constLast()};
        }
        QCOMPARE(paged, all);
    }

    void events()
    {
        const TestSupport::CliRun run =
            runCli({u"events"_s, m_small, u"--type"_s, u"Clicked"_s, u"--type"_s, u"UserUpdated"_s,
                    u"--after"_s, u"6"_s});
        QCOMPARE(run.exitCode, 0);
        const auto lines = run.objects();
        QList<int> positions;
        for (const QJsonObject &o : lines)
            positions << o.value(u"position"_s).toInt();
        QCOMPARE(positions, (QList<int>{7, 9, 10, 12}));
        QVERIFY(run.out.startsWith(
            R"({"position":7,"stream":"user-1","version":4,"type":"Clicked","time":"2026-01-11T23:59:59.999Z","data":{"postId":"post-1"},"metadata":{"source":"test"}})"));
        QCOMPARE(lines.at(1)
                     .value(u"data"_s)
                     .toObject()
                     .value(u"profile"_s)
                     .toObject()
                     .value(u"city"_s)
                     .toString(),
                 u"Paris"_s);
        QCOMPARE(lines.at(2).value(u"data"_s).toString(), u"not json"_s); // not JSON: a string

        const TestSupport::CliRun window =
            runCli({u"events"_s, m_small, u"--stream"_s, u"user-1"_s, u"--from-time"_s,
                    u"2026-01-06T00:00:00Z"_s, u"--to-time"_s, u"2026-01-12T02:00:00Z"_s});
        QCOMPARE(window.objects().size(), 2);

        const TestSupport::CliRun limited = runCli({u"events"_s, m_small, u"--limit"_s, u"3"_s});
        QCOMPARE(limited.objects().size(), 3);
        const TestSupport::CliRun none = runCli({u"events"_s, m_small, u"--limit"_s, u"0"_s});
        QCOMPARE(none.exitCode, 0);
        QVERIFY(none.out.isEmpty());
    }

    void replay()
    {
        const TestSupport::CliRun run =
            runCli({u"replay"_s, m_small, u"--stream"_s, u"user-1"_s, u"--at"_s, u"3"_s});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject o = run.object();
        QCOMPARE(o.value(u"stream"_s).toString(), u"user-1"_s);
        QCOMPARE(o.value(u"version"_s).toInt(), 3);
        QCOMPARE(o.value(u"position"_s).toInt(), 5);
        QCOMPARE(o.value(u"time"_s).toString(), u"2026-01-06T10:00:00.000Z"_s);
        QCOMPARE(o.value(u"events_applied"_s).toInt(), 3);
        QCOMPARE(o.value(u"state"_s).toObject().value(u"name"_s).toString(), u"Ada L."_s);
        QCOMPARE(o.value(u"changed"_s).toArray(), QJsonArray{u"name"_s});
        QCOMPARE(o.value(u"event_counts"_s).toObject().value(u"Clicked"_s).toInt(), 1);

        const TestSupport::CliRun byTime = runCli({u"replay"_s, m_small, u"--stream"_s, u"user-1"_s,
                                                   u"--time"_s, u"2026-01-05T09:00:00Z"_s});
        QCOMPARE(byTime.object().value(u"version"_s).toInt(), 1);

        const TestSupport::CliRun last = runCli({u"replay"_s, m_small, u"--stream"_s, u"user-2"_s});
        QCOMPARE(last.object().value(u"version"_s).toInt(), 3);
        QCOMPARE(last.object().value(u"changed"_s).toArray(), QJsonArray{u"profile"_s});

        const TestSupport::CliRun before =
            runCli({u"replay"_s, m_small, u"--stream"_s, u"user-2"_s, u"--at"_s, u"0"_s});
        QCOMPARE(before.exitCode, 0);
        QVERIFY(before.object().value(u"version"_s).isNull());
        QCOMPARE(before.object().value(u"events_applied"_s).toInt(), 0);
    }

    // `replay --at V` reads the stream up to the event after V and no further: here the rows
    // past version 6 cannot be read at all (their data is an SQL error, through a view), yet
    // --at 5 answers; --at 6 must see version 7, and the whole stream fails.
    void replayAtStopsReading()
    {
        const QString path = m_dir.filePath(u"unreadable-tail.db"_s);
        QStringList sql{
            u"CREATE TABLE raw(global_position INTEGER PRIMARY KEY, stream_id TEXT, "
            "stream_version INTEGER, type TEXT, recorded_at INTEGER, data TEXT, metadata TEXT)"_s,
            u"CREATE UNIQUE INDEX raw_stream ON raw(stream_id, stream_version)"_s,
            u"CREATE VIEW events AS SELECT global_position, stream_id, stream_version, type, "
            "recorded_at, CASE WHEN stream_version > 6 THEN json_extract('not json', '$') ELSE "
            "data END AS data, metadata FROM raw"_s};
        for (int i = 1; i <= 10; ++i)
            sql << u"INSERT INTO raw VALUES (%1, 's', %1, 'Set', %2, '{\"v\": %1}', NULL)"_s.arg(i)
                       .arg(1767225600000 + i * 1000LL);
        QVERIFY(TestSupport::execSql(path, sql));

        const TestSupport::CliRun at5 =
            runCli({u"replay"_s, path, u"--stream"_s, u"s"_s, u"--at"_s, u"5"_s});
        QCOMPARE(at5.exitCode, 0);
        QCOMPARE(at5.object().value(u"version"_s).toInt(), 5);
        QCOMPARE(at5.object().value(u"state"_s).toObject().value(u"v"_s).toInt(), 5);
        const TestSupport::CliRun at6 =
            runCli({u"replay"_s, path, u"--stream"_s, u"s"_s, u"--at"_s, u"6"_s});
        QVERIFY(at6.exitCode != 0);
        QVERIFY2(at6.err.contains(u"malformed JSON"_s), qPrintable(at6.err));
        const TestSupport::CliRun whole = runCli({u"replay"_s, path, u"--stream"_s, u"s"_s});
        QVERIFY(whole.exitCode != 0);
    }

    void replayWithProjection()
    {
        const QString file = m_dir.filePath(u"clicks.json"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"Clicked": [{"op": "increment", "path": "clicks"}]})");
        f.close();
        const TestSupport::CliRun run =
            runCli({u"replay"_s, m_small, u"--stream"_s, u"user-1"_s, u"--projection"_s, file});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.object().value(u"state"_s).toObject().value(u"clicks"_s).toInt(), 3);

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(R"({"Clicked": [{"op": "explode"}]})");
        f.close();
        const TestSupport::CliRun bad =
            runCli({u"replay"_s, m_small, u"--stream"_s, u"user-1"_s, u"--projection"_s, file});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains(u"explode"_s), qPrintable(bad.err));
    }

    void stats()
    {
        const TestSupport::CliRun run = runCli({u"stats"_s, m_small, u"--bucket"_s, u"week"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(
            run.out,
            QByteArray(
                R"({"bucket_start":"2026-01-05T00:00:00.000Z","events":7,"by_type":{"Clicked":3,"PostPublished":1,"UserCreated":2,"UserRenamed":1}})"
                "\n"
                R"({"bucket_start":"2026-01-12T00:00:00.000Z","events":5,"by_type":{"Clicked":2,"PostEdited":1,"UserCreated":1,"UserUpdated":1}})"
                "\n"));
        const TestSupport::CliRun days =
            runCli({u"stats"_s, m_small, u"--stream"_s, u"user-1"_s, u"--type"_s, u"Clicked"_s});
        QCOMPARE(days.objects().size(), 3);
    }

    void mapping()
    {
        const QString path = m_dir.filePath(u"mapped.db"_s);
        QVERIFY(TestSupport::createMappedStore(path, u"ms"_s));
        const QString spec =
            u"table=events_v2,stream=aggregate_id,version=seq,type=kind,time=created,data=body,position=id"_s;
        const TestSupport::CliRun info = runCli({u"info"_s, path, u"--map"_s, spec});
        QCOMPARE(info.exitCode, 0);
        QCOMPARE(info.object().value(u"layout"_s).toString(), u"mapped"_s);
        QCOMPARE(info.object().value(u"events"_s).toInt(), 12);
        const TestSupport::CliRun replay = runCli(
            {u"replay"_s, path, u"--map"_s, spec, u"--stream"_s, u"user-1"_s, u"--at"_s, u"3"_s});
        QCOMPARE(replay.object().value(u"position"_s).toInt(), 50);
        QCOMPARE(replay.object().value(u"state"_s).toObject().value(u"name"_s).toString(),
                 u"Ada L."_s);
        const TestSupport::CliRun unmapped = runCli({u"info"_s, path});
        QCOMPARE(unmapped.exitCode, 1);
        QVERIFY(unmapped.err.contains(u"--map"_s));
    }

    void demoAndInfo()
    {
        const QString path = m_dir.filePath(u"demo.db"_s);
        const TestSupport::CliRun demo =
            runCli({u"demo"_s, path, u"--events"_s, u"1500"_s, u"--users"_s, u"25"_s, u"--days"_s,
                    u"4"_s, u"--seed"_s, u"9"_s});
        QCOMPARE(demo.exitCode, 0);
        QCOMPARE(demo.object().value(u"events"_s).toInt(), 1500);
        const TestSupport::CliRun info = runCli({u"info"_s, path});
        QCOMPARE(info.exitCode, 0);
        QCOMPARE(info.object().value(u"events"_s).toInt(), 1500);
        QVERIFY(info.object().value(u"types"_s).toObject().contains(u"Clicked"_s));
        const TestSupport::CliRun again = runCli({u"demo"_s, path});
        QCOMPARE(again.exitCode, 1); // never overwrites
    }

    void importReportsRejectedLines()
    {
        const QString input = m_dir.filePath(u"in.jsonl"_s);
        QFile f(input);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"stream_id":"a","type":"Created","recorded_at":"2026-03-01T10:00:00Z","data":{"x":1}})"
            "\n"
            "this is not json\n"
            R"({"stream_id":"a","type":"Changed","recorded_at":"2026-03-01T11:00:00Z","data":{"x":2}})"
            "\n");
        f.close();
        const QString out = m_dir.filePath(u"imported.db"_s);
        const TestSupport::CliRun run = runCli({u"import"_s, input, out});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.object().value(u"format"_s).toString(), u"jsonl"_s);
        QCOMPARE(run.object().value(u"fields"_s).toString(), u"Eventscope"_s);
        QCOMPARE(run.object().value(u"imported"_s).toInt(), 2);
        const QJsonArray rejected = run.object().value(u"rejected"_s).toArray();
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).toObject().value(u"line"_s).toInt(), 2);
        QVERIFY(run.err.contains(input + u":2: "_s));
        const TestSupport::CliRun replay = runCli({u"replay"_s, out, u"--stream"_s, u"a"_s});
        QCOMPARE(replay.object().value(u"state"_s).toObject().value(u"x"_s).toInt(), 2);
        QCOMPARE(replay.object().value(u"version"_s).toInt(), 2);
    }

    void importWithFieldMapping()
    {
        const QString input = m_dir.filePath(u"other-names.jsonl"_s);
        QFile f(input);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            R"({"aggregate":"cart-1","kind":"ItemAdded","at":1767600000000,"seq":7,"payload":{"sku":"A"}})"
            "\n"
            R"({"aggregate":"cart-1","kind":"ItemAdded","at":"2026-01-05T08:00:01Z","payload":{"sku":"B"}})"
            "\n"
            R"({"stream_id":"cart-2","type":"Lost","recorded_at":"2026-01-05T08:00:02Z"})"
            "\n");
        f.close();
        const QString out = m_dir.filePath(u"mapped-import.db"_s);
        const TestSupport::CliRun run =
            runCli({u"import"_s, input, out, u"--map"_s,
                    u"stream=aggregate,type=kind,time=at,version=seq,data=payload"_s});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.object().value(u"imported"_s).toInt(), 2);
        const QJsonArray rejected = run.object().value(u"rejected"_s).toArray();
        QCOMPARE(rejected.size(), 1);
        QCOMPARE(rejected.at(0).toObject().value(u"reason"_s).toString(),
                 u"missing field aggregate"_s);
        const TestSupport::CliRun events = runCli({u"events"_s, out});
        const auto lines = events.objects();
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).value(u"version"_s).toInt(), 7);
        QCOMPARE(lines.at(1).value(u"version"_s).toInt(), 8);
        QCOMPARE(lines.at(0).value(u"time"_s).toString(), u"2026-01-05T08:00:00.000Z"_s);
        QCOMPARE(lines.at(1).value(u"data"_s).toObject().value(u"sku"_s).toString(), u"B"_s);
    }

    // Python eventsourcing keeps the aggregate's own fields in its snapshot, while the events
    // carry originator_id, originator_version and timestamp, which the default fold merges in.
    void snapshotsOfEventsourcing()
    {
        const QString path = fixtureStore(u"eventsourcing-python"_s, u"eventsourcing.db"_s);
        QVERIFY(!path.isEmpty());
        const QString stream = u"8f2b6c1e3d4a4b5c9e7f0a1b2c3d4e01"_s;
        const TestSupport::CliRun run = runCli({u"snapshots"_s, path, u"--stream"_s, stream});
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(
            run.out,
            QByteArray(
                R"({"stream":"8f2b6c1e3d4a4b5c9e7f0a1b2c3d4e01","version":2,"time":"2026-01-05T08:01:30.250Z","data":{"email":"ada@example.com","name":"Ada","page":"/home"}})"
                "\n"));

        const TestSupport::CliRun compared =
            runCli({u"snapshots"_s, path, u"--stream"_s, stream, u"--compare"_s});
        QCOMPARE(compared.exitCode, 0);
        QCOMPARE(
            compared.out,
            QByteArray(
                R"({"stream":"8f2b6c1e3d4a4b5c9e7f0a1b2c3d4e01","version":2,"time":"2026-01-05T08:01:30.250Z","data":{"email":"ada@example.com","name":"Ada","page":"/home"},)"
                R"("replayed":{"email":"ada@example.com","name":"Ada","originator_id":"8f2b6c1e3d4a4b5c9e7f0a1b2c3d4e01","originator_version":2,"page":"/home","timestamp":"2026-01-05T08:01:30.250000+00:00"},)"
                R"("differences":[{"path":"originator_id","replayed":"8f2b6c1e3d4a4b5c9e7f0a1b2c3d4e01"},{"path":"originator_version","replayed":2},{"path":"timestamp","replayed":"2026-01-05T08:01:30.250000+00:00"}],)"
                R"("identical":false})"
                "\n"));
        // Its second stream has no snapshot.
        const TestSupport::CliRun none =
            runCli({u"snapshots"_s, path, u"--stream"_s, u"8f2b6c1e3d4a4b5c9e7f0a1b2c3d4e02"_s,
                    u"--compare"_s});
        QCOMPARE(none.exitCode, 0);
        QVERIFY(none.out.isEmpty());
    }

    // Akka's snapshot at version 2 is the fold; one written here at version 3 is not.
    void snapshotsOfAkka()
    {
        const QByteArray wrong =
            R"({"name":"Ada","email":"ada@example.com","page":"/home","plan":"pro"})";
        const QString insert =
            u"INSERT INTO snapshot VALUES ('User|1', 3, %1, 31, 'com.example.users.User', X'%2', "
            "NULL, NULL, NULL)"_s.arg(TimeCodec::parseIso(u"2026-01-06T10:00:00Z"_s))
                .arg(QString::fromLatin1(wrong.toHex()));
        const QString path = fixtureStore(u"akka-jdbc"_s, u"akka.db"_s, {insert});
        QVERIFY(!path.isEmpty());
        const TestSupport::CliRun run =
            runCli({u"snapshots"_s, path, u"--stream"_s, u"User|1"_s, u"--compare"_s});
        QCOMPARE(run.exitCode, 0);
        const auto lines = run.objects();
        QCOMPARE(lines.size(), 2);

        const QJsonObject same = lines.at(0);
        QCOMPARE(same.value(u"version"_s).toInt(), 2);
        QCOMPARE(same.value(u"time"_s).toString(), u"2026-01-05T08:01:30.250Z"_s);
        const QJsonObject fold =
            TestSupport::jsonObject(R"({"name":"Ada","email":"ada@example.com","page":"/home"})");
        QCOMPARE(same.value(u"data"_s).toObject(), fold);
        QCOMPARE(same.value(u"replayed"_s).toObject(), fold);
        QCOMPARE(same.value(u"differences"_s).toArray(), QJsonArray());
        QCOMPARE(same.value(u"identical"_s), QJsonValue(true));

        const QJsonObject differs = lines.at(1);
        QCOMPARE(differs.value(u"version"_s).toInt(), 3);
        QCOMPARE(differs.value(u"time"_s).toString(), u"2026-01-06T10:00:00.000Z"_s);
        QCOMPARE(differs.value(u"replayed"_s).toObject().value(u"name"_s).toString(), u"Ada L."_s);
        const QJsonArray expected{QJsonObject{{u"path"_s, u"name"_s},
                                              {u"stored"_s, u"Ada"_s},
                                              {u"replayed"_s, u"Ada L."_s}},
                                  QJsonObject{{u"path"_s, u"plan"_s}, {u"stored"_s, u"pro"_s}}};
        QCOMPARE(differs.value(u"differences"_s).toArray(), expected);
        QCOMPARE(differs.value(u"identical"_s), QJsonValue(false));

        // Without --compare: the snapshots only.
        const TestSupport::CliRun listed =
            runCli({u"snapshots"_s, path, u"--stream"_s, u"User|1"_s});
        QCOMPARE(listed.objects().size(), 2);
        QCOMPARE(listed.objects().at(1).keys(),
                 (QStringList{u"data"_s, u"stream"_s, u"time"_s, u"version"_s}));
    }

    // Axon's XStream snapshots are XML: listed as text, not compared field by field.
    void snapshotsOfAxonXml()
    {
        const QString path = fixtureStore(u"axon (jpa, xml)"_s, u"axon.db"_s);
        QVERIFY(!path.isEmpty());
        const TestSupport::CliRun run =
            runCli({u"snapshots"_s, path, u"--stream"_s, u"user-1"_s, u"--compare"_s});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject o = run.object();
        QCOMPARE(run.objects().size(), 1);
        QCOMPARE(o.value(u"version"_s).toInt(), 1);
        QCOMPARE(o.value(u"data"_s).toString(), // indented, as the decoder shows XML
                 u"<com.example.users.User>\n  <name>Ada</name>\n  <email>ada@example.com</email>"
                 "\n  <page>/home</page>\n</com.example.users.User>\n"_s);
        QCOMPARE(o.value(u"replayed"_s).toObject(), QJsonObject()); // XML events fold to nothing
        QVERIFY(o.value(u"differences"_s).isNull());
        QVERIFY(o.value(u"identical"_s).isNull());
        QCOMPARE(o.value(u"note"_s).toString(),
                 u"the stored snapshot is not JSON, so it cannot be compared field by field"_s);
    }

    void noSnapshotsInTheOwnLayout()
    {
        for (const QStringList &extra : {QStringList(), QStringList{u"--compare"_s}}) {
            const TestSupport::CliRun run =
                runCli(QStringList{u"snapshots"_s, m_small, u"--stream"_s, u"user-1"_s} + extra);
            QCOMPARE(run.exitCode, 0);
            QVERIFY(run.out.isEmpty());
            QVERIFY(run.err.isEmpty());
        }
    }

    // A library's dump in each format: the format is recognised from the content (or given),
    // the field names from the first record; the report names both.
    void importFormats_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("fields");

        QTest::newRow("Message DB JSON Lines")
            << QByteArray(
                   R"({"global_position":1,"stream_name":"account-1","position":0,"type":"Opened","time":"2026-03-01 10:00:00.5","data":{"x":1}})"
                   "\n"
                   "{\"global_position\":2,\"stream_name\":\"account-1\",\"position\":1,"
                   "\"type\":\"Changed\",\"time\":\"2026-03-01 11:00:00\","
                   "\"data\":\"{\\\"x\\\":2}\"}"
                   "\n")
            << QStringList() << u"jsonl"_s << u"Message DB"_s;
        QTest::newRow("KurrentDB Atom page") << QByteArray(R"({
  "streamId": "account-1",
  "entries": [
    {"eventType": "Changed", "eventNumber": 1, "streamId": "account-1", "updated": "2026-03-01T11:00:00Z", "data": {"x": 2}},
    {"eventType": "Opened", "eventNumber": 0, "streamId": "account-1", "updated": "2026-03-01T10:00:00.5Z", "data": {"x": 1}}
  ]
})") << QStringList() << u"atom"_s << u"KurrentDB"_s;
        QTest::newRow("Marten CSV, format given")
            << QByteArray("seq_id,stream_id,version,type,timestamp,data\n"
                          "1,account-1,0,Opened,2026-03-01 10:00:00.5+00,\"{\"\"x\"\":1}\"\n"
                          "2,account-1,1,Changed,2026-03-01 12:00:00+01,\"{\"\"x\"\":2}\"\n")
            << QStringList{u"--format"_s, u"csv"_s} << u"csv"_s << u"Marten"_s;
    }

    void importFormats()
    {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, options);
        QFETCH(QString, format);
        QFETCH(QString, fields);
        const QString input = m_dir.filePath(format + u".dump"_s);
        QFile f(input);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        const QString out = m_dir.filePath(format + u"-import.db"_s);
        const TestSupport::CliRun run = runCli(QStringList{u"import"_s, input, out} + options);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.err, QString());
        const QJsonObject report = run.object();
        QCOMPARE(report.keys(),
                 (QStringList{u"fields"_s, u"format"_s, u"imported"_s, u"path"_s, u"rejected"_s}));
        QCOMPARE(report.value(u"format"_s).toString(), format);
        QCOMPARE(report.value(u"fields"_s).toString(), fields);
        QCOMPARE(report.value(u"imported"_s).toInt(), 2);
        const auto events = runCli({u"events"_s, out}).objects();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).value(u"type"_s).toString(), u"Opened"_s);
        QCOMPARE(events.at(0).value(u"version"_s).toInt(), 0);
        QCOMPARE(events.at(0).value(u"time"_s).toString(), u"2026-03-01T10:00:00.500Z"_s);
        QCOMPARE(events.at(1).value(u"time"_s).toString(), u"2026-03-01T11:00:00.000Z"_s);
        QCOMPARE(events.at(1).value(u"data"_s).toObject().value(u"x"_s).toInt(), 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

// Export and slices from a PostgreSQL store (a throwaway server, PgTestServer): the export
// imports back and exports to the same bytes; a slice holds the same events, replays to the
// same states, and its slice_source names the server without the password.

#include "pgtestserver.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

const QString Reader = u"export_reader"_s;
const QString ReaderPassword = u"s3cret-pässword"_s;
const QString Map = u"table=events_pg,stream=aggregate_id,version=seq,type=kind,time=created,"
                    "data=body,metadata=meta,position=id"_s;
const QStringList Streams = {u"cart-1"_s, u"ström-😀"_s};

using TestSupport::runCli;

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestExportPostgres : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY2(m_server.createLoginRole(Reader, ReaderPassword, &error), qPrintable(error));
        QVERIFY2(m_server.createDatabase(u"shop"_s, &error), qPrintable(error));
        // jsonb spells objects its own way ({"a": 1}); times have milliseconds; a position
        // past 2^53.
        QVERIFY2(m_server.exec(
                     u"shop"_s,
                     {u"CREATE TABLE events_pg (id bigint PRIMARY KEY, aggregate_id text NOT NULL, "
                      "seq bigint NOT NULL, kind text NOT NULL, created timestamptz, body jsonb, "
                      "meta jsonb)"_s,
                      u"INSERT INTO events_pg VALUES "
                      "(1, 'cart-1', 0, 'Opened', '2026-01-05 08:00:00.123+00', '{\"items\": [], "
                      "\"owner\": \"ü\"}', '{\"ip\": \"10.0.0.1\"}'),"
                      "(2, 'cart-2', 0, 'Opened', '2026-01-05 08:00:01+00', '{}', NULL),"
                      "(3, 'cart-1', 1, 'Added', '2026-01-05 08:00:02.5+00', "
                      "'{\"sku\": \"a,\\\"b\\\"\", \"n\": 2}', NULL),"
                      "(9007199254740993, 'ström-😀', 0, 'Odd', '1969-12-31 23:59:59.999+00', "
                      "'\"text\\nwith a line break\"', 'null'),"
                      "(9007199254740994, 'cart-1', 2, 'Paid', '2026-01-06 00:00:00+00', "
                      "'{\"total\": 12.5}', '{}')"_s},
                     &error),
                 qPrintable(error));
        QVERIFY2(m_server.grantRead(u"shop"_s, Reader, {u"public"_s}, &error), qPrintable(error));
        m_url = m_server.url(Reader, ReaderPassword, u"shop"_s);
    }

    void exportRoundTrip()
    {
        for (const QString &format : {u"jsonl"_s, u"csv"_s}) {
            const QString a = m_dir.filePath(u"pg-a."_s + format);
            const QString b = m_dir.filePath(u"pg-b."_s + format);
            const QString db = m_dir.filePath(u"pg-"_s + format + u".db"_s);
            TestSupport::CliRun run =
                runCli({u"export"_s, m_url, u"--map"_s, Map, u"--format"_s, format, u"--out"_s, a});
            QCOMPARE(run.exitCode, 0);
            QVERIFY2(run.out.contains("\"events\":5"), run.out.constData());
            run = runCli({u"import"_s, a, db});
            QCOMPARE(run.exitCode, 0);
            QVERIFY2(run.out.contains("\"imported\":5,\"rejected\":[]"), run.out.constData());
            QCOMPARE(runCli({u"export"_s, db, u"--format"_s, format, u"--out"_s, b}).exitCode, 0);
            QCOMPARE(readFile(b), readFile(a));
            // The copy lists the same events as the server.
            const TestSupport::CliRun server = runCli({u"events"_s, m_url, u"--map"_s, Map});
            QCOMPARE(server.exitCode, 0);
            QCOMPARE(runCli({u"events"_s, db}).out, server.out);
        }
    }

    void slice()
    {
        const QString out = m_dir.filePath(u"pg-slice.sqlite"_s);
        QStringList args{u"slice"_s, m_url, out, u"--map"_s, Map};
        for (const QString &s : Streams)
            args << u"--stream"_s << s;
        const TestSupport::CliRun run = runCli(args);
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(run.out).object().value(u"events"_s).toInteger(), 4);
        for (const QString &stream : Streams) {
            const TestSupport::CliRun source =
                runCli({u"replay"_s, m_url, u"--map"_s, Map, u"--stream"_s, stream});
            QCOMPARE(source.exitCode, 0);
            QCOMPARE(runCli({u"replay"_s, out, u"--stream"_s, stream}).out, source.out);
            QCOMPARE(runCli({u"events"_s, out, u"--stream"_s, stream}).out,
                     runCli({u"events"_s, m_url, u"--map"_s, Map, u"--stream"_s, stream}).out);
        }
        const auto rows =
            TestSupport::queryRows(out, u"SELECT value FROM slice_source WHERE name = 'source'"_s);
        QCOMPARE(rows.size(), 1);
        const QString source = rows.first().first().toString();
        QVERIFY2(source.contains(u"shop"_s) && source.contains(QString::number(m_server.port())),
                 qPrintable(source));
        QVERIFY2(!source.contains(ReaderPassword) && !source.contains(u"s3cret"_s),
                 qPrintable(source));
    }

private:
    QTemporaryDir m_dir;
    PgTestServer m_server;
    QString m_url;
};

QTEST_GUILESS_MAIN(TestExportPostgres)
#include "tst_exportpg.moc"

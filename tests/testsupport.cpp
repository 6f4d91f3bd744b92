#include "testsupport.h"

#include <zlib.h>

#include "decoding/payload.h"
#include "replay/eventjson.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QtDebug>
#include <QThread>
#include <QUuid>

#include <memory>

using namespace Qt::StringLiterals;

namespace TestSupport {

QStringList changePaths(const QVector<JsonChange> &changes)
{
    QStringList result;
    for (const JsonChange &c : changes)
        result << JsonDiff::kindName(c.kind) + u' ' + c.path;
    return result;
}

QByteArray gzip(const QByteArray &bytes)
{
    z_stream stream{};
    // 15 window bits + 16 asks zlib for a gzip header and trailer.
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        qFatal("gzip: deflateInit2 failed");
    QByteArray out(int(deflateBound(&stream, uLong(bytes.size()))) + 32, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.constData()));
    stream.avail_in = uInt(bytes.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    if (deflate(&stream, Z_FINISH) != Z_STREAM_END)
        qFatal("gzip: deflate did not finish");
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

bool execSql(const QString &path, const QStringList &statements, Transaction transaction)
{
    const QString name = QUuid::createUuid().toString();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open()) {
            qWarning() << "cannot create" << path << db.lastError().text();
            ok = false;
        } else {
            const bool inTransaction = transaction == Transaction::One;
            if (inTransaction)
                db.transaction();
            for (const QString &sql : statements) {
                QSqlQuery query(db);
                if (!query.exec(sql)) {
                    qWarning() << "SQL failed:" << sql << query.lastError().text();
                    ok = false;
                    break;
                }
            }
            if (inTransaction)
                ok = ok && db.commit();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

namespace {

struct Row
{
    int position;
    const char *stream;
    int version;
    const char *type;
    const char *time;
    const char *data;
};

// The stream "user'; DROP TABLE events;--" checks that names travel as parameters.
const Row smallRows[] = {
    {1, "user-1", 1, "UserCreated", "2026-01-05T08:00:00.000Z", R"({"name":"Ada","plan":"free"})"},
    {2, "post-1", 1, "PostPublished", "2026-01-05T08:30:00.000Z",
     R"({"title":"Hello","tags":["intro"]})"},
    {3, "user-1", 2, "Clicked", "2026-01-05T09:15:00.000Z", R"({"postId":"post-1"})"},
    {4, "user-2", 1, "UserCreated", "2026-01-05T09:45:10.500Z", R"({"name":"Bob","plan":"pro"})"},
    {5, "user-1", 3, "UserRenamed", "2026-01-06T10:00:00.000Z", R"({"name":"Ada L."})"},
    {6, "user-2", 2, "Clicked", "2026-01-06T10:20:00.000Z", R"({"postId":"post-1"})"},
    {7, "user-1", 4, "Clicked", "2026-01-11T23:59:59.999Z", R"({"postId":"post-1"})"},
    {8, "post-1", 2, "PostEdited", "2026-01-12T00:00:00.000Z", R"({"title":"Hello, world"})"},
    {9, "user-2", 3, "UserUpdated", "2026-01-12T01:00:00.000Z", R"({"profile":{"city":"Paris"}})"},
    {10, "user-1", 5, "Clicked", "2026-01-12T02:00:00.000Z", "not json"},
    {11, "user'; DROP TABLE events;--", 1, "UserCreated", "2026-01-12T03:00:00.000Z",
     R"({"name":"Robert'); DROP TABLE Students;--"})"},
    {12, "user'; DROP TABLE events;--", 2, "Clicked", "2026-01-12T03:00:01.000Z",
     R"({"postId":"post-1"})"},
};

QString sqlText(const char *text)
{
    return u'\'' + QString::fromUtf8(text).replace(u'\'', QStringLiteral("''")) + u'\'';
}

QString mappedTime(const char *iso, const QString &format)
{
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs);
    if (format == QStringLiteral("ms"))
        return QString::number(t.toMSecsSinceEpoch());
    if (format == QStringLiteral("s"))
        return QString::number(t.toMSecsSinceEpoch() / 1000.0, 'f', 3);
    if (format == QStringLiteral("ticks")) // .NET: 100 ns since 0001-01-01
        return QString::number(t.toMSecsSinceEpoch() * 10000 + 621355968000000000);
    if (format == QStringLiteral("sql"))
        return sqlText(
            t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")).toLatin1().constData());
    return sqlText(iso);
}

} // namespace

bool createSmallStore(const QString &path, const QString &journal)
{
    return createSmallStore(path) &&
           execSql(path, {u"PRAGMA journal_mode = "_s + journal}, Transaction::None);
}

QStringList appendLiveEvents(const QString &path, int from, int to, LiveWriter writer)
{
    constexpr qint64 SmallStoreEvents = 12;
    QRandomGenerator random(7);
    std::unique_ptr<WritingConnection> connection;
    QString script; // for the sqlite3 shell
    QStringList written;
    qint64 position = SmallStoreEvents;
    qint64 versions[3] = {0, 0, 0};
    for (int commit = 0; commit < to; ++commit) {
        QStringList rows;
        const int events = 1 + random.bounded(3);
        for (int i = 0; i < events; ++i) {
            const int stream = random.bounded(3);
            ++position;
            rows << u"(%1, 'live-%2', %3, NULL, 'Clicked', '2026-02-01T00:%4:00.000Z', "
                    "'{\"n\": %1}', NULL)"_s.arg(position)
                        .arg(stream)
                        .arg(++versions[stream])
                        .arg(commit % 60, 2, 10, QChar(u'0'));
            written << u"live-%1"_s.arg(stream);
        }
        const int pauseMs = random.bounded(2, 30);
        if (commit < from)
            continue;
        const QString insert = u"INSERT INTO events VALUES "_s + rows.join(u", "_s);
        if (writer == LiveWriter::OtherProcess) {
            script += u".open '%1'\n.timeout 10000\n%2;\n.shell sleep %3\n"_s.arg(
                path, insert, QString::number(pauseMs / 1000.0, 'f', 3));
            continue;
        }
        if (!connection)
            connection = std::make_unique<WritingConnection>(path);
        if (!connection->exec(insert))
            return {};
        if (writer == LiveWriter::ClosesEachCommit)
            connection.reset();
        QThread::msleep(pauseMs);
    }
    if (!script.isEmpty()) {
        QProcess shell;
        shell.start(u"sqlite3"_s, {u"-bail"_s});
        shell.write(script.toUtf8());
        shell.closeWriteChannel();
        if (!shell.waitForFinished(120000) || shell.exitCode() != 0) {
            qWarning() << "sqlite3 failed:" << shell.readAllStandardError();
            return {};
        }
    }
    return written;
}

const QVector<AccountRow> &accountRows()
{
    // (plain literals where a key holds a backslash: moc misreads one in a raw string)
    static const QVector<AccountRow> rows{
        {"acct-1", 1, "Opened", R"({"owner":"Ann","balance":{"cents":100},"tags":["a"]})"},
        {"acct-2", 1, "Opened", R"({"owner":"Cid","balance":{"cents":100},"tags":["a","z"]})"},
        {"acct-1", 2, "Renamed", R"({"owner":"Ann"})"},                // the same value
        {"acct-1", 3, "Deposited", R"({"balance":{"cents":250}})"},    // changed
        {"acct-1", 4, "Noted", R"({"note":"x","a.b":{"c":1}})"},       // added, odd key
        {"acct-2", 2, "Flagged", R"({"vip":true})"},                   //
        {"acct-1", 5, "Reset", R"({"balance":5})"},                    // balance.cents removed
        {"acct-1", 6, "Deposited", R"({"balance":{"cents":250}})"},    // and added again
        {"acct-1", 7, "Tagged", R"({"tags":["a","b"]})"},              // tags[1] added
        {"acct-1", 8, "Noted", R"({"note":"x"})"},                     // the same value
        {"acct-1", 9, "Withdrawn", R"({"balance":{"cents":-50}})"},    // below zero
        {"acct-1", 10, "Deposited", R"({"balance":{"cents":300}})"},   // above again
        {"acct-1", 11, "Withdrawn", R"({"balance":{"cents":-20}})"},   // below again
        {"acct-1", 12, "Junk", "not json"},                            // no change
        {"acct-1", 13, "Tagged", R"({"tags":["c"]})"},                 // tags[1] removed
        {"acct-1", 14, "Deposited", R"({"balance":{"cents":100}})"},   //
        {"acct-1", 15, "Deposited", R"({"balance":{"cents":100.0}})"}, // the same number
        {"acct-1", 16, "Closed", R"({"owner":null})"},                 // null, or unset
        {"acct-1", 17, "Reopened", R"({"owner":"Bea"})"},              //
        // Keys with a dot, and with brackets and quotes.
        {"odd-1", 1, "Opened", "{\"a.b\":{\"c\":1},\"q[\\\"x\\\"]\":\"one\"}"},
        {"odd-1", 2, "Changed", R"({"a.b":{"c":2}})"},
        {"odd-1", 3, "Changed", "{\"q[\\\"x\\\"]\":\"two\"}"},
    };
    return rows;
}

qint64 accountRowTimeMs(const AccountRow &row)
{
    const qint64 base = QDateTime(QDate(2026, 2, 1), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch();
    const QByteArray stream(row.stream);
    return base + row.version * 60000 + (stream == "acct-2" ? 1000 : stream == "odd-1" ? 2000 : 0);
}

bool createAccountStore(const QString &path)
{
    const auto text = [](const char *value) -> QString {
        return u'\'' + QString::fromUtf8(value).replace(u'\'', u"''"_s) + u'\'';
    };
    QStringList sql{
        u"CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
        "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at TEXT "
        "NOT NULL, data TEXT, metadata TEXT, UNIQUE(stream_id, stream_version))"_s};
    int position = 0;
    for (const AccountRow &r : accountRows()) {
        const QString time = QDateTime::fromMSecsSinceEpoch(accountRowTimeMs(r), Qt::UTC)
                                 .toString(Qt::ISODateWithMs);
        sql << u"INSERT INTO events VALUES (%1, %2, %3, NULL, %4, '%5', %6, '{}')"_s.arg(++position)
                   .arg(text(r.stream))
                   .arg(r.version)
                   .arg(text(r.type), time, text(r.data));
    }
    return execSql(path, sql);
}

bool createSmallStore(const QString &path)
{
    QStringList sql{QStringLiteral(
        "CREATE TABLE events(global_position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, "
        "stream_version INTEGER NOT NULL, event_id TEXT, type TEXT NOT NULL, recorded_at TEXT "
        "NOT NULL, data TEXT, metadata TEXT, UNIQUE(stream_id, stream_version))")};
    for (const Row &r : smallRows) {
        sql << QStringLiteral("INSERT INTO events VALUES (%1, %2, %3, NULL, %4, %5, %6, %7)")
                   .arg(r.position)
                   .arg(sqlText(r.stream))
                   .arg(r.version)
                   .arg(sqlText(r.type), sqlText(r.time), sqlText(r.data),
                        sqlText(R"({"source":"test"})"));
    }
    sql << QStringLiteral("CREATE INDEX events_time ON events(recorded_at)")
        << QStringLiteral("CREATE INDEX events_type ON events(type)");
    return execSql(path, sql);
}

bool createMappedStore(const QString &path, const QString &timeFormat)
{
    const bool text = timeFormat == QStringLiteral("iso") || timeFormat == QStringLiteral("sql");
    QStringList sql{QStringLiteral("CREATE TABLE events_v2(id INTEGER PRIMARY KEY, aggregate_id "
                                   "TEXT, seq INTEGER, kind TEXT, created %1, body BLOB)")
                        .arg(text ? QStringLiteral("TEXT") : QStringLiteral("NUMERIC"))};
    sql << QStringLiteral("CREATE TABLE unrelated(x)");
    for (const Row &r : smallRows) {
        sql << QStringLiteral("INSERT INTO events_v2 VALUES (%1, %2, %3, %4, %5, CAST(%6 AS BLOB))")
                   .arg(r.position * 10)
                   .arg(sqlText(r.stream))
                   .arg(r.version)
                   .arg(sqlText(r.type), mappedTime(r.time, timeFormat), sqlText(r.data));
    }
    return execSql(path, sql);
}

QVector<QVariantList> queryRows(const QString &path, const QString &sql)
{
    QVector<QVariantList> rows;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (!db.open())
            qWarning().noquote() << u"cannot open"_s << path << db.lastError().text();
        QSqlQuery query(db);
        if (db.isOpen() && !query.exec(sql))
            qWarning().noquote() << u"query failed:"_s << sql << query.lastError().text();
        while (query.next()) {
            QVariantList row;
            for (int column = 0; column < query.record().count(); ++column)
                row.append(query.value(column));
            rows.append(row);
        }
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

QJsonObject jsonObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        qFatal("test data is not a JSON object: %s", json.constData());
    return document.object();
}

QByteArray describeJson(const QJsonValue &value)
{
    if (value.isUndefined())
        return QByteArrayLiteral("undefined");
    return '[' + Payload::compact(value) + ']';
}

QString cliPath()
{
    return qEnvironmentVariable("EVENTSCOPE_CLI");
}

QList<QByteArray> CliRun::lines() const
{
    QList<QByteArray> result = out.split('\n');
    result.removeAll(QByteArray());
    return result;
}

QList<QJsonObject> CliRun::objects() const
{
    QList<QJsonObject> result;
    for (const QByteArray &line : lines()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (!doc.isObject())
            qWarning() << "not a JSON object line:" << line << error.errorString();
        result << doc.object();
    }
    return result;
}

CliRun runCli(const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(cliPath(), args);
    CliRun run;
    if (!p.waitForFinished(timeoutMs)) {
        qWarning() << "eventscope-cli did not finish" << args;
        p.kill();
        p.waitForFinished();
        run.err = u"timed out: "_s + args.join(u' ');
        return run;
    }
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = p.readAllStandardOutput();
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

WritingConnection::WritingConnection(const QString &path)
    : m_name(u"tst-writer-"_s + QString::number(quintptr(this)))
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
    db.setDatabaseName(path);
    db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=10000"_s);
    db.open();
}

WritingConnection::~WritingConnection()
{
    QSqlDatabase::database(m_name, false).close();
    QSqlDatabase::removeDatabase(m_name);
}

bool WritingConnection::exec(const QString &sql)
{
    QSqlQuery query(QSqlDatabase::database(m_name, false));
    if (query.exec(sql))
        return true;
    qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    return false;
}

sqlite3 *newestStoreConnection()
{
    QString newest;
    qint64 newestNumber = -1;
    for (const QString &name : QSqlDatabase::connectionNames()) {
        const qint64 number = name.section(u'-', -1).toLongLong();
        if (name.startsWith(u"eventscope-store-"_s) && number > newestNumber) {
            newest = name;
            newestNumber = number;
        }
    }
    const QVariant handle = QSqlDatabase::database(newest, false).driver()->handle();
    if (qstrcmp(handle.metaType().name(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

} // namespace TestSupport

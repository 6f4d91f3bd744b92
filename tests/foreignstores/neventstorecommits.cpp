#include "neventstorecommits.h"

#include "shapewriters.h"

#include "pgtestserver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QStringList>

#include <array>

using namespace Qt::StringLiterals;

namespace NEventStoreCommits {

namespace {

constexpr qint64 CommitStride = 100000;        // NEventStoreLayout's positions per commit
constexpr qint64 FirstStampMs = 1767225600000; // 2026-01-01T00:00:00Z
constexpr int BsonEvery = 97;                  // commits, of a serialiser other than JSON
constexpr int TypeNamesAllEvery = 5;           // commits written with TypeNameHandling.All
constexpr int GapOneIn = 20;                   // commits followed by purged checkpoints
constexpr int SecondBucketEvery = 7;           // streams in the bucket "tenant-b"

const std::array<const char *, 4> TypeNames = {"OrderPlaced", "ItemAdded", "OrderPaid",
                                               "OrderShipped"};
const QString Assembly = u", Shop.Orders, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null"_s;

// A BSON document {"Body": "x"}: int32 length, one element, the terminating NUL.
const QByteArray Bson = QByteArray::fromHex("1500000002426f6479000200000078000000");

QString jsonText(const QString &text)
{
    return u'"' + text + u'"'; // the generator's names need no escapes
}

// One EventMessage of the commit's List<EventMessage>.
QString message(const QString &type, const QString &stream, qint64 version, bool typeNamesAll)
{
    // A nested class for one of them: "Namespace.Outer+Inner".
    const QString cls =
        (type == u"ItemAdded"_s ? u"Shop.Orders.Events+"_s : u"Shop.Orders.Events."_s) + type;
    QString headers = u"\"UserId\":\"u-%1\""_s.arg(version % 13);
    if (typeNamesAll)
        headers.prepend(u"\"$type\":\"System.Collections.Generic.Dictionary`2[[System.String, "
                        "mscorlib],[System.Object, mscorlib]], mscorlib\","_s);
    const QString body = u"{\"$type\":%1,\"order\":%2,\"line\":%3,\"total\":%4.5}"_s.arg(
        jsonText(cls + Assembly), jsonText(stream), QString::number(version),
        QString::number(version * 7 % 1000));
    return u"{%1\"Headers\":{%2},\"Body\":%3}"_s.arg(
        typeNamesAll ? u"\"$type\":\"NEventStore.EventMessage, NEventStore\","_s : QString(),
        headers, body);
}

QString commitStream(int stream)
{
    return u"order-%1"_s.arg(stream);
}

QString commitBucket(int stream)
{
    return stream % SecondBucketEvery == SecondBucketEvery - 1 ? u"tenant-b"_s : u"default"_s;
}

// StreamId: the SHA-1 of the stream id, as NEventStore's Sha1StreamIdHasher writes it.
QByteArray streamHash(const Commit &c)
{
    return QCryptographicHash::hash(c.stream.toUtf8(), QCryptographicHash::Sha1).toHex();
}

QString sqliteStamp(qint64 ms)
{
    // System.Data.SQLite writes a UTC DateTime as ISO-8601 with a space and a 'Z'.
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd HH:mm:ss.zzz'Z'"_s);
}

} // namespace

Generator::Generator(const Options &options)
    : m_options(options), m_rng(quint32(options.seed)), m_revisions(options.streams, 0),
      m_sequences(options.streams, 0)
{
}

bool Generator::next(Commit *c)
{
    if (m_made == m_options.commits)
        return false;
    ++m_made;
    m_checkpoint += 1 + (m_rng.bounded(GapOneIn) == 0 ? qint64(m_rng.bounded(5)) : 0);
    const int s = int(m_rng.bounded(m_options.streams));
    const bool json = m_made % BsonEvery != 0;
    const bool typeNamesAll = m_made % TypeNamesAllEvery == 0;
    c->bucket = commitBucket(s);
    c->stream = commitStream(s);
    c->checkpoint = m_checkpoint;
    c->items = json ? 1 + int(m_rng.bounded(m_options.maxEventsPerCommit)) : 1;
    c->revision = (m_revisions[s] += c->items);
    c->sequence = ++m_sequences[s];
    c->stampMs = FirstStampMs + m_checkpoint * 1000 + qint64(m_rng.bounded(1000));
    c->events.clear();
    const QString shown = c->bucket == u"default"_s ? c->stream : c->bucket + u'/' + c->stream;
    QStringList messages;
    for (int i = 0; i < c->items; ++i) {
        Event e;
        e.position = c->checkpoint * CommitStride + i + 1;
        e.stream = shown;
        e.version = c->revision - c->items + 1 + i;
        e.timeMs = c->stampMs;
        if (json) {
            e.type = QString::fromLatin1(TypeNames[m_rng.bounded(int(TypeNames.size()))]);
            messages << message(e.type, c->stream, e.version, typeNamesAll);
        }
        c->events << e;
    }
    if (!json) {
        c->payload = Bson;
        return true;
    }
    const QString list = u'[' + messages.join(u',') + u']';
    c->payload =
        (typeNamesAll ? u"{\"$type\":\"System.Collections.Generic.List`1[[NEventStore."
                        "EventMessage, NEventStore]], mscorlib\",\"$values\":%1}"_s.arg(list)
                      : list)
            .toUtf8();
    // .NET's StreamWriter(stream, Encoding.UTF8) writes a byte order mark; others do not.
    if (m_made % 2 == 0)
        c->payload.prepend("\xEF\xBB\xBF");
    return true;
}

QVector<Event> events(const Options &options)
{
    QVector<Event> all;
    Generator generator(options);
    Commit c;
    while (generator.next(&c))
        all << c.events;
    return all;
}

bool writeSqlite(const QString &path, const Options &options, QString *error)
{
    if (QFile::exists(path) && !QFile::remove(path)) {
        *error = u"cannot replace %1"_s.arg(path);
        return false;
    }
    ForeignStores::SqliteWriter db(path);
    // The tables and indexes of NEventStore's SqliteDialect.
    db.exec("CREATE TABLE Commits (BucketId varchar(40) NOT NULL, StreamId char(40) NOT NULL, "
            "StreamIdOriginal text NOT NULL, StreamRevision int NOT NULL CHECK (StreamRevision > "
            "0), Items int NOT NULL CHECK (Items > 0), CommitId guid NOT NULL CHECK (CommitId != "
            "0), CommitSequence int NOT NULL CHECK (CommitSequence > 0), CheckpointNumber "
            "INTEGER PRIMARY KEY AUTOINCREMENT, CommitStamp datetime NOT NULL, Headers blob NULL, "
            "Payload blob NOT NULL)");
    db.exec("BEGIN");
    {
        ForeignStores::SqliteWriter::Insert insert(
            db, "INSERT INTO Commits (BucketId, StreamId, StreamIdOriginal, StreamRevision, "
                "Items, CommitId, CommitSequence, CheckpointNumber, CommitStamp, Headers, "
                "Payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10)");
        Generator generator(options);
        Commit c;
        while (db.ok() && generator.next(&c)) {
            const QByteArray bucket = c.bucket.toUtf8();
            const QByteArray hash = streamHash(c);
            const QByteArray stream = c.stream.toUtf8();
            const QByteArray id = QByteArray::number(c.checkpoint).rightJustified(16, '0');
            const QByteArray stamp = sqliteStamp(c.stampMs).toUtf8();
            insert.text(1, std::string_view(bucket.constData(), std::size_t(bucket.size())));
            insert.text(2, std::string_view(hash.constData(), std::size_t(hash.size())));
            insert.text(3, std::string_view(stream.constData(), std::size_t(stream.size())));
            insert.integer(4, c.revision);
            insert.integer(5, c.items);
            insert.blob(6, std::string_view(id.constData(), std::size_t(id.size())));
            insert.integer(7, c.sequence);
            insert.integer(8, c.checkpoint);
            insert.text(9, std::string_view(stamp.constData(), std::size_t(stamp.size())));
            insert.blob(10, std::string_view(c.payload.constData(), std::size_t(c.payload.size())));
            insert.step();
        }
    }
    db.exec("COMMIT");
    db.exec("CREATE UNIQUE INDEX IX_Commits_CommitSequence ON Commits (BucketId, StreamId, "
            "CommitSequence); CREATE UNIQUE INDEX IX_Commits_CommitId ON Commits (BucketId, "
            "StreamId, CommitId); CREATE UNIQUE INDEX IX_Commits_Revisions ON Commits (BucketId, "
            "StreamId, StreamRevision, Items); CREATE INDEX IX_Commits_Stamp ON Commits "
            "(CommitStamp)");
    if (!db.ok())
        *error = db.errorString();
    return db.ok();
}

std::optional<QString> writePostgres(const PgTestServer &server, const QString &database,
                                     const Options &options, QString *error)
{
    constexpr int CommitsPerInsert = 500;
    // The tables and indexes of NEventStore's PostgreSqlDialect.
    QStringList sql{
        u"CREATE TABLE Commits (BucketId varchar(40) NOT NULL, StreamId char(40) NOT NULL, "
        "StreamIdOriginal varchar(1000) NOT NULL, StreamRevision int NOT NULL CHECK "
        "(StreamRevision > 0), Items smallint NOT NULL CHECK (Items > 0), CommitId uuid NOT NULL, "
        "CommitSequence int NOT NULL CHECK (CommitSequence > 0), CheckpointNumber bigserial NOT "
        "NULL, CommitStamp timestamp NOT NULL, Headers bytea NULL, Payload bytea NOT NULL, "
        "CONSTRAINT PK_Commits PRIMARY KEY (CheckpointNumber))"_s,
        u"CREATE UNIQUE INDEX IX_Commits_CommitId ON Commits (BucketId, StreamId, CommitId)"_s,
        u"CREATE UNIQUE INDEX IX_Commits_CommitSequence ON Commits (BucketId, StreamId, "
        "CommitSequence)"_s,
        u"CREATE UNIQUE INDEX IX_Commits_Revisions ON Commits (BucketId, StreamId, "
        "StreamRevision, Items)"_s,
        u"CREATE INDEX IX_Commits_Stamp ON Commits (CommitStamp)"_s};
    QStringList rows;
    const auto flush = [&] {
        if (rows.isEmpty())
            return;
        sql << u"INSERT INTO Commits (BucketId, StreamId, StreamIdOriginal, StreamRevision, Items, "
               "CommitId, CommitSequence, CheckpointNumber, CommitStamp, Headers, Payload) VALUES "_s +
                   rows.join(u", "_s);
        rows.clear();
    };
    Generator generator(options);
    Commit c;
    while (generator.next(&c)) {
        const QString stamp = QDateTime::fromMSecsSinceEpoch(c.stampMs, Qt::UTC)
                                  .toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s);
        rows << u"('%1', '%2', '%3', %4, %5, '5a1c0000-0000-4000-8000-%6', %7, %8, '%9', NULL, "
                "decode('%10', 'hex'))"_s
                    .arg(c.bucket, QString::fromLatin1(streamHash(c)), c.stream)
                    .arg(c.revision)
                    .arg(c.items)
                    .arg(c.checkpoint, 12, 10, QChar(u'0'))
                    .arg(c.sequence)
                    .arg(c.checkpoint)
                    .arg(stamp, QString::fromLatin1(c.payload.toHex()));
        if (rows.size() == CommitsPerInsert)
            flush();
    }
    flush();
    sql << u"ANALYZE Commits"_s;
    const QString reader = database + u"_reader"_s;
    const QString password = u"nes-reader"_s; // a throwaway server on 127.0.0.1 only
    if (!server.createDatabase(database, error) || !server.exec(database, sql, error) ||
        !server.createReader(reader, password, database, {u"public"_s}, error))
        return std::nullopt;
    return server.url(reader, password, database);
}

} // namespace NEventStoreCommits

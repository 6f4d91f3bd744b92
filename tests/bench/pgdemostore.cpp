#include "pgdemostore.h"

#include "samples.h"

#include <QSqlDatabase>
#include <QSqlError>

using namespace Qt::StringLiterals;

namespace {

const QString Database = u"eventscope_bench"_s;
const QString Reader = u"eventscope_reader"_s;
const QString ReaderPassword = u"bench-reader"_s; // a throwaway server on 127.0.0.1 only

// The demo store's event types, about as frequent as in DemoGenerator's stores: every stream
// starts with UserCreated, then mostly clicks.
const QString TypeChoice = u"(ARRAY['Clicked', 'Clicked', 'Clicked', 'Clicked', 'Clicked', "
                           "'Clicked', 'UserUpdated', 'UserRenamed', 'PostPublished', "
                           "'PostEdited'])[1 + g * 40503 % 10]"_s;

QStringList fillStatements(qint64 events, int streams)
{
    // Stream s of event g comes from a multiplicative hash of g, squared so that low-numbered
    // users are busier than the rest, as real users are; versions number each stream's events
    // in position order. Times step evenly over the span, so position order is time order.
    const double secondsPerEvent = double(PgDemoStore::SpanDays) * 86400.0 / double(events);
    const QString numbered =
        u"SELECT g, s, row_number() OVER (PARTITION BY s ORDER BY g) - 1 AS version FROM "
        "(SELECT g, CAST(floor(%1 * power(CAST(g * 2654435761 % 1000003 AS float8) / 1000003, "
        "2)) AS int) AS s FROM generate_series(CAST(0 AS bigint), %2) AS g) AS hashed"_s.arg(
            QString::number(streams), QString::number(events - 1));
    const QString insert =
        u"INSERT INTO message_store.messages (stream_name, type, position, data, metadata, "
        "time) SELECT 'user-' || s, CASE WHEN version = 0 THEN 'UserCreated' ELSE %1 END, "
        "version, jsonb_build_object('user', 'user-' || s, 'page', '/posts/' || (g % 997), "
        "'x', g * 7919 % 1920, 'y', g * 104729 % 1080), '{\"schemaVersion\":\"1\"}', "
        "TIMESTAMP '2026-01-01 00:00:00' + make_interval(secs => g * %2) FROM (%3) AS numbered "
        "ORDER BY g"_s.arg(TypeChoice, QString::number(secondsPerEvent, 'g', 17), numbered);
    // The schema and indexes of Message DB 1.x for the columns Eventscope reads; the stream
    // index is built after the rows, which is faster than keeping it up to date.
    return {u"CREATE SCHEMA message_store"_s,
            u"CREATE TABLE message_store.messages (id UUID NOT NULL DEFAULT gen_random_uuid(), "
            "stream_name text NOT NULL, type text NOT NULL, position bigint NOT NULL, "
            "global_position bigserial NOT NULL, data jsonb, metadata jsonb, "
            "time TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc') NOT NULL, "
            "PRIMARY KEY (global_position))"_s,
            insert,
            u"CREATE UNIQUE INDEX messages_stream ON message_store.messages (stream_name, "
            "position)"_s,
            u"VACUUM ANALYZE message_store.messages"_s};
}

} // namespace

bool PgDemoStore::create(qint64 events, int streams, QString *error)
{
    if (!m_server.start(error))
        return false;
    bool ok = false;
    m_generationMs = timeMs([&] {
        ok = m_server.createDatabase(Database, error) &&
             m_server.exec(Database, fillStatements(events, streams), error) &&
             m_server.createReader(Reader, ReaderPassword, Database, {u"message_store"_s}, error);
    });
    return ok;
}

QString PgDemoStore::url() const
{
    return m_server.url(Reader, ReaderPassword, Database);
}

bool PgDemoStore::connect(const QString &connectionName, QString *error) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
    db.setHostName(m_server.host());
    db.setPort(m_server.port());
    db.setUserName(Reader);
    db.setPassword(ReaderPassword);
    db.setDatabaseName(Database);
    if (db.open())
        return true;
    *error = u"cannot connect to the benchmark store: %1"_s.arg(db.lastError().text());
    return false;
}

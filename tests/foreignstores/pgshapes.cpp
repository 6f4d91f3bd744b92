// The PostgreSQL shapes: Message DB and Marten, filled by the server from generate_series so
// that millions of events take seconds rather than minutes of client inserts. The events
// follow SyntheticEvents' plan (the big stream's events spread evenly, times stepping evenly
// over the span) in SQL; their payloads and the other streams' choices are the server's own.

#include "shapewriters.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace ForeignStores {

namespace {

QString number(qint64 n)
{
    return QString::number(n);
}

// A subquery of every event: g (0-based global order), s (stream, 0 the big one) and v
// (0-based version), ordered by g.
QString numbered(const Options &o)
{
    const qint64 n = o.events;
    const qint64 big = std::clamp<qint64>(o.bigStreamEvents, 0, n);
    const int streams = std::max(1, o.streams);
    const QString hash = u"(g * 2654435761 + %1) % 1000003"_s.arg(number(qint64(o.seed % 1000003)));
    QString stream;
    if (streams == 1)
        stream = u"0"_s;
    else if (big == 0)
        stream = u"%1 % %2"_s.arg(hash, number(streams));
    else
        stream = u"CASE WHEN (g + 1) * %1 / %2 > g * %1 / %2 THEN 0 ELSE 1 + %3 % %4 END"_s.arg(
            number(big), number(n), hash, number(streams - 1));
    return u"SELECT g, s, row_number() OVER (PARTITION BY s ORDER BY g) - 1 AS v FROM "
           "(SELECT g, CAST(%1 AS int) AS s FROM generate_series(CAST(0 AS bigint), %2) AS g) "
           "AS plan"_s.arg(stream, number(n - 1));
}

QString secondsPerEvent(const Options &o)
{
    return QString::number(double(SyntheticEvents::SpanMs) / 1000.0 / double(o.events), 'g', 17);
}

// The payload of event g of stream s; randomized: labels, numbers of every form, nesting,
// members replaced by values, non-object payloads.
QString payload(const Options &o)
{
    const QString plain =
        u"jsonb_build_object('account', 'account-' || s, 'amount', g * 7919 % 10000, 'balance', "
        "jsonb_build_object('currency', 'EUR', 'cents', g * 104729 % 10000000), 'note', "
        "'n' || (g % 997))"_s;
    if (!o.randomized)
        return plain;
    return u"CASE WHEN g % 13 = 5 THEN (ARRAY['[1,2,3]', '\"plain text\"', '42', "
           "'null']::jsonb[])[1 + g % 4] ELSE %1 || jsonb_build_object('label', (ARRAY["
           "'Zürich ✓', '日本語のテキスト', 'emoji 😀', 'quote \" backslash \\', 'tab\tnewline', "
           "'100% _like_ [wild]', ''])[1 + g * 31 % 7], 'n', (ARRAY['0', '-17', '3.25', '1e-7', "
           "'6.02E23', '9007199254740993', '-12345678901234567890', '0.1']::jsonb[])[1 + g * 17 "
           "% 8], 'nested', CASE WHEN g % 3 = 0 THEN jsonb_build_object('a', "
           "jsonb_build_object('b', g % 5)) ELSE to_jsonb(CAST('now a string' AS text)) END, "
           "'list', jsonb_build_array(g % 7, 'x', NULL, true, jsonb_build_object())) END"_s.arg(
               plain);
}

QStringList messageDb(const Options &o)
{
    const QString types =
        u"(ARRAY['MoneyDeposited', 'MoneyWithdrawn', 'OwnerRenamed', 'AddressChanged', "
        "'AccountFrozen'])[1 + g * 40503 % 5]"_s;
    return {
        u"CREATE SCHEMA message_store"_s,
        u"CREATE TABLE message_store.messages (id UUID NOT NULL DEFAULT gen_random_uuid(), "
        "stream_name text NOT NULL, type text NOT NULL, position bigint NOT NULL, "
        "global_position bigserial NOT NULL, data jsonb, metadata jsonb, "
        "time TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc') NOT NULL, "
        "PRIMARY KEY (global_position))"_s,
        u"INSERT INTO message_store.messages (global_position, stream_name, type, position, "
        "data, metadata, time) SELECT g + 1, 'account-' || s, CASE WHEN v = 0 THEN "
        "'AccountOpened' ELSE %1 END, v, %2, jsonb_build_object('correlationStreamName', "
        "'account-' || s, 'schemaVersion', '1'), TIMESTAMP '2026-01-01 00:00:00' + "
        "make_interval(secs => g * %3) FROM (%4) AS numbered ORDER BY g"_s.arg(
            types, payload(o), secondsPerEvent(o), numbered(o)),
        u"SELECT setval('message_store.messages_global_position_seq', %1)"_s.arg(o.events),
        u"CREATE UNIQUE INDEX messages_id ON message_store.messages (id)"_s,
        u"CREATE UNIQUE INDEX messages_stream ON message_store.messages (stream_name, "
        "position)"_s,
        u"VACUUM ANALYZE message_store.messages"_s};
}

// Marten's stream ids are Guids: here md5 of "<seed>-<stream>".
QString martenStreamSql(const Options &o)
{
    return u"CAST(md5('%1-' || s) AS uuid)"_s.arg(o.seed);
}

QStringList marten(const Options &o)
{
    const QString types =
        u"(ARRAY['money_deposited', 'money_withdrawn', 'owner_renamed', 'address_changed', "
        "'account_frozen'])[1 + g * 40503 % 5]"_s;
    return {
        u"CREATE TABLE public.mt_streams (id uuid NOT NULL PRIMARY KEY, type varchar NULL, "
        "version bigint NULL, timestamp timestamptz NOT NULL DEFAULT now(), snapshot jsonb, "
        "snapshot_version integer, created timestamptz NOT NULL DEFAULT now(), tenant_id "
        "varchar DEFAULT '*DEFAULT*', is_archived bool DEFAULT FALSE)"_s,
        // Marten's foreign key from stream_id to mt_streams is left out: it changes no read.
        u"CREATE TABLE public.mt_events (seq_id bigint NOT NULL PRIMARY KEY, id uuid NOT NULL, "
        "stream_id uuid, version bigint NOT NULL, data jsonb NOT NULL, type varchar(500) NOT "
        "NULL, timestamp timestamptz NOT NULL DEFAULT now(), tenant_id varchar DEFAULT "
        "'*DEFAULT*', mt_dotnet_type varchar NULL, is_archived bool DEFAULT FALSE, headers "
        "jsonb NULL)"_s,
        u"INSERT INTO public.mt_events (seq_id, id, stream_id, version, data, type, timestamp, "
        "mt_dotnet_type, headers) SELECT g + 1, CAST(md5('event-' || g) AS uuid), %1, v + 1, "
        "%2, CASE WHEN v = 0 THEN 'account_opened' ELSE %3 END, TIMESTAMPTZ '2026-01-01 "
        "00:00:00+00' + make_interval(secs => g * %4), 'Bank.Events, Bank', CASE WHEN g % 5 = 0 "
        "THEN jsonb_build_object('user', 'u' || (g % 37)) END FROM (%5) AS numbered ORDER BY "
        "g"_s.arg(martenStreamSql(o), payload(o), types, secondsPerEvent(o), numbered(o)),
        u"INSERT INTO public.mt_streams (id, type, version, timestamp, created) SELECT "
        "stream_id, 'Bank.Account', max(version), max(timestamp), min(timestamp) FROM "
        "public.mt_events GROUP BY stream_id"_s,
        u"CREATE UNIQUE INDEX pk_mt_events_stream_and_version ON public.mt_events (stream_id, "
        "version)"_s,
        u"CREATE UNIQUE INDEX pk_mt_events_id_unique ON public.mt_events (id)"_s,
        u"VACUUM ANALYZE public.mt_events"_s,
        u"VACUUM ANALYZE public.mt_streams"_s};
}

std::string martenStream(const Options &o, int stream)
{
    const QByteArray hex =
        QCryptographicHash::hash(QByteArray(QByteArray::number(o.seed) + '-' + QByteArray::number(stream)),
                                 QCryptographicHash::Md5)
            .toHex();
    const std::string h = hex.toStdString();
    return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) +
           '-' + h.substr(20, 12);
}

Shape pgShape(const QString &name, const QString &description, const QString &layoutId,
              const QString &fold, const QString &bounds, const QString &scan)
{
    Shape s;
    s.name = name;
    s.description = description;
    s.dialect = SqlDialect::Postgres;
    s.layoutId = layoutId;
    s.foldSql = fold;
    s.boundsSql = bounds;
    s.scanSql = scan;
    return s;
}

} // namespace

QVector<Recipe> postgresRecipes()
{
    Recipe messages;
    messages.shape = pgShape(
        u"message-db"_s, u"Message DB message_store.messages (PostgreSQL)"_s, u"message-db"_s,
        u"SELECT global_position, position, data FROM message_store.messages "
        "WHERE stream_name = $1 ORDER BY position"_s,
        u"SELECT MIN(global_position), MAX(global_position) FROM message_store.messages"_s,
        u"SELECT stream_name, position, type, time FROM message_store.messages "
        "WHERE global_position >= $1 AND global_position < $2"_s);
    messages.streamName = [](const Options &, int stream) {
        return "account-" + std::to_string(stream);
    };
    messages.postgres = messageDb;
    messages.schemas = {u"message_store"_s};

    Recipe martenRecipe;
    martenRecipe.shape =
        pgShape(u"marten"_s, u"Marten mt_events + mt_streams (PostgreSQL)"_s, u"marten"_s,
                u"SELECT seq_id, version, data FROM public.mt_events "
                "WHERE stream_id = CAST($1 AS uuid) ORDER BY version"_s,
                u"SELECT MIN(seq_id), MAX(seq_id) FROM public.mt_events"_s,
                u"SELECT stream_id, version, type, timestamp FROM public.mt_events "
                "WHERE seq_id >= $1 AND seq_id < $2"_s);
    martenRecipe.streamName = martenStream;
    martenRecipe.postgres = marten;
    martenRecipe.schemas = {u"public"_s};
    return {messages, martenRecipe};
}

} // namespace ForeignStores

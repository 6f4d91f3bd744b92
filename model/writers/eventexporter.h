#pragma once

// Writes events as JSON Lines or CSV that `eventscope-cli import` reads back without a
// mapping, into a store whose export is the same bytes again. The fields are the own layout's
// (global_position, stream_id, stream_version, type, recorded_at, data, metadata), which the
// importer recognises first (FieldNaming). A payload keeps its exact bytes:
//   - JSON Lines: a JSON object or array written the way the importer stores it (compact)
//     is embedded as JSON; other text is a JSON string (the importer stores text as it is);
//   - CSV: text is the cell (RFC 4180 quoting, a record per line ending in LF);
//   - both: no payload (NULL) is null (JSON) or an empty unquoted cell (CSV); bytes that are
//     not UTF-8, the empty payload, and text that itself looks like PostgreSQL's bytea form
//     ("\x" and hex digits) are written in that bytea form, which the importer turns back
//     into the bytes.
// The event id is not part of Event and is not exported; the importer leaves it empty.

#include "core/event.h"
#include "core/jobcontrol.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

class EventPredicate;
class EventStore;

class EventExporter
{
public:
    enum class Format { Jsonl, Csv };
    static constexpr int PageSize = 2000;

    static bool parseFormatName(const QString &name, Format *format); // jsonl, csv
    static QString formatName(Format format);
    // CSV's header row; empty for JSON Lines.
    static QByteArray header(Format format);
    // One event as a line, without its line end.
    static QByteArray line(Format format, const Event &event);

    // Receives each line (header first), without its line end; false stops the export.
    using Sink = std::function<bool(const QByteArray &line)>;
    // Writes at most `limit` events the filter selects (its afterPosition included, its limit
    // ignored) and `where` holds for (every event when null), in position order, read in
    // keyset pages. The count written, or nullopt with error (the store's, "cancelled", or
    // that the sink stopped).
    static std::optional<qint64> exportEvents(EventStore &store, EventFilter filter, qint64 limit,
                                              Format format, const Sink &sink, QString *error,
                                              const JobControl &job = {},
                                              const EventPredicate *where = nullptr);
};

#pragma once

// Which events' data holds a piece of text, ignoring case (the search bar's "Contains text"
// mode)? The test is on the payload as decoded (PayloadDecoder: inflated, unwrapped, XML
// indented), in position order, page by page like PayloadSearch. Where the payload column
// holds the decoded text as it is, the pages are narrowed in SQL first by a parameterised
// substring test (instr() on SQLite, strpos() on PostgreSQL's jsonb text form) over the
// ASCII-lowered text; rows whose stored form may differ from what the decoder hands on are let
// through, and every row read is confirmed here, so that the answer is the scan's.

#include "core/event.h"
#include "core/jobcontrol.h"
#include "store/payloadsqlfilter.h"

#include <functional>
#include <optional>

class EventStore;

class TextSearch
{
public:
    enum class Method { Sql, Scan };
    using Sink = std::function<bool(const Event &)>;

    // preferred: Scan never narrows in SQL (for comparing the two).
    TextSearch(EventStore &store, const QString &text, Method preferred = Method::Sql);

    // As PayloadSearch::run: the events of `filter` (from its afterPosition) whose data holds
    // the text, at most `limit`; false when a read fails, the job is cancelled (errorString()
    // "cancelled") or the sink says stop.
    bool run(EventFilter filter, qint64 limit, const Sink &sink, const JobControl &job = {});
    Method method() const { return m_method; }
    qint64 eventsRead() const { return m_read; }
    QString errorString() const { return m_error; }

    // The exact test.
    static bool holds(const QString &text, const Event &event);
    // The SQL prefilter for the store's layout, nullopt where none can be sure: a text that
    // is not all ASCII (the databases fold case otherwise than Qt), a PostgreSQL payload that
    // is not jsonb, payloads the decoder rewrites (typed value wrappers).
    static std::optional<PayloadSqlCondition> condition(const QString &text,
                                                        const EventStore &store);

private:
    EventStore &m_store;
    QString m_text;
    Method m_method;
    qint64 m_read = 0;
    QString m_error;
};

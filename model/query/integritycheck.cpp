#include "query/integritycheck.h"

#include "core/event.h"
#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "query/eventwalk.h"
#include "store/eventstore.h"
#include "store/postgresstreamreader.h"
#include "store/sqlitestreamreader.h"

#include <QJsonDocument>
#include <QXmlStreamReader>

#include <simdjson.h>

#include <limits>
#include <string>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 RowsPerCheck = 4096; // between looks at the cancel flag in the second read
constexpr qint64 Unread = NoTime + 1; // a position of the range without an event

char firstNonSpace(const QByteArray &bytes)
{
    for (const char c : bytes) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return c;
    }
    return 0;
}

// Why the text is not JSON as Qt reads it (the reading `events` shows), empty when it is.
// simdjson answers first, as it checks a payload many times faster; Qt decides the few it
// refuses.
QString jsonFault(const QByteArray &bytes)
{
    static thread_local simdjson::dom::parser parser;
    simdjson::dom::element ignored;
    if (parser.parse(bytes.constData(), std::size_t(bytes.size())).get(ignored) ==
        simdjson::SUCCESS)
        return {};
    if (Payload::toJson(bytes))
        return {};
    // Where Qt says why; a top-level scalar is read inside an array, as Payload reads it.
    QJsonParseError error;
    const char first = firstNonSpace(bytes);
    if (first == '{' || first == '[') {
        QJsonDocument::fromJson(bytes, &error);
    } else {
        QJsonDocument::fromJson('[' + bytes + ']', &error);
        error.offset = qMax(0, error.offset - 1);
    }
    if (error.error == QJsonParseError::NoError)
        return u"more than one JSON value"_s;
    return u"%1 at offset %2"_s.arg(error.errorString()).arg(error.offset);
}

QString xmlFault(const QByteArray &bytes)
{
    QXmlStreamReader reader(bytes);
    while (!reader.atEnd())
        reader.readNext();
    if (!reader.hasError())
        return {};
    return u"%1 (line %2, column %3)"_s.arg(reader.errorString())
        .arg(reader.lineNumber())
        .arg(reader.columnNumber());
}

QString timeText(qint64 ms)
{
    return TimeCodec::format(ms);
}

} // namespace

QString IntegrityProblem::kindName(Kind kind)
{
    switch (kind) {
    case Kind::VersionGap:
        return u"version_gap"_s;
    case Kind::DuplicateVersion:
        return u"duplicate_version"_s;
    case Kind::TimeBackwards:
        return u"time_backwards"_s;
    case Kind::UnparseableData:
        return u"unparseable_data"_s;
    case Kind::MissingTime:
        return u"missing_time"_s;
    case Kind::MissingType:
        return u"missing_type"_s;
    case Kind::MissingStream:
        return u"missing_stream"_s;
    }
    Q_UNREACHABLE();
}

IntegrityCheck::IntegrityCheck(EventStore &store, const QString &stream)
    : m_store(store), m_stream(stream)
{
}

QString IntegrityCheck::payloadFault(const Event &event, PayloadEncoding encoding)
{
    if (event.data.isEmpty() && event.dataReadable)
        return {}; // no payload: nothing to read
    if (encoding == PayloadEncoding::Json) {
        if (!event.dataReadable)
            return u"not JSON: "_s + event.dataNote;
        const QString fault = jsonFault(event.data);
        return fault.isEmpty() ? fault : u"not JSON: "_s + fault;
    }
    if (!event.dataReadable)
        return encoding == PayloadEncoding::Text ? event.dataNote : QString();
    const char first = firstNonSpace(event.data);
    if (first == '{' || first == '[' || first == '"') {
        const QString fault = jsonFault(event.data);
        return fault.isEmpty() ? fault : u"JSON that does not parse: "_s + fault;
    }
    if (first == '<') {
        const QString fault = xmlFault(event.data);
        return fault.isEmpty() ? fault : u"XML that is not well formed: "_s + fault;
    }
    return {};
}

bool IntegrityCheck::run(const Sink &sink, const JobControl &job)
{
    m_summary = {};
    m_error.clear();
    m_done = 0;
    m_times = {};
    m_lastKept = -1;
    const bool ownSnapshot = !m_store.inSnapshot();
    if (ownSnapshot && !m_store.beginSnapshot()) {
        m_error = m_store.errorString();
        return false;
    }
    const bool checked = checkInSnapshot(sink, job);
    if (ownSnapshot)
        m_store.endSnapshot();
    m_times = {};
    return checked;
}

bool IntegrityCheck::checkInSnapshot(const Sink &sink, const JobControl &job)
{
    // Progress counts the rows of both reads against twice the events there are, or (for the
    // whole store) the span of the positions, which costs two seeks where a count reads all.
    if (!m_stream.isEmpty()) {
        EventFilter filter;
        filter.stream = m_stream;
        const auto count = m_store.countEvents(filter);
        if (!count) {
            m_error = m_store.errorString();
            return false;
        }
        m_total = 2 * *count;
    } else {
        const auto range = m_store.positionRange();
        if (!range) {
            m_error = m_store.errorString();
            return false;
        }
        const qint64 span = range->first > range->second ? 0 : range->second - range->first + 1;
        m_total = 2 * span;
        if (m_store.dialect() == SqlDialect::Sqlite && span > 0 && span <= MaxKeptTimes) {
            m_times.assign(std::size_t(span), Unread);
            m_timesFrom = range->first;
        }
    }
    job.report(0, m_total);
    return checkEvents(sink, job) && checkSequences(sink, job);
}

void IntegrityCheck::keepTime(const Event &event)
{
    const qint64 slot = event.position - m_timesFrom;
    // Positions outside the range, or not ascending (a position twice): the second read takes
    // the times from the store after all.
    if (slot <= m_lastKept || slot >= qint64(m_times.size())) {
        m_times = {};
        return;
    }
    m_times[std::size_t(slot)] = event.timeMs;
    m_lastKept = slot;
}

std::optional<qint64> IntegrityCheck::keptTime(qint64 position) const
{
    const qint64 slot = position - m_timesFrom;
    if (slot < 0 || slot >= qint64(m_times.size()) || m_times[std::size_t(slot)] == Unread)
        return std::nullopt;
    return m_times[std::size_t(slot)];
}

bool IntegrityCheck::report(const Sink &sink, IntegrityProblem problem)
{
    ++m_summary.problems[int(problem.kind)];
    if (sink(problem))
        return true;
    m_error = u"the check's output could not be written"_s;
    return false;
}

void IntegrityCheck::progress(const JobControl &job)
{
    job.report(m_done, qMax(m_total, m_done));
}

bool IntegrityCheck::checkEvents(const Sink &sink, const JobControl &job)
{
    const StoreLayout &layout = m_store.layout();
    EventFilter filter;
    filter.stream = m_stream;
    const auto check = [&](const Event &e) {
        ++m_summary.events;
        if (!m_times.empty())
            keepTime(e);
        const auto problem = [&e](IntegrityProblem::Kind kind, const QString &detail) {
            IntegrityProblem p;
            p.kind = kind;
            p.stream = e.stream;
            p.version = e.version;
            p.position = e.position;
            p.detail = detail;
            return p;
        };
        if (e.stream.isEmpty() && !report(sink, problem(IntegrityProblem::Kind::MissingStream,
                                                        u"the event has no stream"_s)))
            return false;
        if (!layout.type.isEmpty() && e.type.isEmpty() &&
            !report(sink, problem(IntegrityProblem::Kind::MissingType, u"the event has no type"_s)))
            return false;
        if ((!layout.time.isEmpty() || !layout.payloadTimeField.isEmpty()) && e.timeMs == NoTime &&
            !report(sink, problem(IntegrityProblem::Kind::MissingTime,
                                  u"the event has no time, or one that does not read as "
                                  "a time"_s)))
            return false;
        const QString fault = payloadFault(e, layout.payloadEncoding);
        return fault.isEmpty() ||
               report(sink, problem(IntegrityProblem::Kind::UnparseableData, fault));
    };
    // The first read is the first half of the progress, whatever its own measure.
    JobControl firstHalf{
        job.cancel, [&](qint64 done, qint64 total) {
            // In double: spans of positions such as Prooph's (10^12 a table) overflow a product.
            m_done = total > 0 ? qint64(double(done) / double(total) * double(m_total / 2)) : 0;
            progress(job);
        }};
    EventWalk walk(m_store, filter);
    if (!walk.run(check, firstHalf)) {
        m_error = walk.errorString();
        return false;
    }
    m_done = m_total / 2;
    return m_error.isEmpty(); // else the sink stopped the walk
}

bool IntegrityCheck::checkSequences(const Sink &sink, const JobControl &job)
{
    if (job.cancelled()) {
        m_error = u"cancelled"_s;
        return false;
    }
    if (m_store.dialect() == SqlDialect::Postgres) {
        auto reader = m_store.postgresSequenceScan(m_stream);
        if (!reader) {
            m_error = m_store.errorString();
            return false;
        }
        return readSequences(*reader, sink, job);
    }
    auto reader = m_store.sequenceScan(m_stream, m_times.empty());
    if (!reader) {
        m_error = m_store.errorString();
        return false;
    }
    return readSequences(*reader, sink, job);
}

template<typename Reader>
bool IntegrityCheck::readSequences(Reader &reader, const Sink &sink, const JobControl &job)
{
    const StoreLayout &layout = m_store.layout();
    // Without a version of its own an event's version is its position: no sequence to check.
    const bool checkVersions = !layout.version.isEmpty();
    const bool checkGaps = checkVersions && layout.consecutiveVersions;
    // What is known of the stream being read: its name and its last event with a version.
    std::string stream;
    QString streamName;
    bool inStream = false; // a stream with a name is being read
    bool hasLast = false;  // it has had an event with a version
    qint64 lastVersion = 0;
    qint64 lastPosition = 0;
    qint64 lastTimeMs = NoTime; // of the last event with a time
    qint64 lastTimeVersion = 0;
    qint64 rows = 0;

    const auto problem = [&](IntegrityProblem::Kind kind, qint64 version, qint64 position,
                             const QString &detail) {
        IntegrityProblem p;
        p.kind = kind;
        p.stream = streamName;
        p.version = version;
        p.position = position;
        p.detail = detail;
        return report(sink, p);
    };
    const auto missing = [](qint64 from, qint64 to) {
        return from == to ? u"version %1 is missing"_s.arg(from)
                          : u"versions %1 to %2 are missing"_s.arg(from).arg(to);
    };

    for (;;) {
        const auto step = reader.next();
        if (step == Reader::Step::Done)
            break;
        if (step == Reader::Step::Failed) {
            m_error = reader.wasInterrupted()
                          ? u"cancelled"_s
                          : u"%1: reading the events by stream failed: %2"_s.arg(
                                m_store.location().displayName(), reader.errorString());
            return false;
        }
        if (++rows % RowsPerCheck == 0) {
            m_done += RowsPerCheck;
            progress(job);
            if (job.cancelled()) {
                m_error = u"cancelled"_s;
                return false;
            }
        }
        const std::string_view name = reader.stream();
        if (reader.isStreamNull() || name.empty()) {
            inStream = false; // reported by the first read
            continue;
        }
        if (!inStream || name != stream) {
            stream.assign(name);
            streamName = QString::fromUtf8(name.data(), qsizetype(name.size()));
            inStream = true;
            hasLast = false;
            lastTimeMs = NoTime;
            ++m_summary.streams;
        }
        if (!reader.hasVersion())
            continue; // in no order: the replay leaves it out too
        const qint64 version = reader.version();
        const qint64 position = reader.position();
        qint64 timeMs = NoTime;
        if constexpr (std::is_same_v<Reader, PostgresStreamReader>) {
            timeMs = reader.timeMs();
            if (timeMs == NoTime && !layout.payloadTimeField.isEmpty())
                timeMs = m_store.readEvent(reader).timeMs;
        } else if (m_times.empty()) {
            timeMs = reader.timeMs();
        } else {
            const auto kept = keptTime(position);
            if (!kept) { // cannot be, in one snapshot: the reads disagree on the events
                m_error = u"%1: the event at position %2 was not there in the first read"_s
                              .arg(m_store.location().displayName())
                              .arg(position);
                return false;
            }
            timeMs = *kept;
        }

        if (checkVersions && hasLast && version == lastVersion) {
            if (!problem(IntegrityProblem::Kind::DuplicateVersion, version, position,
                         u"version %1 again, after the event at position %2"_s.arg(version).arg(
                             lastPosition)))
                return false;
        } else if (checkGaps && hasLast && version > lastVersion + 1) {
            if (!problem(IntegrityProblem::Kind::VersionGap, version, position,
                         missing(lastVersion + 1, version - 1)))
                return false;
        } else if (checkGaps && !hasLast && layout.firstVersion && version > *layout.firstVersion) {
            if (!problem(IntegrityProblem::Kind::VersionGap, version, position,
                         missing(*layout.firstVersion, version - 1) +
                             u" before the stream's first event"_s))
                return false;
        }
        if (timeMs != NoTime) {
            if (lastTimeMs != NoTime && timeMs < lastTimeMs &&
                !problem(IntegrityProblem::Kind::TimeBackwards, version, position,
                         u"%1 is earlier than %2, the time of version %3"_s
                             .arg(timeText(timeMs), timeText(lastTimeMs))
                             .arg(lastTimeVersion)))
                return false;
            lastTimeMs = timeMs;
            lastTimeVersion = version;
        }
        hasLast = true;
        lastVersion = version;
        lastPosition = position;
    }
    m_done += rows % RowsPerCheck;
    progress(job);
    return true;
}

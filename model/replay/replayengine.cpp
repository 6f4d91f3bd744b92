#include "replay/replayengine.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "replay/jsonmergetree.h"
#include "replay/jsonpath.h"
#include "store/eventstore.h"
#include "store/postgresstreamreader.h"
#include "store/sqlitestreamreader.h"
#include "store/statementinterrupter.h"

#include <QJsonDocument>

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

ReplayEngine::ReplayEngine(EventStore &store, const QString &stream, const Projection &projection,
                           const Options &options)
    : m_store(&store), m_stream(stream), m_projection(projection), m_options(options),
      m_interval(qMax(1, options.checkpointInterval))
{
}

ReplayEngine::ReplayEngine(EventStore &store, const QString &stream, const Projection &projection)
    : ReplayEngine(store, stream, projection, Options{})
{
}

void ReplayEngine::applyEvent(ReplayState &state, const Event &event) const
{
    m_projection.apply(state.state, event.type, Payload::toJson(event.data).value_or(QJsonValue()));
    ++state.eventCounts[event.type];
    ++state.index;
    state.version = event.version;
    state.position = event.position;
    state.timeMs = event.timeMs;
    state.type = event.type;
}

namespace {

constexpr int CancelCheckEvery = 1024;

// Events per type, counted by the type's UTF-8 bytes: a stream has few types, and the last one
// seen is usually the next one too, so a short list beats a map of QStrings.
class TypeCounts
{
public:
    TypeCounts() = default;
    explicit TypeCounts(const QMap<QString, qint64> &counts)
    {
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            m_counts.emplace_back(it.key().toStdString(), it.value());
    }

    void add(std::string_view type)
    {
        if (m_last < m_counts.size() && m_counts[m_last].first == type) {
            ++m_counts[m_last].second;
            return;
        }
        for (m_last = 0; m_last < m_counts.size(); ++m_last) {
            if (m_counts[m_last].first == type) {
                ++m_counts[m_last].second;
                return;
            }
        }
        m_counts.emplace_back(std::string(type), 1);
    }

    QMap<QString, qint64> toMap() const
    {
        QMap<QString, qint64> map;
        for (const auto &[type, n] : m_counts)
            map.insert(QString::fromUtf8(type.data(), qsizetype(type.size())), n);
        return map;
    }

private:
    std::vector<std::pair<std::string, qint64>> m_counts;
    std::size_t m_last = 0;
};

} // namespace

namespace {

class MergeTreeView : public FoldedState
{
public:
    explicit MergeTreeView(const JsonMergeTree &tree) : m_tree(tree) {}
    bool touched(const QStringList &keys) const override { return m_tree.touched(keys); }
    QJsonValue valueAt(const QStringList &keys) const override { return m_tree.valueAt(keys); }

private:
    const JsonMergeTree &m_tree;
};

// A projection's operations can change anything, so every value may have changed.
class ObjectView : public FoldedState
{
public:
    explicit ObjectView(const QJsonObject &state) : m_state(state) {}
    bool touched(const QStringList &) const override { return true; }
    QJsonValue valueAt(const QStringList &keys) const override
    {
        return JsonPath::get(m_state, keys);
    }

private:
    const QJsonObject &m_state;
};

} // namespace

// The first pass's fold between its parts: the state it has folded so far, as the merge tree
// of the fast path or the generic path's ReplayState, and the events per type.
struct ReplayEngine::Pass
{
    bool merged = false; // the fast path
    JsonMergeTree tree;
    TypeCounts counts;
    ReplayState state;
};

ReplayEngine::~ReplayEngine() = default;

void ReplayEngine::clear()
{
    m_loaded = false;
    m_pass.reset();
    m_versions.clear();
    m_times.clear();
    m_positions.clear();
    m_timesSorted = true;
    m_checkpoints.clear();
    m_checkpointBytes = 0;
    m_cursor.reset();
    m_interval = qMax(1, m_options.checkpointInterval);
}

bool ReplayEngine::fail(const StoreError &error)
{
    clear();
    m_error = error;
    return false;
}

bool ReplayEngine::cancelled()
{
    return fail({StoreError::Kind::Cancelled, u"replay of %1 cancelled"_s.arg(m_stream)});
}

bool ReplayEngine::finishLoad()
{
    if (m_versions.isEmpty())
        return fail({StoreError::Kind::NotFound, u"%1: no stream named '%2'"_s.arg(
                                                     m_store->location().displayName(), m_stream)});
    m_pass.reset();
    m_loaded = true;
    return true;
}

bool ReplayEngine::continuePastEnd()
{
    if (!m_loaded)
        return true; // the pass goes on from where it stands anyway
    // The state after the last event is the next pass's start; its fold was dropped at the end.
    std::optional<ReplayState> last = stateAtIndex(eventCount() - 1);
    if (!last)
        return fail(m_error);
    auto pass = std::make_unique<Pass>();
    pass->merged = m_projection.isDefaultMerge() && (m_store->dialect() == SqlDialect::Sqlite ||
                                                     m_store->dialect() == SqlDialect::Postgres);
    if (pass->merged) {
        pass->tree.merge(last->state); // the default merge into nothing gives the object
        pass->counts = TypeCounts(last->eventCounts);
    }
    pass->state = *std::move(last);
    m_pass = std::move(pass);
    m_loaded = false;
    return true;
}

bool ReplayEngine::load(const JobControl &job)
{
    return fold({std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::max()}, job);
}

bool ReplayEngine::loadMore(qint64 maxEvents, const JobControl &job)
{
    return fold({maxEvents, std::numeric_limits<qint64>::max()}, job);
}

bool ReplayEngine::loadPastVersion(qint64 version, const JobControl &job)
{
    return fold({std::numeric_limits<qint64>::max(), version}, job);
}

bool ReplayEngine::fold(const Stop &stop, const JobControl &job)
{
    m_observerStopped = false;
    if (m_loaded)
        return true;
    if (!m_pass) {
        clear();
        m_pass = std::make_unique<Pass>();
        m_pass->merged =
            m_projection.isDefaultMerge() && (m_store->dialect() == SqlDialect::Sqlite ||
                                              m_store->dialect() == SqlDialect::Postgres);
        m_pass->state.stream = m_stream;
        addCheckpoint(m_pass->state); // the empty state, which always parses
    }
    if (!m_pass->merged)
        return foldGeneric(stop, job);
    // A statement per part, from where the last one stopped: nothing stays open between parts,
    // when the store may answer other reads (stateAtIndex's among them).
    const auto after = [this] {
        return m_versions.isEmpty() ? std::numeric_limits<qint64>::min() : m_versions.constLast();
    };
    // Already past the version asked for: no statement to start (and, on PostgreSQL, to
    // cancel).
    if (stop.events == 0 || (!m_versions.isEmpty() && m_versions.constLast() > stop.afterVersion))
        return true;
    if (m_store->dialect() == SqlDialect::Sqlite)
        return foldMerged(m_store->streamReader(m_stream, after()), stop, job);
    // The rest of the stream as one statement, which the server may plan in parallel (a
    // cursor it may not); a part that stops early through a cursor, planned for its first rows.
    const bool toTheEnd = stop.events == std::numeric_limits<qint64>::max() &&
                          stop.afterVersion == std::numeric_limits<qint64>::max();
    return foldMerged(m_store->postgresStreamReader(m_stream, after(),
                                                    toTheEnd ? EventStore::StreamRead::Whole
                                                             : EventStore::StreamRead::Part),
                      stop, job);
}

void ReplayEngine::appendEvent(qint64 version, qint64 timeMs, qint64 position)
{
    if (!m_times.isEmpty() && timeMs < m_times.constLast())
        m_timesSorted = false;
    m_versions << version;
    m_times << timeMs;
    m_positions << position;
}

bool ReplayEngine::foldGeneric(const Stop &stop, const JobControl &job)
{
    ReplayState &state = m_pass->state;
    qint64 folded = 0;
    while (folded < stop.events &&
           (m_versions.isEmpty() || m_versions.constLast() <= stop.afterVersion)) {
        if (job.cancelled())
            return cancelled();
        const qint64 after =
            m_versions.isEmpty() ? std::numeric_limits<qint64>::min() : m_versions.constLast();
        const int want = int(qMin<qint64>(m_options.fetchChunk, stop.events - folded));
        const auto chunk = m_store->streamEvents(m_stream, after, want);
        if (!chunk)
            return fail(m_store->lastError());
        for (const Event &event : *chunk) {
            applyEvent(state, event);
            appendEvent(event.version, event.timeMs, event.position);
            if ((state.index + 1) % m_interval == 0 && !addCheckpoint(state))
                return false;
            if (m_observer) {
                const QByteArray type = event.type.toUtf8();
                const FoldedEvent foldedEvent{state.index,
                                              event.version,
                                              event.position,
                                              event.timeMs,
                                              {type.constData(), std::size_t(type.size())}};
                if (!m_observer(foldedEvent, ObjectView(state.state))) {
                    m_observerStopped = true;
                    return true;
                }
            }
        }
        folded += chunk->size();
        job.report(m_versions.size(), -1);
        if (chunk->size() < want)
            return finishLoad();
    }
    return true;
}

namespace {

// A row's type, time and payload as the generic pass reads them, and what holds them when the
// reader does not. A time left to the payload (timeInPayload) is read from the fold's own
// parse of it.
struct FoldRow
{
    std::string_view type;
    qint64 timeMs = NoTime;
    std::string_view data;
    bool timeInPayload = false;
};

struct DecodedRow
{
    QByteArray type;
    Event event;
};

// SQLite's reader decodes every row form itself; typed values are left to the merge tree, and
// with them a time in the payload, so that such a payload is parsed once, by simdjson.
FoldRow foldRow(SqliteStreamReader &reader, const EventStore &store, DecodedRow &)
{
    const qint64 timeMs = reader.columnTimeMs();
    return {reader.type(), timeMs, reader.foldData(),
            timeMs == NoTime && !store.layout().payloadTimeField.isEmpty()};
}

// libpq's reader hands on the plain rows; any other is decoded from the row in hand as the
// generic pass decodes it (the connection is busy with the rows still to come, and a second
// read would cost a statement per row).
FoldRow foldRow(const PostgresStreamReader &reader, const EventStore &store, DecodedRow &decoded)
{
    if (reader.isPlain())
        return {reader.type(), reader.timeMs(), reader.data()};
    decoded.event = store.readEvent(reader);
    decoded.type = decoded.event.type.toUtf8();
    const QByteArray &data = decoded.event.data;
    return {{decoded.type.constData(), std::size_t(decoded.type.size())},
            decoded.event.timeMs,
            {data.constData(), std::size_t(data.size())}};
}

// The payload as the generic pass decodes it, for Qt to parse where simdjson cannot fold it.
std::string_view decodedData(SqliteStreamReader &reader, const FoldRow &)
{
    return reader.data();
}

std::string_view decodedData(const PostgresStreamReader &, const FoldRow &row)
{
    return row.data;
}

// Merges a row's payload into the tree, through Qt where simdjson could read it differently,
// and gives the row's time.
template<typename Reader>
qint64 mergeRow(JsonMergeTree &tree, Reader &reader, const FoldRow &row, const StoreLayout &layout)
{
    const auto typedValues = layout.unwrapTypedValues ? JsonMergeTree::TypedValues::Unwrapped
                                                      : JsonMergeTree::TypedValues::AsStored;
    if (tree.mergeJson(row.data, typedValues) == JsonMergeTree::Outcome::UseQt) {
        const std::string_view data = decodedData(reader, row);
        const auto json =
            Payload::toJson(QByteArray::fromRawData(data.data(), qsizetype(data.size())));
        if (json && json->isObject())
            tree.merge(json->toObject());
    }
    if (!row.timeInPayload)
        return row.timeMs;
    // readEvent's payload time: the field of this payload, a string; the state keeps a value
    // the payload did not set, which the merge did not touch.
    const QStringList field{layout.payloadTimeField};
    if (!tree.touched(field))
        return NoTime;
    return TimeCodec::parseIso(tree.valueAt(field).toString());
}

} // namespace

template<typename Reader>
bool ReplayEngine::foldMerged(std::unique_ptr<Reader> reader, const Stop &stop,
                              const JobControl &job)
{
    if (!reader)
        return fail(m_store->lastError());
    JsonMergeTree &state = m_pass->tree;
    TypeCounts &counts = m_pass->counts;
    const auto readFailed = [&] {
        // A PostgreSQL statement interrupted by its time limit is a failure, not a cancel; one
        // the store's interrupter stopped (a cancel of the job) is a cancel.
        const auto interrupter = m_store->interrupter();
        if (reader->wasInterrupted() &&
            (job.cancelled() || (interrupter && interrupter->takeInterrupted())))
            return cancelled();
        return fail({reader->errorKind(),
                     u"%1: reading stream %2 failed: %3"_s.arg(m_store->location().displayName(),
                                                               m_stream, reader->errorString())});
    };
    DecodedRow decoded;
    const MergeTreeView view(state);
    for (qint64 folded = 0;; ++folded) {
        if (!m_versions.isEmpty() && m_versions.constLast() > stop.afterVersion)
            return true;
        if (folded == stop.events)
            return true;
        const qint64 index = m_versions.size();
        if (index % CancelCheckEvery == 0) {
            if (job.cancelled())
                return cancelled();
            job.report(index, -1);
        }
        switch (reader->next()) {
        case Reader::Step::Done:
            job.report(m_versions.size(), -1);
            return finishLoad();
        case Reader::Step::Failed:
            return readFailed();
        case Reader::Step::Row:
            break;
        }
        const FoldRow row = foldRow(*reader, *m_store, decoded);
        counts.add(row.type);
        const qint64 timeMs = mergeRow(state, *reader, row, m_store->layout());
        appendEvent(reader->version(), timeMs, reader->position());
        if ((index + 1) % m_interval == 0 &&
            !addCheckpoint(index, state.toJson(), counts.toMap(), nullptr))
            return false;
        // Stopping leaves the rest of the statement unread; PostgreSQL's reader then cancels
        // it, which only costs time, once.
        if (m_observer &&
            !m_observer({index, reader->version(), reader->position(), timeMs, row.type}, view)) {
            m_observerStopped = true;
            return true;
        }
    }
}

bool ReplayEngine::foldGapMerged(ReplayState &state, qint64 upTo)
{
    const qint64 after =
        state.index >= 0 ? m_versions.at(state.index) : std::numeric_limits<qint64>::min();
    const auto reader = m_store->streamReader(m_stream, after);
    if (!reader) {
        m_error = m_store->lastError();
        return false;
    }
    JsonMergeTree tree;
    tree.merge(state.state); // the default merge into nothing gives the object itself
    DecodedRow decoded;
    while (state.index < upTo) {
        switch (reader->next()) {
        case SqliteStreamReader::Step::Done:
            m_error = {StoreError::Kind::Sql,
                       u"stream %1 changed while it was being replayed"_s.arg(m_stream)};
            return false;
        case SqliteStreamReader::Step::Failed:
            m_error = {reader->errorKind(),
                       u"%1: reading stream %2 failed: %3"_s.arg(m_store->location().displayName(),
                                                                 m_stream, reader->errorString())};
            return false;
        case SqliteStreamReader::Step::Row:
            break;
        }
        const FoldRow row = foldRow(*reader, *m_store, decoded);
        const qint64 timeMs = mergeRow(tree, *reader, row, m_store->layout());
        state.type = QString::fromUtf8(row.type.data(), qsizetype(row.type.size()));
        ++state.eventCounts[state.type];
        ++state.index;
        state.version = reader->version();
        state.position = reader->position();
        state.timeMs = timeMs;
        ++m_lastApplications;
    }
    state.state = QJsonDocument::fromJson(tree.toJson()).object();
    return true;
}

bool ReplayEngine::addCheckpoint(ReplayState &state)
{
    // Qt keeps a JSON object's string bytes in an append-only buffer, so a state that many
    // events have rewritten carries a buffer far larger than itself, copied whenever a shared
    // copy is modified. Rebuilding the state from its text keeps both the checkpoint and the
    // fold going on from it compact.
    return addCheckpoint(state.index, QJsonDocument(state.state).toJson(QJsonDocument::Compact),
                         state.eventCounts, &state.state);
}

bool ReplayEngine::addCheckpoint(qint64 index, const QByteArray &compactJson,
                                 const QMap<QString, qint64> &counts, QJsonObject *compact)
{
    Checkpoint c;
    c.index = index;
    QJsonParseError error;
    c.state = QJsonDocument::fromJson(compactJson, &error).object();
    // A state that Qt cannot read back (nested deeper than its parser goes) would come back
    // empty: every answer from this checkpoint on would be silently wrong.
    if (error.error != QJsonParseError::NoError)
        return fail({StoreError::Kind::Sql,
                     u"%1: the state of stream %2 after event %3 cannot be kept: %4"_s.arg(
                         m_store->location().displayName(), m_stream, QString::number(index + 1),
                         error.errorString())});
    c.counts = counts;
    // The text's size stands in for the memory the state takes.
    c.bytes = compactJson.size() + qint64(sizeof(Checkpoint)) + c.counts.size() * 64;
    m_checkpointBytes += c.bytes;
    m_checkpoints << c;
    while (m_checkpointBytes > m_options.checkpointBudgetBytes && m_checkpoints.size() > 1)
        thinCheckpoints();
    if (compact)
        *compact = c.state;
    return true;
}

// Keeps the empty state and every other checkpoint, doubling the interval.
void ReplayEngine::thinCheckpoints()
{
    m_interval *= 2;
    QVector<Checkpoint> kept;
    m_checkpointBytes = 0;
    for (const Checkpoint &c : std::as_const(m_checkpoints)) {
        if (c.index == -1 || (c.index + 1) % m_interval == 0) {
            kept << c;
            m_checkpointBytes += c.bytes;
        }
    }
    m_checkpoints = kept;
}

bool ReplayEngine::requireLoaded()
{
    if (!m_loaded)
        m_error = {StoreError::Kind::NotFound, u"replay of %1 is not loaded"_s.arg(m_stream)};
    return m_loaded;
}

std::optional<ReplayState> ReplayEngine::stateAtIndex(qint64 index)
{
    if (!m_loaded && index >= eventCount()) {
        m_error = {
            StoreError::Kind::NotFound,
            u"replay of %1 has not loaded event number %2 yet (%3 folded so far)"_s.arg(m_stream)
                .arg(index + 1)
                .arg(eventCount())};
        return std::nullopt;
    }
    if (index < -1 || index >= eventCount()) {
        m_error = {StoreError::Kind::NotFound,
                   u"stream %1 has %2 events; there is no event number %3"_s.arg(m_stream)
                       .arg(eventCount())
                       .arg(index + 1)};
        return std::nullopt;
    }
    m_lastApplications = 0;
    if (m_cursor && m_cursor->index == index)
        return m_cursor; // asked again where it stands (a cursor that moved elsewhere)
    if (index == -1) {
        ReplayState empty;
        empty.stream = m_stream;
        m_cursor = empty;
        return empty;
    }

    // Start from the latest known state before the target: the last event's effect is
    // applied separately, so that what it changed can be told.
    const auto it = std::upper_bound(m_checkpoints.cbegin(), m_checkpoints.cend(), index - 1,
                                     [](qint64 i, const Checkpoint &c) { return i < c.index; });
    const Checkpoint &checkpoint = *(it - 1);
    ReplayState state;
    if (m_cursor && m_cursor->index <= index - 1 && m_cursor->index >= checkpoint.index) {
        state = *m_cursor;
    } else {
        state.stream = m_stream;
        state.index = checkpoint.index;
        state.state = checkpoint.state;
        state.eventCounts = checkpoint.counts;
        if (checkpoint.index >= 0) {
            state.version = m_versions.at(checkpoint.index);
            state.position = m_positions.at(checkpoint.index);
            state.timeMs = m_times.at(checkpoint.index);
        }
    }
    state.changed.clear();

    // A long way from the checkpoint: all but the last event folded as the first pass folds.
    if (m_projection.isDefaultMerge() && m_store->dialect() == SqlDialect::Sqlite &&
        index - 1 - state.index >= MergedGapEvents && !foldGapMerged(state, index - 1))
        return std::nullopt;
    QJsonObject before;
    while (state.index < index) {
        const qint64 after =
            state.index >= 0 ? m_versions.at(state.index) : std::numeric_limits<qint64>::min();
        const int want = int(qMin<qint64>(index - state.index, m_options.fetchChunk));
        const auto chunk = m_store->streamEvents(m_stream, after, want);
        if (!chunk) {
            m_error = m_store->lastError();
            return std::nullopt;
        }
        if (chunk->size() != want) {
            m_error = {StoreError::Kind::Sql,
                       u"stream %1 changed while it was being replayed"_s.arg(m_stream)};
            return std::nullopt;
        }
        for (const Event &event : *chunk) {
            if (state.index + 1 == index)
                before = state.state;
            applyEvent(state, event);
            ++m_lastApplications;
        }
    }
    state.changed = JsonDiff::compare(before, state.state);
    m_cursor = state;
    return state;
}

std::optional<ReplayState> ReplayEngine::stateAtVersion(qint64 version)
{
    if (!m_loaded && (m_versions.isEmpty() || version > m_versions.constLast())) {
        m_error = {StoreError::Kind::NotFound,
                   u"replay of %1 has not loaded version %2 yet"_s.arg(m_stream).arg(version)};
        return std::nullopt;
    }
    if (version > m_versions.constLast()) {
        m_error = {StoreError::Kind::NotFound,
                   u"stream %1 ends at version %2; there is no version %3"_s.arg(m_stream)
                       .arg(m_versions.constLast())
                       .arg(version)};
        return std::nullopt;
    }
    const auto it = std::upper_bound(m_versions.cbegin(), m_versions.cend(), version);
    return stateAtIndex(qint64(it - m_versions.cbegin()) - 1);
}

std::optional<ReplayState> ReplayEngine::stateAtTime(qint64 timeMs)
{
    if (!requireLoaded())
        return std::nullopt;
    // Times are usually in version order, but a store may say otherwise: the answer is the
    // last event (in version order) recorded at or before the time.
    qint64 index = -1;
    if (m_timesSorted) {
        index =
            qint64(std::upper_bound(m_times.cbegin(), m_times.cend(), timeMs) - m_times.cbegin()) -
            1;
    } else {
        for (qint64 i = m_times.size() - 1; i >= 0; --i) {
            if (m_times.at(i) != NoTime && m_times.at(i) <= timeMs) {
                index = i;
                break;
            }
        }
    }
    return stateAtIndex(index);
}

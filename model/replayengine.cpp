#include "replayengine.h"

#include "eventstore.h"
#include "jsonmergetree.h"
#include "payload.h"
#include "postgresstreamreader.h"
#include "sqlitestreamreader.h"

#include <QJsonDocument>

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

ReplayEngine::ReplayEngine(EventStore &store, const QString &stream, const Projection &projection,
                           const Options &options)
    : m_store(store), m_stream(stream), m_projection(projection), m_options(options),
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

void ReplayEngine::clear()
{
    m_loaded = false;
    m_versions.clear();
    m_times.clear();
    m_positions.clear();
    m_checkpoints.clear();
    m_checkpointBytes = 0;
    m_cursor.reset();
    m_interval = qMax(1, m_options.checkpointInterval);
}

bool ReplayEngine::finishLoad()
{
    if (m_versions.isEmpty()) {
        m_error = u"%1: no stream named '%2'"_s.arg(m_store.location().displayName(), m_stream);
        return false;
    }
    m_timesSorted = std::is_sorted(m_times.cbegin(), m_times.cend());
    m_loaded = true;
    return true;
}

bool ReplayEngine::load(const JobControl &job)
{
    clear();
    if (m_projection.isDefaultMerge()) {
        if (auto reader = m_store.streamReader(m_stream, std::numeric_limits<qint64>::min()))
            return loadMerged(*reader, job);
        if (auto reader =
                m_store.postgresStreamReader(m_stream, std::numeric_limits<qint64>::min()))
            return loadMerged(*reader, job);
    }

    ReplayState state;
    state.stream = m_stream;
    addCheckpoint(state);

    qint64 after = std::numeric_limits<qint64>::min();
    for (;;) {
        if (job.cancelled()) {
            m_error = u"replay of %1 cancelled"_s.arg(m_stream);
            return false;
        }
        const auto chunk = m_store.streamEvents(m_stream, after, m_options.fetchChunk);
        if (!chunk) {
            m_error = m_store.errorString();
            return false;
        }
        for (const Event &event : *chunk) {
            applyEvent(state, event);
            m_versions << event.version;
            m_times << event.timeMs;
            m_positions << event.position;
            if ((state.index + 1) % m_interval == 0)
                addCheckpoint(state);
        }
        job.report(m_versions.size(), -1);
        if (chunk->size() < m_options.fetchChunk)
            break;
        after = chunk->constLast().version;
    }
    return finishLoad();
}

std::optional<Event> ReplayEngine::genericEvent(SqliteStreamReader &reader, qint64 afterVersion)
{
    // Read again with the generic query, one event.
    const auto event = m_store.streamEvents(m_stream, afterVersion, 1);
    if (!event) {
        m_error = m_store.errorString();
        return std::nullopt;
    }
    if (event->size() != 1 || event->constFirst().position != reader.position()) {
        m_error = u"stream %1 changed while it was being replayed"_s.arg(m_stream);
        return std::nullopt;
    }
    return event->constFirst();
}

// Decoded from the row in hand: libpq's connection is busy with the stream's rows.
std::optional<Event> ReplayEngine::genericEvent(const PostgresStreamReader &reader) const
{
    return m_store.readEvent(reader);
}

template <typename Reader> bool ReplayEngine::loadMerged(Reader &reader, const JobControl &job)
{
    addCheckpoint(-1, QByteArrayLiteral("{}"), {});
    JsonMergeTree state;
    TypeCounts counts;
    qint64 index = -1;
    qint64 lastVersion = std::numeric_limits<qint64>::min();
    typename Reader::Step step;
    while ((step = reader.next()) == Reader::Step::Row) {
        ++index;
        if (index % CancelCheckEvery == 0) {
            if (job.cancelled()) {
                m_error = u"replay of %1 cancelled"_s.arg(m_stream);
                return false;
            }
            job.report(index, -1);
        }
        const qint64 version = reader.version();
        const qint64 position = reader.position();
        qint64 timeMs = NoTime;
        if (reader.isPlain() && state.mergeJson(reader.data()) != JsonMergeTree::Outcome::UseQt) {
            counts.add(reader.type());
            timeMs = reader.timeMs();
        } else {
            // A row only the generic path reads faithfully: read it that way, one event.
            std::optional<Event> event;
            if constexpr (std::is_same_v<Reader, PostgresStreamReader>)
                event = genericEvent(reader);
            else
                event = genericEvent(reader, lastVersion);
            if (!event)
                return false;
            const Event &e = *event;
            if (const auto json = Payload::toJson(e.data); json && json->isObject())
                state.merge(json->toObject());
            counts.add(e.type.toUtf8().toStdString());
            timeMs = e.timeMs;
        }
        lastVersion = version;
        m_versions << version;
        m_times << timeMs;
        m_positions << position;
        if ((index + 1) % m_interval == 0)
            addCheckpoint(index, state.toJson(), counts.toMap());
    }
    if (step == Reader::Step::Failed) {
        m_error = reader.wasInterrupted()
                      ? u"replay of %1 cancelled"_s.arg(m_stream)
                      : u"%1: reading stream %2 failed: %3"_s.arg(m_store.location().displayName(),
                                                                  m_stream, reader.errorString());
        return false;
    }
    job.report(m_versions.size(), -1);
    return finishLoad();
}

void ReplayEngine::addCheckpoint(ReplayState &state)
{
    // Qt keeps a JSON object's string bytes in an append-only buffer, so a state that many
    // events have rewritten carries a buffer far larger than itself, copied whenever a shared
    // copy is modified. Rebuilding the state from its text keeps both the checkpoint and the
    // fold going on from it compact.
    state.state = addCheckpoint(
        state.index, QJsonDocument(state.state).toJson(QJsonDocument::Compact), state.eventCounts);
}

QJsonObject ReplayEngine::addCheckpoint(qint64 index, const QByteArray &compactJson,
                                        const QMap<QString, qint64> &counts)
{
    Checkpoint c;
    c.index = index;
    c.state = QJsonDocument::fromJson(compactJson).object();
    c.counts = counts;
    // The text's size stands in for the memory the state takes.
    c.bytes = compactJson.size() + qint64(sizeof(Checkpoint)) + c.counts.size() * 64;
    m_checkpointBytes += c.bytes;
    m_checkpoints << c;
    while (m_checkpointBytes > m_options.checkpointBudgetBytes && m_checkpoints.size() > 1)
        thinCheckpoints();
    return c.state;
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
        m_error = u"replay of %1 is not loaded"_s.arg(m_stream);
    return m_loaded;
}

std::optional<ReplayState> ReplayEngine::stateAtIndex(qint64 index)
{
    if (!requireLoaded())
        return std::nullopt;
    if (index < -1 || index >= eventCount()) {
        m_error = u"stream %1 has %2 events; there is no event number %3"_s.arg(m_stream)
                      .arg(eventCount())
                      .arg(index + 1);
        return std::nullopt;
    }
    m_lastApplications = 0;
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

    QJsonObject before;
    while (state.index < index) {
        const qint64 after =
            state.index >= 0 ? m_versions.at(state.index) : std::numeric_limits<qint64>::min();
        const int want = int(qMin<qint64>(index - state.index, m_options.fetchChunk));
        const auto chunk = m_store.streamEvents(m_stream, after, want);
        if (!chunk) {
            m_error = m_store.errorString();
            return std::nullopt;
        }
        if (chunk->size() != want) {
            m_error = u"stream %1 changed while it was being replayed"_s.arg(m_stream);
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
    if (!requireLoaded())
        return std::nullopt;
    if (version > m_versions.constLast()) {
        m_error = u"stream %1 ends at version %2; there is no version %3"_s.arg(m_stream)
                      .arg(m_versions.constLast())
                      .arg(version);
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

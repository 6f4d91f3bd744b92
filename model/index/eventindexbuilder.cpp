#include "index/eventindexbuilder.h"

#include "core/naturalorder.h"
#include "store/eventstore.h"
#include "store/keyedjoinscan.h"
#include "store/postgresstreamreader.h"
#include "store/sqlitestreamreader.h"

#include <QElapsedTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>

using namespace Qt::StringLiterals;

// Internal to the builder; named so that EventIndexBuild can hold its parts.
namespace EventIndexBuilding {

constexpr qint64 RowsPerCheck = 16384; // between looks at the cancel flag and progress
constexpr int MaxTypes = 0xffff;
constexpr int ProgressMs = 50;

// Interns names to dense ids. Open addressing with each slot keeping its name's hash, and the
// names back to back in one buffer: a lookup touches one slot and one name, where a node-based
// map chases three pointers (a third of the scan's time with 100,000 streams).
class NameTable
{
public:
    std::size_t size() const { return m_spans.size(); }
    std::string_view name(std::size_t id) const
    {
        return std::string_view(m_bytes).substr(m_spans[id].first, m_spans[id].second);
    }

    // The name's id; a new name gets the next one.
    quint32 intern(std::string_view name)
    {
        const std::size_t hash = std::hash<std::string_view>()(name);
        std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            Slot &slot = m_slots[i];
            if (slot.id == Empty) {
                const auto id = quint32(m_spans.size());
                slot = {hash, id};
                m_spans.emplace_back(m_bytes.size(), name.size());
                m_bytes.append(name);
                if (m_spans.size() * 2 > m_slots.size())
                    grow();
                return id;
            }
            if (slot.hash == hash && this->name(slot.id) == name)
                return slot.id;
        }
    }

private:
    static constexpr quint32 Empty = 0xffffffffu;
    struct Slot
    {
        std::size_t hash = 0;
        quint32 id = Empty;
    };

    void grow()
    {
        std::vector<Slot> wider(m_slots.size() * 2);
        const std::size_t mask = wider.size() - 1;
        for (const Slot &slot : m_slots) {
            if (slot.id == Empty)
                continue;
            std::size_t i = slot.hash & mask;
            while (wider[i].id != Empty)
                i = (i + 1) & mask;
            wider[i] = slot;
        }
        m_slots.swap(wider);
    }

    std::vector<Slot> m_slots = std::vector<Slot>(1024);
    std::string m_bytes;
    std::vector<std::pair<std::size_t, std::size_t>> m_spans; // offset and size, by id
};

// The columns of one half of the position range, with its own ids for types and streams.
struct Part
{
    PositionOffsets positions; // minus the store's first position
    CompactIntegers versions{EventIndex::NoVersion};
    std::vector<qint64> times;
    std::vector<quint16> types;
    std::vector<quint32> streams;
    NameTable typeNames;
    NameTable streamNames;
    std::vector<EventIndex::Totals> totals; // by stream id
    qint64 firstTimeMs = NoTime;
    qint64 lastTimeMs = NoTime;
    bool streamsAreText = true;
    QString error;

    quint32 streamId(std::string_view name)
    {
        const quint32 id = streamNames.intern(name);
        if (id == totals.size())
            totals.emplace_back();
        return id;
    }

    std::optional<quint16> typeId(std::string_view name)
    {
        const quint32 id = typeNames.intern(name);
        if (id >= quint32(MaxTypes))
            return std::nullopt;
        return quint16(id);
    }
};

// The first and last versions of a stream and their times; on a tie the earlier position
// wins, as the SQL's LIMIT 1 over the (stream, version) index gives.
void addVersion(EventIndex::Totals &s, qint64 version, qint64 timeMs)
{
    if (!s.hasVersion || version < s.firstVersion) {
        s.firstVersion = version;
        s.firstTimeMs = timeMs;
    }
    if (!s.hasVersion || version > s.lastVersion) {
        s.lastVersion = version;
        s.lastTimeMs = timeMs;
    }
    s.hasVersion = true;
}

// The later half's totals into the earlier half's.
void mergeTotals(EventIndex::Totals &into, const EventIndex::Totals &later)
{
    into.events += later.events;
    if (!later.hasVersion)
        return;
    if (!into.hasVersion) {
        const qint64 events = into.events;
        into = later;
        into.events = events;
        return;
    }
    if (later.firstVersion < into.firstVersion) {
        into.firstVersion = later.firstVersion;
        into.firstTimeMs = later.firstTimeMs;
    }
    if (later.lastVersion > into.lastVersion) {
        into.lastVersion = later.lastVersion;
        into.lastTimeMs = later.lastTimeMs;
    }
}

class Scan
{
public:
    // reports: this scan runs on the caller's thread and may call the job's progress.
    Scan(const JobControl &job, std::atomic<qint64> &rows, qint64 total, bool reports)
        : m_job(job), m_rows(rows), m_total(total), m_reports(reports)
    {
    }

    // firstPosition: the store's, which the positions are kept relative to. room: the events
    // the part's columns have room for, so that the later half is appended to the earlier
    // one's columns without moving them (which would hold a column twice for a moment).
    bool run(EventStore &store, qint64 firstPosition, qint64 after, qint64 upTo, qint64 room,
             Part &part)
    {
        const auto expected = std::size_t(std::max<qint64>(0, room));
        part.versions.reserve(expected);
        part.times.reserve(expected);
        part.types.reserve(expected);
        part.streams.reserve(expected);
        bool ok = true;
        if (store.dialect() == SqlDialect::Sqlite) {
            if (auto walk = store.keyedJoinScan(after, upTo))
                ok = read(std::move(walk), store, firstPosition, part);
            else
                ok = read(store.indexScan(after, upTo), store, firstPosition, part);
        } else {
            // A statement per range of positions, each result read whole.
            for (qint64 from = after; ok && from < upTo; from += PostgresRangePositions)
                ok = read(
                    store.postgresIndexScan(from, std::min(upTo, from + PostgresRangePositions)),
                    store, firstPosition, part);
        }
        m_rows += m_sinceCheck;
        m_sinceCheck = 0;
        return ok;
    }

private:
    // Positions per PostgreSQL statement: few enough that the server walks the position's
    // index and a result is a few megabytes, many enough that a statement's round trip is
    // small beside its rows.
    static constexpr qint64 PostgresRangePositions = 65536;

    template<typename Reader>
    bool read(std::unique_ptr<Reader> reader, EventStore &store, qint64 firstPosition, Part &part)
    {
        if (!reader) {
            part.error = store.errorString();
            return false;
        }
        for (;;) {
            switch (reader->next()) {
            case Reader::Step::Done:
                return true;
            case Reader::Step::Failed:
                part.error = reader->errorString();
                return false;
            case Reader::Step::Row:
                break;
            }
            const auto type = part.typeId(reader->type());
            if (!type) {
                part.error = u"more than %1 event types"_s.arg(MaxTypes);
                return false;
            }
            const qint64 timeMs = reader->timeMs();
            if (timeMs != NoTime) {
                if (part.firstTimeMs == NoTime || timeMs < part.firstTimeMs)
                    part.firstTimeMs = timeMs;
                if (part.lastTimeMs == NoTime || timeMs > part.lastTimeMs)
                    part.lastTimeMs = timeMs;
            }
            quint32 stream = EventIndex::NullStream;
            if (reader->isStreamNull()) {
                part.streamsAreText = false;
            } else {
                part.streamsAreText = part.streamsAreText && reader->isStreamText();
                stream = part.streamId(reader->stream());
                EventIndex::Totals &totals = part.totals[stream];
                ++totals.events;
                if (reader->hasVersion())
                    addVersion(totals, reader->version(), timeMs);
            }
            part.positions.push_back(quint32(reader->position() - firstPosition));
            part.versions.push_back(reader->hasVersion() ? reader->version()
                                                         : EventIndex::NoVersion);
            part.times.push_back(timeMs);
            part.types.push_back(*type);
            part.streams.push_back(stream);
            if (++m_sinceCheck == RowsPerCheck) {
                m_rows += m_sinceCheck;
                m_sinceCheck = 0;
                if (m_job.cancelled())
                    return false;
                if (m_reports)
                    m_job.report(m_rows, m_total);
            }
        }
    }

    const JobControl &m_job;
    std::atomic<qint64> &m_rows;
    qint64 m_total = 0;
    bool m_reports = false;
    qint64 m_sinceCheck = 0;
};

} // namespace EventIndexBuilding

using namespace EventIndexBuilding;

struct EventIndexAssembly
{
    // The index of two parts of a position range, the later appended to the earlier (whose ids it
    // takes); streamsText: the layout's streams are the text they are listed by.
    static std::shared_ptr<const EventIndex> assemble(qint64 first, Part &&early, Part &&late,
                                                      bool streamsText, const QString &name,
                                                      QString *error)
    {
        auto index = std::make_shared<EventIndex>();
        // The later half's ids become the earlier half's.
        std::vector<quint16> typeMap(late.typeNames.size());
        for (std::size_t i = 0; i < late.typeNames.size(); ++i) {
            const auto type = early.typeId(late.typeNames.name(i));
            if (!type) {
                *error = u"%1: cannot index the events: more than %2 event types"_s.arg(name).arg(
                    MaxTypes);
                return nullptr;
            }
            typeMap[i] = *type;
        }
        std::vector<quint32> streamMap(late.streamNames.size());
        for (std::size_t i = 0; i < late.streamNames.size(); ++i) {
            const quint32 id = early.streamId(late.streamNames.name(i));
            streamMap[i] = id;
            mergeTotals(early.totals[id], late.totals[i]);
        }
        // Each of the later half's columns is freed as soon as it is appended.
        index->m_firstPosition = first;
        index->m_positions = std::move(early.positions);
        index->m_positions.append(std::move(late.positions));
        index->m_versions = std::move(early.versions);
        index->m_versions.append(std::move(late.versions));
        index->m_times = std::move(early.times);
        index->m_times.insert(index->m_times.end(), late.times.cbegin(), late.times.cend());
        late.times = {};
        index->m_types = std::move(early.types);
        for (const quint16 type : late.types)
            index->m_types.push_back(typeMap[type]);
        late.types = {};
        index->m_streams = std::move(early.streams);
        for (const quint32 stream : late.streams)
            index->m_streams.push_back(stream == EventIndex::NullStream ? stream
                                                                        : streamMap[stream]);
        late.streams = {};

        for (std::size_t i = 0; i < early.typeNames.size(); ++i) {
            const std::string_view type = early.typeNames.name(i);
            index->m_typeNames << QString::fromUtf8(type.data(), qsizetype(type.size()));
        }
        index->m_streamTotals = std::move(early.totals);
        index->m_streamNames.reserve(early.streamNames.size());
        for (std::size_t i = 0; i < early.streamNames.size(); ++i) {
            const std::string_view name = early.streamNames.name(i);
            index->m_streamNames.emplace_back(name.data(), qsizetype(name.size()));
        }
        const auto &names = index->m_streamNames;
        const auto &totals = index->m_streamTotals;
        index->m_byName.resize(totals.size());
        for (std::size_t i = 0; i < totals.size(); ++i)
            index->m_byName[i] = quint32(i);
        std::sort(index->m_byName.begin(), index->m_byName.end(),
                  [&](quint32 a, quint32 b) { return NaturalOrder::less(names[a], names[b]); });
        index->m_byEvents = index->m_byName;
        std::stable_sort(index->m_byEvents.begin(), index->m_byEvents.end(),
                         [&](quint32 a, quint32 b) { return totals[a].events > totals[b].events; });
        index->m_streamsAreText = early.streamsAreText && late.streamsAreText && streamsText;
        for (const Part *part : {&early, &late}) {
            if (part->firstTimeMs == NoTime)
                continue;
            if (index->m_firstTimeMs == NoTime || part->firstTimeMs < index->m_firstTimeMs)
                index->m_firstTimeMs = part->firstTimeMs;
            if (index->m_lastTimeMs == NoTime || part->lastTimeMs > index->m_lastTimeMs)
                index->m_lastTimeMs = part->lastTimeMs;
        }
        return index;
    }

    // The columns of an index as the earlier part of a range, its ids kept.
    static Part partOf(const EventIndex &index)
    {
        Part part;
        part.positions = index.m_positions;
        part.versions = index.m_versions;
        part.times = index.m_times;
        part.types = index.m_types;
        part.streams = index.m_streams;
        for (const QString &type : index.m_typeNames)
            part.typeId(type.toStdString());
        for (const QByteArray &stream : index.m_streamNames)
            part.streamId(std::string_view(stream.constData(), std::size_t(stream.size())));
        part.totals = index.m_streamTotals;
        part.firstTimeMs = index.m_firstTimeMs;
        part.lastTimeMs = index.m_lastTimeMs;
        part.streamsAreText = index.m_streamsAreText;
        return part;
    }
};

std::unique_ptr<EventIndexBuild> EventIndexBuild::start(EventStore &store, QString *error)
{
    const QString name = store.location().displayName();
    const auto range = store.positionRange();
    if (!range) {
        *error = store.errorString();
        return nullptr;
    }
    const auto [first, last] = *range;
    const qint64 span = last >= first ? last - first + 1 : 0;
    if (span > EventIndexBuilder::MaxEvents) {
        *error = u"%1: %2 positions are more than the in-memory index takes (%3)"_s.arg(name)
                     .arg(span)
                     .arg(EventIndexBuilder::MaxEvents);
        return nullptr;
    }
    return std::unique_ptr<EventIndexBuild>(new EventIndexBuild(store, first, last));
}

EventIndexBuild::EventIndexBuild(EventStore &store, qint64 first, qint64 last)
    : m_store(&store), m_name(store.location().displayName()), m_first(first), m_last(last),
      m_span(last >= first ? last - first + 1 : 0), m_scannedUpTo(first - 1),
      m_early(std::make_unique<Part>()), m_late(std::make_unique<Part>())
{
    m_lateJob.cancel = &m_stop;
    // A store read as one snapshot (a CLI command) is read on its one connection: a second
    // one would read another state of a store that a writer changes meanwhile. Then the whole
    // range is the earlier half.
    if (store.inSnapshot()) {
        m_middle = last;
        m_lateFinished = true;
        m_lateOk = true;
        return;
    }
    m_middle = first - 1 + m_span / 2;
    // The later half on its own connection, opened on its own thread.
    m_lateThread = std::thread([this, location = store.location(), options = store.openOptions()] {
        StoreError openError;
        if (auto other = EventStore::open(location, options, &openError))
            m_lateOk = Scan(m_lateJob, m_rows, m_span, false)
                           .run(*other, m_first, m_middle, m_last, m_last - m_middle, *m_late);
        else
            m_late->error = openError.message;
        m_lateFinished = true;
    });
}

EventIndexBuild::~EventIndexBuild()
{
    m_stop = true;
    if (m_lateThread.joinable())
        m_lateThread.join();
}

EventIndexBuild::State EventIndexBuild::advance(EventStore &store, const JobControl &job,
                                                qint64 positions)
{
    if (&store != m_store) {
        m_stop = true;
        m_error = u"%1: the store was opened again while it was indexed"_s.arg(m_name);
        return State::Failed;
    }
    if (m_scannedUpTo < m_middle) {
        const qint64 upTo = std::min(m_middle, m_scannedUpTo + std::max<qint64>(1, positions));
        const bool ok = Scan(job, m_rows, m_span, true)
                            .run(store, m_first, m_scannedUpTo, upTo, m_span, *m_early);
        m_scannedUpTo = upTo;
        if (!ok)
            return fail(job, m_early->error);
        job.report(m_rows, m_span);
        if (m_scannedUpTo < m_middle)
            return State::Running;
    }
    // The earlier half is done: the caller waits a moment for the later one, reporting.
    for (QElapsedTimer waited; !m_lateFinished;) {
        if (!waited.isValid())
            waited.start();
        if (job.cancelled())
            return fail(job, {});
        job.report(m_rows, m_span);
        if (waited.elapsed() >= ProgressMs)
            return State::Running;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (m_lateThread.joinable())
        m_lateThread.join();
    job.report(m_rows, m_span);
    if (!m_lateOk)
        return fail(job, m_late->error);
    return State::Done;
}

EventIndexBuild::State EventIndexBuild::fail(const JobControl &job, const QString &why)
{
    m_stop = true;
    m_error = job.cancelled() ? u"%1: indexing cancelled"_s.arg(m_name)
                              : u"%1: cannot index the events: %2"_s.arg(m_name, why);
    return State::Failed;
}

std::shared_ptr<const EventIndex> EventIndexBuild::finish(QString *error)
{
    return EventIndexAssembly::assemble(m_first, std::move(*m_early), std::move(*m_late),
                                        m_store->layout().streamText == m_store->layout().stream,
                                        m_name, error);
}

std::shared_ptr<const EventIndex> EventIndexBuilder::build(EventStore &store, const JobControl &job,
                                                           QString *error)
{
    const auto build = EventIndexBuild::start(store, error);
    if (!build)
        return nullptr;
    EventIndexBuild::State state;
    // The earlier half in one part: nothing else waits for this caller.
    while ((state = build->advance(store, job, MaxEvents)) == EventIndexBuild::State::Running) {
    }
    if (state == EventIndexBuild::State::Failed) {
        *error = build->errorString();
        return nullptr;
    }
    return build->finish(error);
}

std::optional<StoreSummary> EventIndexBuilder::exactSummary(EventStore &store,
                                                            const JobControl &job)
{
    // A store the index does not take is counted by SQL; so is one whose scan failed, and
    // the SQL then says why.
    QString indexError;
    if (store.dialect() == SqlDialect::Sqlite) {
        if (auto index = build(store, job, &indexError))
            store.attachIndex(std::move(index));
    }
    return store.summary(job);
}

std::shared_ptr<const EventIndex>
EventIndexBuilder::extend(const std::shared_ptr<const EventIndex> &grown, EventStore &store,
                          const JobControl &job, QString *error)
{
    const EventIndex &index = *grown;
    const QString name = store.location().displayName();
    const auto range = store.positionRange();
    if (!range) {
        *error = store.errorString();
        return nullptr;
    }
    const auto [first, last] = *range;
    const qint64 count = index.eventCount();
    const qint64 indexedUpTo =
        count == 0 ? first - 1 : index.m_firstPosition + index.m_positions[std::size_t(count - 1)];
    if (count == 0 || first != index.m_firstPosition || last < indexedUpTo) {
        *error = u"%1: the events changed other than by new ones after the last"_s.arg(name);
        return nullptr;
    }
    if (last == indexedUpTo)
        return grown;
    if (last - first + 1 > MaxEvents) {
        *error = u"%1: %2 positions are more than the in-memory index takes (%3)"_s.arg(name)
                     .arg(last - first + 1)
                     .arg(MaxEvents);
        return nullptr;
    }
    std::atomic<qint64> rows{0};
    Part later;
    if (!Scan(job, rows, last - indexedUpTo, true)
             .run(store, first, indexedUpTo, last, last - indexedUpTo, later)) {
        *error = job.cancelled() ? u"%1: indexing cancelled"_s.arg(name)
                                 : u"%1: cannot index the new events: %2"_s.arg(name, later.error);
        return nullptr;
    }
    return EventIndexAssembly::assemble(first, EventIndexAssembly::partOf(index), std::move(later),
                                        store.layout().streamText == store.layout().stream, name,
                                        error);
}

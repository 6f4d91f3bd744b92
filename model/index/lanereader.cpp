#include "index/lanereader.h"

#include "store/eventstore.h"
#include "store/sqlitestreamreader.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr int LanePage = 5000;

class LaneBuilder
{
public:
    explicit LaneBuilder(const QString &stream) { m_lane.stream = stream; }
    // The events without a time have no place on a timeline.
    void add(qint64 timeMs, const QString &type, qint64 version, qint64 position)
    {
        if (timeMs == NoTime)
            return;
        m_lane.times << timeMs;
        m_lane.types << type;
        m_lane.versions << version;
        m_lane.positions << position;
    }
    StreamColumns take() { return std::move(m_lane); }

private:
    StreamColumns m_lane;
};

} // namespace

LaneReader::LaneReader(EventStore &store) : m_store(store) {}

std::optional<QVector<StreamColumns>> LaneReader::read(const QString &first, int count,
                                                       const JobControl &job)
{
    m_error = {};
    if (!m_busiest || m_busiestAsked < count) {
        StreamQuery query;
        query.order = StreamQuery::Order::MostEvents;
        query.limit = count;
        const auto busiest = m_store.streams(query);
        if (!busiest) {
            m_error = m_store.lastError();
            return std::nullopt;
        }
        m_busiest = QStringList();
        for (const StreamInfo &info : *busiest)
            *m_busiest << info.stream;
        m_busiestAsked = count;
    }
    QStringList streams;
    if (!first.isEmpty())
        streams << first;
    for (const QString &stream : std::as_const(*m_busiest)) {
        if (streams.size() < count && !streams.contains(stream))
            streams << stream;
    }
    // The index holds every event's time, type, version and position: one pass over it
    // where the store would read millions of rows again.
    if (const auto &index = m_store.index(); index && index->servesStreams())
        return index->lanes(streams);
    QVector<StreamColumns> lanes;
    for (const QString &stream : std::as_const(streams)) {
        auto lane = readStream(stream, job);
        if (!lane)
            return std::nullopt;
        lanes << std::move(*lane);
    }
    return lanes;
}

// Over the C API where the store allows (a third of the time at millions of events: no
// QVariant per column, no payload, one QString per type name); else in pages of events.
std::optional<StreamColumns> LaneReader::readStream(const QString &stream, const JobControl &job)
{
    const auto reader = m_store.streamReader(stream, std::numeric_limits<qint64>::min());
    if (!reader)
        return readStreamInPages(stream, job);
    LaneBuilder lane(stream);
    // A stream has a few types: a short list, looked up without a string per row.
    std::vector<std::pair<std::string, QString>> typeNames;
    for (qint64 rows = 1;; ++rows) {
        switch (reader->next()) {
        case SqliteStreamReader::Step::Done:
            return lane.take();
        case SqliteStreamReader::Step::Failed:
            m_error = {reader->errorKind(),
                       u"%1: reading stream %2 failed: %3"_s.arg(m_store.location().displayName(),
                                                                 stream, reader->errorString())};
            return std::nullopt;
        case SqliteStreamReader::Step::Row:
            break;
        }
        const std::string_view type = reader->type();
        auto name = std::find_if(typeNames.begin(), typeNames.end(),
                                 [type](const auto &known) { return known.first == type; });
        if (name == typeNames.end())
            name = typeNames.insert(
                typeNames.end(),
                {std::string(type), QString::fromUtf8(type.data(), qsizetype(type.size()))});
        lane.add(reader->timeMs(), name->second, reader->version(), reader->position());
        if (rows % LanePage == 0 && job.cancelled()) {
            m_error = StoreError::cancelled();
            return std::nullopt;
        }
    }
}

std::optional<StreamColumns> LaneReader::readStreamInPages(const QString &stream,
                                                           const JobControl &job)
{
    LaneBuilder lane(stream);
    qint64 after = std::numeric_limits<qint64>::min();
    for (;;) {
        if (job.cancelled()) {
            m_error = StoreError::cancelled();
            return std::nullopt;
        }
        const auto page = m_store.streamEvents(stream, after, LanePage);
        if (!page) {
            m_error = m_store.lastError();
            return std::nullopt;
        }
        for (const Event &e : *page)
            lane.add(e.timeMs, e.type, e.version, e.position);
        if (page->size() < LanePage)
            return lane.take();
        after = page->constLast().version;
    }
}

#include "writers/demogenerator.h"
#include "writers/ownstorewriter.h"

#include <QRandomGenerator>
#include <QVarLengthArray>
#include <QVector>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <initializer_list>
#include <iterator>
#include <mutex>
#include <numeric>
#include <thread>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MinuteMs = 60 * 1000;
constexpr qint64 HourMs = 60 * MinuteMs;
constexpr qint64 DayMs = 24 * HourMs;
constexpr int MinutesPerDay = 24 * 60;
constexpr qint64 ProgressEvery = 10000;
constexpr qint64 CancelCheckEvery = 1024;

// How the events split once users and posts exist; the rest are clicks.
constexpr double RenameShare = 0.005;
constexpr double UpdateShare = 0.02;
constexpr double EditShare = 0.01;
// Posts per event (one per 250) but no more than this many per user, so that large stores
// still have posts that gather clicks.
constexpr qint64 EventsPerPost = 250;
constexpr qint64 PostsPerUser = 20;
// The viral post: its extra traffic peaks at this many times the quiet-day weight 1.0, rises
// for a few minutes and decays over a few hours.
constexpr double SpikeHeight = 12.0;
constexpr double SpikeRiseMinutes = 20.0;
constexpr double SpikeDecayMinutes = 80.0;
constexpr double SpikeMinutes = 300.0;

const QByteArray UserCreated = QByteArrayLiteral("UserCreated");
const QByteArray UserRenamed = QByteArrayLiteral("UserRenamed");
const QByteArray UserUpdated = QByteArrayLiteral("UserUpdated");
const QByteArray Clicked = QByteArrayLiteral("Clicked");
const QByteArray PostPublished = QByteArrayLiteral("PostPublished");
const QByteArray PostEdited = QByteArrayLiteral("PostEdited");

const QLatin1String FirstNames[] = {
    "Ada"_L1,     "Alan"_L1,   "Grace"_L1,     "Linus"_L1,  "Margaret"_L1, "Dennis"_L1,
    "Barbara"_L1, "Ken"_L1,    "Frances"_L1,   "Edsger"_L1, "Radia"_L1,    "Donald"_L1,
    "Hedy"_L1,    "Tim"_L1,    "Katherine"_L1, "John"_L1,   "Sophie"_L1,   "Niklaus"_L1,
    "Lynn"_L1,    "Bjarne"_L1, "Annie"_L1,     "Claude"_L1, "Joan"_L1,     "Seymour"_L1,
};
const QLatin1String LastNames[] = {
    "Lovelace"_L1, "Turing"_L1,   "Hopper"_L1, "Torvalds"_L1, "Hamilton"_L1, "Ritchie"_L1,
    "Liskov"_L1,   "Thompson"_L1, "Allen"_L1,  "Dijkstra"_L1, "Perlman"_L1,  "Knuth"_L1,
    "Lamarr"_L1,   "Johnson"_L1,  "Backus"_L1, "Wilson"_L1,   "Wirth"_L1,    "Conway"_L1,
};
// Repeated entries weight the choice.
const QLatin1String Plans[] = {"free"_L1, "free"_L1, "free"_L1, "pro"_L1, "team"_L1};
const QLatin1String Referrers[] = {"direct"_L1,  "google"_L1,   "google"_L1, "newsletter"_L1,
                                   "twitter"_L1, "linkedin"_L1, "reddit"_L1, "hackernews"_L1};
const QLatin1String ViralReferrers[] = {"hackernews"_L1, "hackernews"_L1, "reddit"_L1, "twitter"_L1,
                                        "direct"_L1};
const QLatin1String Sources[] = {"web"_L1, "web"_L1, "web"_L1, "mobile"_L1, "mobile"_L1};
const QLatin1String TitleVerbs[] = {"Understanding"_L1, "Debugging"_L1, "Scaling"_L1,
                                    "Testing"_L1,       "Replaying"_L1, "Designing"_L1,
                                    "Profiling"_L1,     "Migrating"_L1};
const QLatin1String TitleTopics[] = {"event stores"_L1,   "projections"_L1,        "snapshots"_L1,
                                     "Qt item models"_L1, "SQLite indexes"_L1,     "time zones"_L1,
                                     "read models"_L1,    "idempotent handlers"_L1};
const QLatin1String TitleEndings[] = {""_L1,
                                      " in practice"_L1,
                                      " the hard way"_L1,
                                      " for beginners"_L1,
                                      ": lessons learned"_L1,
                                      " at scale"_L1};
const QLatin1String Tags[] = {"cqrs"_L1, "event-sourcing"_L1, "sqlite"_L1,      "qt"_L1,
                              "cpp"_L1,  "testing"_L1,        "performance"_L1, "design"_L1};
struct City
{
    QLatin1String name;
    QLatin1String timezone;
};
const City Cities[] = {
    {"Lisbon"_L1, "Europe/Lisbon"_L1},    {"Berlin"_L1, "Europe/Berlin"_L1},
    {"Oslo"_L1, "Europe/Oslo"_L1},        {"Nairobi"_L1, "Africa/Nairobi"_L1},
    {"Osaka"_L1, "Asia/Tokyo"_L1},        {"Lima"_L1, "America/Lima"_L1},
    {"Toronto"_L1, "America/Toronto"_L1}, {"Melbourne"_L1, "Australia/Melbourne"_L1},
};

template<typename T, std::size_t N> const T &pick(QRandomGenerator &rng, const T (&list)[N])
{
    return list[rng.bounded(quint32(N))];
}

QByteArray concat(std::initializer_list<QLatin1String> parts)
{
    QByteArray out;
    for (QLatin1String part : parts)
        out.append(part.data(), part.size());
    return out;
}

// Seeds are 64-bit but QRandomGenerator takes 32-bit words; the salt gives the time plan and
// the event content independent sequences.
QRandomGenerator seededGenerator(quint64 seed, quint32 salt)
{
    const quint32 words[] = {quint32(seed), quint32(seed >> 32), salt};
    return QRandomGenerator(words, std::size(words));
}

const char HexDigits[] = {'0', '1', '2', '3', '4', '5', '6', '7',
                          '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

// A random (version 4) UUID drawn from rng, so that ids repeat with the seed.
void appendUuid(QByteArray &out, QRandomGenerator &rng)
{
    const quint64 halves[] = {(rng.generate64() & ~0xF000ULL) | 0x4000ULL,
                              (rng.generate64() & ~(0xC000ULL << 48)) | (0x8000ULL << 48)};
    char text[36];
    char *next = text;
    for (int byte = 0; byte < 16; ++byte) {
        if (byte == 4 || byte == 6 || byte == 8 || byte == 10)
            *next++ = '-';
        const auto value = quint8(halves[byte / 8] >> (56 - 8 * (byte % 8)));
        *next++ = HexDigits[value >> 4];
        *next++ = HexDigits[value & 0xF];
    }
    out.append(text, sizeof text);
}

// Builds the demo's small JSON objects by concatenation, far cheaper per event than a
// QJsonDocument; the text is composed on the stack and appended to the output once, when the
// outermost object closes. Strings are escaped even though the demo's own words never need it, so
// that a new word list cannot produce broken JSON.
class JsonBuilder
{
public:
    explicit JsonBuilder(QByteArray &out) : m_out(out) { m_text.append('{'); }

    JsonBuilder &text(QLatin1String key, QLatin1String value)
    {
        appendKey(key);
        appendString(value);
        return *this;
    }
    JsonBuilder &text(QLatin1String key, const QByteArray &value)
    {
        return text(key, QLatin1String(value.constData(), value.size()));
    }
    JsonBuilder &number(QLatin1String key, qint64 value)
    {
        appendKey(key);
        char digits[24];
        const auto result = std::to_chars(std::begin(digits), std::end(digits), value);
        m_text.append(digits, result.ptr - digits);
        return *this;
    }
    JsonBuilder &list(QLatin1String key, const QVector<QLatin1String> &values)
    {
        appendKey(key);
        m_text.append('[');
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (i > 0)
                m_text.append(',');
            appendString(values.at(i));
        }
        m_text.append(']');
        return *this;
    }
    JsonBuilder &object(QLatin1String key)
    {
        appendKey(key);
        m_text.append('{');
        m_first = true;
        ++m_depth;
        return *this;
    }
    // Closes the innermost open object; closing the outermost one appends the text to the
    // output.
    JsonBuilder &end()
    {
        m_text.append('}');
        m_first = false;
        if (m_depth-- == 0)
            m_out.append(m_text.constData(), m_text.size());
        return *this;
    }

private:
    void appendKey(QLatin1String key)
    {
        if (!m_first)
            m_text.append(',');
        m_first = false;
        appendString(key);
        m_text.append(':');
    }
    // Runs without special characters, usually the whole value, are appended in one go.
    void appendString(QLatin1String value)
    {
        m_text.append('"');
        const char *run = value.begin();
        for (const char *c = value.begin(); c != value.end(); ++c) {
            const auto byte = static_cast<unsigned char>(*c);
            if (*c != '"' && *c != '\\' && byte >= 0x20)
                continue;
            m_text.append(run, c - run);
            run = c + 1;
            if (byte < 0x20) {
                const char escaped[] = {
                    '\\', 'u', '0', '0', HexDigits[byte >> 4], HexDigits[byte & 0xF]};
                m_text.append(escaped, sizeof escaped);
            } else {
                const char escaped[] = {'\\', *c};
                m_text.append(escaped, sizeof escaped);
            }
        }
        m_text.append(run, value.end() - run);
        m_text.append('"');
    }

    QByteArray &m_out;
    QVarLengthArray<char, 256> m_text;
    int m_depth = 0;
    bool m_first = true;
};

qint64 floorDiv(qint64 value, qint64 divisor)
{
    const qint64 quotient = value / divisor;
    return (value % divisor < 0) ? quotient - 1 : quotient;
}

// Quiet at night (UTC), busy in the afternoon and again in the evening.
double dailyWeight(double hourOfDay)
{
    const auto distance = [hourOfDay](double peak) {
        const double d = std::fabs(hourOfDay - peak);
        return std::min(d, 24.0 - d);
    };
    const double afternoon = distance(15.0) / 3.5;
    const double evening = distance(20.5) / 2.0;
    return 0.05 + std::exp(-0.5 * afternoon * afternoon) + 0.8 * std::exp(-0.5 * evening * evening);
}

double weekdayWeight(qint64 msSinceEpoch)
{
    // 1970-01-01 was a Thursday: with +3, Monday is 0 and the weekend is 5 and 6.
    const qint64 weekday = (floorDiv(msSinceEpoch, DayMs) + 3) % 7;
    return weekday >= 5 ? 0.6 : 1.0;
}

// When events happen: the period in one-minute bins, each with the number of events in it.
// Drawing every event's bin from the activity curve keeps memory at one counter per minute
// instead of one timestamp per event, and the bins come out already in time order.
class TimePlan
{
public:
    TimePlan(const DemoGenerator::Options &options, QRandomGenerator &rng)
        : m_startMs(options.start.toMSecsSinceEpoch()), m_bins(options.days * MinutesPerDay)
    {
        const qint64 endMs = m_startMs + options.days * DayMs;
        const qint64 target = m_startMs + (endMs - m_startMs) * 2 / 3;
        const qint64 afternoon =
            floorDiv(target, DayMs) * DayMs + 13 * HourMs + rng.bounded(4 * 60) * MinuteMs;
        m_spikeStartMs = std::clamp(afternoon, m_startMs, std::max(m_startMs, endMs - 5 * HourMs));
    }

    bool distribute(qint64 events, QRandomGenerator &rng, const JobControl &job)
    {
        std::vector<double> cumulative(m_bins);
        double total = 0;
        for (int bin = 0; bin < m_bins; ++bin) {
            total += baseWeight(bin) + spikeWeight(bin);
            cumulative[bin] = total;
        }
        m_counts.assign(m_bins, 0);
        for (qint64 i = 0; i < events; ++i) {
            if (i % CancelCheckEvery == 0 && job.cancelled())
                return false;
            const auto found = std::upper_bound(cumulative.cbegin(), cumulative.cend(),
                                                rng.generateDouble() * total);
            ++m_counts[std::min<qsizetype>(found - cumulative.cbegin(), m_bins - 1)];
        }
        return true;
    }

    int bins() const { return m_bins; }
    quint32 count(int bin) const { return m_counts[bin]; }
    qint64 binStartMs(int bin) const { return m_startMs + bin * MinuteMs; }
    // The share of a bin's events that are clicks on the viral post.
    double viralShare(int bin) const
    {
        const double spike = spikeWeight(bin);
        return spike > 0 ? spike / (spike + baseWeight(bin)) : 0.0;
    }

private:
    qint64 binMiddleMs(int bin) const { return binStartMs(bin) + MinuteMs / 2; }
    double baseWeight(int bin) const
    {
        const qint64 ms = binMiddleMs(bin);
        const double hourOfDay = double(ms - floorDiv(ms, DayMs) * DayMs) / double(HourMs);
        return dailyWeight(hourOfDay) * weekdayWeight(ms);
    }
    double spikeWeight(int bin) const
    {
        const double minutes = double(binMiddleMs(bin) - m_spikeStartMs) / double(MinuteMs);
        if (minutes < 0 || minutes > SpikeMinutes)
            return 0.0;
        const double rise = std::min(1.0, minutes / SpikeRiseMinutes);
        const double decay =
            std::exp(-std::max(0.0, minutes - SpikeRiseMinutes) / SpikeDecayMinutes);
        return SpikeHeight * rise * decay;
    }

    qint64 m_startMs;
    int m_bins;
    qint64 m_spikeStartMs;
    std::vector<quint32> m_counts;
};

// Finished events on their way from the generating thread to the writing one. The payloads
// and ids of all of them share one buffer, so that a batch costs a few allocations instead of
// several per event.
struct EventBatch
{
    // An event's data, metadata and id follow each other in bytes: [data, metadata, id, end).
    struct Row
    {
        qint64 timeMs = 0;
        qint64 version = 0;
        const QByteArray *stream = nullptr; // owned by the EventSource
        const QByteArray *type = nullptr;
        qsizetype data = 0;
        qsizetype metadata = 0;
        qsizetype id = 0;
        qsizetype end = 0;
    };

    OwnStoreWriter::EncodedEvent encoded(const Row &row) const
    {
        const char *at = bytes.constData();
        OwnStoreWriter::EncodedEvent event;
        event.stream = *row.stream;
        event.version = row.version;
        event.eventId = QByteArrayView(at + row.id, row.end - row.id);
        event.type = *row.type;
        event.timeMs = row.timeMs;
        event.data = QByteArrayView(at + row.data, row.metadata - row.data);
        event.metadata = QByteArrayView(at + row.metadata, row.id - row.metadata);
        return event;
    }

    std::vector<Row> rows;
    QByteArray bytes;
};

// Hands batches of events from the generating thread to the writing one. It holds a few
// batches at most, so memory stays flat however far generation runs ahead.
class EventQueue
{
public:
    // False once the writer has stopped: the producer should give up.
    bool push(EventBatch &&batch)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_stopped || m_batches.size() < MaxBatches; });
        if (m_stopped)
            return false;
        m_batches.push_back(std::move(batch));
        m_changed.notify_all();
        return true;
    }
    // False when the producer has finished and everything has been taken.
    bool pop(EventBatch *batch)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_finished || !m_batches.empty(); });
        if (m_batches.empty())
            return false;
        *batch = std::move(m_batches.front());
        m_batches.pop_front();
        m_changed.notify_all();
        return true;
    }
    void finish() { set(&m_finished); }
    void stop() { set(&m_stopped); }

private:
    static constexpr std::size_t MaxBatches = 4;

    void set(bool *flag)
    {
        const std::lock_guard lock(m_mutex);
        *flag = true;
        m_changed.notify_all();
    }

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<EventBatch> m_batches;
    bool m_finished = false;
    bool m_stopped = false;
};

// Walks the time plan and decides, event by event, what happens. Everything it draws comes
// from its own generators in one fixed order, so the events depend on the seed alone.
class EventSource
{
public:
    EventSource(const DemoGenerator::Options &options, const TimePlan &plan,
                QRandomGenerator &timeRng);
    // Pushes all events in time order; stops early when the queue is stopped.
    void produce(EventQueue &queue);

private:
    static constexpr std::size_t BatchSize = 4096;
    // Enough for a batch of the usual events, which take about 200 bytes.
    static constexpr qsizetype BatchBytes = 256 * qsizetype(BatchSize);

    void rankActivity();
    bool produceBin(int bin, EventQueue &queue);
    bool flush(EventQueue &queue);
    void reserveBatch();
    void makeEvent(qint64 timeMs, double viralShare);
    void chooseEvent(double viralShare);

    qint64 userWantedAt(qint64 user) const;
    qint64 postWantedAt(qint64 post) const;
    bool userDue() const;
    bool postDue() const;
    qint64 anyUser();
    qint64 activeUser();
    qint64 recentPost();

    void setStream(const QByteArray &stream, qint64 *version, const QByteArray &type);
    void createUser();
    void renameUser(qint64 user);
    void updateUser(qint64 user);
    void publishPost();
    void editPost(qint64 post);
    void click(qint64 user, qint64 post, QLatin1String referrer, qint64 durationMs);
    QByteArray randomTitle();
    void appendMetadata();

    const TimePlan &m_plan;
    QRandomGenerator &m_timeRng;
    QRandomGenerator m_rng;

    qint64 m_userCount;
    qint64 m_postCount;
    qint64 m_span;      // the creations are scheduled within the first m_span events
    qint64 m_index = 0; // of the event being made
    qint64 m_users = 0; // created so far
    qint64 m_posts = 0; // published so far
    qint64 m_viralPost = -1;
    // Never resized after construction: batch rows point at these names.
    QVector<QByteArray> m_userStreams;
    QVector<QByteArray> m_postStreams;
    QVector<qint64> m_userVersions;
    QVector<qint64> m_postVersions;
    // Click activity per user, as running totals in creation order, so that a weighted pick
    // among the users created so far is one binary search.
    QVector<double> m_activityTotals;

    // Events carry no position: SQLite numbers them 1..N in insertion order, which is time
    // order, and a rowid it picks itself needs no uniqueness lookup.
    EventBatch::Row m_row;
    QByteArray m_idBuffer;
    EventBatch m_batch;
};

EventSource::EventSource(const DemoGenerator::Options &options, const TimePlan &plan,
                         QRandomGenerator &timeRng)
    : m_plan(plan), m_timeRng(timeRng), m_rng(seededGenerator(options.seed, 2))
{
    // Small stores cannot hold every user: keep room for other events.
    m_userCount =
        std::clamp<qint64>(options.events / 3, std::min<qint64>(options.events, 1), options.users);
    m_postCount = std::min(
        std::clamp<qint64>(options.events / EventsPerPost, 1, PostsPerUser * options.users),
        options.events - m_userCount);
    m_span = options.events - m_userCount - m_postCount;

    for (qint64 user = 1; user <= m_userCount; ++user)
        m_userStreams.append(QByteArrayLiteral("user-") + QByteArray::number(user));
    for (qint64 post = 1; post <= m_postCount; ++post)
        m_postStreams.append(QByteArrayLiteral("post-") + QByteArray::number(post));
    m_userVersions.fill(0, m_userCount);
    m_postVersions.fill(0, m_postCount);

    rankActivity();
    reserveBatch();
}

// Zipf-like activity over a shuffled ranking: a few users click a lot. The busiest one is
// moved among the early users so that it has time to build a long stream.
void EventSource::rankActivity()
{
    if (m_userCount == 0)
        return;
    QVector<qint64> ranks(m_userCount);
    std::iota(ranks.begin(), ranks.end(), 1);
    for (qint64 i = m_userCount - 1; i > 0; --i)
        std::swap(ranks[i], ranks[m_rng.bounded(quint32(i + 1))]);
    const qint64 busiest = std::find(ranks.cbegin(), ranks.cend(), 1) - ranks.cbegin();
    std::swap(ranks[busiest], ranks[m_rng.bounded(quint32(std::max<qint64>(1, m_userCount / 10)))]);
    double total = 0;
    for (const qint64 rank : std::as_const(ranks)) {
        total += 1.0 / std::pow(double(rank), 1.1);
        m_activityTotals.append(total);
    }
}

void EventSource::produce(EventQueue &queue)
{
    for (int bin = 0; bin < m_plan.bins(); ++bin) {
        if (!produceBin(bin, queue))
            return;
    }
    if (!m_batch.rows.empty())
        flush(queue);
}

bool EventSource::produceBin(int bin, EventQueue &queue)
{
    const quint32 count = m_plan.count(bin);
    if (count == 0)
        return true;
    std::vector<qint64> offsets(count);
    for (qint64 &offset : offsets)
        offset = m_timeRng.bounded(int(MinuteMs));
    std::sort(offsets.begin(), offsets.end());
    const double viralShare = m_plan.viralShare(bin);
    for (const qint64 offset : offsets) {
        makeEvent(m_plan.binStartMs(bin) + offset, viralShare);
        if (m_batch.rows.size() == BatchSize && !flush(queue))
            return false;
    }
    return true;
}

bool EventSource::flush(EventQueue &queue)
{
    const bool accepted = queue.push(std::exchange(m_batch, {}));
    reserveBatch();
    return accepted;
}

void EventSource::reserveBatch()
{
    m_batch.rows.reserve(BatchSize);
    m_batch.bytes.reserve(BatchBytes);
}

void EventSource::makeEvent(qint64 timeMs, double viralShare)
{
    m_row.timeMs = timeMs;
    m_row.data = m_batch.bytes.size();
    chooseEvent(viralShare);
    m_row.metadata = m_batch.bytes.size();
    appendMetadata();
    m_row.id = m_batch.bytes.size();
    appendUuid(m_batch.bytes, m_rng);
    m_row.end = m_batch.bytes.size();
    m_batch.rows.push_back(m_row);
    ++m_index;
}

void EventSource::chooseEvent(double viralShare)
{
    if (userDue())
        return createUser();
    if (postDue())
        return publishPost();
    if (m_posts == 0)
        return updateUser(anyUser());
    if (viralShare > 0 && m_rng.generateDouble() < viralShare) {
        // The newest post when the spike starts is the one that goes viral; the crowd that
        // arrives is spread over all users, not just the usual active ones.
        if (m_viralPost < 0)
            m_viralPost = m_posts - 1;
        return click(anyUser(), m_viralPost, pick(m_rng, ViralReferrers),
                     1000 + m_rng.bounded(30000));
    }
    const double roll = m_rng.generateDouble();
    if (roll < RenameShare)
        return renameUser(anyUser());
    if (roll < RenameShare + UpdateShare)
        return updateUser(anyUser());
    if (roll < RenameShare + UpdateShare + EditShare)
        return editPost(recentPost());
    // Most reads are short, some readers stay for minutes.
    const qint64 duration =
        500 + m_rng.bounded(20000) + (m_rng.bounded(4) == 0 ? m_rng.bounded(300000) : 0);
    click(activeUser(), recentPost(), pick(m_rng, Referrers), duration);
}

// Users arrive mostly early (the cube front-loads them), posts evenly over the period.
qint64 EventSource::userWantedAt(qint64 user) const
{
    const double share = double(user) / double(m_userCount);
    return qint64(double(m_span) * share * share * share);
}

qint64 EventSource::postWantedAt(qint64 post) const
{
    return std::min(m_span, 1 + post * m_span / m_postCount);
}

// A creation that is due happens at once, even if it is late because others were due too:
// every scheduled index is at most m_span, so all of them fit into the events.
bool EventSource::userDue() const
{
    if (m_users >= m_userCount || userWantedAt(m_users) > m_index)
        return false;
    return m_posts >= m_postCount || userWantedAt(m_users) <= postWantedAt(m_posts);
}

bool EventSource::postDue() const
{
    return m_posts < m_postCount && postWantedAt(m_posts) <= m_index;
}

qint64 EventSource::anyUser()
{
    return m_rng.bounded(quint32(m_users));
}

qint64 EventSource::activeUser()
{
    const auto end = m_activityTotals.cbegin() + m_users;
    const double target = m_rng.generateDouble() * *(end - 1);
    return std::min<qint64>(std::upper_bound(m_activityTotals.cbegin(), end, target) -
                                m_activityTotals.cbegin(),
                            m_users - 1);
}

// Readers prefer what is new: the cube of a uniform number favours the latest posts.
qint64 EventSource::recentPost()
{
    const double roll = m_rng.generateDouble();
    return m_posts - 1 - qint64(double(m_posts) * roll * roll * roll);
}

void EventSource::setStream(const QByteArray &stream, qint64 *version, const QByteArray &type)
{
    m_row.stream = &stream;
    m_row.version = ++*version;
    m_row.type = &type;
}

void EventSource::createUser()
{
    const qint64 user = m_users++;
    setStream(m_userStreams.at(user), &m_userVersions[user], UserCreated);
    const QLatin1String first = pick(m_rng, FirstNames);
    const QLatin1String last = pick(m_rng, LastNames);
    const QByteArray email = concat({first, "."_L1, last, "."_L1}).toLower() +
                             QByteArray::number(user + 1) + QByteArrayLiteral("@example.com");
    JsonBuilder(m_batch.bytes)
        .text("name"_L1, concat({first, " "_L1, last}))
        .text("email"_L1, email)
        .text("plan"_L1, pick(m_rng, Plans))
        .end();
}

void EventSource::renameUser(qint64 user)
{
    setStream(m_userStreams.at(user), &m_userVersions[user], UserRenamed);
    JsonBuilder(m_batch.bytes)
        .text("name"_L1, concat({pick(m_rng, FirstNames), " "_L1, pick(m_rng, LastNames)}))
        .end();
}

// Changes come in several shapes, some nested, so that replaying a user shows fields and
// sub-objects appearing and changing.
void EventSource::updateUser(qint64 user)
{
    setStream(m_userStreams.at(user), &m_userVersions[user], UserUpdated);
    JsonBuilder json(m_batch.bytes);
    switch (m_rng.bounded(4)) {
    case 0:
        json.text("plan"_L1, pick(m_rng, Plans));
        break;
    case 1:
        json.text("email"_L1, concat({pick(m_rng, FirstNames), "."_L1}).toLower() +
                                  QByteArray::number(user + 1) +
                                  QByteArrayLiteral("@mail.example.net"));
        break;
    case 2: {
        const City &city = pick(m_rng, Cities);
        json.object("profile"_L1)
            .text("city"_L1, city.name)
            .text("timezone"_L1, city.timezone)
            .end();
        break;
    }
    default:
        json.object("profile"_L1)
            .object("notifications"_L1)
            .number("digestHour"_L1, m_rng.bounded(24))
            .text("channel"_L1, m_rng.bounded(2) ? "email"_L1 : "push"_L1)
            .end()
            .end();
        break;
    }
    json.end();
}

void EventSource::publishPost()
{
    const qint64 post = m_posts++;
    setStream(m_postStreams.at(post), &m_postVersions[post], PostPublished);
    // Steps 0, 3 and 5 are distinct modulo 8, so the tags never repeat.
    const int first = m_rng.bounded(int(std::size(Tags)));
    QVector<QLatin1String> tags;
    for (const int step : {0, 3, 5}) {
        if (step == 0 || m_rng.bounded(2) == 0)
            tags.append(Tags[(first + step) % std::size(Tags)]);
    }
    JsonBuilder(m_batch.bytes)
        .text("title"_L1, randomTitle())
        .text("author"_L1, m_userStreams.at(anyUser()))
        .list("tags"_L1, tags)
        .end();
}

void EventSource::editPost(qint64 post)
{
    setStream(m_postStreams.at(post), &m_postVersions[post], PostEdited);
    JsonBuilder(m_batch.bytes).text("title"_L1, randomTitle()).end();
}

void EventSource::click(qint64 user, qint64 post, QLatin1String referrer, qint64 durationMs)
{
    setStream(m_userStreams.at(user), &m_userVersions[user], Clicked);
    JsonBuilder(m_batch.bytes)
        .text("postId"_L1, m_postStreams.at(post))
        .text("referrer"_L1, referrer)
        .number("durationMs"_L1, durationMs)
        .end();
}

QByteArray EventSource::randomTitle()
{
    return concat(
        {pick(m_rng, TitleVerbs), " "_L1, pick(m_rng, TitleTopics), pick(m_rng, TitleEndings)});
}

void EventSource::appendMetadata()
{
    m_idBuffer.resize(0);
    appendUuid(m_idBuffer, m_rng);
    JsonBuilder(m_batch.bytes)
        .text("correlationId"_L1, m_idBuffer)
        .text("source"_L1, pick(m_rng, Sources))
        .end();
}

QString checkOptions(const DemoGenerator::Options &options)
{
    if (options.events < 0)
        return u"the number of events must not be negative"_s;
    if (options.users < 1)
        return u"there must be at least one user"_s;
    if (options.days < 1)
        return u"the period must be at least one day"_s;
    if (!options.start.isValid())
        return u"the start time is not valid"_s;
    return {};
}

bool consume(EventQueue &queue, OwnStoreWriter &writer, qint64 total, const JobControl &job,
             QString *error)
{
    qint64 written = 0;
    EventBatch batch;
    while (queue.pop(&batch)) {
        for (const EventBatch::Row &row : batch.rows) {
            if (written % CancelCheckEvery == 0 && job.cancelled()) {
                *error = u"cancelled"_s;
                return false;
            }
            if (written % ProgressEvery == 0)
                job.report(written, total);
            if (!writer.append(batch.encoded(row))) {
                *error = writer.errorString();
                return false;
            }
            ++written;
        }
    }
    job.report(written, total);
    return true;
}

// Generation runs on a helper thread and writing on this one, which owns the database
// connection: the two halves of the work overlap.
bool writeEvents(const DemoGenerator::Options &options, OwnStoreWriter &writer,
                 const JobControl &job, QString *error)
{
    QRandomGenerator timeRng = seededGenerator(options.seed, 1);
    TimePlan plan(options, timeRng);
    if (!plan.distribute(options.events, timeRng, job)) {
        *error = u"cancelled"_s;
        return false;
    }
    EventSource source(options, plan, timeRng);
    EventQueue queue;
    std::thread producer([&source, &queue] {
        source.produce(queue);
        queue.finish();
    });
    const bool written = consume(queue, writer, options.events, job, error);
    queue.stop();
    producer.join();
    return written;
}

} // namespace

bool DemoGenerator::generate(const QString &path, const Options &options, QString *error,
                             const JobControl &job)
{
    QString localError;
    QString &message = error ? *error : localError;
    message = checkOptions(options);
    if (!message.isEmpty())
        return false;

    OwnStoreWriter writer(path);
    if (!writer.begin()) {
        message = writer.errorString();
        return false;
    }
    if (!writeEvents(options, writer, job, &message))
        return false;
    if (!writer.commit()) {
        message = writer.errorString();
        return false;
    }
    return true;
}

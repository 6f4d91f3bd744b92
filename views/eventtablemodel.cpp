#include "eventtablemodel.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "elidedtext.h"
#include "index/eventindex.h"
#include "session/storesession.h"
#include "store/eventsbyposition.h"
#include "store/eventstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

// A seek's answer: the page holding the event's row, and the row (-1: the filter leaves the
// event out).
struct SeekAnswer
{
    int page = 0;
    QVector<Event> events;
    int row = -1;
};

} // namespace

EventTableModel::EventTableModel(QObject *parent)
    : KeysetPagedModel(PageSize, DefaultMaxCachedPages, parent)
{
}

void EventTableModel::setSession(StoreSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_matches.reset();
    m_countAwaitsIndex = false;
    if (m_session) {
        connect(m_session, &StoreSession::indexReady, this, &EventTableModel::indexAnswered);
        connect(m_session, &StoreSession::indexUnavailable, this, &EventTableModel::indexAnswered);
        const auto indexEnded = [this](StoreSession::Job job) {
            if (job == StoreSession::Job::Index)
                indexAnswered();
        };
        connect(m_session, &StoreSession::failed, this,
                [indexEnded](StoreSession::Job job, const StoreError &) { indexEnded(job); });
        connect(m_session, &StoreSession::cancelled, this, indexEnded);
    }
    restartReads();
}

void EventTableModel::indexAnswered()
{
    if (std::exchange(m_countAwaitsIndex, false))
        recount();
}

void EventTableModel::setFilter(const EventFilter &filter)
{
    m_filter = filter;
    m_matches.reset();
    restartReads();
}

void EventTableModel::setMatches(std::shared_ptr<const QVector<qint64>> positions)
{
    m_matches = std::move(positions);
    restartReads();
}

void EventTableModel::takePage(quint64 generation, int page,
                               const std::optional<QVector<Event>> &events, const StoreError &error)
{
    if (!isCurrent(generation))
        return;
    if (!events)
        return readFailed(generation, error);
    if (!events->isEmpty())
        m_pages.insert(page, *events);
    pageArrived(generation, page, int(events->size()));
}

void EventTableModel::readMatchesPage(const PageRead &read)
{
    const QVector<qint64> positions = m_matches->mid(read.firstRow, read.limit);
    m_session->readStore<QVector<Event>>(
        this, stillWanted(read.generation),
        [positions](EventStore &store) { return EventsByPosition::read(store, positions); },
        [this, generation = read.generation,
         page = read.page](const std::optional<QVector<Event>> &events, const StoreError &error) {
            takePage(generation, page, events, error);
        });
}

void EventTableModel::seekInMatches(quint64 generation, const QVariant &key)
{
    // The matches keep the table's order, which within a stream is the versions': searched
    // from the front, not in halves (a few milliseconds at millions).
    const auto it = std::find(m_matches->cbegin(), m_matches->cend(), key.toLongLong());
    const int row = it == m_matches->cend() ? -1 : int(it - m_matches->cbegin());
    const int page = row < 0 ? 0 : row / PageSize;
    const QVector<qint64> positions = m_matches->mid(qsizetype(page) * PageSize, PageSize);
    m_session->readStore<QVector<Event>>(
        this, stillWanted(generation),
        [positions](EventStore &store) { return EventsByPosition::read(store, positions); },
        [this, generation, key, page, row](const std::optional<QVector<Event>> &events,
                                           const StoreError &error) {
            if (!isCurrent(generation))
                return;
            if (!events)
                return readFailed(generation, error);
            if (!events->isEmpty())
                m_pages.insert(page, *events);
            seekArrived(generation, key, events->isEmpty() ? -1 : page, int(events->size()), row);
        });
}

void EventTableModel::dropAllPages()
{
    m_pages.clear();
    m_previews.clear();
}

const Event &EventTableModel::event(int row) const
{
    static const Event none;
    const auto page = m_pages.constFind(row / PageSize);
    if (row < 0 || page == m_pages.cend() || row % PageSize >= page->size())
        return none;
    return page->at(row % PageSize);
}

int EventTableModel::rowOfPosition(qint64 position) const
{
    // Keyset pages keep positions ascending, so a loaded page can be searched in halves.
    for (auto page = m_pages.cbegin(); page != m_pages.cend(); ++page) {
        const QVector<Event> &events = page.value();
        if (events.isEmpty() || position < events.constFirst().position ||
            position > events.constLast().position)
            continue;
        const auto it =
            std::lower_bound(events.cbegin(), events.cend(), position,
                             [](const Event &event, qint64 p) { return event.position < p; });
        if (it != events.cend() && it->position == position)
            return page.key() * PageSize + int(it - events.cbegin());
    }
    return -1;
}

QVariant EventTableModel::lastKey(int page) const
{
    const QVector<Event> events = m_pages.value(page);
    return events.isEmpty() ? QVariant() : QVariant(events.constLast().position);
}

void EventTableModel::readPage(const PageRead &read)
{
    if (m_matches)
        return readMatchesPage(read);
    const EventFilter filter = m_filter;
    m_session->readStore<QVector<Event>>(
        this, stillWanted(read.generation),
        [filter, read](EventStore &store) -> std::optional<QVector<Event>> {
            qint64 after =
                read.afterRow < 0 ? EventFilter().afterPosition : read.after.toLongLong();
            // Rows between the nearest loaded one and the page: the position of the row before
            // the page, sought from that row or, nearer, back from the end.
            const qint64 gap = read.firstRow - 1 - read.afterRow;
            if (gap > 0) {
                const qint64 fromEnd = read.countKnown - read.firstRow + 1;
                const auto start =
                    read.countKnown >= 0 && fromEnd < gap
                        ? store.seekPosition(filter, std::numeric_limits<qint64>::max(), -fromEnd)
                        : store.seekPosition(filter, after, gap);
                if (!start)
                    return std::nullopt;
                after = *start;
            }
            EventFilter page = filter;
            page.afterPosition = after;
            page.limit = read.limit;
            return store.events(page);
        },
        [this, generation = read.generation,
         page = read.page](const std::optional<QVector<Event>> &events, const StoreError &error) {
            takePage(generation, page, events, error);
        });
}

void EventTableModel::readCount(quint64 generation)
{
    m_countAwaitsIndex = false;
    if (m_matches) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, count = qint64(m_matches->size())] {
                if (isCurrent(generation))
                    countArrived(generation, count);
            },
            Qt::QueuedConnection);
        return;
    }
    const EventFilter filter = m_filter;
    const bool everything = filter.stream.isEmpty() && filter.types.isEmpty() &&
                            filter.fromTimeMs == NoTime && filter.toTimeMs == NoTime;
    // The whole store is counted by the index being built; counted by SQL now, a scan of
    // millions of events would hold the index's scan (on the same worker) back by as long.
    // The list estimates until then.
    if (everything && m_session->isIndexing()) {
        m_countAwaitsIndex = true;
        QMetaObject::invokeMethod(
            this,
            [this, generation] {
                if (isCurrent(generation))
                    countArrived(generation, -1);
            },
            Qt::QueuedConnection);
        return;
    }
    m_session->readStore<qint64>(
        this, stillWanted(generation),
        [filter, everything](EventStore &store) -> std::optional<qint64> {
            // The whole store: the index counted it while it was built (a scan at millions).
            if (everything && store.index())
                return store.index()->eventCount();
            return store.countEvents(filter);
        },
        [this, generation](const std::optional<qint64> &count, const StoreError &error) {
            if (!isCurrent(generation))
                return;
            if (!count)
                return readFailed(generation, error);
            countArrived(generation, *count);
        });
}

void EventTableModel::readSeek(quint64 generation, const QVariant &key)
{
    if (m_matches)
        return seekInMatches(generation, key);
    const EventFilter filter = m_filter;
    const qint64 position = key.toLongLong();
    m_session->readStore<SeekAnswer>(
        this, stillWanted(generation),
        [filter, position](EventStore &store) -> std::optional<SeekAnswer> {
            // The event's row is the count of the events before it; its page starts after the
            // event that many rows back: a count and one keyset page, wherever the row is.
            const auto row = store.countEvents(filter, position);
            if (!row)
                return std::nullopt;
            SeekAnswer answer;
            answer.page = int(*row / PageSize);
            const int inPage = int(*row % PageSize);
            const auto start = answer.page == 0
                                   ? std::optional<qint64>(EventFilter().afterPosition)
                                   : store.seekPosition(filter, position, -(inPage + 1));
            if (!start)
                return std::nullopt;
            EventFilter page = filter;
            page.afterPosition = *start;
            page.limit = PageSize;
            const auto events = store.events(page);
            if (!events)
                return std::nullopt;
            answer.events = *events;
            if (inPage < answer.events.size() && answer.events.at(inPage).position == position)
                answer.row = int(*row);
            return answer;
        },
        [this, generation, key](const std::optional<SeekAnswer> &answer, const StoreError &error) {
            if (!isCurrent(generation))
                return;
            if (!answer)
                return readFailed(generation, error);
            if (!answer->events.isEmpty())
                m_pages.insert(answer->page, answer->events);
            seekArrived(generation, key, answer->page, int(answer->events.size()), answer->row);
        });
}

QString EventTableModel::preview(const QByteArray &data)
{
    const auto json = Payload::toJson(data);
    QString text = json ? QString::fromUtf8(Payload::compact(*json)) : QString::fromUtf8(data);
    // Only raw text can hold line breaks here; compact JSON escapes them.
    for (QChar &c : text) {
        if (c == u'\n' || c == u'\r' || c == u'\t')
            c = u' ';
    }
    return elidedText(text, PreviewLength);
}

QString EventTableModel::toolTip(const QByteArray &data)
{
    const auto json = Payload::toJson(data);
    if (!json)
        return elidedText(QString::fromUtf8(data), ToolTipLength);
    QByteArray text;
    if (json->isObject())
        text = QJsonDocument(json->toObject()).toJson(QJsonDocument::Indented);
    else if (json->isArray())
        text = QJsonDocument(json->toArray()).toJson(QJsonDocument::Indented);
    else
        text = Payload::compact(*json);
    return elidedText(QString::fromUtf8(text.trimmed()), ToolTipLength);
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    ensureLoaded(index.row());
    if (!isRowLoaded(index.row()))
        return role == Qt::DisplayRole ? QVariant(placeholder()) : QVariant();
    const Event &event = this->event(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PositionColumn:
            return event.position;
        case TimeColumn:
            return TimeCodec::format(event.timeMs);
        case StreamColumn:
            return elidedName(event.stream);
        case VersionColumn:
            return event.version;
        case TypeColumn:
            return elidedName(event.type);
        case DataColumn:
            return cachedPreview(index.row(), event);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == DataColumn)
            return toolTip(event.data);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == PositionColumn || index.column() == VersionColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case PositionRole:
        return event.position;
    case StreamRole:
        return event.stream;
    case VersionRole:
        return event.version;
    case TypeRole:
        return event.type;
    case TimeRole:
        return event.timeMs;
    case DataRole:
        return event.data;
    case MetadataRole:
        return event.metadata;
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole && (section == PositionColumn || section == VersionColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PositionColumn:
        return tr("Position");
    case TimeColumn:
        return tr("Time");
    case StreamColumn:
        return tr("Stream");
    case VersionColumn:
        return tr("Version");
    case TypeColumn:
        return tr("Type");
    case DataColumn:
        return tr("Data");
    }
    return {};
}

QString EventTableModel::cachedPreview(int row, const Event &event) const
{
    if (const QString *text = m_previews.object(row))
        return *text;
    const QString text = preview(event.data);
    m_previews.insert(row, new QString(text));
    return text;
}

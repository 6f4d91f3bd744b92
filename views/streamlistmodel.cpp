#include "streamlistmodel.h"

#include "elidedtext.h"

#include "decoding/timecodec.h"
#include "session/storesession.h"
#include "store/eventstore.h"

using namespace Qt::StringLiterals;

namespace {

// A seek's answer: the page holding the stream's row, and the row (-1: not listed).
struct SeekAnswer
{
    int page = -1;
    QVector<StreamInfo> streams;
    int row = -1;
};

void continueAfter(StreamQuery *query, const StreamInfo &last)
{
    query->after = last.stream;
    query->afterEvents = last.events;
}

} // namespace

StreamListModel::StreamListModel(QObject *parent)
    : KeysetPagedModel(PageSize, DefaultMaxCachedPages, parent)
{
}

void StreamListModel::setSession(StoreSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_namesOnly = false;
    // The names listed before the index are read again, with their counts, in their order.
    if (m_session)
        connect(m_session, &StoreSession::indexReady, this, [this] {
            if (!m_namesOnly)
                return;
            m_namesOnly = false;
            refresh();
        });
    restartReads();
}

void StreamListModel::setFilter(const QString &filter)
{
    m_filter = filter;
    restartReads();
}

void StreamListModel::sort(int column, Qt::SortOrder order)
{
    Q_UNUSED(order)
    if (column == StreamColumn)
        m_order = StreamQuery::Order::Name;
    else if (column == EventsColumn)
        m_order = StreamQuery::Order::MostEvents;
    else
        return;
    restartReads();
}

int StreamListModel::rowOfStream(const QString &stream) const
{
    return m_rowOfStream.value(stream, -1);
}

const StreamInfo *StreamListModel::info(int row) const
{
    const auto page = m_pages.constFind(row / PageSize);
    if (row < 0 || page == m_pages.cend() || row % PageSize >= page->size())
        return nullptr;
    return &page->at(row % PageSize);
}

StreamQuery StreamListModel::query() const
{
    StreamQuery query;
    query.filter = m_filter;
    query.order = m_order;
    query.limit = PageSize;
    return query;
}

void StreamListModel::dropPage(int page)
{
    for (const StreamInfo &info : m_pages.value(page))
        m_rowOfStream.remove(info.stream);
    m_pages.remove(page);
}

void StreamListModel::dropAllPages()
{
    m_pages.clear();
    m_rowOfStream.clear();
}

QVariant StreamListModel::lastKey(int page) const
{
    const QVector<StreamInfo> streams = m_pages.value(page);
    if (streams.isEmpty())
        return {};
    return QVariantList{streams.constLast().stream, streams.constLast().events};
}

void StreamListModel::readPage(const PageRead &read)
{
    StreamQuery start = query();
    if (read.afterRow >= 0) {
        const QVariantList key = read.after.toList();
        start.after = key.value(0).toString();
        start.afterEvents = key.value(1).toLongLong();
    }
    m_session->readStore<QVector<StreamInfo>>(
        this, stillWanted(read.generation),
        [start, read](EventStore &store) -> std::optional<QVector<StreamInfo>> {
            // The store has no row number of a stream: the rows between the nearest loaded one
            // and the page are passed over in large reads, here on the worker.
            StreamQuery query = start;
            for (qint64 gap = read.firstRow - 1 - read.afterRow; gap > 0;) {
                query.limit = int(qMin<qint64>(gap, SeekReadSize));
                const auto skipped = store.streamsForFirstPaint(query);
                if (!skipped || skipped->isEmpty())
                    return skipped;
                gap -= skipped->size();
                continueAfter(&query, skipped->constLast());
            }
            query.limit = read.limit;
            return store.streamsForFirstPaint(query);
        },
        [this, generation = read.generation, page = read.page](
            const std::optional<QVector<StreamInfo>> &streams, const StoreError &error) {
            if (!isCurrent(generation))
                return;
            if (!streams)
                return readFailed(generation, error);
            if (!streams->isEmpty()) {
                m_namesOnly = m_namesOnly || !isCounted(streams->constFirst());
                m_pages.insert(page, *streams);
                for (int i = 0; i < streams->size(); ++i)
                    m_rowOfStream.insert(streams->at(i).stream, page * PageSize + i);
            }
            pageArrived(generation, page, int(streams->size()));
        });
}

void StreamListModel::readCount(quint64 generation)
{
    // Counting the streams a filter leaves is a pass over all of them; the list goes on
    // estimating (one page beyond what it has) until its last page arrives.
    countArrived(generation, -1);
}

void StreamListModel::readSeek(quint64 generation, const QVariant &key)
{
    const StreamQuery start = query();
    const QString stream = key.toString();
    m_session->readStore<SeekAnswer>(
        this, stillWanted(generation),
        [start, stream](EventStore &store) -> std::optional<SeekAnswer> {
            // Reads of SeekReadSize streams, a multiple of PageSize, so that each page lies
            // within one of them.
            static_assert(SeekReadSize % PageSize == 0);
            StreamQuery query = start;
            query.limit = SeekReadSize;
            for (qint64 first = 0;; first += SeekReadSize) {
                const auto streams = store.streamsForFirstPaint(query);
                if (!streams)
                    return std::nullopt;
                for (int i = 0; i < streams->size(); ++i) {
                    if (streams->at(i).stream != stream)
                        continue;
                    SeekAnswer answer;
                    answer.row = int(first + i);
                    answer.page = answer.row / PageSize;
                    answer.streams = streams->mid(i - i % PageSize, PageSize);
                    return answer;
                }
                if (streams->size() < SeekReadSize)
                    return SeekAnswer();
                continueAfter(&query, streams->constLast());
            }
        },
        [this, generation, key](const std::optional<SeekAnswer> &answer, const StoreError &error) {
            if (!isCurrent(generation))
                return;
            if (!answer)
                return readFailed(generation, error);
            if (answer->page >= 0) {
                m_namesOnly = m_namesOnly || !isCounted(answer->streams.constFirst());
                m_pages.insert(answer->page, answer->streams);
                for (int i = 0; i < answer->streams.size(); ++i)
                    m_rowOfStream.insert(answer->streams.at(i).stream, answer->page * PageSize + i);
            }
            seekArrived(generation, key, answer->page, int(answer->streams.size()), answer->row);
        });
}

int StreamListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StreamListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    ensureLoaded(index.row());
    const StreamInfo *row = info(index.row());
    if (!row)
        return role == Qt::DisplayRole ? QVariant(placeholder()) : QVariant();
    const StreamInfo &info = *row;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StreamColumn:
            return elidedName(info.stream);
        case EventsColumn:
            return isCounted(info) ? QVariant(info.events) : QVariant(placeholder());
        case LastTimeColumn:
            return isCounted(info) ? TimeCodec::format(info.lastTimeMs) : placeholder();
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == StreamColumn)
            return elidedText(info.stream, 1000); // the name whole, up to a tooltip's worth
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == EventsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case StreamRole:
        return info.stream;
    case EventCountRole:
        return isCounted(info) ? QVariant(info.events) : QVariant();
    case FirstVersionRole:
        return isCounted(info) ? QVariant(info.firstVersion) : QVariant();
    case LastVersionRole:
        return isCounted(info) ? QVariant(info.lastVersion) : QVariant();
    }
    return {};
}

QVariant StreamListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole && section == EventsColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StreamColumn:
        return tr("Stream");
    case EventsColumn:
        return tr("Events");
    case LastTimeColumn:
        return tr("Last event");
    }
    return {};
}

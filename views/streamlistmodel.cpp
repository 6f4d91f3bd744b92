#include "streamlistmodel.h"

#include "elidedtext.h"

#include "decoding/timecodec.h"
#include "store/eventstore.h"

using namespace Qt::StringLiterals;

StreamListModel::StreamListModel(QObject *parent) : QAbstractTableModel(parent) {}

void StreamListModel::setStore(EventStore *store)
{
    m_store = store;
    reload();
}

void StreamListModel::setFilter(const QString &filter)
{
    m_filter = filter;
    reload();
}

int StreamListModel::rowOfStream(const QString &stream) const
{
    return m_rowOfStream.value(stream, -1);
}

int StreamListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StreamListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StreamListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StreamInfo &info = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StreamColumn:
            return elidedName(info.stream);
        case EventsColumn:
            return info.events;
        case LastTimeColumn:
            return TimeCodec::format(info.lastTimeMs);
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
        return info.events;
    case FirstVersionRole:
        return info.firstVersion;
    case LastVersionRole:
        return info.lastVersion;
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

bool StreamListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_fetching;
}

void StreamListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    QVector<StreamInfo> page;
    if (loadPage(&page) && !page.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.size() - 1));
        append(page);
        endInsertRows();
    }
    m_fetching = false;
    if (!m_error.isEmpty())
        emit errorOccurred(m_error);
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
    reload();
}

void StreamListModel::reload()
{
    m_fetching = true;
    beginResetModel();
    m_rows.clear();
    m_rowOfStream.clear();
    m_error.clear();
    m_atEnd = m_store == nullptr;
    // The first page comes with the reset, so that a fresh model is useful without a view
    // asking for more.
    QVector<StreamInfo> page;
    if (loadPage(&page))
        append(page);
    endResetModel();
    m_fetching = false;
    if (!m_error.isEmpty())
        emit errorOccurred(m_error);
}

bool StreamListModel::loadPage(QVector<StreamInfo> *page)
{
    if (m_atEnd)
        return false;
    StreamQuery query;
    query.filter = m_filter;
    query.limit = PageSize;
    query.order = m_order;
    if (!m_rows.isEmpty()) {
        query.after = m_rows.constLast().stream;
        query.afterEvents = m_rows.constLast().events;
    }
    const auto result = m_store->streams(query);
    if (!result) {
        // Retrying on every scroll would repeat the error; a reload starts over.
        m_atEnd = true;
        m_error = m_store->errorString();
        return false;
    }
    m_error.clear();
    m_atEnd = result->size() < PageSize;
    *page = *result;
    return true;
}

void StreamListModel::append(const QVector<StreamInfo> &page)
{
    for (const StreamInfo &info : page) {
        m_rowOfStream.insert(info.stream, int(m_rows.size()));
        m_rows.append(info);
    }
}

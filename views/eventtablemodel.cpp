#include "eventtablemodel.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "elidedtext.h"
#include "replay/eventjson.h"
#include "store/eventstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

} // namespace

EventTableModel::EventTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void EventTableModel::setStore(EventStore *store)
{
    m_store = store;
    reload();
}

void EventTableModel::setFilter(const EventFilter &filter)
{
    m_filter = filter;
    reload();
}

int EventTableModel::rowOfPosition(qint64 position, bool fetch)
{
    // Keyset pages keep positions ascending, so the loaded rows can be searched in halves.
    const auto find = [this, position] {
        const auto it =
            std::lower_bound(m_rows.cbegin(), m_rows.cend(), position,
                             [](const Event &event, qint64 p) { return event.position < p; });
        return it != m_rows.cend() && it->position == position ? int(it - m_rows.cbegin()) : -1;
    };
    const auto passed = [this, position] {
        return !m_rows.isEmpty() && m_rows.constLast().position >= position;
    };
    if (fetch) {
        for (int pages = 0; pages < MaxSeekPages && !passed() && canFetchMore({}); ++pages)
            fetchMore({});
    }
    return find();
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

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Event &event = m_rows.at(index.row());
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
            return cachedPreview(index.row());
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

bool EventTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_fetching;
}

void EventTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    QVector<Event> page;
    if (loadPage(&page) && !page.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.size() - 1));
        m_rows.append(page);
        endInsertRows();
    }
    m_fetching = false;
    if (!m_error.isEmpty())
        emit errorOccurred(m_error);
}

void EventTableModel::reload()
{
    m_fetching = true;
    beginResetModel();
    m_rows.clear();
    m_previews.clear();
    m_error.clear();
    m_atEnd = m_store == nullptr;
    // The first page comes with the reset, so that a fresh model is useful without a view
    // asking for more.
    QVector<Event> page;
    if (loadPage(&page))
        m_rows = page;
    endResetModel();
    m_fetching = false;
    if (!m_error.isEmpty())
        emit errorOccurred(m_error);
}

bool EventTableModel::loadPage(QVector<Event> *page)
{
    if (m_atEnd)
        return false;
    EventFilter query = m_filter;
    query.limit = PageSize;
    query.afterPosition =
        m_rows.isEmpty() ? EventFilter().afterPosition : m_rows.constLast().position;
    const auto result = m_store->events(query);
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

QString EventTableModel::cachedPreview(int row) const
{
    if (const QString *text = m_previews.object(row))
        return *text;
    const QString text = preview(m_rows.at(row).data);
    m_previews.insert(row, new QString(text));
    return text;
}

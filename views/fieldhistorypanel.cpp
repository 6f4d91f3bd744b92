#include "fieldhistorypanel.h"

#include "changecolors.h"
#include "decoding/timecodec.h"
#include "replay/jsondiff.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace {

// A value as JSON text, "—" for none (an absent field reads apart from null).
QString valueText(const QJsonValue &value)
{
    if (value.isUndefined())
        return u"—"_s;
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

} // namespace

void FieldHistoryModel::setChanges(QVector<FieldChange> changes)
{
    beginResetModel();
    m_changes = std::move(changes);
    endResetModel();
}

int FieldHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_changes.size());
}

int FieldHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FieldHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_changes.size())
        return {};
    const FieldChange &c = m_changes.at(index.row());
    if (role == VersionRole)
        return c.version;
    if (role == Qt::BackgroundRole && index.column() == ChangeColumn)
        return changeColor(c.change.kind);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case VersionColumn:
        return c.version;
    case TimeColumn:
        return c.timeMs == NoTime ? QString() : TimeCodec::format(c.timeMs);
    case TypeColumn:
        return c.type;
    case ChangeColumn:
        return JsonDiff::kindName(c.change.kind);
    case ValuesColumn:
        return QString(valueText(c.change.before) + u" → "_s + valueText(c.change.after));
    }
    return {};
}

QVariant FieldHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case VersionColumn:
        return tr("Version");
    case TimeColumn:
        return tr("Time");
    case TypeColumn:
        return tr("Type");
    case ChangeColumn:
        return tr("Change");
    case ValuesColumn:
        return tr("Before → After");
    }
    return {};
}

FieldHistoryPanel::FieldHistoryPanel(QWidget *parent)
    : QuestionPanel(tr("Right-click a field of the state ▸ History of this field."), parent)
{
    m_model = new FieldHistoryModel(this);
    m_view = new QTableView(this);
    m_view->setObjectName(u"fieldHistoryView"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(FieldHistoryModel::TimeColumn, 190);
    setBody(m_view);

    connect(m_view, &QTableView::clicked, this, [this](const QModelIndex &index) {
        emit versionActivated(index.data(FieldHistoryModel::VersionRole).toLongLong());
    });
}

void FieldHistoryPanel::showPending(const QString &stream, const QString &path)
{
    setHeading(tr("History of %1 in %2").arg(path, stream));
    m_model->setChanges({});
    showBusy(tr("Replaying…"));
}

void FieldHistoryPanel::showProgress(qint64 eventsFolded)
{
    setStatus(tr("%1 events folded…").arg(QLocale().toString(eventsFolded)));
}

void FieldHistoryPanel::setChanges(const QVector<FieldChange> &changes)
{
    m_model->setChanges(changes);
    showMessage(changes.isEmpty()
                    ? tr("No event changed this field.")
                    : tr("%n change(s); click one to replay to it.", nullptr, int(changes.size())));
}

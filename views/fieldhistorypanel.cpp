#include "fieldhistorypanel.h"

#include "changecolors.h"
#include "decoding/timecodec.h"
#include "replay/jsondiff.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

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

FieldHistoryPanel::FieldHistoryPanel(QWidget *parent) : QWidget(parent)
{
    m_heading = new QLabel(tr("Right-click a field of the state ▸ History of this field."), this);
    m_heading->setWordWrap(true);
    m_status = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_cancel = new QPushButton(tr("Cancel"), this);
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

    auto *busy = new QHBoxLayout;
    busy->addWidget(m_status, 1);
    busy->addWidget(m_progress);
    busy->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addLayout(busy);
    layout->addWidget(m_view, 1);
    m_progress->hide();
    m_cancel->hide();

    connect(m_cancel, &QPushButton::clicked, this, &FieldHistoryPanel::cancelRequested);
    connect(m_view, &QTableView::clicked, this, [this](const QModelIndex &index) {
        emit versionActivated(index.data(FieldHistoryModel::VersionRole).toLongLong());
    });
}

void FieldHistoryPanel::showPending(const QString &stream, const QString &path)
{
    m_stream = stream;
    m_path = path;
    m_heading->setText(tr("History of %1 in %2").arg(path, stream));
    m_model->setChanges({});
    m_status->setText(tr("Replaying…"));
    m_progress->show();
    m_cancel->show();
}

void FieldHistoryPanel::showProgress(qint64 eventsFolded)
{
    m_status->setText(tr("%1 events folded…").arg(QLocale().toString(eventsFolded)));
}

void FieldHistoryPanel::setChanges(const QVector<FieldChange> &changes)
{
    m_model->setChanges(changes);
    m_progress->hide();
    m_cancel->hide();
    m_status->setText(changes.isEmpty() ? tr("No event changed this field.")
                                        : tr("%n change(s); click one to replay to it.", nullptr,
                                             int(changes.size())));
}

void FieldHistoryPanel::showMessage(const QString &message)
{
    m_progress->hide();
    m_cancel->hide();
    m_status->setText(message);
}

QString FieldHistoryPanel::heading() const
{
    return m_heading->text();
}

QString FieldHistoryPanel::statusText() const
{
    return m_status->text();
}

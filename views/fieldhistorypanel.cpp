#include "fieldhistorypanel.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "elidedtext.h"
#include "jsontreemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

enum Column { VersionColumn, TimeColumn, TypeColumn, ChangeColumn, ValuesColumn };
constexpr int IndexRole = Qt::UserRole;

QString valueText(const QJsonValue &value)
{
    return value.isUndefined() ? u"—"_s
                               : elidedText(QString::fromUtf8(Payload::compact(value)), 200);
}

QString kindName(JsonChange::Kind kind)
{
    switch (kind) {
    case JsonChange::Kind::Added:
        return FieldHistoryPanel::tr("added");
    case JsonChange::Kind::Changed:
        return FieldHistoryPanel::tr("changed");
    case JsonChange::Kind::Removed:
        return FieldHistoryPanel::tr("removed");
    }
    Q_UNREACHABLE();
}

} // namespace

FieldHistoryPanel::FieldHistoryPanel(QWidget *parent) : QWidget(parent)
{
    m_heading = new QLabel(this);
    m_heading->setTextFormat(Qt::PlainText);
    m_heading->setWordWrap(true);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(u"fieldHistoryList"_s);
    m_list->setHeaderLabels(
        {tr("Version"), tr("Time"), tr("Event type"), tr("Change"), tr("Before → after")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setStretchLastSection(true);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item)
            emit changeActivated(item->data(VersionColumn, IndexRole).toLongLong());
    });

    m_message = new QLabel(this);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setEnabled(false);

    m_progressPage = new QWidget(this);
    m_progress = new QProgressBar(m_progressPage);
    m_progress->setRange(0, 0);
    m_progressLabel = new QLabel(m_progressPage);
    m_cancel = new QPushButton(tr("Cancel"), m_progressPage);
    m_cancel->setObjectName(u"fieldHistoryCancel"_s);
    connect(m_cancel, &QPushButton::clicked, this, &FieldHistoryPanel::cancelRequested);
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    auto *progressLayout = new QVBoxLayout(m_progressPage);
    progressLayout->addStretch();
    progressLayout->addWidget(m_progressLabel);
    progressLayout->addLayout(progressRow);
    progressLayout->addStretch();

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_message);
    m_stack->addWidget(m_progressPage);
    m_stack->addWidget(m_list);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_heading);
    layout->addWidget(m_stack, 1);
    showMessage(tr("Right-click a field in the State view and choose “History of …” to see "
                   "which events changed it."));
}

void FieldHistoryPanel::showPending(const QString &stream, const QString &path)
{
    m_heading->setText(tr("%1 in %2").arg(elidedText(path, 80), elidedName(stream)));
    m_list->clear();
    m_progressLabel->setText(tr("Reading the stream's events…"));
    m_stack->setCurrentWidget(m_progressPage);
}

void FieldHistoryPanel::setProgress(qint64 eventsRead)
{
    m_progressLabel->setText(tr("%1 events read…").arg(QLocale().toString(eventsRead)));
}

void FieldHistoryPanel::setChanges(const QVector<FieldChange> &changes, qint64 total)
{
    m_list->clear();
    if (changes.isEmpty()) {
        showMessage(tr("No event changed this field."));
        return;
    }
    QList<QTreeWidgetItem *> items;
    items.reserve(changes.size());
    for (const FieldChange &c : changes) {
        auto *item = new QTreeWidgetItem;
        item->setText(VersionColumn, QString::number(c.version));
        item->setData(VersionColumn, IndexRole, c.index);
        item->setTextAlignment(VersionColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(TimeColumn, TimeCodec::format(c.timeMs));
        item->setText(TypeColumn, elidedName(c.type));
        item->setToolTip(TypeColumn, elidedText(c.type, 1000));
        item->setText(ChangeColumn, kindName(c.change.kind));
        item->setBackground(ChangeColumn, JsonTreeModel::changeColor(c.change.kind));
        item->setText(ValuesColumn,
                      valueText(c.change.before) + u"  →  "_s + valueText(c.change.after));
        items << item;
    }
    m_list->addTopLevelItems(items);
    for (int column = 0; column < ValuesColumn; ++column)
        m_list->resizeColumnToContents(column);
    const QString counted = total > changes.size() ? tr("%1 changes (the first %2 listed)")
                                                         .arg(QLocale().toString(total),
                                                              QLocale().toString(changes.size()))
                            : total == 1 ? tr("1 change")
                                         : tr("%1 changes").arg(QLocale().toString(total));
    m_heading->setText(m_heading->text().section(u" — "_s, 0, 0) + u" — "_s + counted);
    m_stack->setCurrentWidget(m_list);
}

void FieldHistoryPanel::showMessage(const QString &message)
{
    m_message->setText(message);
    m_stack->setCurrentWidget(m_message);
}

QString FieldHistoryPanel::heading() const
{
    return m_heading->text();
}

QString FieldHistoryPanel::message() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

#include "schemaview.h"

#include "shorttime.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

// A field's presence over time: one bar per slice, as high as the share of the type's
// events there that hold it; a slice without events of the type stays empty.
class PresenceDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, QModelIndex());
        const QList<qreal> shares = index.data(SchemaView::PresenceRole).value<QList<qreal>>();
        if (shares.isEmpty())
            return;
        const QRectF area = QRectF(option.rect).adjusted(2, 3, -2, -3);
        const qreal width = area.width() / shares.size();
        painter->save();
        painter->fillRect(area, option.palette.color(QPalette::AlternateBase));
        for (int i = 0; i < shares.size(); ++i) {
            if (shares.at(i) < 0)
                continue; // no events of the type
            const qreal height = std::max<qreal>(1, area.height() * shares.at(i));
            const QColor color = shares.at(i) >= 1  ? QColor(0x2e, 0x86, 0xc1)
                                 : shares.at(i) > 0 ? QColor(0x85, 0xc1, 0xe9)
                                                    : QColor(0xc0, 0x39, 0x2b);
            painter->fillRect(QRectF(area.left() + i * width, area.bottom() - height,
                                     std::max<qreal>(1, width - 1), height),
                              color);
        }
        painter->restore();
    }
};

} // namespace

SchemaView::SchemaView(QWidget *parent)
    : QDialog(parent), m_tree(new QTreeWidget(this)), m_status(new QLabel(this)),
      m_progress(new QProgressBar(this)), m_cancel(new QPushButton(tr("Cancel"), this))
{
    setObjectName(u"schemaView"_s);
    setWindowTitle(tr("Schema"));
    m_tree->setObjectName(u"schemaTree"_s);
    m_tree->setHeaderLabels({tr("Type / field"), tr("Value types"), tr("Events"),
                             tr("Presence over time"), tr("Changes")});
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setItemDelegateForColumn(PresenceColumn, new PresenceDelegate(m_tree));
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(FieldColumn, 200);
    m_tree->setColumnWidth(TypesColumn, 170);
    m_tree->setColumnWidth(EventsColumn, 70);
    m_tree->setColumnWidth(PresenceColumn, 240);
    connect(m_cancel, &QPushButton::clicked, this, &SchemaView::cancelRequested);
    m_progress->setRange(0, 0);

    auto *top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_progress);
    top->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_tree, 1);
    resize(1000, 520);
    setRunning(false);
}

QString SchemaView::statusText() const
{
    return m_status->text();
}

void SchemaView::showRunning()
{
    m_tree->clear();
    m_status->setText(tr("Surveying the payloads…"));
    setRunning(true);
}

void SchemaView::showProgress(qint64 done)
{
    m_status->setText(tr("Surveying the payloads… %1 events read").arg(QLocale().toString(done)));
}

void SchemaView::setDrift(const SchemaDrift &drift)
{
    setRunning(false);
    m_tree->clear();
    qint64 events = 0;
    for (const SchemaTypeDrift &type : drift.types) {
        events += type.events;
        auto *typeItem = new QTreeWidgetItem(m_tree);
        typeItem->setText(FieldColumn, type.type.isEmpty() ? tr("(no type)") : type.type);
        typeItem->setText(EventsColumn, QLocale().toString(type.events));
        typeItem->setTextAlignment(EventsColumn, Qt::AlignRight | Qt::AlignVCenter);
        QFont bold = typeItem->font(FieldColumn);
        bold.setBold(true);
        typeItem->setFont(FieldColumn, bold);
        for (const SchemaFieldDrift &field : type.fields) {
            auto *item = new QTreeWidgetItem(typeItem);
            item->setText(FieldColumn,
                          field.path.isEmpty() ? tr("(the whole payload)") : field.path);
            item->setText(TypesColumn, field.valueTypesText());
            item->setText(EventsColumn, QLocale().toString(field.events));
            item->setTextAlignment(EventsColumn, Qt::AlignRight | Qt::AlignVCenter);
            QList<qreal> shares;
            for (int b = 0; b < field.presence.size(); ++b) {
                const qint64 all = type.perBucket.value(b);
                shares << (all == 0 ? -1.0 : qreal(field.presence.at(b)) / qreal(all));
            }
            item->setData(PresenceColumn, PresenceRole, QVariant::fromValue(shares));
            item->setToolTip(PresenceColumn,
                             tr("Share of the %1 events holding the field, %2 to %3")
                                 .arg(type.type, shortTime(drift.fromMs), shortTime(drift.toMs)));
            QStringList changes;
            for (const SchemaMoment &moment : field.moments)
                changes << moment.text();
            item->setText(ChangesColumn, changes.join(u"; "_s));
            item->setToolTip(ChangesColumn, changes.join(u"\n"_s));
        }
        typeItem->setExpanded(true);
    }
    m_status->setText(tr("%1 event types in %2 events · time slices from %3 to %4")
                          .arg(QLocale().toString(drift.types.size()), QLocale().toString(events),
                               shortTime(drift.fromMs), shortTime(drift.toMs)));
}

void SchemaView::showMessage(const QString &message)
{
    setRunning(false);
    m_status->setText(message);
}

void SchemaView::setRunning(bool running)
{
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
}

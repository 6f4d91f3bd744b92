#include "eventspane.h"

#include "eventfilterbar.h"
#include "eventtablemodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

EventsPane::EventsPane(QWidget *parent)
    : QWidget(parent), m_model(new EventTableModel(this)), m_view(new QTableView(this)),
      m_filterBar(new EventFilterBar(this))
{
    m_view->setObjectName(u"events"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    const int digit = fontMetrics().horizontalAdvance(u'0');
    for (const auto &[columnIndex, chars] :
         {std::pair{EventTableModel::PositionColumn, 9}, std::pair{EventTableModel::TimeColumn, 26},
          std::pair{EventTableModel::StreamColumn, 14},
          std::pair{EventTableModel::VersionColumn, 8}, std::pair{EventTableModel::TypeColumn, 16}})
        m_view->setColumnWidth(columnIndex, digit * chars);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        if (!rows.isEmpty())
            emit eventSelected(m_model->event(rows.constFirst().row()));
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_view, 1);
}

int EventsPane::selectPosition(qint64 position, Announce announce)
{
    const int row = m_model->rowOfPosition(position, true);
    QItemSelectionModel *selection = m_view->selectionModel();
    if (row < 0) {
        if (announce == Announce::Quiet)
            clearSelection();
        return -1;
    }
    const QModelIndex index = m_model->index(row, 0);
    {
        const QSignalBlocker block(announce == Announce::Quiet ? selection : nullptr);
        selection->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    if (announce == Announce::Quiet)
        m_view->viewport()->update();
    // After the view has laid out rows a fetch has just added; until then it scrolls to
    // stale geometry.
    QTimer::singleShot(0, m_view, [this, target = QPersistentModelIndex(index)] {
        if (target.isValid())
            m_view->scrollTo(target, QAbstractItemView::PositionAtCenter);
    });
    return row;
}

void EventsPane::clearSelection()
{
    const QSignalBlocker block(m_view->selectionModel());
    m_view->selectionModel()->clearSelection();
    m_view->viewport()->update();
}

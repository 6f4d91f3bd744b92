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
    connect(m_model, &EventTableModel::rowFound, this, &EventsPane::onRowFound);
    connect(m_model, &EventTableModel::settled, this, &EventsPane::settled);
    connect(m_model, &EventTableModel::countChanged, m_filterBar, &EventFilterBar::setEventCount);

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
    // Positions longer than that (Prooph's, numbered by stream table; stores past 10^8
    // events) widen the column rather than end in an ellipsis.
    // Only rows already read: asking for another would read its page, whose arrival asks for the
    // next (rows arrive page by page while the count is an estimate), through the whole store.
    const auto fitPosition = [this, digit](int row) {
        if (!m_model->isRowLoaded(row))
            return;
        const QString text = m_model->index(row, EventTableModel::PositionColumn).data().toString();
        const int needed = digit * int(text.size() + 2);
        if (needed > m_view->columnWidth(EventTableModel::PositionColumn))
            m_view->setColumnWidth(EventTableModel::PositionColumn, needed);
    };
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [fitPosition](const QModelIndex &, int, int last) { fitPosition(last); });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [fitPosition](const QModelIndex &, const QModelIndex &bottomRight) {
                fitPosition(bottomRight.row());
            });
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

void EventsPane::setSession(StoreSession *session)
{
    m_pending.reset();
    m_followed = -1;
    m_model->setSession(session);
}

void EventsPane::setFilter(const EventFilter &filter)
{
    m_pending.reset(); // the restarted table answers no earlier seek
    m_model->setFilter(filter);
    if (m_followed >= 0)
        selectPosition(m_followed, Announce::Quiet);
}

void EventsPane::followReplay(qint64 position)
{
    m_followed = position;
    if (position < 0)
        clearSelection();
    else
        selectPosition(position, Announce::Quiet);
}

void EventsPane::stopFollowing()
{
    m_followed = -1;
}

bool EventsPane::isSettled() const
{
    return m_model->isSettled();
}

void EventsPane::selectPosition(qint64 position, Announce announce)
{
    const int row = m_model->rowOfPosition(position);
    if (row >= 0) {
        m_pending.reset();
        showRow(row, position, announce);
        return;
    }
    m_pending = PendingSelection{position, announce};
    m_model->seekPosition(position);
}

void EventsPane::onRowFound(int row, const QVariant &position)
{
    if (!m_pending || position.toLongLong() != m_pending->position)
        return; // an earlier seek's
    const PendingSelection pending = *std::exchange(m_pending, std::nullopt);
    showRow(row, pending.position, pending.announce);
}

void EventsPane::showRow(int row, qint64 position, Announce announce)
{
    if (row < 0) {
        if (announce == Announce::Quiet)
            clearSelection();
        else
            emit hiddenByFilters(position);
        return;
    }
    QItemSelectionModel *selection = m_view->selectionModel();
    const QModelIndex index = m_model->index(row, 0);
    {
        const QSignalBlocker block(announce == Announce::Quiet ? selection : nullptr);
        selection->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    scrollTo(index);
    if (announce == Announce::Quiet) {
        m_view->viewport()->update();
        emit eventFollowed(m_model->event(row));
    }
}

// After the view has laid out rows a page has just added; until then it scrolls to stale
// geometry.
void EventsPane::scrollTo(const QModelIndex &index)
{
    QTimer::singleShot(0, m_view, [this, target = QPersistentModelIndex(index)] {
        if (target.isValid())
            m_view->scrollTo(target, QAbstractItemView::PositionAtCenter);
    });
}

void EventsPane::clearSelection()
{
    m_pending.reset();
    const QSignalBlocker block(m_view->selectionModel());
    m_view->selectionModel()->clearSelection();
    m_view->viewport()->update();
}

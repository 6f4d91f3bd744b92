#include "streamspane.h"

#include "streamlistmodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

StreamsPane::StreamsPane(QWidget *parent)
    : QWidget(parent), m_model(new StreamListModel(this)), m_filter(new QLineEdit(this)),
      m_view(new QTableView(this))
{
    m_filter->setObjectName(u"streamFilter"_s);
    m_filter->setPlaceholderText(tr("Filter streams"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this] { m_filterDelay.start(); });
    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(200);
    m_filterDelay.callOnTimeout(this, [this] {
        m_model->setFilter(m_filter->text());
        emit settled();
    });
    connect(m_model, &StreamListModel::rowFound, this, &StreamsPane::onRowFound);
    connect(m_model, &StreamListModel::settled, this, &StreamsPane::settled);

    m_view->setObjectName(u"streams"_s);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(0, Qt::AscendingOrder);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    const int digit = fontMetrics().horizontalAdvance(u'0');
    m_view->setColumnWidth(StreamListModel::StreamColumn, digit * 14);
    m_view->setColumnWidth(StreamListModel::EventsColumn, digit * 8);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_view->selectionModel()->selectedRows();
        emit streamSelected(rows.isEmpty()
                                ? QString()
                                : rows.constFirst().data(StreamListModel::StreamRole).toString());
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
}

void StreamsPane::setSession(StoreSession *session)
{
    m_sought.clear();
    m_model->setSession(session);
}

bool StreamsPane::isSettled() const
{
    return !m_filterDelay.isActive() && m_model->isSettled();
}

void StreamsPane::selectStream(const QString &stream)
{
    if (stream.isEmpty()) {
        clearSelection();
        return;
    }
    if (const int row = m_model->rowOfStream(stream); row >= 0) {
        m_sought.clear();
        selectRow(row);
        return;
    }
    m_sought = stream;
    m_model->seekStream(stream);
    emit streamSelected(stream);
}

void StreamsPane::onRowFound(int row, const QVariant &stream)
{
    if (m_sought.isEmpty() || stream.toString() != m_sought)
        return; // an earlier seek's
    m_sought.clear();
    if (row < 0)
        emit streamNotFound(stream.toString());
    else
        selectRow(row);
}

void StreamsPane::selectRow(int row)
{
    const QModelIndex index = m_model->index(row, 0);
    m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                QItemSelectionModel::Rows);
    m_view->setCurrentIndex(index);
    // After the first layout, so that the view knows its height.
    QTimer::singleShot(
        0, m_view, [this, index] { m_view->scrollTo(index, QAbstractItemView::PositionAtCenter); });
}

void StreamsPane::clearSelection()
{
    m_sought.clear();
    m_view->clearSelection();
}

void StreamsPane::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

void StreamsPane::clearFilter()
{
    m_filterDelay.stop();
    {
        const QSignalBlocker block(m_filter);
        m_filter->clear();
    }
    m_model->setFilter(QString());
}

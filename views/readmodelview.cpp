#include "readmodelview.h"

#include "decoding/payload.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFileDialog>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QStandardItem *valueItem(const QJsonValue &value)
{
    auto *item = new QStandardItem;
    if (value.isDouble()) {
        item->setData(value.toDouble(), Qt::DisplayRole); // sorts as a number
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    } else if (value.isString()) {
        item->setText(value.toString());
    } else if (!value.isUndefined()) {
        item->setText(QString::fromUtf8(Payload::compact(value)));
    }
    return item;
}

} // namespace

ReadModelView::ReadModelView(QWidget *parent)
    : QWidget(parent), m_load(new QPushButton(tr("Load Projection…"), this)),
      m_status(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_model(new QStandardItemModel(this)),
      m_sorted(new QSortFilterProxyModel(this)), m_table(new QTableView(this)),
      m_field(new QComboBox(this)), m_chart(new QChart), m_chartView(new QChartView(m_chart, this)),
      m_series(new QBarSeries(this))
{
    setObjectName(u"readModelView"_s);
    m_load->setToolTip(tr("A projection file with a \"key\" (a data path, $stream or "
                          "$category) folds the whole store into one state per key"));
    connect(m_load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Load Read Model Projection"), {}, tr("Projections (*.json);;All files (*)"));
        if (!path.isEmpty())
            emit loadRequested(path);
    });
    connect(m_cancel, &QPushButton::clicked, this, &ReadModelView::cancelRequested);
    m_status->setWordWrap(true);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(Qt::DisplayRole);
    m_table->setObjectName(u"readModelTable"_s);
    m_table->setModel(m_sorted);
    m_table->setSortingEnabled(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_field->setToolTip(tr("The numeric state field the chart shows per key"));
    connect(m_field, &QComboBox::currentIndexChanged, this, &ReadModelView::showChart);

    m_chart->legend()->hide();
    m_chart->addSeries(m_series);
    // A chart whose plot area would be too small drops its axes: little margin, no title (the
    // "Chart of" chooser above names the field), and room for the plot even in a short dock.
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(180);

    auto *top = new QHBoxLayout;
    top->addWidget(m_load);
    top->addWidget(m_status, 1);
    top->addWidget(m_progress);
    top->addWidget(m_cancel);
    auto *chartPane = new QWidget(this);
    auto *chartLayout = new QVBoxLayout(chartPane);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    auto *chooser = new QHBoxLayout;
    chooser->addWidget(new QLabel(tr("Chart of"), chartPane));
    chooser->addWidget(m_field, 1);
    chartLayout->addLayout(chooser);
    chartLayout->addWidget(m_chartView, 1);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(chartPane);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    clear();
}

QString ReadModelView::statusText() const
{
    return m_status->text();
}

void ReadModelView::showRunning(const QString &projection)
{
    m_status->setText(tr("Folding the store with %1…").arg(projection));
    m_progress->setRange(0, 0);
    setRunning(true);
}

void ReadModelView::showProgress(qint64 done, qint64 total)
{
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::clamp<qint64>(done * 1000 / total, 0, 1000)));
    }
}

void ReadModelView::setResult(const ReadModelResult &result)
{
    setRunning(false);
    m_result = result;
    // The state's fields in the order the keys first hold them; numeric: a number wherever
    // it is held.
    QStringList fields;
    QMap<QString, bool> numeric;
    for (const ReadModelRow &row : result.rows) {
        for (auto it = row.state.begin(); it != row.state.end(); ++it) {
            if (!numeric.contains(it.key())) {
                fields << it.key();
                numeric.insert(it.key(), true);
            }
            if (!it.value().isDouble())
                numeric[it.key()] = false;
        }
    }
    m_model->clear();
    m_model->setHorizontalHeaderLabels(QStringList{tr("Key"), tr("Events")} + fields);
    for (const ReadModelRow &row : result.rows) {
        QList<QStandardItem *> items{new QStandardItem(row.key),
                                     valueItem(QJsonValue(double(row.events)))};
        for (const QString &field : std::as_const(fields))
            items << valueItem(row.state.value(field));
        m_model->appendRow(items);
    }
    m_sorted->sort(-1);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    // The last column stretches over the rest of the table (resizing it too would undo that).
    for (int column = 0; column + 1 < m_model->columnCount(); ++column)
        m_table->resizeColumnToContents(column);

    const QSignalBlocker block(m_field);
    m_field->clear();
    m_field->addItem(tr("Events"), u"$events"_s);
    for (const QString &field : std::as_const(fields)) {
        if (numeric.value(field))
            m_field->addItem(field, field);
    }
    // A state field says more than the count of events, when there is one.
    m_field->setCurrentIndex(m_field->count() > 1 ? 1 : 0);
    QString text = tr("%1 keys").arg(QLocale().toString(result.rows.size()));
    if (result.skipped > 0)
        text += tr(" · %1 events skipped (no key)").arg(QLocale().toString(result.skipped));
    m_status->setText(text);
    showChart();
}

void ReadModelView::showChart()
{
    m_series->clear();
    for (QAbstractAxis *axis : m_chart->axes()) {
        m_chart->removeAxis(axis); // and so the chart's no more
        delete axis;
    }
    const QString field = m_field->currentData().toString();
    if (field.isEmpty() || m_result.rows.isEmpty())
        return;
    auto *set = new QBarSet(m_field->currentText());
    QStringList keys;
    double top = 0;
    for (const ReadModelRow &row : std::as_const(m_result.rows)) {
        if (keys.size() == MaxBars)
            break;
        const double value =
            field == u"$events"_s ? double(row.events) : row.state.value(field).toDouble();
        *set << value;
        keys << row.key;
        top = std::max(top, value);
    }
    m_series->append(set);
    auto *x = new QBarCategoryAxis;
    x->append(keys);
    auto *y = new QValueAxis;
    y->setRange(0, top > 0 ? top : 1);
    y->applyNiceNumbers();
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    m_series->attachAxis(x);
    m_series->attachAxis(y);
    m_chart->setTitle(m_result.rows.size() > MaxBars ? tr("The first %1 keys").arg(MaxBars)
                                                     : QString());
}

void ReadModelView::showMessage(const QString &message)
{
    setRunning(false);
    m_status->setText(message);
}

void ReadModelView::clear()
{
    m_result = {};
    m_model->clear();
    m_field->clear();
    showChart();
    m_chart->setTitle({});
    m_status->setText(tr("Load a projection with a \"key\" to fold the store into one state per "
                         "key"));
    setRunning(false);
}

void ReadModelView::setRunning(bool running)
{
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
    m_load->setEnabled(!running);
}

#include "columnmappingdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

struct Role
{
    const char *key;
    const char *label;
    QStringList guesses; // column names that usually play the role, best first
};

const QList<Role> &roles()
{
    static const QList<Role> list{
        {"stream",
         QT_TRANSLATE_NOOP("ColumnMappingDialog", "Stream (required)"),
         {u"stream_id"_s, u"stream"_s, u"stream_name"_s, u"aggregate_id"_s,
          u"aggregate_identifier"_s, u"persistence_id"_s, u"originator_id"_s, u"entity_id"_s}},
        {"position",
         QT_TRANSLATE_NOOP("ColumnMappingDialog", "Position (global order)"),
         {u"global_position"_s, u"position"_s, u"global_index"_s, u"seq_id"_s, u"ordering"_s,
          u"id"_s, u"sequence"_s}},
        {"version",
         QT_TRANSLATE_NOOP("ColumnMappingDialog", "Version in stream"),
         {u"stream_version"_s, u"version"_s, u"sequence_number"_s, u"seq"_s,
          u"originator_version"_s, u"revision"_s}},
        {"type",
         QT_TRANSLATE_NOOP("ColumnMappingDialog", "Event type"),
         {u"type"_s, u"event_type"_s, u"kind"_s, u"name"_s, u"payload_type"_s, u"topic"_s}},
        {"time",
         QT_TRANSLATE_NOOP("ColumnMappingDialog", "Time"),
         {u"recorded_at"_s, u"created_at"_s, u"timestamp"_s, u"time"_s, u"created"_s,
          u"time_stamp"_s, u"occurred_at"_s}},
        {"data",
         QT_TRANSLATE_NOOP("ColumnMappingDialog", "Data (payload)"),
         {u"data"_s, u"payload"_s, u"body"_s, u"json_data"_s, u"state"_s, u"event_payload"_s}},
        {"metadata",
         QT_TRANSLATE_NOOP("ColumnMappingDialog", "Metadata"),
         {u"metadata"_s, u"meta_data"_s, u"json_metadata"_s, u"headers"_s}},
    };
    return list;
}

QString guess(const QStringList &columns, const QStringList &names)
{
    for (const QString &name : names) {
        for (const QString &column : columns) {
            if (column.compare(name, Qt::CaseInsensitive) == 0)
                return column;
        }
    }
    return {};
}

} // namespace

ColumnMappingDialog::ColumnMappingDialog(const QString &storeName, const QString &problem,
                                         const QMap<QString, QStringList> &catalog, QWidget *parent)
    : QDialog(parent), m_catalog(catalog)
{
    setWindowTitle(tr("Map Columns — %1").arg(storeName));
    auto *intro = new QLabel(tr("%1\n\nTell Eventscope where the events are: pick the table and "
                                "the column that plays each role. Only the stream and a "
                                "position or a time are needed.")
                                 .arg(problem),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);

    auto *form = new QFormLayout;
    m_table = new QComboBox(this);
    m_table->setObjectName(u"mappingTable"_s);
    m_table->addItems(catalog.keys());
    form->addRow(tr("Table"), m_table);
    for (const Role &role : roles()) {
        auto *box = new QComboBox(this);
        box->setObjectName(u"mapping-"_s + QLatin1String(role.key));
        m_roles.insert(QLatin1String(role.key), box);
        form->addRow(tr(role.label), box);
        connect(box, &QComboBox::currentIndexChanged, this, &ColumnMappingDialog::validate);
    }
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Open with this mapping"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_table, &QComboBox::currentIndexChanged, this, &ColumnMappingDialog::fillColumns);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_hint);
    layout->addWidget(m_buttons);

    // Start on the table whose columns look most like events.
    int best = 0, bestScore = -1;
    for (int i = 0; i < m_table->count(); ++i) {
        const QStringList columns = catalog.value(m_table->itemText(i));
        int score = 0;
        for (const Role &role : roles())
            score += guess(columns, role.guesses).isEmpty() ? 0 : 1;
        if (score > bestScore) {
            best = i;
            bestScore = score;
        }
    }
    m_table->setCurrentIndex(best);
    fillColumns();
}

void ColumnMappingDialog::fillColumns()
{
    const QStringList columns = m_catalog.value(m_table->currentText());
    for (const Role &role : roles()) {
        QComboBox *box = m_roles.value(QLatin1String(role.key));
        const QSignalBlocker block(box);
        box->clear();
        box->addItem(tr("(none)"), QString());
        for (const QString &column : columns)
            box->addItem(column, column);
        const int found = box->findData(guess(columns, role.guesses));
        box->setCurrentIndex(found < 0 ? 0 : found);
    }
    validate();
}

void ColumnMappingDialog::validate()
{
    const auto chosen = [this](const char *key) {
        return !m_roles.value(QLatin1String(key))->currentData().toString().isEmpty();
    };
    QString problem;
    if (m_table->currentText().isEmpty())
        problem = tr("The store has no tables.");
    else if (!chosen("stream"))
        problem = tr("Pick the column that names the stream.");
    else if (!chosen("position") && !chosen("time"))
        problem = tr("Pick a position or a time column, so that events can be put in order.");
    m_hint->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

QString ColumnMappingDialog::spec() const
{
    QStringList parts{u"table="_s + m_table->currentText()};
    for (const Role &role : roles()) {
        const QString column = m_roles.value(QLatin1String(role.key))->currentData().toString();
        if (!column.isEmpty())
            parts << QLatin1String(role.key) + u'=' + column;
    }
    return parts.join(u',');
}

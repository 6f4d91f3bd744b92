#include "columnmappingdialog.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

constexpr int ShownCharacters = 40; // of a sample value

QString roleLabel(const QString &role)
{
    static const QMap<QString, const char *> labels{
        {u"position"_s, QT_TRANSLATE_NOOP("ColumnMappingDialog", "Position (global order)")},
        {u"stream"_s, QT_TRANSLATE_NOOP("ColumnMappingDialog", "Stream (required)")},
        {u"version"_s, QT_TRANSLATE_NOOP("ColumnMappingDialog", "Version in stream")},
        {u"type"_s, QT_TRANSLATE_NOOP("ColumnMappingDialog", "Event type")},
        {u"time"_s, QT_TRANSLATE_NOOP("ColumnMappingDialog", "Time")},
        {u"data"_s, QT_TRANSLATE_NOOP("ColumnMappingDialog", "Data (payload)")},
        {u"metadata"_s, QT_TRANSLATE_NOOP("ColumnMappingDialog", "Metadata")},
    };
    return QCoreApplication::translate("ColumnMappingDialog", labels.value(role));
}

// A sample value as one short line: binary values by their size.
QString shown(const QVariant &value)
{
    if (value.isNull())
        return u"NULL"_s;
    if (value.typeId() == QMetaType::QByteArray) {
        const QByteArray bytes = value.toByteArray();
        const QString text = QString::fromUtf8(bytes);
        if (!text.contains(QChar::ReplacementCharacter))
            return shown(text);
        return ColumnMappingDialog::tr("(%n bytes)", nullptr, int(bytes.size()));
    }
    QString text = value.toString().simplified();
    if (text.size() > ShownCharacters)
        text = text.left(ShownCharacters - 1) + u'…';
    return text;
}

} // namespace

ColumnMappingDialog::ColumnMappingDialog(const QString &storeName, const QString &problem,
                                         const QVector<TableSample> &tables, QWidget *parent)
    : QDialog(parent), m_tables(tables)
{
    setWindowTitle(tr("Map Columns — %1").arg(storeName));
    auto *intro = new QLabel(tr("%1\n\nTell Eventscope where the events are: pick the table and "
                                "the column that plays each role. Only the stream and a "
                                "position or a time are needed.")
                                 .arg(problem),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);

    m_sample = new QTableWidget(this);
    m_sample->setObjectName(u"mappingSample"_s);
    m_sample->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sample->verticalHeader()->hide();
    m_sample->setMaximumHeight(m_sample->verticalHeader()->defaultSectionSize() * (ShownRows + 2));

    auto *form = new QFormLayout;
    m_table = new QComboBox(this);
    m_table->setObjectName(u"mappingTable"_s);
    for (const TableSample &table : tables)
        m_table->addItem(table.table);
    form->addRow(tr("Table"), m_table);
    for (const QString &role : MappingGuesser::roles()) {
        auto *box = new QComboBox(this);
        box->setObjectName(u"mapping-"_s + role);
        auto *reason = new QLabel(this);
        reason->setObjectName(u"mappingReason-"_s + role);
        reason->setTextFormat(Qt::PlainText);
        reason->setEnabled(false); // greyed: a note, not a control
        auto *row = new QHBoxLayout;
        row->addWidget(box);
        row->addWidget(reason, 1);
        m_roles.insert(role, box);
        m_reasons.insert(role, reason);
        form->addRow(roleLabel(role), row);
        connect(box, &QComboBox::currentIndexChanged, this, &ColumnMappingDialog::validate);
    }
    m_hint = new QLabel(this);
    m_hint->setObjectName(u"mappingHint"_s);
    m_hint->setWordWrap(true);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Open with this mapping"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_table, &QComboBox::currentIndexChanged, this, &ColumnMappingDialog::fillColumns);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("The table's first rows:"), this));
    layout->addWidget(m_sample);
    layout->addWidget(m_hint);
    layout->addWidget(m_buttons);

    // Start on the table in which the most roles are guessed.
    int best = 0;
    qsizetype mostRoles = -1;
    for (int i = 0; i < tables.size(); ++i) {
        const qsizetype roles = MappingGuesser::guess(tables.at(i)).size();
        if (roles > mostRoles) {
            best = i;
            mostRoles = roles;
        }
    }
    m_table->setCurrentIndex(best);
    fillColumns();
}

const TableSample &ColumnMappingDialog::currentTable() const
{
    static const TableSample none;
    const int i = m_table->currentIndex();
    return i >= 0 && i < m_tables.size() ? m_tables.at(i) : none;
}

void ColumnMappingDialog::fillColumns()
{
    const TableSample &table = currentTable();
    m_guesses = MappingGuesser::guess(table);
    for (const QString &role : MappingGuesser::roles()) {
        QComboBox *box = m_roles.value(role);
        const QSignalBlocker block(box);
        box->clear();
        box->addItem(tr("(none)"), QString());
        for (const QString &column : table.columns)
            box->addItem(column, column);
        // A stream the guesser reads from two columns ("store+agg") is offered as the pair.
        if (const QString guessed = m_guesses.value(role).column; guessed.contains(u'+'))
            box->addItem(guessed.split(u'+').join(u" + "), guessed);
        const int found = box->findData(m_guesses.value(role).column);
        box->setCurrentIndex(found < 0 ? 0 : found);
    }

    m_sample->clear();
    m_sample->setColumnCount(int(table.columns.size()));
    m_sample->setHorizontalHeaderLabels(table.columns);
    const int rows = int(qMin<qsizetype>(table.rows.size(), ShownRows));
    m_sample->setRowCount(rows);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < table.columns.size(); ++c) {
            const QVariant &value = table.rows.at(r).at(c);
            auto *item = new QTableWidgetItem(shown(value));
            item->setToolTip(value.typeId() == QMetaType::QByteArray ? QString()
                                                                     : value.toString().left(1000));
            m_sample->setItem(r, c, item);
        }
    }
    m_sample->resizeColumnsToContents();
    validate();
}

void ColumnMappingDialog::validate()
{
    QMap<QString, QString> chosen;
    for (const QString &role : MappingGuesser::roles()) {
        const QString column = m_roles.value(role)->currentData().toString();
        chosen.insert(role, column);
        // The reason holds while the guess is the choice.
        const RoleGuess guess = m_guesses.value(role);
        m_reasons.value(role)->setText(!column.isEmpty() && guess.column == column ? guess.reason
                                                                                   : QString());
    }
    QString problem;
    if (m_table->currentText().isEmpty())
        problem = tr("The store has no tables.");
    else if (chosen.value(u"stream"_s).isEmpty())
        problem = tr("Pick the column that names the stream.");
    else if (chosen.value(u"position"_s).isEmpty() && chosen.value(u"time"_s).isEmpty())
        problem = tr("Pick a position or a time column, so that events can be put in order.");
    else
        problem = MappingGuesser::problem(currentTable(), chosen);
    m_hint->setText(problem);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

QString ColumnMappingDialog::hint() const
{
    return m_hint->text();
}

QString ColumnMappingDialog::spec() const
{
    QStringList parts{u"table="_s + m_table->currentText()};
    for (const QString &role : MappingGuesser::roles()) {
        const QString column = m_roles.value(role)->currentData().toString();
        if (!column.isEmpty())
            parts << role + u'=' + column;
    }
    return parts.join(u',');
}

#include "slicedialog.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

const QString TimeFormat = u"yyyy-MM-dd HH:mm:ss.zzz"_s;

} // namespace

SliceDialog::SliceDialog(QWidget *parent)
    : QDialog(parent), m_filter(new QLineEdit(this)), m_list(new QListWidget(this)),
      m_listNote(new QLabel(this)), m_useFrom(new QCheckBox(tr("From"), this)),
      m_from(new QDateTimeEdit(this)), m_useTo(new QCheckBox(tr("Before"), this)),
      m_to(new QDateTimeEdit(this)), m_path(new QLineEdit(this)), m_save(nullptr)
{
    setObjectName(u"sliceDialog"_s);
    setWindowTitle(tr("Save Slice"));
    m_filter->setObjectName(u"sliceStreamFilter"_s);
    m_filter->setPlaceholderText(tr("Filter streams"));
    m_filter->setClearButtonEnabled(true);
    m_list->setObjectName(u"sliceStreams"_s);
    m_list->setUniformItemSizes(true);
    m_listNote->setObjectName(u"sliceStreamsNote"_s);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setTimeSpec(Qt::UTC);
        edit->setDisplayFormat(TimeFormat);
        edit->setCalendarPopup(true);
        edit->setEnabled(false);
    }
    m_useFrom->setToolTip(tr("Only events at or after this time (UTC)"));
    m_useTo->setToolTip(tr("Only events before this time (UTC)"));
    m_path->setObjectName(u"slicePath"_s);
    m_path->setPlaceholderText(tr("The new SQLite file"));
    auto *browse = new QToolButton(this);
    browse->setText(tr("Browse…"));

    // The server is asked once typing pauses.
    auto *typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(250);
    connect(typing, &QTimer::timeout, this, [this] { emit filterChanged(m_filter->text()); });
    connect(m_filter, &QLineEdit::textChanged, typing, qOverload<>(&QTimer::start));
    connect(m_list, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        const QString stream = item->data(Qt::UserRole).toString();
        if (item->checkState() == Qt::Checked)
            m_checked.insert(stream);
        else
            m_checked.remove(stream);
        updateState();
    });
    connect(m_useFrom, &QCheckBox::toggled, m_from, &QWidget::setEnabled);
    connect(m_useTo, &QCheckBox::toggled, m_to, &QWidget::setEnabled);
    connect(browse, &QToolButton::clicked, this, &SliceDialog::browse);
    connect(m_path, &QLineEdit::textChanged, this, &SliceDialog::updateState);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_save = buttons->addButton(tr("Save Slice"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(u"sliceSave"_s);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *times = new QFormLayout;
    times->addRow(m_useFrom, m_from);
    times->addRow(m_useTo, m_to);
    auto *file = new QHBoxLayout;
    file->addWidget(m_path, 1);
    file->addWidget(browse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("The streams to keep:"), this));
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_listNote);
    layout->addWidget(
        new QLabel(tr("Only their events in this time range (UTC; optional):"), this));
    layout->addLayout(times);
    layout->addWidget(new QLabel(tr("Write them to:"), this));
    layout->addLayout(file);
    layout->addWidget(buttons);
    resize(520, 560);
    updateState();
}

void SliceDialog::setStreams(const QVector<StreamInfo> &streams, bool complete)
{
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    for (const StreamInfo &info : streams) {
        const QString label =
            info.events < 0
                ? info.stream
                : (info.events == 1
                       ? tr("%1 (1 event)").arg(info.stream)
                       : tr("%1 (%2 events)").arg(info.stream, QLocale().toString(info.events)));
        auto *item = new QListWidgetItem(label, m_list);
        item->setData(Qt::UserRole, info.stream);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(m_checked.contains(info.stream) ? Qt::Checked : Qt::Unchecked);
    }
    m_listNote->setText(complete ? QString()
                                 : tr("The first %1 streams; type to find others.")
                                       .arg(QLocale().toString(streams.size())));
    m_listNote->setVisible(!complete);
    updateState();
}

void SliceDialog::setTimeRange(qint64 firstMs, qint64 lastMs)
{
    if (firstMs != NoTime)
        m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(firstMs, Qt::UTC));
    if (lastMs != NoTime)
        m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(lastMs + 1, Qt::UTC));
}

void SliceDialog::setOutputPath(const QString &path)
{
    m_path->setText(path);
}

void SliceDialog::check(const QString &stream)
{
    m_checked.insert(stream);
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        if (item->data(Qt::UserRole).toString() == stream)
            item->setCheckState(Qt::Checked);
    }
    updateState();
}

QStringList SliceDialog::streams() const
{
    QStringList chosen(m_checked.cbegin(), m_checked.cend());
    chosen.sort();
    return chosen;
}

qint64 SliceDialog::fromTimeMs() const
{
    return m_useFrom->isChecked() ? m_from->dateTime().toMSecsSinceEpoch() : NoTime;
}

qint64 SliceDialog::toTimeMs() const
{
    return m_useTo->isChecked() ? m_to->dateTime().toMSecsSinceEpoch() : NoTime;
}

QString SliceDialog::outputPath() const
{
    return m_path->text().trimmed();
}

void SliceDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Slice As"), outputPath(),
                                                      tr("SQLite stores (*.sqlite *.db)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void SliceDialog::updateState()
{
    const qsizetype chosen = m_checked.size();
    m_save->setEnabled(chosen > 0 && !outputPath().isEmpty());
    m_save->setText(chosen == 1 ? tr("Save Slice of 1 Stream")
                                : tr("Save Slice of %1 Streams").arg(chosen));
}

#include "bisectdialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

BisectDialog::BisectDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Bisect"));
    m_stream = new QLabel(this);
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(u"bisectPredicate"_s);
    m_edit->setPlaceholderText(u"balance.cents < 0 and not (status == \"frozen\")"_s);
    m_edit->setMinimumWidth(420);
    m_error = new QLabel(this);
    m_error->setStyleSheet(u"QLabel { color: #c0392b; }"_s);
    m_error->setWordWrap(true);
    m_find = new QPushButton(tr("&Find"), this);
    m_find->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *help = new QLabel(tr("PATH OP VALUE with == != < <= > >= contains matches; PATH exists, "
                               "PATH missing; and, or, not, parentheses. Values are JSON."),
                            this);
    help->setWordWrap(true);
    help->setEnabled(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_progress, 1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_find);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_stream);
    layout->addWidget(new QLabel(tr("The first event after which this holds:"), this));
    layout->addWidget(m_edit);
    layout->addWidget(m_error);
    layout->addWidget(help);
    layout->addLayout(buttons);
    layout->addWidget(m_result);

    connect(m_edit, &QLineEdit::textChanged, this, &BisectDialog::validate);
    connect(m_find, &QPushButton::clicked, this, [this] {
        if (const auto p = predicate()) {
            setRunning(true);
            m_result->setText(tr("Folding the stream…"));
            emit findRequested(*p);
        }
    });
    connect(m_cancel, &QPushButton::clicked, this, &BisectDialog::cancelRequested);
    setRunning(false);
    validate();
}

void BisectDialog::setStream(const QString &stream)
{
    m_stream->setText(stream.isEmpty() ? tr("Select a stream first.")
                                       : tr("Stream: %1").arg(stream));
    m_hasStream = !stream.isEmpty();
    validate();
}

std::optional<Predicate> BisectDialog::predicate() const
{
    QueryError error;
    return Predicate::parse(m_edit->text(), &error);
}

void BisectDialog::validate()
{
    QueryError error;
    const bool empty = m_edit->text().trimmed().isEmpty();
    const bool valid = !empty && Predicate::parse(m_edit->text(), &error).has_value();
    m_error->setText(empty || valid ? QString() : error.text());
    m_find->setEnabled(valid && m_hasStream && !m_progress->isVisibleTo(this));
}

void BisectDialog::setRunning(bool running)
{
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
    validate();
}

QString BisectDialog::errorText() const
{
    return m_error->text();
}

QString BisectDialog::resultText() const
{
    return m_result->text();
}

void BisectDialog::showProgress(qint64 eventsFolded)
{
    m_result->setText(tr("%1 events folded…").arg(QLocale().toString(eventsFolded)));
}

void BisectDialog::showFound(qint64 version, const QString &type, const QString &time)
{
    setRunning(false);
    m_result->setText(tr("Holds first after version %1 (%2, %3); the replay is there.")
                          .arg(version)
                          .arg(type, time));
}

void BisectDialog::showNotFound(qint64 eventsApplied)
{
    setRunning(false);
    m_result->setText(tr("Not found after %1 events.").arg(QLocale().toString(eventsApplied)));
}

void BisectDialog::showMessage(const QString &message)
{
    setRunning(false);
    m_result->setText(message);
}

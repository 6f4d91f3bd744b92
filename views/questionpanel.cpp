#include "questionpanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

QuestionPanel::QuestionPanel(const QString &hint, QWidget *parent) : QWidget(parent)
{
    m_heading = new QLabel(hint, this);
    m_heading->setWordWrap(true);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    m_status = new QLabel(this);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0); // busy: the events a fold takes are not known beforehand
    m_progress->setMaximumWidth(160);
    m_cancel = new QPushButton(tr("Cancel"), this);

    m_controls = new QVBoxLayout;
    auto *busy = new QHBoxLayout;
    busy->addWidget(m_status, 1);
    busy->addWidget(m_progress);
    busy->addWidget(m_cancel);
    m_layout = new QVBoxLayout(this);
    m_layout->addWidget(m_heading);
    m_layout->addLayout(m_controls);
    m_layout->addLayout(busy);
    m_progress->hide();
    m_cancel->hide();

    connect(m_cancel, &QPushButton::clicked, this, &QuestionPanel::cancelRequested);
}

QString QuestionPanel::heading() const
{
    return m_heading->text();
}

QString QuestionPanel::statusText() const
{
    return m_status->text();
}

bool QuestionPanel::isBusy() const
{
    return !m_cancel->isHidden();
}

void QuestionPanel::showMessage(const QString &message)
{
    m_progress->hide();
    m_cancel->hide();
    m_status->setText(message);
}

void QuestionPanel::setHeading(const QString &heading)
{
    m_heading->setText(heading);
}

void QuestionPanel::showBusy(const QString &status)
{
    m_status->setText(status);
    m_progress->show();
    m_cancel->show();
}

void QuestionPanel::setStatus(const QString &status)
{
    m_status->setText(status);
}

void QuestionPanel::addControls(QLayout *controls)
{
    m_controls->addLayout(controls);
}

void QuestionPanel::setBody(QWidget *body)
{
    m_layout->addWidget(body, 1);
}

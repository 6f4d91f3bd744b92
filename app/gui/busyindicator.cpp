#include "busyindicator.h"

#include "elidedtext.h"
#include "icons.h"
#include "session/storesession.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>

namespace {
constexpr int ProgressSteps = 1000; // of the bar, for a job that reports progress
constexpr int StatusLength = 80;    // characters of what is running
} // namespace

BusyIndicator::BusyIndicator(QStatusBar *bar, StoreSession *session)
    : QObject(bar), m_label(new QLabel(bar)), m_bar(new QProgressBar(bar)),
      m_cancelButton(new QToolButton(bar))
{
    m_bar->setMaximumWidth(120);
    m_cancelButton->setIcon(Icons::icon(Icons::Cancel));
    m_cancelButton->setToolTip(tr("Cancel (Esc)"));
    m_cancelButton->setAutoRaise(true);
    connect(m_cancelButton, &QToolButton::clicked, session, &StoreSession::cancel);
    connect(session, &StoreSession::busyChanged, this, &BusyIndicator::setBusy);
    connect(session, &StoreSession::progress, this,
            [this](StoreSession::Job job, qint64 done, qint64 total) {
                if (job == StoreSession::Job::Replay) {
                    setText(tr("%1: %2 events").arg(m_what, QLocale().toString(done)));
                } else if (job == StoreSession::Job::Index) {
                    setProgress(done, total);
                    setText(tr("Indexing %1 of %2 events")
                                .arg(QLocale().toString(done), QLocale().toString(total)));
                }
            });
    bar->addPermanentWidget(m_label);
    bar->addPermanentWidget(m_bar);
    bar->addPermanentWidget(m_cancelButton);
    setBusy(false, {});
}

void BusyIndicator::setBusy(bool busy, const QString &what)
{
    m_bar->setRange(0, 0);                   // until a job reports its progress
    m_what = elidedText(what, StatusLength); // a stream's name may be of any length
    m_label->setText(m_what);
    m_label->setVisible(busy);
    m_bar->setVisible(busy);
    m_cancelButton->setVisible(busy);
}

void BusyIndicator::setText(const QString &what)
{
    m_label->setText(elidedText(what, StatusLength + 40));
}

void BusyIndicator::setProgress(qint64 done, qint64 total)
{
    m_bar->setRange(0, ProgressSteps);
    m_bar->setValue(total > 0 ? int(qMin(done, total) * ProgressSteps / total) : 0);
}

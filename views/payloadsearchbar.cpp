#include "payloadsearchbar.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QToolButton>

using namespace Qt::StringLiterals;

PayloadSearchBar::PayloadSearchBar(QWidget *parent)
    : QWidget(parent), m_field(new QLineEdit(this)),
      m_contains(new QCheckBox(tr("Contains text"), this)), m_clear(new QToolButton(this)),
      m_cancel(new QToolButton(this)), m_status(new QLabel(this))
{
    setObjectName(u"payloadSearchBar"_s);
    m_field->setObjectName(u"payloadSearch"_s);
    m_field->setPlaceholderText(tr("Search payloads: amount > 100 and metadata.user == \"u2\""));
    m_field->setToolTip(
        tr("A predicate over the event data (paths starting with metadata. read the metadata); "
           "Enter searches the events the table's filters select."));
    m_field->installEventFilter(this);
    m_contains->setToolTip(tr("Find the text anywhere in the data, ignoring case"));
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Show every event again (Esc); stops a running search"));
    m_clear->setEnabled(false);
    m_cancel->setObjectName(u"payloadSearchCancel"_s);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the search; the table shows every event again"));
    m_cancel->hide();
    connect(m_cancel, &QToolButton::clicked, this, &PayloadSearchBar::cancelRequested);
    m_status->setObjectName(u"payloadSearchStatus"_s);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    connect(m_field, &QLineEdit::returnPressed, this, [this] {
        if (text().isEmpty())
            emit searchCleared();
        else
            emit searchRequested(text(), isContainsMode());
    });
    connect(m_contains, &QCheckBox::toggled, this, [this](bool contains) {
        m_field->setPlaceholderText(
            contains ? tr("Search payloads for text")
                     : tr("Search payloads: amount > 100 and metadata.user == \"u2\""));
        if (!text().isEmpty() && m_clear->isEnabled())
            emit searchRequested(text(), contains);
    });
    connect(m_clear, &QToolButton::clicked, this, [this] {
        clear();
        emit searchCleared();
    });

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(m_field, 3);
    layout->addWidget(m_contains);
    layout->addWidget(m_clear);
    layout->addWidget(m_status, 2);
    layout->addWidget(m_cancel);
}

QString PayloadSearchBar::text() const
{
    return m_field->text().trimmed();
}

bool PayloadSearchBar::isContainsMode() const
{
    return m_contains->isChecked();
}

QString PayloadSearchBar::statusText() const
{
    return m_status->text();
}

void PayloadSearchBar::showSearching(qint64 done, qint64 total)
{
    m_clear->setEnabled(true);
    m_cancel->show();
    setStatus(total > 0  ? tr("Searching… %1%").arg(done * 100 / total)
              : done > 0 ? tr("Searching… %1 events read").arg(QLocale().toString(done))
                         : tr("Searching…"),
              false);
}

void PayloadSearchBar::showMatches(qint64 count)
{
    m_clear->setEnabled(true);
    m_cancel->hide();
    setStatus(count == 1 ? tr("1 event matches")
                         : tr("%1 events match").arg(QLocale().toString(count)),
              false);
}

void PayloadSearchBar::showError(const QString &message, qsizetype column)
{
    m_cancel->hide();
    setStatus(tr("Column %1: %2").arg(column).arg(message), true);
    if (column > 0) {
        m_field->setFocus();
        // The column counts in the trimmed text.
        const qsizetype lead = m_field->text().indexOf(text());
        m_field->setCursorPosition(int(lead + column - 1));
    }
}

void PayloadSearchBar::showMessage(const QString &message)
{
    m_cancel->hide();
    setStatus(message, false);
}

void PayloadSearchBar::clear()
{
    m_field->clear();
    m_clear->setEnabled(false);
    m_cancel->setObjectName(u"payloadSearchCancel"_s);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the search; the table shows every event again"));
    m_cancel->hide();
    connect(m_cancel, &QToolButton::clicked, this, &PayloadSearchBar::cancelRequested);
    setStatus({}, false);
}

bool PayloadSearchBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape && m_clear->isEnabled()) {
        clear();
        emit searchCleared();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void PayloadSearchBar::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"color: #c0392b;"_s : QString());
}

#include "eventfilterbar.h"

#include "elidedtext.h"
#include "icons.h"
#include "shorttime.h"
#include "typepalette.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QToolButton>

using namespace Qt::StringLiterals;

EventFilterBar::EventFilterBar(QWidget *parent)
    : QWidget(parent), m_count(new QLabel(this)), m_typeButton(new QToolButton(this)),
      m_timeChip(new QToolButton(this)),
      m_selectedOnly(new QCheckBox(tr("Selected stream only"), this))
{
    m_typeButton->setText(tr("Types"));
    m_typeButton->setPopupMode(QToolButton::InstantPopup);
    m_typeButton->setMenu(new QMenu(m_typeButton));
    m_typeButton->setToolTip(tr("Show only some event types"));
    m_timeChip->setToolTip(tr("Clear the time filter"));
    m_timeChip->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_timeChip->setIcon(Icons::icon(Icons::Cancel));
    m_timeChip->hide();
    // Apart from the buttons, which the layout sets close together.
    m_count->setContentsMargins(fontMetrics().horizontalAdvance(u'0'), 0, 0, 0);
    connect(m_timeChip, &QToolButton::clicked, this, [this] { setTimeRange(NoTime, NoTime); });
    m_selectedOnly->setObjectName(u"selectedStreamOnly"_s);
    m_selectedOnly->setChecked(true);
    connect(m_selectedOnly, &QCheckBox::toggled, this, &EventFilterBar::filterChanged);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(0); // the label and the buttons close together, as the pane lays out
    layout->addWidget(new QLabel(tr("Events"), this));
    layout->addWidget(m_typeButton);
    layout->addWidget(m_timeChip);
    layout->addWidget(m_count);
    layout->addStretch(1);
    layout->addWidget(m_selectedOnly);
}

void EventFilterBar::setTypes(const QMap<QString, qint64> &typeCounts, const TypePalette &palette)
{
    QMenu *menu = m_typeButton->menu();
    menu->clear();
    for (auto it = typeCounts.cbegin(); it != typeCounts.cend(); ++it) {
        QPixmap swatch(12, 12);
        swatch.fill(palette.color(it.key()));
        const QString count = it.value() < 0 ? tr("counting") : QLocale().toString(it.value());
        QAction *a = menu->addAction(QIcon(swatch), u"%1 (%2)"_s.arg(elidedName(it.key()), count));
        a->setCheckable(true);
        a->setChecked(true);
        a->setData(it.key());
        connect(a, &QAction::toggled, this, [this, a](bool checked) { onTypeToggled(a, checked); });
    }
    showFilter();
}

void EventFilterBar::updateTypes(const QMap<QString, qint64> &typeCounts,
                                 const TypePalette &palette)
{
    const auto actions = m_typeButton->menu()->actions();
    QStringList known;
    for (const QAction *action : actions)
        known << action->data().toString();
    if (known != typeCounts.keys()) {
        // A new menu for the types the quick summary missed.
        QStringList unticked;
        for (const QAction *action : actions) {
            if (!action->isChecked())
                unticked << action->data().toString();
        }
        setTypes(typeCounts, palette);
        const auto rebuilt = m_typeButton->menu()->actions();
        for (QAction *action : rebuilt) {
            if (unticked.contains(action->data().toString()))
                action->setChecked(false);
        }
        return;
    }
    // Relabelled, not rebuilt.
    for (QAction *action : actions) {
        const QString type = action->data().toString();
        action->setText(
            u"%1 (%2)"_s.arg(elidedName(type), QLocale().toString(typeCounts.value(type))));
    }
}

void EventFilterBar::onTypeToggled(QAction *action, bool checked)
{
    QStringList types;
    const auto actions = m_typeButton->menu()->actions();
    for (const QAction *a : actions) {
        if (a->isChecked())
            types << a->data().toString();
    }
    if (!checked && types.isEmpty()) {
        action->setChecked(true); // at least one type stays shown
        return;
    }
    m_filter.types = types.size() == actions.size() ? QStringList() : types;
    showFilter();
    emit filterChanged();
}

void EventFilterBar::setTimeRange(qint64 fromMs, qint64 toMs)
{
    m_filter.fromTimeMs = fromMs;
    m_filter.toTimeMs = toMs;
    showFilter();
    emit filterChanged();
}

void EventFilterBar::reset()
{
    m_filter = EventFilter();
    const QSignalBlocker block(m_selectedOnly);
    m_selectedOnly->setChecked(true);
}

bool EventFilterBar::selectedStreamOnly() const
{
    return m_selectedOnly->isChecked();
}

void EventFilterBar::showFilter()
{
    m_typeButton->setText(m_filter.types.isEmpty()
                              ? tr("All types")
                              : tr("%n type(s)", nullptr, int(m_filter.types.size())));
    const bool timed = m_filter.fromTimeMs != NoTime;
    m_timeChip->setVisible(timed);
    if (timed)
        m_timeChip->setText(
            tr("%1 – %2").arg(shortTime(m_filter.fromTimeMs), shortTime(m_filter.toTimeMs)));
}

void EventFilterBar::setEventCount(int count, bool exact)
{
    const QString number = QLocale().toString(count);
    if (!exact)
        m_count->setText(tr("about %1 events").arg(number));
    else
        m_count->setText(count == 1 ? tr("1 event") : tr("%1 events").arg(number));
}

QString EventFilterBar::eventCountText() const
{
    return m_count->text();
}

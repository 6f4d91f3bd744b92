#pragma once

// The bar above the events table and the filter it holds: which event types the table shows
// (a menu of the store's types with their counts and timeline colours; at least one stays
// ticked), the time range it is cut to (a chip that clears it) and whether it shows the
// selected stream only. filterChanged() tells the window to pass filter() on to the table.

#include "core/event.h"

#include <QMap>
#include <QWidget>

class QCheckBox;
class QLabel;
class QToolButton;
class TypePalette;

class EventFilterBar : public QWidget
{
    Q_OBJECT

public:
    explicit EventFilterBar(QWidget *parent = nullptr);

    // A store's types, all ticked; a count below 0 is not counted yet.
    void setTypes(const QMap<QString, qint64> &typeCounts, const TypePalette &palette);
    // The exact counts after a quick summary, which may have missed rare types: the types the
    // user has unticked meanwhile stay unticked.
    void updateTypes(const QMap<QString, qint64> &typeCounts, const TypePalette &palette);
    void setTimeRange(qint64 fromMs, qint64 toMs); // NoTime for both: the whole time
    // How many events the table holds; "about" while the count is an estimate.
    void setEventCount(int count, bool exact);
    QString eventCountText() const;
    // A new store: every type, the whole time, the selected stream only. Emits nothing.
    void reset();

    // Types and time range; the stream is not set, see selectedStreamOnly.
    EventFilter filter() const { return m_filter; }
    bool selectedStreamOnly() const;
    QToolButton *typeButton() const { return m_typeButton; }

signals:
    void filterChanged();

private:
    void onTypeToggled(QAction *action, bool checked);
    void showFilter();

    EventFilter m_filter;
    QLabel *m_count;
    QToolButton *m_typeButton;
    QToolButton *m_timeChip;
    QCheckBox *m_selectedOnly;
};

#pragma once

// File ▸ Save Slice…: which streams go into a repro slice (a filterable list of checkable
// streams; the checks survive a change of filter), an optional time range, and the file to
// write. The streams come from whoever shows the dialog, a page at a time for the filter it
// asks for (filterChanged), so that a store with millions of streams lists quickly.

#include "core/event.h"

#include <QDialog>
#include <QSet>

class QCheckBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

class SliceDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SliceDialog(QWidget *parent = nullptr);

    // The streams whose name holds the filter: listed, those chosen before checked. complete:
    // false when there are more than those given (the list says to narrow the filter).
    void setStreams(const QVector<StreamInfo> &streams, bool complete);
    // The store's time range: the range's fields start there.
    void setTimeRange(qint64 firstMs, qint64 lastMs);
    void setOutputPath(const QString &path);
    void check(const QString &stream); // also when not listed

    QLineEdit *filterField() const { return m_filter; }
    QListWidget *streamList() const { return m_list; }
    QCheckBox *fromBox() const { return m_useFrom; }
    QCheckBox *toBox() const { return m_useTo; }
    QDateTimeEdit *fromEdit() const { return m_from; }
    QDateTimeEdit *toEdit() const { return m_to; }
    QLineEdit *pathField() const { return m_path; }
    QPushButton *saveButton() const { return m_save; }

    // The chosen streams, by name.
    QStringList streams() const;
    qint64 fromTimeMs() const; // NoTime when not limited
    qint64 toTimeMs() const;   // exclusive; NoTime when not limited
    QString outputPath() const;

signals:
    void filterChanged(const QString &filter);

private:
    void browse();
    void updateState();

    QLineEdit *m_filter;
    QListWidget *m_list;
    QLabel *m_listNote;
    QCheckBox *m_useFrom;
    QDateTimeEdit *m_from;
    QCheckBox *m_useTo;
    QDateTimeEdit *m_to;
    QLineEdit *m_path;
    QPushButton *m_save;
    QSet<QString> m_checked;
};

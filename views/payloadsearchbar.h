#pragma once

// The bar above the events table that searches inside payloads: a field for a predicate
// (`amount > 100 and metadata.user == "u2"`) or, with "Contains text" ticked, plain text
// found anywhere in the data; what the search found ("12 events match"), how far it has got,
// or where the predicate is malformed, shown beside it. Enter asks for a search, Esc or the
// clear button for none; Cancel, shown while a search runs, stops it and keeps the field.

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QToolButton;

class PayloadSearchBar : public QWidget
{
    Q_OBJECT

public:
    explicit PayloadSearchBar(QWidget *parent = nullptr);

    QLineEdit *field() const { return m_field; }
    QCheckBox *containsMode() const { return m_contains; }
    QToolButton *clearButton() const { return m_clear; }
    QToolButton *cancelButton() const { return m_cancel; }
    QString text() const;
    bool isContainsMode() const;
    // What the status beside the field says.
    QString statusText() const;

    void showSearching(qint64 done, qint64 total); // total < 0: not known
    void showMatches(qint64 count);
    // A malformed predicate: the message, its column marked in the field.
    void showError(const QString &message, qsizetype column);
    void showMessage(const QString &message); // a failed or cancelled search
    void clear();                             // no search, empty field; emits nothing

signals:
    void searchRequested(const QString &text, bool contains);
    void searchCleared();
    void cancelRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setStatus(const QString &text, bool error);

    QLineEdit *m_field;
    QCheckBox *m_contains;
    QToolButton *m_clear;
    QToolButton *m_cancel;
    QLabel *m_status;
};

#pragma once

// Replay ▸ Bisect…: "when did it go wrong?" A predicate over the state, checked as it is
// typed (the error names its column), Find, progress and Cancel while the stream is folded,
// and the answer: the first event after which the predicate holds, or that it never does.

#include "query/predicate.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

class BisectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit BisectDialog(QWidget *parent = nullptr);

    void setStream(const QString &stream);
    // The parsed predicate, when the text is well formed.
    std::optional<Predicate> predicate() const;

    void showProgress(qint64 eventsFolded);
    void showFound(qint64 version, const QString &type, const QString &time);
    void showNotFound(qint64 eventsApplied);
    void showMessage(const QString &message); // an error, a cancel

    QLineEdit *predicateEdit() const { return m_edit; }
    QPushButton *findButton() const { return m_find; }
    QPushButton *cancelButton() const { return m_cancel; }
    QString errorText() const;
    QString resultText() const;

signals:
    void findRequested(const Predicate &predicate);
    void cancelRequested();

private:
    void validate();
    void setRunning(bool running);

    QLabel *m_stream;
    QLineEdit *m_edit;
    QLabel *m_error;
    QPushButton *m_find;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_result;
    bool m_hasStream = false;
};

#pragma once

// The chrome every answer panel of the window's questions about an aggregate shares (field
// history, diff A ↔ B, side by side): a heading that says what was asked, the panel's own
// controls, a status line with a busy bar and a Cancel button while the answer is being
// worked out, and the answer below, taking the room that is left.

#include <QWidget>

class QLabel;
class QLayout;
class QProgressBar;
class QPushButton;
class QVBoxLayout;

class QuestionPanel : public QWidget
{
    Q_OBJECT

public:
    // hint: the heading until a question is asked, saying how to ask one.
    explicit QuestionPanel(const QString &hint, QWidget *parent = nullptr);

    QString heading() const;
    QString statusText() const;
    QPushButton *cancelButton() const { return m_cancel; }
    bool isBusy() const;
    // An error or a cancel: the status line says it and the panel is no longer busy.
    void showMessage(const QString &message);

signals:
    void cancelRequested();

protected:
    void setHeading(const QString &heading);
    // The answer is being worked out: status, the busy bar and Cancel.
    void showBusy(const QString &status);
    // Busy or not, what the status line says now.
    void setStatus(const QString &status);
    // The panel's own controls, between the heading and the status line, in the order added.
    void addControls(QLayout *controls);
    // The answer's widget, under the status line; it takes the room that is left.
    void setBody(QWidget *body);

private:
    QVBoxLayout *m_layout;
    QVBoxLayout *m_controls;
    QLabel *m_heading;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
};

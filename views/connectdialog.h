#pragma once

// File ▸ Connect to PostgreSQL…: the fields of a PostgreSQL connection, turned into the
// postgresql:// location Eventscope opens. The URL is built with QUrl, so that any character
// in the user or the password is percent-encoded, and it is parsed back before OK is possible:
// what the window opens is exactly what was typed, or the dialog says why not. The password
// is only handed over; remembering the rest is the caller's business.

#include "store/storelocation.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(QWidget *parent = nullptr);

    // Everything but the password, which is never remembered.
    void setConnection(const QString &host, int port, const QString &database, const QString &user,
                       const QString &schema);
    // The fields as a location (host, database, user and schema without surrounding blanks;
    // the password as typed). Check problem() before using it.
    StoreLocation location() const;
    // Why the fields give no usable location: empty when OK is enabled.
    QString problem() const;

    QLineEdit *hostEdit() const { return m_host; }
    QSpinBox *portBox() const { return m_port; }
    QLineEdit *databaseEdit() const { return m_database; }
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *schemaEdit() const { return m_schema; }
    QPushButton *okButton() const;

private:
    void validate();

    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_database;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_schema;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

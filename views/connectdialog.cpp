#include "connectdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

ConnectDialog::ConnectDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Connect to PostgreSQL"));

    const auto edit = [this](const QString &name) {
        auto *e = new QLineEdit(this);
        e->setObjectName(name);
        return e;
    };
    m_host = edit(u"host"_s);
    m_host->setText(StoreLocation::defaultPostgresHost());
    m_port = new QSpinBox(this);
    m_port->setObjectName(u"port"_s);
    m_port->setRange(1, 65535);
    m_port->setValue(StoreLocation::DefaultPostgresPort);
    m_database = edit(u"database"_s);
    m_user = edit(u"user"_s);
    m_password = edit(u"password"_s);
    m_password->setEchoMode(QLineEdit::Password);
    auto *passwordNote = new QLabel(tr("Leave empty to use PGPASSWORD or ~/.pgpass"), this);
    passwordNote->setObjectName(u"passwordNote"_s);
    passwordNote->setTextFormat(Qt::PlainText);
    QFont small = passwordNote->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    passwordNote->setFont(small);
    m_schema = edit(u"schema"_s);
    m_schema->setPlaceholderText(tr("all schemas"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("P&ort:"), m_port);
    form->addRow(tr("&Database:"), m_database);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), passwordNote);
    form->addRow(tr("&Schema:"), m_schema);

    m_problem = new QLabel(this);
    m_problem->setObjectName(u"problem"_s);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    okButton()->setText(tr("&Connect"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    setMinimumWidth(fontMetrics().horizontalAdvance(u'x') * 50);

    // Once every field exists: validate() reads them all.
    for (QLineEdit *e : {m_host, m_database, m_user, m_password, m_schema})
        connect(e, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_port, &QSpinBox::valueChanged, this, &ConnectDialog::validate);
    validate();
}

void ConnectDialog::setConnection(const QString &host, int port, const QString &database,
                                  const QString &user, const QString &schema)
{
    m_host->setText(host);
    m_port->setValue(port);
    m_database->setText(database);
    m_user->setText(user);
    m_schema->setText(schema);
    // Where typing starts: the first required field still empty, else the password.
    for (QLineEdit *e : {m_host, m_database, m_user, m_password}) {
        if (e == m_password || e->text().trimmed().isEmpty()) {
            e->setFocus();
            break;
        }
    }
}

QPushButton *ConnectDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

StoreLocation ConnectDialog::location() const
{
    return StoreLocation::parse(StoreLocation::postgresUrl(
        m_host->text().trimmed(), m_port->value(), m_database->text().trimmed(),
        m_user->text().trimmed(), m_password->text(), m_schema->text().trimmed()));
}

QString ConnectDialog::problem() const
{
    const QString host = m_host->text().trimmed();
    const QString database = m_database->text().trimmed();
    const QString user = m_user->text().trimmed();
    if (host.isEmpty() || database.isEmpty() || user.isEmpty())
        return tr("Host, database and user are needed.");

    // QUrl drops a host name it cannot take, and an empty host would mean localhost.
    QUrl probe;
    probe.setHost(host);
    if (probe.host().isEmpty())
        return tr("“%1” is not a valid host name.").arg(host);

    const StoreLocation loc = location();
    if (!loc.isValid())
        return loc.errorString();
    // What QUrl cannot carry comes back different (a '/' in a database name, a host name
    // with blanks); host names are compared as QUrl keeps them, in lower case.
    const auto differs = [](const QString &typed, const QString &parsed, const QString &what) {
        return typed == parsed
                   ? QString()
                   : tr("The %1 “%2” cannot be put in a postgresql:// URL.").arg(what, typed);
    };
    for (const QString &p :
         {differs(host.toLower(), loc.host().toLower(), tr("host")),
          differs(database, loc.database(), tr("database")), differs(user, loc.user(), tr("user")),
          differs(m_schema->text().trimmed(), loc.schema(), tr("schema")),
          loc.port() == m_port->value() ? QString() : tr("The port cannot be used."),
          loc.password() == m_password->text() ? QString()
                                               : tr("The password cannot be put in a URL.")}) {
        if (!p.isEmpty())
            return p;
    }
    return {};
}

void ConnectDialog::validate()
{
    const QString why = problem();
    okButton()->setEnabled(why.isEmpty());
    // Missing fields are plain to see; only a value that does not work is worth a message.
    const bool filled = !m_host->text().trimmed().isEmpty() &&
                        !m_database->text().trimmed().isEmpty() &&
                        !m_user->text().trimmed().isEmpty();
    m_problem->setText(why);
    m_problem->setVisible(filled && !why.isEmpty());
}

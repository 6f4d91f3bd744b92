// File ▸ Connect to PostgreSQL…: the dialog typed into like a user (OK only once host,
// database and user are there; any character in user and password survives the URL), the
// window remembering all of the connection but the password, and a failed open offering
// Retry with the password typed in this session. Offscreen; modal dialogs and message boxes
// are answered from timers, the way a user would click them.

#include "appsettings.h"
#include "connectdialog.h"
#include "mainwindow.h"
#include "store/storelocation.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

// Distinctive enough to be searched for in a settings file, and full of characters that need
// percent-encoding in a URL (ASCII: QTest types nothing else; tst_location covers the rest).
const QString Password = u"Zq9-s3cr@t:/%?# &=+"_s;

// Waits (from the event loop the modal dialog runs) for a visible top-level T and acts on it.
template<typename T> void whenShown(const std::function<void(T *)> &act, int triesLeft = 500)
{
    QTimer::singleShot(10, qApp, [act, triesLeft] {
        const auto widgets = QApplication::topLevelWidgets();
        for (QWidget *w : widgets) {
            if (auto *t = qobject_cast<T *>(w); t && t->isVisible()) {
                act(t);
                return;
            }
        }
        if (triesLeft > 0)
            whenShown<T>(act, triesLeft - 1);
        else
            qWarning("no %s appeared", T::staticMetaObject.className());
    });
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->clear();
    QTest::keyClicks(edit, text);
}

// What a user fills in the dialog for the tests below.
void fillDialog(ConnectDialog *d)
{
    typeInto(d->hostEdit(), u"db.example.org"_s);
    d->portBox()->clear();
    QTest::keyClicks(d->portBox(), u"6543"_s);
    typeInto(d->databaseEdit(), u"shop_events"_s);
    typeInto(d->userEdit(), u"ann.lee@corp"_s);
    typeInto(d->passwordEdit(), Password);
    typeInto(d->schemaEdit(), u"events_schema"_s);
}

} // namespace

class TestConnectDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void defaults()
    {
        ConnectDialog d;
        QCOMPARE(d.hostEdit()->text(), u"localhost"_s);
        QCOMPARE(d.portBox()->value(), 5432);
        QCOMPARE(d.passwordEdit()->echoMode(), QLineEdit::Password);
        QCOMPARE(d.schemaEdit()->placeholderText(), u"all schemas"_s);
        const auto *note = d.findChild<QLabel *>(u"passwordNote"_s);
        QVERIFY(note);
        QCOMPARE(note->text(), u"Leave empty to use PGPASSWORD or ~/.pgpass"_s);
        QVERIFY(!d.okButton()->isEnabled());
    }

    void okNeedsHostDatabaseAndUser()
    {
        ConnectDialog d;
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QVERIFY(!d.okButton()->isEnabled());
        QTest::keyClicks(d.databaseEdit(), u"shop"_s);
        QVERIFY(!d.okButton()->isEnabled());
        QTest::keyClicks(d.userEdit(), u"ann"_s);
        QVERIFY(d.okButton()->isEnabled()); // host is there by default
        d.hostEdit()->clear();
        QVERIFY(!d.okButton()->isEnabled());
        QTest::keyClicks(d.hostEdit(), u"  "_s); // blanks are not a host
        QVERIFY(!d.okButton()->isEnabled());
        QTest::keyClicks(d.hostEdit(), u"db1"_s);
        QVERIFY(d.okButton()->isEnabled());
        // Password and schema are optional.
        QVERIFY(d.passwordEdit()->text().isEmpty());
        QVERIFY(d.schemaEdit()->text().isEmpty());
        d.userEdit()->clear();
        QVERIFY(!d.okButton()->isEnabled());
        const auto *problem = d.findChild<QLabel *>(u"problem"_s);
        QVERIFY(problem && problem->isHidden()); // a missing field needs no message
    }

    void locationFromTypedFields()
    {
        ConnectDialog d;
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        fillDialog(&d);
        QVERIFY2(d.problem().isEmpty(), qPrintable(d.problem()));
        QVERIFY(d.okButton()->isEnabled());
        const StoreLocation loc = d.location();
        QCOMPARE(loc.kind(), StoreLocation::Kind::Postgres);
        QCOMPARE(loc.host(), u"db.example.org"_s);
        QCOMPARE(loc.port(), 6543);
        QCOMPARE(loc.database(), u"shop_events"_s);
        QCOMPARE(loc.user(), u"ann.lee@corp"_s);
        QCOMPARE(loc.password(), Password);
        QCOMPARE(loc.schema(), u"events_schema"_s);
        // The URL carries the password encoded, and parses back to the same location.
        const QString url = loc.toString(true);
        QVERIFY2(url.startsWith(u"postgresql://ann.lee%40corp:Zq9-s3cr%40t:%2F%25%3F%23%20"_s),
                 qPrintable(url));
        const StoreLocation back = StoreLocation::parse(url);
        QCOMPARE(back.password(), Password);
        QCOMPARE(back.user(), loc.user());
        QVERIFY(!loc.toString(false).contains(u"Zq9"_s));
    }

    void blanksAroundValuesAreDropped()
    {
        ConnectDialog d;
        QTest::keyClicks(d.databaseEdit(), u" shop "_s);
        QTest::keyClicks(d.userEdit(), u"ann "_s);
        QTest::keyClicks(d.passwordEdit(), u" pw "_s);
        QCOMPARE(d.location().database(), u"shop"_s);
        QCOMPARE(d.location().user(), u"ann"_s);
        QCOMPARE(d.location().password(), u" pw "_s); // a password is taken as typed
    }

    void valuesAUrlCannotCarry_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("message");
        QTest::newRow("slash in database") << u"localhost"_s << u"a/b"_s << u"database"_s;
        QTest::newRow("blank in host") << u"my host"_s << u"shop"_s << u"not a valid host"_s;
    }

    void valuesAUrlCannotCarry()
    {
        QFETCH(QString, host);
        QFETCH(QString, database);
        QFETCH(QString, message);
        ConnectDialog d;
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        typeInto(d.hostEdit(), host);
        QTest::keyClicks(d.databaseEdit(), database);
        QTest::keyClicks(d.userEdit(), u"ann"_s);
        QVERIFY(!d.okButton()->isEnabled());
        QVERIFY2(d.problem().contains(message), qPrintable(d.problem()));
        const auto *problem = d.findChild<QLabel *>(u"problem"_s);
        QVERIFY(problem && problem->isVisible());
        QCOMPARE(problem->text(), d.problem());
    }

    void setConnectionFillsAllButThePassword()
    {
        ConnectDialog d;
        QTest::keyClicks(d.passwordEdit(), u"kept"_s);
        d.setConnection(u"h"_s, 6000, u"db"_s, u"u"_s, u"s"_s);
        QCOMPARE(d.hostEdit()->text(), u"h"_s);
        QCOMPARE(d.portBox()->value(), 6000);
        QCOMPARE(d.databaseEdit()->text(), u"db"_s);
        QCOMPARE(d.userEdit()->text(), u"u"_s);
        QCOMPARE(d.schemaEdit()->text(), u"s"_s);
        QCOMPARE(d.passwordEdit()->text(), u"kept"_s);
        QVERIFY(d.okButton()->isEnabled());
    }

    // The window's File ▸ Connect to PostgreSQL…: the dialog opens the location, and the
    // settings keep everything but the password, which the window keeps in memory only.
    void windowRemembersAllButThePassword()
    {
        const QString settings = m_dir.filePath(u"connect.ini"_s);
        {
            MainWindow w(settings);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            auto *action = w.findChild<QAction *>(u"connectPostgresAction"_s);
            QVERIFY(action);
            QVERIFY(action->isEnabled());
            QCOMPARE(action->shortcut(), QKeySequence(u"Ctrl+Shift+O"_s));
            QSignalSpy failed(&w, &MainWindow::storeFailed);
            bool answered = false;
            whenShown<ConnectDialog>([&answered](ConnectDialog *d) {
                fillDialog(d);
                answered = d->okButton()->isEnabled();
                if (answered)
                    QTest::mouseClick(d->okButton(), Qt::LeftButton);
                else
                    d->reject(); // fail, but never leave a modal dialog waiting
            });
            action->trigger();
            QVERIFY(answered);
            // PostgreSQL stores are for another change: opening fails, which is fine here.
            QVERIFY(failed.count() == 1 || failed.wait(10000));
            QVERIFY2(failed.at(0).at(0).toString().contains(u"db.example.org:6543/shop_events"_s),
                     qPrintable(failed.at(0).at(0).toString()));
            QCOMPARE(w.location().password(), Password);
            QCOMPARE(w.location().user(), u"ann.lee@corp"_s);

            // A URL without a password gets the one typed in this session.
            w.openStore(u"postgresql://ann.lee%40corp@db.example.org:6543/shop_events"
                        u"?schema=events_schema"_s);
            QVERIFY(!w.storeName().contains(u"Zq9"_s));
            QCOMPARE(w.location().password(), Password);
            QVERIFY(failed.wait(10000));
            // Nor does the schema or the database matter: the password is the role's.
            w.openStore(u"postgresql://ann.lee%40corp@db.example.org:6543/other_db"_s);
            QCOMPARE(w.location().password(), Password);
            QVERIFY(failed.wait(10000));
            // Another user on the same server does not get it.
            w.openStore(u"postgresql://bob@db.example.org:6543/shop_events"_s);
            QCOMPARE(w.location().password(), QString());
            QVERIFY(failed.wait(10000));
        }

        const PostgresConnectionSettings saved = AppSettings(settings).postgresConnection();
        QCOMPARE(saved.host, u"db.example.org"_s);
        QCOMPARE(saved.port, 6543);
        QCOMPARE(saved.database, u"shop_events"_s);
        QCOMPARE(saved.user, u"ann.lee@corp"_s);
        QCOMPARE(saved.schema, u"events_schema"_s);
        QFile file(settings);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.contains("db.example.org"));
        QVERIFY(bytes.contains("shop_events"));
        // "Zq9" starts the password raw, percent-encoded and in QSettings' escaping alike.
        QVERIFY2(!bytes.contains("Zq9") && !bytes.contains("s3cr"), bytes.constData());

        // The next time the dialog offers the saved connection, without a password.
        MainWindow again(settings);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QString seenHost, seenUser, seenPassword, seenSchema;
        int seenPort = 0;
        whenShown<ConnectDialog>([&](ConnectDialog *d) {
            seenHost = d->hostEdit()->text();
            seenPort = d->portBox()->value();
            seenUser = d->userEdit()->text();
            seenSchema = d->schemaEdit()->text();
            seenPassword = d->passwordEdit()->text();
            d->reject();
        });
        again.findChild<QAction *>(u"connectPostgresAction"_s)->trigger();
        QCOMPARE(seenHost, u"db.example.org"_s);
        QCOMPARE(seenPort, 6543);
        QCOMPARE(seenUser, u"ann.lee@corp"_s);
        QCOMPARE(seenSchema, u"events_schema"_s);
        QCOMPARE(seenPassword, QString());
    }

    // A failed open asks what next; Retry opens the same location again, password included.
    void failedOpenOffersRetry()
    {
        MainWindow w(m_dir.filePath(u"retry.ini"_s));
        w.setFailureMessages(true);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy failed(&w, &MainWindow::storeFailed);
        QList<QMessageBox::StandardButtons> seen;
        QStringList passwords; // what the window was opening when each box came up
        std::function<void(QMessageBox *)> answer = [&](QMessageBox *box) {
            seen << box->standardButtons();
            passwords << w.location().password();
            const bool again = seen.size() == 1;
            QAbstractButton *button = box->button(again ? QMessageBox::Retry : QMessageBox::Close);
            if (!button)
                button = box->button(QMessageBox::Close); // the test fails, but never hangs
            QTest::mouseClick(button, Qt::LeftButton);
            if (again)
                whenShown<QMessageBox>(answer);
        };
        whenShown<QMessageBox>(answer);
        w.openStore(u"postgresql://ann:"_s +
                    QString::fromLatin1(QUrl::toPercentEncoding(Password)) +
                    u"@127.0.0.1:1/shop"_s);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 10000);
        QTRY_COMPARE(seen.size(), 2);
        for (const auto buttons : std::as_const(seen)) {
            QVERIFY(buttons.testFlag(QMessageBox::Retry));
            QVERIFY(buttons.testFlag(QMessageBox::Close));
        }
        QCOMPARE(passwords, QStringList({Password, Password}));
        QCOMPARE(failed.at(1).at(0).toString(), failed.at(0).at(0).toString());
        QCOMPARE(w.location().password(), Password);
        QVERIFY(w.storeName().isEmpty()); // nothing is open
    }

    // A file that has gone leaves the recent stores when it fails to open (tst_mainwindow);
    // a server that does not answer now may well answer later.
    void failedPostgresStoreStaysRecent()
    {
        const QString settings = m_dir.filePath(u"recent.ini"_s);
        const QString url = u"postgresql://ann@127.0.0.1:1/shop"_s;
        AppSettings(settings).addRecentStore(url);
        MainWindow w(settings);
        QSignalSpy failed(&w, &MainWindow::storeFailed);
        w.openStore(url);
        QCOMPARE(w.storeName(), url);
        QVERIFY(failed.wait(10000));
        QCOMPARE(AppSettings(settings).recentStores(), QStringList{url});
    }

    // Text that is no location at all has nothing to retry.
    void noRetryForWhatIsNoStore()
    {
        MainWindow w(m_dir.filePath(u"noretry.ini"_s));
        w.setFailureMessages(true);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy failed(&w, &MainWindow::storeFailed);
        QMessageBox::StandardButtons buttons;
        whenShown<QMessageBox>([&buttons](QMessageBox *box) {
            buttons = box->standardButtons();
            QTest::mouseClick(box->button(QMessageBox::Close), Qt::LeftButton);
        });
        w.openStore(u"mysql://x/y"_s);
        QCOMPARE(failed.count(), 1);
        QVERIFY(buttons.testFlag(QMessageBox::Close));
        QVERIFY(!buttons.testFlag(QMessageBox::Retry));
    }
};

QTEST_MAIN(TestConnectDialog)
#include "tst_connectdialog.moc"

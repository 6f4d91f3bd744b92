#include "storeopener.h"

#include "columnmappingdialog.h"
#include "connectdialog.h"
#include "icons.h"
#include "session/storesession.h"

#include <QAction>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QtConcurrent>
#include <QWidget>

using namespace Qt::StringLiterals;

StoreOpener::StoreOpener(QWidget *window, AppSettings *settings, StoreSession *session)
    : QObject(window), m_window(window), m_settings(settings), m_session(session),
      m_failureMessages(QGuiApplication::platformName() != u"offscreen")
{
    createActions();
    updateRecentMenu();
    window->setAcceptDrops(true);
    window->installEventFilter(this);
}

bool StoreOpener::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_window ||
        (event->type() != QEvent::DragEnter && event->type() != QEvent::Drop))
        return QObject::eventFilter(watched, event);
    auto *drop = static_cast<QDropEvent *>(event); // QDragEnterEvent is a QDropEvent
    const QList<QUrl> urls = drop->mimeData()->urls();
    if (urls.isEmpty() || !urls.constFirst().isLocalFile())
        return false;
    if (event->type() == QEvent::Drop)
        openStore(urls.constFirst().toLocalFile());
    drop->acceptProposedAction();
    return true;
}

void StoreOpener::createActions()
{
    m_openAction = new QAction(Icons::icon(Icons::Open), tr("&Open…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    connect(m_openAction, &QAction::triggered, this, &StoreOpener::showOpenDialog);
    m_recentMenu = new QMenu(tr("Open &Recent"), m_window);
    m_connectAction = new QAction(Icons::icon(Icons::Connect), tr("Connect to &PostgreSQL…"), this);
    m_connectAction->setObjectName(u"connectPostgresAction"_s);
    m_connectAction->setShortcut(u"Ctrl+Shift+O"_s);
    m_connectAction->setStatusTip(tr("Open an event store in a PostgreSQL database"));
    connect(m_connectAction, &QAction::triggered, this, &StoreOpener::showConnectDialog);
    m_mapAction = new QAction(tr("&Map Columns…"), this);
    m_mapAction->setShortcut(u"Ctrl+M"_s);
    connect(m_mapAction, &QAction::triggered, this, [this] { offerMapping(QString()); });
    m_tableAction = new QAction(tr("Choose Events &Table…"), this);
    m_tableAction->setObjectName(u"chooseTableAction"_s);
    m_tableAction->setShortcut(u"Ctrl+Shift+T"_s);
    m_tableAction->setStatusTip(tr("Read another of the store's event tables"));
    connect(m_tableAction, &QAction::triggered, this, &StoreOpener::chooseTable);
    m_reloadAction = new QAction(Icons::icon(Icons::Reload), tr("Re&load"), this);
    m_reloadAction->setShortcut(QKeySequence::Refresh);
    m_reloadAction->setObjectName(u"reloadAction"_s);
    connect(m_reloadAction, &QAction::triggered, this, &StoreOpener::reload);
    for (QAction *a : {m_mapAction, m_tableAction, m_reloadAction})
        a->setEnabled(false);
}

void StoreOpener::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList stores = m_settings->recentStores();
    for (int i = 0; i < stores.size(); ++i) {
        const QString store = stores.at(i);
        QAction *a = m_recentMenu->addAction(u"&%1 %2"_s.arg(i + 1).arg(store), this,
                                             [this, store] { openStore(store); });
        a->setToolTip(store);
    }
    m_recentMenu->setEnabled(!stores.isEmpty());
}

void StoreOpener::showOpenDialog()
{
    const QString dir = m_location.kind() == StoreLocation::Kind::Sqlite
                            ? QFileInfo(m_location.path()).absolutePath()
                            : QString();
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Open Event Store"), dir,
        tr("SQLite event stores (*.db *.sqlite *.sqlite3 *.db3);;All files (*)"));
    if (!path.isEmpty())
        openStore(path);
}

void StoreOpener::showConnectDialog()
{
    ConnectDialog dialog(m_window);
    const PostgresConnectionSettings last = m_settings->postgresConnection();
    dialog.setConnection(last.host, last.port, last.database, last.user, last.schema);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const StoreLocation location = dialog.location();
    m_settings->setPostgresConnection({location.host(), location.port(), location.database(),
                                       location.user(), location.schema()});
    openLocation(location);
}

void StoreOpener::reload()
{
    if (!m_storeName.isEmpty())
        openLocation(m_location, m_mapSpec);
}

void StoreOpener::openStore(const QString &store, const QString &mapSpec, const QString &table)
{
    const StoreLocation location = StoreLocation::parse(store);
    if (!table.isEmpty())
        m_tables.insert(location.toString(false), table);
    openLocation(location, mapSpec);
}

void StoreOpener::openLocation(StoreLocation location, const QString &mapSpec)
{
    if (!location.isValid()) {
        m_location = location;
        m_storeName.clear();
        fail({StoreError::Kind::NotAStore, location.errorString()});
        return;
    }
    if (location.kind() == StoreLocation::Kind::Postgres) {
        // A password belongs to a role of a server, whichever database or schema.
        const QString key =
            location.user() + u'@' + location.host() + u':' + QString::number(location.port());
        if (!location.password().isEmpty())
            m_passwords.insert(key, location.password());
        else
            location.setPassword(m_passwords.value(key));
    }
    for (QAction *a : {m_mapAction, m_tableAction, m_reloadAction})
        a->setEnabled(false);
    m_reconnectOffered = false;
    m_location = location;
    m_storeName = location.toString(false);
    m_mapSpec = mapSpec.isEmpty() ? m_settings->mapping(m_storeName) : mapSpec;
    emit opening(location);
    m_session->open(location, options());
}

QString StoreOpener::shortName() const
{
    if (m_location.kind() == StoreLocation::Kind::Postgres)
        return tr("%1 on %2").arg(m_location.database(), m_location.host());
    return QFileInfo(m_storeName).fileName();
}

void StoreOpener::accept(const StoreSummary &summary)
{
    m_summary = summary;
    m_settings->addRecentStore(m_storeName);
    if (!m_mapSpec.isEmpty())
        m_settings->setMapping(m_storeName, m_mapSpec);
    updateRecentMenu();
    m_reloadAction->setEnabled(true);
    m_mapAction->setEnabled(true);
    m_tableAction->setEnabled(summary.matches.size() > 1);
}

void StoreOpener::close(const QString &status)
{
    m_storeName.clear();
    for (QAction *a : {m_mapAction, m_tableAction, m_reloadAction})
        a->setEnabled(false);
    emit closed(status);
}

void StoreOpener::fail(const StoreError &error)
{
    // m_location stays: it is what Retry and Map Columns open again, with the password
    // typed in this session.
    const StoreLocation location = m_location;
    const QString store = m_storeName;
    const QString mapSpec = m_mapSpec;
    close(store.isEmpty() ? tr("Could not open the store") : tr("Could not open %1").arg(store));
    // A file that has gone is no use offering again; a server that is down may be back.
    if (location.kind() == StoreLocation::Kind::Sqlite && !QFileInfo::exists(store) &&
        m_settings->recentStores().contains(store)) {
        m_settings->removeRecentStore(store);
        updateRecentMenu();
    }
    emit failed(error.message);
    if (!m_window->isVisible() || !m_failureMessages)
        return; // the screenshot mode and tests read failed()
    QMessageBox box(QMessageBox::Warning, tr("Cannot open the store"), error.message,
                    QMessageBox::NoButton, m_window);
    QPushButton *map = error.mappingMayHelp()
                           ? box.addButton(tr("Map Columns…"), QMessageBox::AcceptRole)
                           : nullptr;
    QPushButton *retry = location.isValid() ? box.addButton(QMessageBox::Retry) : nullptr;
    QPushButton *other = box.addButton(tr("Open Another…"), QMessageBox::ActionRole);
    box.addButton(QMessageBox::Close);
    box.exec();
    if (map && box.clickedButton() == static_cast<QAbstractButton *>(map)) {
        m_storeName = store;
        offerMapping(error.message);
    } else if (retry && box.clickedButton() == static_cast<QAbstractButton *>(retry)) {
        openLocation(location, mapSpec);
    } else if (box.clickedButton() == static_cast<QAbstractButton *>(other)) {
        showOpenDialog();
    }
}

void StoreOpener::cancel()
{
    close(tr("Opening %1 was cancelled").arg(m_storeName));
}

void StoreOpener::offerReconnect(const QString &message)
{
    if (m_reconnectOffered)
        return;
    m_reconnectOffered = true;
    emit connectionLost(message);
    if (!m_window->isVisible() || !m_failureMessages)
        return;
    QMessageBox box(QMessageBox::Warning, tr("Connection lost"), message,
                    QMessageBox::Retry | QMessageBox::Close, m_window);
    box.setInformativeText(tr("Retry reconnects and reloads the store."));
    if (box.exec() == QMessageBox::Retry)
        reload();
}

// The tables' first rows are read on a thread of their own (a slow server must not freeze the
// window); the dialog opens when they are in, if the store is still the one they belong to.
void StoreOpener::offerMapping(const QString &problem)
{
    if (m_readingSamples)
        return;
    m_readingSamples = true;
    QGuiApplication::setOverrideCursor(Qt::BusyCursor);
    using Samples = std::pair<std::optional<QVector<TableSample>>, StoreError>;
    auto *watcher = new QFutureWatcher<Samples>(this);
    const QString store = m_storeName;
    connect(watcher, &QFutureWatcher<Samples>::finished, this, [this, watcher, problem, store] {
        watcher->deleteLater();
        m_readingSamples = false;
        QGuiApplication::restoreOverrideCursor();
        if (store != m_storeName)
            return; // another store by now
        const auto &[tables, error] = watcher->result();
        if (!tables) {
            QMessageBox::warning(m_window, tr("Map Columns"), error.message);
            return;
        }
        ColumnMappingDialog dialog(
            shortName(), problem.isEmpty() ? tr("Choose the columns Eventscope reads.") : problem,
            *tables, m_window);
        if (dialog.exec() == QDialog::Accepted)
            openLocation(m_location, dialog.spec());
    });
    watcher->setFuture(QtConcurrent::run([location = m_location] {
        StoreError error;
        auto tables = EventStore::tableSamples(location, &error);
        return Samples{std::move(tables), error};
    }));
}

void StoreOpener::chooseTable()
{
    if (m_summary.matches.size() < 2)
        return;
    QStringList items;
    int current = 0;
    for (const LayoutMatch &m : std::as_const(m_summary.matches)) {
        if (m.table == m_summary.table && m.id == m_summary.layoutId)
            current = int(items.size());
        items << tr("%1 — %2").arg(m.table, m.title);
    }
    bool ok = false;
    const QString picked = QInputDialog::getItem(
        m_window, tr("Choose Events Table"), tr("This store holds events in several tables. Read:"),
        items, current, false, &ok);
    if (!ok)
        return;
    const int index = int(items.indexOf(picked));
    if (index < 0 || index == current)
        return;
    m_tables.insert(m_storeName, m_summary.matches.at(index).table);
    openLocation(m_location, m_mapSpec);
}

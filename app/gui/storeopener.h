#pragma once

// Opening a store and keeping it open: the places a store comes from (File ▸ Open…, a
// PostgreSQL connection, the recent stores, a dropped file), the passwords typed in this
// session, the event table and column mapping chosen per store, what a failure to open
// offers (Retry, Map Columns…, Open Another…) and the one question when the server goes
// away. It owns the File menu's store actions; the window shows what it opens.

#include "appsettings.h"
#include "core/event.h"
#include "core/storeerror.h"
#include "store/eventstore.h"
#include "store/storelocation.h"

#include <QHash>
#include <QObject>

class QAction;
class QMenu;
class QWidget;
class StoreSession;

class StoreOpener : public QObject
{
    Q_OBJECT

public:
    // window: the parent of the dialogs it asks with; settings and session outlive it.
    StoreOpener(QWidget *window, AppSettings *settings, StoreSession *session);

    // mapSpec empty: the mapping remembered for the store, else detection. table: of several
    // event tables, this one.
    void openStore(const QString &store, const QString &mapSpec = {}, const QString &table = {});
    // What every way of opening comes down to. A PostgreSQL location without a password gets
    // the one typed for it in this session, if any (else libpq's PGPASSWORD or ~/.pgpass).
    void openLocation(StoreLocation location, const QString &mapSpec = {});
    void reload();
    void showOpenDialog();

    // What the session answered for the open: remembered as a recent store, or failed (then
    // asked about in a message box when failure messages are on), or cancelled.
    void accept(const StoreSummary &summary);
    void fail(const StoreError &error);
    void cancel();
    // Every part of the window that reads the store fails at once when the server goes away;
    // one question is enough.
    void offerReconnect(const QString &message);

    // Whether a failure to open asks the user what next in a message box. Off by default
    // offscreen, where the screenshot mode and tests read failed().
    void setFailureMessages(bool show) { m_failureMessages = show; }

    // The store open, being opened, or the last that failed to open; password included.
    StoreLocation location() const { return m_location; }
    QString storeName() const { return m_storeName; } // never holds a password
    StoreOpenOptions options() const { return {m_mapSpec, m_tables.value(m_storeName)}; }
    QString shortName() const; // for titles: a file name, a database

    QAction *openAction() const { return m_openAction; }
    QAction *connectAction() const { return m_connectAction; }
    QMenu *recentMenu() const { return m_recentMenu; }
    QAction *mapAction() const { return m_mapAction; }
    QAction *tableAction() const { return m_tableAction; }
    QAction *reloadAction() const { return m_reloadAction; }

signals:
    void opening(const StoreLocation &location);
    // Nothing is open any more (a failure, a cancel): status says what happened.
    void closed(const QString &status);
    void failed(const QString &message);
    void connectionLost(const QString &message); // a PostgreSQL store while browsing

protected:
    bool eventFilter(QObject *watched,
                     QEvent *event) override; // a store file dropped on the window

private:
    void createActions();
    void updateRecentMenu();
    void showConnectDialog();
    void offerMapping(const QString &problem);
    void chooseTable();
    void close(const QString &status);

    QWidget *m_window;
    AppSettings *m_settings;
    StoreSession *m_session;
    StoreLocation m_location;
    QString m_storeName; // m_location.toString(false): what recent stores and mappings use
    // Passwords typed in this session, by user@host:port: in memory only, never in settings.
    QHash<QString, QString> m_passwords;
    bool m_failureMessages;
    QString m_mapSpec;
    bool m_reconnectOffered = false;
    bool m_readingSamples = false; // for offerMapping(), on a thread of its own
    // Per store, of several event tables, the one the user chose; none = the first.
    QHash<QString, QString> m_tables;
    StoreSummary m_summary; // of the store open: its tables to choose from

    QAction *m_openAction;
    QAction *m_connectAction;
    QMenu *m_recentMenu;
    QAction *m_mapAction;
    QAction *m_tableAction;
    QAction *m_reloadAction;
};

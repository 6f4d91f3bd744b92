#pragma once

// File ▸ Open Demo Store and what the demo shows once open: the user stream with the most
// events, replayed to its middle, so that a first look has a state, a timeline and charts.

#include <QObject>
#include <QString>

class NewStoreJobs;
class StoreOpener;
class StoreSession;

class DemoTour : public QObject
{
    Q_OBJECT

public:
    DemoTour(StoreSession *session, StoreOpener *opener, NewStoreJobs *jobs, QObject *parent);

    void openDemo(); // writes the demo store on first use, then opens it
    // The window's store opened or failed: a tour waits only for the store it opened.
    void storeOpened();
    void storeFailed() { m_expected.clear(); }

signals:
    void streamChosen(const QString &stream, qint64 version);

private:
    StoreSession *m_session;
    StoreOpener *m_opener;
    NewStoreJobs *m_jobs;
    QString m_expected; // the demo store's name while it is being opened
};

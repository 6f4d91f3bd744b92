#pragma once

// Work that writes a new store off the GUI thread and then opens it: File ▸ Import… (with a
// progress dialog that can cancel, and a report of what was imported) and the demo store
// (written on first use).

#include <QObject>

class QMainWindow;
class StoreOpener;

class NewStoreJobs : public QObject
{
    Q_OBJECT

public:
    NewStoreJobs(QMainWindow *window, StoreOpener *opener);

    void showImportDialog();
    // File ▸ Import… without its file dialogs: imports input into a new store at output.
    void importFile(const QString &input, const QString &output);
    // Opens the demo store, writing it first when it is not there yet.
    void openDemo();

signals:
    void busyChanged(bool busy, const QString &what);

private:
    QMainWindow *m_window;
    StoreOpener *m_opener;
};

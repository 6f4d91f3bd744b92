#include "newstorejobs.h"

#include "appsettings.h"
#include "importreportbox.h"
#include "storeopener.h"
#include "writers/demogenerator.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>
#include <QtConcurrent>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// Shared by the import's worker and the GUI, which polls it: no object crosses threads.
struct ImportProgress
{
    std::atomic_bool cancel = false;
    std::atomic<qint64> done = 0;
    std::atomic<qint64> total = 0;
};

struct ImportOutcome
{
    bool ok = false;
    QString error;
    EventImporter::Report report;
};

} // namespace

NewStoreJobs::NewStoreJobs(QMainWindow *window, StoreOpener *opener)
    : QObject(window), m_window(window), m_opener(opener)
{
}

void NewStoreJobs::showImportDialog()
{
    const QString input = QFileDialog::getOpenFileName(
        m_window, tr("Import Events"), QString(),
        tr("Event files (*.jsonl *.ndjson *.json *.csv);;JSON Lines (*.jsonl *.ndjson);;"
           "KurrentDB Atom pages (*.json);;CSV (*.csv);;All files (*)"));
    if (input.isEmpty())
        return;
    // Next to the input, under a name that is free: imports never overwrite (the writer
    // refuses to), so the dialog need not ask.
    const QFileInfo info(input);
    QString suggested = info.dir().filePath(info.completeBaseName() + u".db"_s);
    for (int n = 2; QFileInfo::exists(suggested); ++n)
        suggested = info.dir().filePath(u"%1-%2.db"_s.arg(info.completeBaseName()).arg(n));
    const QString output = QFileDialog::getSaveFileName(m_window, tr("Save the Imported Store"),
                                                        suggested, tr("SQLite event stores (*.db)"),
                                                        nullptr, QFileDialog::DontConfirmOverwrite);
    if (!output.isEmpty())
        importFile(input, output);
}

void NewStoreJobs::importFile(const QString &input, const QString &output)
{
    auto progress = std::make_shared<ImportProgress>();
    auto *dialog = new QProgressDialog(tr("Importing %1…").arg(QFileInfo(input).fileName()),
                                       tr("Cancel"), 0, 1000, m_window);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(500);
    // Cancel, closing the dialog, or the window going away: nobody would open the store.
    connect(dialog, &QProgressDialog::canceled, this, [progress] { progress->cancel = true; });
    connect(dialog, &QObject::destroyed, [progress] { progress->cancel = true; });
    auto *poll = new QTimer(dialog);
    poll->callOnTimeout(dialog, [dialog, progress] {
        if (progress->total > 0)
            dialog->setValue(int(progress->done * 1000 / progress->total));
    });
    poll->start(100);

    auto *watcher = new QFutureWatcher<ImportOutcome>(this);
    connect(watcher, &QFutureWatcher<ImportOutcome>::finished, this,
            [this, watcher, dialog, input, output] {
                const ImportOutcome outcome = watcher->result();
                watcher->deleteLater();
                dialog->deleteLater();
                QMessageBox *box = nullptr;
                if (outcome.ok) {
                    m_opener->openStore(output);
                    box = new ImportReportBox(input, output, outcome.report, m_window);
                } else if (outcome.error == u"cancelled") {
                    m_window->statusBar()->showMessage(tr("Import cancelled"), 4000);
                } else {
                    box = new QMessageBox(QMessageBox::Warning, tr("Import"), outcome.error,
                                          QMessageBox::Close, m_window);
                }
                if (box) {
                    box->setAttribute(Qt::WA_DeleteOnClose);
                    box->open(); // not exec(): the store opens behind it
                }
            });
    watcher->setFuture(QtConcurrent::run([input, output, progress] {
        JobControl job;
        job.cancel = &progress->cancel;
        job.progress = [progress](qint64 done, qint64 total) {
            progress->done = done;
            progress->total = total;
        };
        ImportOutcome outcome;
        outcome.ok = EventImporter::import(input, output, &outcome.report, &outcome.error, job);
        return outcome;
    }));
}

void NewStoreJobs::openDemo()
{
    const QString path = AppSettings::demoStorePath();
    if (QFileInfo::exists(path)) {
        m_opener->openStore(path);
        return;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    emit busyChanged(true, tr("Writing the demo store"));
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
        const QString error = watcher->result();
        watcher->deleteLater();
        emit busyChanged(false, {});
        if (error.isEmpty())
            m_opener->openStore(path);
        else
            QMessageBox::warning(m_window, tr("Demo store"), error);
    });
    watcher->setFuture(QtConcurrent::run([path] {
        QString error;
        DemoGenerator::generate(path, DemoGenerator::Options(), &error);
        return error;
    }));
}

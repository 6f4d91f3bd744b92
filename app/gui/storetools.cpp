#include "storetools.h"

#include "eventspane.h"
#include "eventtablemodel.h"
#include "payloadsearchbar.h"
#include "problemslist.h"
#include "query/integritycheck.h"
#include "query/payloadsearch.h"
#include "query/predicate.h"
#include "query/readmodel.h"
#include "query/schemadrift.h"
#include "query/textsearch.h"
#include "readmodelview.h"
#include "replay/projection.h"
#include "schemaview.h"
#include "session/storesession.h"
#include "slicedialog.h"
#include "store/eventstore.h"
#include "timelineview.h"
#include "writers/storeslicer.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLocale>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>

#include <algorithm>
#include <limits>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QColor SearchColor(0xe6, 0x7e, 0x22);
const QColor ProblemColor(0xc0, 0x39, 0x2b);

struct CheckAnswer
{
    QVector<IntegrityProblem> problems; // at most MaxProblems
    QVector<TimelineMark> marks;        // of the problems listed
    IntegritySummary summary;
};

std::optional<CheckAnswer> checkIntegrity(EventStore &store, const JobControl &control,
                                          StoreError *error)
{
    CheckAnswer answer;
    IntegrityCheck check(store);
    const bool done = check.run(
        [&answer](const IntegrityProblem &problem) {
            if (answer.problems.size() < StoreTools::MaxProblems)
                answer.problems.append(problem);
            return true;
        },
        control);
    if (!done) {
        *error = control.cancelled() ? StoreError::cancelled()
                                     : StoreError(StoreError::Kind::Sql, check.errorString());
        return std::nullopt;
    }
    answer.summary = check.summary();
    // The check reads no times back: a mark's time is its event's, read by position.
    for (const IntegrityProblem &problem : std::as_const(answer.problems)) {
        if (control.cancelled()) {
            *error = StoreError::cancelled();
            return std::nullopt;
        }
        EventFilter at;
        at.afterPosition = problem.position - 1;
        at.limit = 1;
        const auto events = store.events(at);
        if (!events) {
            *error = store.lastError();
            return std::nullopt;
        }
        if (!events->isEmpty() && events->constFirst().position == problem.position)
            answer.marks.append({problem.stream, events->constFirst().timeMs});
    }
    return answer;
}

// A search's matches as positions (eight bytes each, however many), and a sample of their
// marks for the timeline: every one up to MaxSearchMarks, then every second, fourth, ... so
// that the marks stay few and spread over the whole answer.
struct SearchAnswer
{
    std::shared_ptr<QVector<qint64>> positions = std::make_shared<QVector<qint64>>();
    QVector<TimelineMark> marks;
    qint64 markStride = 1;

    void add(const Event &event)
    {
        if (positions->size() % markStride == 0) {
            marks.append({event.stream, event.timeMs});
            if (marks.size() == StoreTools::MaxSearchMarks) {
                for (qsizetype i = 0; i < marks.size() / 2; ++i)
                    marks[i] = marks.at(2 * i);
                marks.resize(marks.size() / 2);
                markStride *= 2;
            }
        }
        positions->append(event.position);
    }
};

// Every match of a search (TextSearch in plain-text mode, else PayloadSearch), as positions.
template<typename Search>
std::optional<SearchAnswer> collectMatches(Search &search, const EventFilter &filter,
                                           const JobControl &control, StoreError *error)
{
    SearchAnswer answer;
    const bool done = search.run(
        filter, std::numeric_limits<qint64>::max(),
        [&answer](const Event &event) {
            answer.add(event);
            return true;
        },
        control);
    if (!done) {
        *error = control.cancelled() ? StoreError::cancelled()
                                     : StoreError(StoreError::Kind::Sql, search.errorString());
        return std::nullopt;
    }
    return answer;
}

} // namespace

StoreTools::StoreTools(QMainWindow *window, StoreSession *session, EventsPane *events,
                       TimelineView *timeline)
    : QObject(window), m_session(session), m_events(events), m_timeline(timeline),
      m_searchBar(new PayloadSearchBar(window)), m_problems(new ProblemsList(window)),
      m_problemsDock(new QDockWidget(tr("Problems"), window)),
      m_check(new QAction(tr("&Check Store"), this)), m_schema(new QAction(tr("&Schema…"), this)),
      m_readModel(new QAction(tr("&Read Model"), this)), m_readModelView(new ReadModelView(window)),
      m_readModelDock(new QDockWidget(tr("Read Model"), window)),
      m_export(new QAction(tr("&Export Events…"), this)),
      m_copyJson(new QAction(tr("Copy as &JSON"), this)),
      m_copyCsv(new QAction(tr("Copy as &CSV"), this)),
      m_slice(new QAction(tr("Save S&lice…"), this))
{
    m_slice->setObjectName(u"saveSliceAction"_s);
    m_slice->setStatusTip(tr("Write the events of chosen streams to a new store, to reproduce "
                             "a bug with"));
    m_slice->setEnabled(false);
    connect(m_slice, &QAction::triggered, this, &StoreTools::chooseSlice);
    connect(this, &StoreTools::sliced, this, [this](const QString &path, qint64 events) {
        if (QMessageBox::question(
                static_cast<QWidget *>(parent()), tr("Slice Saved"),
                tr("%1 events were written to %2. Open the slice?").arg(events).arg(path)) ==
            QMessageBox::Yes)
            emit openRequested(path);
    });
    m_export->setObjectName(u"exportEventsAction"_s);
    m_export->setStatusTip(tr("Write the table's selected events, or all it shows, as JSON "
                              "Lines or CSV"));
    m_export->setEnabled(false);
    connect(m_export, &QAction::triggered, this, &StoreTools::chooseExportFile);
    m_copyJson->setShortcut(QKeySequence::Copy);
    m_copyJson->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_events->view()->addAction(m_copyJson); // Ctrl+C where the table has the focus
    connect(m_copyJson, &QAction::triggered, this,
            [this] { copySelection(EventExporter::Format::Jsonl); });
    connect(m_copyCsv, &QAction::triggered, this,
            [this] { copySelection(EventExporter::Format::Csv); });
    m_events->view()->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_readModelDock->setObjectName(u"readModelDock"_s);
    m_readModelDock->setWidget(m_readModelView);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_readModelDock);
    m_readModelDock->hide();
    m_readModel->setObjectName(u"readModelAction"_s);
    m_readModel->setStatusTip(tr("Fold the whole store into one state per key with a "
                                 "projection file"));
    m_readModel->setEnabled(false);
    connect(m_readModel, &QAction::triggered, this, [this] { showDock(m_readModelDock); });
    connect(m_readModelView, &ReadModelView::loadRequested, this, &StoreTools::computeReadModel);
    connect(m_readModelView, &ReadModelView::cancelRequested, this,
            [this] { m_session->cancelQuestion(StoreSession::Job::ReadModel); });
    m_schema->setObjectName(u"schemaAction"_s);
    m_schema->setStatusTip(tr("Each event type's fields, their value types and presence over "
                              "time, and when they appeared, changed type or vanished"));
    m_schema->setEnabled(false);
    connect(m_schema, &QAction::triggered, this, &StoreTools::surveySchema);
    m_problemsDock->setObjectName(u"problemsDock"_s);
    m_problemsDock->setWidget(m_problems);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);
    m_problemsDock->hide();
    m_check->setObjectName(u"checkStoreAction"_s);
    m_check->setStatusTip(tr("Look for version gaps, repeated versions, times going backwards "
                             "and events without a stream, type, time or readable data"));
    m_check->setEnabled(false);
    connect(m_check, &QAction::triggered, this, &StoreTools::checkStore);
    connect(m_problems, &ProblemsList::cancelRequested, this,
            [this] { m_session->cancelQuestion(StoreSession::Job::Check); });
    connect(m_problems, &ProblemsList::problemActivated, this, &StoreTools::eventRequested);

    connect(m_searchBar, &PayloadSearchBar::searchRequested, this, &StoreTools::search);
    connect(m_searchBar, &PayloadSearchBar::searchCleared, this, &StoreTools::clearSearch);
    connect(m_searchBar, &PayloadSearchBar::cancelRequested, this, [this] {
        clearSearch();
        m_searchBar->showMessage(tr("Cancelled"));
    });
    // View ▸ Follow New Events: an open Schema view follows the store.
    connect(m_session, &StoreSession::storeGrew, this, [this](const StoreSummary &summary) {
        storeGrew(summary.firstTimeMs, summary.lastTimeMs);
    });
    connect(m_session, &StoreSession::progress, this,
            [this](StoreSession::Job job, qint64 done, qint64 total) {
                onProgress(int(job), done, total);
            });
    connect(m_session, &StoreSession::failed, this,
            [this](StoreSession::Job job, const StoreError &error) {
                onStopped(int(job), error.message);
            });
    connect(m_session, &StoreSession::cancelled, this,
            [this](StoreSession::Job job) { onStopped(int(job), tr("Cancelled")); });
}

void StoreTools::showDock(QDockWidget *dock)
{
    // Hidden and never placed by a saved layout: a tab beside the charts, which are as wide as
    // the window.
    auto *window = static_cast<QMainWindow *>(parent());
    auto *charts = window->findChild<QDockWidget *>(u"chartsDock"_s);
    if (dock->isHidden() && charts && !charts->isHidden() &&
        window->tabifiedDockWidgets(charts).indexOf(dock) < 0)
        window->tabifyDockWidget(charts, dock);
    const bool wasHidden = dock->isHidden();
    dock->show();
    dock->raise();
    // A list of problems or keys wants more rows than the charts' strip has.
    if (wasHidden)
        window->resizeDocks({dock}, {qMax(dock->height(), window->height() / 3)}, Qt::Vertical);
}

void StoreTools::storeOpened(qint64 firstTimeMs, qint64 lastTimeMs)
{
    m_firstTimeMs = firstTimeMs;
    m_lastTimeMs = lastTimeMs;
    setStoreOpen(true);
}

void StoreTools::setStoreOpen(bool open)
{
    m_check->setEnabled(open);
    m_schema->setEnabled(open);
    m_readModel->setEnabled(open);
    m_export->setEnabled(open);
    m_slice->setEnabled(open);
    m_readModelView->loadButton()->setEnabled(open);
}

QVector<EventRows::Range> StoreTools::selectedRanges() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_events->view()->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    QVector<EventRows::Range> ranges;
    for (const int row : std::as_const(rows)) {
        if (!ranges.isEmpty() && ranges.constLast().second + 1 == row)
            ranges.last().second = row;
        else
            ranges.append({row, row});
    }
    return ranges;
}

EventRows StoreTools::tableRows() const
{
    return {m_events->model()->filter(), m_events->model()->matches()};
}

void StoreTools::copySelection(EventExporter::Format format)
{
    const QVector<EventRows::Range> ranges = selectedRanges();
    if (ranges.isEmpty())
        return;
    QByteArrayList lines;
    if (format == EventExporter::Format::Csv)
        lines << EventExporter::header(format);
    qint64 rows = 0;
    bool loaded = true;
    for (const EventRows::Range &range : ranges) {
        rows += range.second - range.first + 1;
        for (qint64 row = range.first; row <= range.second && loaded; ++row) {
            loaded = m_events->model()->isRowLoaded(int(row));
            if (loaded)
                lines << EventExporter::line(format, m_events->model()->event(int(row)));
        }
    }
    if (loaded) {
        QApplication::clipboard()->setText(QString::fromUtf8(lines.join('\n') + '\n'));
        emit copied(rows);
        return;
    }
    if (rows > MaxCopiedEvents) {
        QMessageBox::information(
            static_cast<QWidget *>(parent()), tr("Copy"),
            tr("%1 events are selected; the clipboard takes at most %2. Export them to a file "
               "with File ▸ Export Events… instead.")
                .arg(QLocale().toString(rows), QLocale().toString(MaxCopiedEvents)));
        return;
    }
    // Rows the table has not loaded are read first, on the question worker.
    showWriting(tr("Reading the %1 selected events…").arg(QLocale().toString(rows)),
                int(StoreSession::Job::Export));
    m_session->ask<QByteArray>(
        StoreSession::Job::Export, tr("Reading the selection"), this,
        [rows = tableRows(), ranges, format](EventStore &store, const JobControl &control,
                                             StoreError *error) -> std::optional<QByteArray> {
            QByteArray text;
            if (format == EventExporter::Format::Csv)
                text += EventExporter::header(format) + '\n';
            QString message;
            const bool done = rows.read(
                store, ranges,
                [&text, format](const Event &event) {
                    text += EventExporter::line(format, event) + '\n';
                    return true;
                },
                control, &message);
            if (!done) {
                *error = control.cancelled() ? StoreError::cancelled()
                                             : StoreError(StoreError::Kind::Sql, message);
                return std::nullopt;
            }
            return text;
        },
        [this, rows](const QByteArray &text) {
            hideWriting(int(StoreSession::Job::Export));
            QApplication::clipboard()->setText(QString::fromUtf8(text));
            emit copied(rows);
        });
}

void StoreTools::chooseExportFile()
{
    const bool selection = !selectedRanges().isEmpty();
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        static_cast<QWidget *>(parent()),
        selection ? tr("Export the Selected Events") : tr("Export the Table's Events"), {},
        tr("JSON Lines (*.jsonl);;CSV (*.csv)"), &filter);
    if (path.isEmpty())
        return;
    exportEvents(path, path.endsWith(u".csv"_s, Qt::CaseInsensitive) || filter.contains(u"csv"_s)
                           ? EventExporter::Format::Csv
                           : EventExporter::Format::Jsonl);
}

void StoreTools::exportEvents(const QString &path, EventExporter::Format format)
{
    // The rows the user picked, else what the table shows (a search's matches, or the events
    // its filter selects): every one of them, read from the store, loaded by the table or not.
    const QVector<EventRows::Range> ranges = selectedRanges();
    const EventRows rows = tableRows();
    showWriting(tr("Exporting events to %1…").arg(QFileInfo(path).fileName()),
                int(StoreSession::Job::Export));
    m_session->ask<qint64>(
        StoreSession::Job::Export, tr("Exporting events"), this,
        [path, format, ranges, rows](EventStore &store, const JobControl &control,
                                     StoreError *error) -> std::optional<qint64> {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly)) {
                *error = StoreError(StoreError::Kind::Io, file.errorString());
                return std::nullopt;
            }
            const auto write = [&file](const QByteArray &line) {
                return file.write(line) == line.size() && file.write("\n", 1) == 1;
            };
            QString message;
            std::optional<qint64> written;
            if (ranges.isEmpty() && !rows.positions) {
                // The filter's events, as `eventscope-cli export` writes them.
                written = EventExporter::exportEvents(store, rows.filter,
                                                      std::numeric_limits<qint64>::max(), format,
                                                      write, &message, control);
            } else {
                qint64 count = 0;
                const bool done = (format != EventExporter::Format::Csv ||
                                   write(EventExporter::header(format))) &&
                                  rows.read(
                                      store, ranges,
                                      [&](const Event &event) {
                                          ++count;
                                          return write(EventExporter::line(format, event));
                                      },
                                      control, &message);
                if (done)
                    written = count;
                else if (message.isEmpty())
                    message = file.errorString();
            }
            if (!written) {
                *error = control.cancelled() ? StoreError::cancelled()
                                             : StoreError(StoreError::Kind::Io, message);
                return std::nullopt;
            }
            if (!file.commit()) {
                *error = StoreError(StoreError::Kind::Io, file.errorString());
                return std::nullopt;
            }
            return written;
        },
        [this, path](qint64 count) {
            hideWriting(int(StoreSession::Job::Export));
            emit exported(path, count);
        });
}

void StoreTools::chooseSlice()
{
    if (!m_sliceDialog) {
        m_sliceDialog = new SliceDialog(static_cast<QWidget *>(parent()));
        connect(m_sliceDialog, &SliceDialog::filterChanged, this, &StoreTools::listSliceStreams);
        connect(m_sliceDialog, &QDialog::accepted, this, [this] {
            SliceRequest request;
            request.streams = m_sliceDialog->streams();
            request.fromTimeMs = m_sliceDialog->fromTimeMs();
            request.toTimeMs = m_sliceDialog->toTimeMs();
            saveSlice(request, m_sliceDialog->outputPath());
        });
        m_sliceDialog->setTimeRange(m_firstTimeMs, m_lastTimeMs);
    }
    const QString stream = m_events->model()->filter().stream;
    if (!stream.isEmpty())
        m_sliceDialog->check(stream);
    listSliceStreams(m_sliceDialog->filterField()->text());
    m_sliceDialog->open();
}

void StoreTools::listSliceStreams(const QString &filter)
{
    m_session->readStore<QVector<StreamInfo>>(
        this, {},
        [filter](EventStore &store) {
            StreamQuery query;
            query.filter = filter;
            query.limit = SliceStreamsListed + 1;
            return store.streams(query);
        },
        [this, filter](const std::optional<QVector<StreamInfo>> &streams, const StoreError &error) {
            if (!m_sliceDialog || m_sliceDialog->filterField()->text() != filter)
                return; // the filter moved on
            if (!streams) {
                m_sliceDialog->setStreams({}, true);
                QMessageBox::warning(m_sliceDialog, tr("Save Slice"),
                                     tr("The streams could not be listed: %1").arg(error.message));
                return;
            }
            m_sliceDialog->setStreams(streams->mid(0, SliceStreamsListed),
                                      streams->size() <= SliceStreamsListed);
        });
}

void StoreTools::saveSlice(const SliceRequest &request, const QString &path)
{
    showWriting(tr("Saving a slice of %1 streams to %2…")
                    .arg(request.streams.size())
                    .arg(QFileInfo(path).fileName()),
                int(StoreSession::Job::Slice));
    m_session->ask<qint64>(
        StoreSession::Job::Slice, tr("Saving a slice"), this,
        [request, path](EventStore &store, const JobControl &control,
                        StoreError *error) -> std::optional<qint64> {
            SliceReport report;
            QString message;
            if (!StoreSlicer::slice(store, request, path, &report, &message, control)) {
                *error = control.cancelled() ? StoreError::cancelled()
                                             : StoreError(StoreError::Kind::Io, message);
                return std::nullopt;
            }
            return report.events;
        },
        [this, path](qint64 events) {
            hideWriting(int(StoreSession::Job::Slice));
            emit sliced(path, events);
        });
}

void StoreTools::computeReadModel(const QString &projectionFile)
{
    showDock(m_readModelDock);
    QString error;
    const auto projection = Projection::fromFile(projectionFile, &error);
    if (!projection)
        return m_readModelView->showMessage(error);
    if (!projection->isReadModel())
        return m_readModelView->showMessage(
            tr("%1 has no \"key\": a read model needs one, a data path (\"page\"), "
               "\"$stream\" or \"$category\"")
                .arg(QFileInfo(projectionFile).fileName()));
    m_readModelView->showRunning(QFileInfo(projectionFile).fileName());
    m_session->ask<ReadModelResult>(
        StoreSession::Job::ReadModel, tr("Folding the read model"), this,
        [projection = *projection](EventStore &store, const JobControl &control,
                                   StoreError *error) -> std::optional<ReadModelResult> {
            QString message;
            auto result = ReadModel::compute(store, projection, {}, &message, control);
            if (!result)
                *error = control.cancelled() ? StoreError::cancelled()
                                             : StoreError(StoreError::Kind::Sql, message);
            return result;
        },
        [this](const ReadModelResult &result) { m_readModelView->setResult(result); });
}

void StoreTools::surveySchema()
{
    if (!m_schemaView) {
        m_schemaView = new SchemaView(static_cast<QWidget *>(parent()));
        connect(m_schemaView, &SchemaView::cancelRequested, this,
                [this] { m_session->cancelQuestion(StoreSession::Job::Schema); });
    }
    m_schemaView->show();
    m_schemaView->raise();
    m_schemaView->showRunning();
    runSchemaSurvey();
}

void StoreTools::runSchemaSurvey()
{
    m_schemaRunning = true;
    m_schemaStale = false;
    m_session->ask<SchemaDrift>(
        StoreSession::Job::Schema, tr("Surveying the payloads"), this,
        [from = m_firstTimeMs, to = m_lastTimeMs](EventStore &store, const JobControl &control,
                                                  StoreError *error) {
            return SchemaDrift::survey(store, from, to, SchemaSlices, control, error);
        },
        [this](const SchemaDrift &drift) {
            m_schemaRunning = false;
            m_schemaView->setDrift(drift);
            if (m_schemaStale) // the store grew meanwhile
                refreshSchema();
        });
}

void StoreTools::storeGrew(qint64 firstTimeMs, qint64 lastTimeMs)
{
    m_firstTimeMs = firstTimeMs;
    m_lastTimeMs = lastTimeMs;
    if (!m_schemaView || !m_schemaView->isVisible())
        return;
    // A survey under way finishes first (a new one would cancel it, and a store that keeps
    // growing would never be answered); then one over the grown store.
    if (m_schemaRunning)
        m_schemaStale = true;
    else
        refreshSchema();
}

void StoreTools::refreshSchema()
{
    // The fields shown stay until the new survey replaces them.
    m_schemaView->showProgress(0);
    runSchemaSurvey();
}

void StoreTools::checkStore()
{
    showDock(m_problemsDock);
    m_problems->showRunning();
    m_timeline->setMarks(ProblemMarks, {}, ProblemColor);
    m_session->ask<CheckAnswer>(StoreSession::Job::Check, tr("Checking the store"), this,
                                checkIntegrity, [this](const CheckAnswer &answer) {
                                    m_problems->setProblems(answer.problems, answer.summary,
                                                            answer.problems.size() == MaxProblems);
                                    m_timeline->setMarks(ProblemMarks, answer.marks, ProblemColor);
                                });
}

void StoreTools::search()
{
    const QString text = m_searchBar->text();
    const bool contains = m_searchBar->isContainsMode();
    std::optional<Predicate> predicate;
    if (!contains) {
        QueryError error;
        predicate = Predicate::parse(text, &error);
        if (!predicate) {
            m_searchBar->showError(error.message, error.column);
            return;
        }
    }
    m_searchActive = true;
    m_searchBar->showSearching(0, -1);
    EventFilter filter = m_events->model()->filter();
    m_session->ask<SearchAnswer>(
        StoreSession::Job::Search, tr("Searching payloads"), this,
        [filter, text, predicate](EventStore &store, const JobControl &control, StoreError *error) {
            if (predicate) {
                PayloadSearch search(store, *predicate);
                return collectMatches(search, filter, control, error);
            }
            TextSearch search(store, text);
            return collectMatches(search, filter, control, error);
        },
        [this](const SearchAnswer &answer) {
            if (!m_searchActive)
                return;
            m_events->model()->setMatches(answer.positions);
            m_searchBar->showMatches(answer.positions->size());
            m_timeline->setMarks(SearchMarks, answer.marks, SearchColor);
        });
}

void StoreTools::clearSearch()
{
    const bool wasShown = m_events->model()->showsMatches();
    m_searchActive = false;
    m_session->cancelQuestion(StoreSession::Job::Search);
    m_timeline->setMarks(SearchMarks, {}, SearchColor);
    if (wasShown)
        m_events->model()->setMatches(nullptr);
}

void StoreTools::tableFilterChanged()
{
    if (m_searchActive)
        search();
}

void StoreTools::closeStore()
{
    setStoreOpen(false);
    m_session->cancelQuestion(StoreSession::Job::Check);
    m_session->cancelQuestion(StoreSession::Job::Schema);
    m_schemaRunning = m_schemaStale = false;
    m_problems->clear();
    if (m_schemaView)
        m_schemaView->hide();
    m_session->cancelQuestion(StoreSession::Job::ReadModel);
    m_readModelView->clear();
    m_timeline->setMarks(ProblemMarks, {}, ProblemColor);
    delete m_sliceDialog; // its streams and times were the store's
    m_sliceDialog = nullptr;
    m_searchActive = false;
    m_searchBar->clear();
    m_timeline->setMarks(SearchMarks, {}, SearchColor);
}

void StoreTools::showWriting(const QString &what, int job)
{
    if (!m_writing) {
        m_writing = new QProgressDialog(static_cast<QWidget *>(parent()));
        m_writing->setObjectName(u"writingProgress"_s);
        m_writing->setWindowTitle(tr("Eventscope"));
        m_writing->setAutoClose(false);
        m_writing->setAutoReset(false);
        m_writing->setMinimumDuration(400);
        m_writing->setRange(0, ProgressSteps);
        connect(m_writing, &QProgressDialog::canceled, this,
                [this] { m_session->cancelQuestion(StoreSession::Job(m_writingJob)); });
    }
    m_writingJob = job;
    m_writing->setLabelText(what);
    m_writing->setValue(0);
}

void StoreTools::hideWriting(int job)
{
    if (m_writing && m_writingJob == job) {
        m_writingJob = -1;
        m_writing->reset();
        m_writing->hide();
    }
}

void StoreTools::onProgress(int job, qint64 done, qint64 total)
{
    if (m_writing && job == m_writingJob && total > 0)
        m_writing->setValue(int(qMin(done, total) * ProgressSteps / total));
    if (job == int(StoreSession::Job::Search) && m_searchActive)
        m_searchBar->showSearching(done, total);
    else if (job == int(StoreSession::Job::Check))
        m_problems->showProgress(done, total);
    else if (job == int(StoreSession::Job::Schema) && m_schemaView)
        m_schemaView->showProgress(done);
    else if (job == int(StoreSession::Job::ReadModel))
        m_readModelView->showProgress(done, total);
}

void StoreTools::onStopped(int job, const QString &message)
{
    hideWriting(job);
    if (job == int(StoreSession::Job::Search) && m_searchActive)
        m_searchBar->showMessage(message);
    else if (job == int(StoreSession::Job::Check))
        m_problems->showMessage(message);
    else if (job == int(StoreSession::Job::Schema) && m_schemaView) {
        m_schemaRunning = false;
        m_schemaView->showMessage(message);
    } else if (job == int(StoreSession::Job::ReadModel))
        m_readModelView->showMessage(message);
    else if (job == int(StoreSession::Job::Export))
        emit exportFailed(tr("Export failed: %1").arg(message));
    else if (job == int(StoreSession::Job::Slice))
        emit sliceFailed(tr("Saving the slice failed: %1").arg(message));
}

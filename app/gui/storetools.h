#pragma once

// The window's questions about the whole store (issue #15): the payload search over the
// events table, Tools ▸ Check Store (a Problems dock), Tools ▸ Schema… (SchemaView), the Read Model
// dock (ReadModelView). Each question runs on the session's question worker (StoreSession::ask)
// with progress and cancel, and what it finds is shown in the table and marked on the timeline.

#include "query/eventrows.h"
#include "writers/eventexporter.h"
#include "writers/storeslicer.h"

#include <QObject>

class EventsPane;
class PayloadSearchBar;
class ProblemsList;
class QAction;
class QDockWidget;
class ReadModelView;
class SchemaView;
class SliceDialog;
class QMainWindow;
class QProgressDialog;
class StoreSession;
class TimelineView;

class StoreTools : public QObject
{
    Q_OBJECT

public:
    // A search shows every match in the table; the timeline marks at most this many of them,
    // spread over the whole answer.
    static constexpr int MaxSearchMarks = 20000;
    static inline const QString SearchMarks = QStringLiteral("search");
    // The most problems the Problems dock lists (the counts are the store's).
    static constexpr int MaxProblems = 5000;
    static inline const QString ProblemMarks = QStringLiteral("problems");

    StoreTools(QMainWindow *window, StoreSession *session, EventsPane *events,
               TimelineView *timeline);

    PayloadSearchBar *searchBar() const { return m_searchBar; }
    ProblemsList *problemsList() const { return m_problems; }
    QAction *checkAction() const { return m_check; }         // Tools ▸ Check Store
    QAction *schemaAction() const { return m_schema; }       // Tools ▸ Schema…
    SchemaView *schemaView() const { return m_schemaView; }  // nullptr until first shown
    QAction *readModelAction() const { return m_readModel; } // Tools ▸ Read Model
    ReadModelView *readModelView() const { return m_readModelView; }
    QAction *exportAction() const { return m_export; }     // File ▸ Export Events…
    QAction *copyJsonAction() const { return m_copyJson; } // Edit ▸ Copy as JSON (Ctrl+C)
    QAction *copyCsvAction() const { return m_copyCsv; }   // Edit ▸ Copy as CSV
    // A copy of a selection with rows the table has not loaded reads them first, up to this
    // many events (more: the window says to export them instead).
    static constexpr qint64 MaxCopiedEvents = 100000;
    // Writes the table's selected events, else every event it shows, loaded or not, to path
    // on the question worker, with progress; exported(path, count) or exportFailed(message)
    // answers.
    void exportEvents(const QString &path, EventExporter::Format format);
    QAction *sliceAction() const { return m_slice; }           // File ▸ Save Slice…
    SliceDialog *sliceDialog() const { return m_sliceDialog; } // nullptr until first shown
    // The most streams the slice dialog lists for a filter.
    static constexpr int SliceStreamsListed = 5000;
    // Writes a new store holding the request's events to path on the question worker, with
    // progress and cancel; sliced(path, events) or sliceFailed(message) answers.
    void saveSlice(const SliceRequest &request, const QString &path);
    // Folds the store with the projection file into the Read Model dock.
    void computeReadModel(const QString &projectionFile);
    // The slices of the schema view's presence strips.
    static constexpr int SchemaSlices = 60;

    // A store is open, with events over that time range: the tools may ask it.
    void storeOpened(qint64 firstTimeMs, qint64 lastTimeMs);

    // Following found new events, the store's times now these: an open Schema view surveys
    // the grown store (after the survey under way, if one is).
    void storeGrew(qint64 firstTimeMs, qint64 lastTimeMs);

    // The table's filter changed (and dropped the matches): the search runs again over it.
    void tableFilterChanged();
    void closeStore(); // no search, no problems, no marks

signals:
    // Go to the event at position (of the stream; empty: an event without one).
    void eventRequested(const QString &stream, qint64 position);
    void exported(const QString &path, qint64 events);
    void exportFailed(const QString &message);
    void copied(qint64 events); // the clipboard holds them
    void sliced(const QString &path, qint64 events);
    void sliceFailed(const QString &message);
    // The user chose to open the slice just written.
    void openRequested(const QString &path);

private:
    void showDock(QDockWidget *dock);
    void checkStore();
    void surveySchema();
    void runSchemaSurvey();
    void refreshSchema();
    void setStoreOpen(bool open);
    void chooseExportFile();
    void chooseSlice();
    void listSliceStreams(const QString &filter);
    void copySelection(EventExporter::Format format);
    QVector<EventRows::Range> selectedRanges() const; // the table's selected rows
    EventRows tableRows() const;                      // what the table shows
    void search();
    void clearSearch();
    // The progress of an export, a copy's read or a slice, with its Cancel.
    void showWriting(const QString &what, int job);
    void hideWriting(int job);
    void onProgress(int job, qint64 done, qint64 total);
    void onStopped(int job, const QString &message);

    StoreSession *m_session;
    EventsPane *m_events;
    TimelineView *m_timeline;
    PayloadSearchBar *m_searchBar;
    ProblemsList *m_problems;
    QDockWidget *m_problemsDock;
    QAction *m_check;
    QAction *m_schema;
    SchemaView *m_schemaView = nullptr;
    bool m_schemaRunning = false;
    bool m_schemaStale = false; // the store grew while a survey ran
    QAction *m_readModel;
    ReadModelView *m_readModelView;
    QDockWidget *m_readModelDock;
    QAction *m_export;
    QAction *m_copyJson;
    QAction *m_copyCsv;
    QAction *m_slice;
    SliceDialog *m_sliceDialog = nullptr;
    qint64 m_firstTimeMs = 0;
    qint64 m_lastTimeMs = 0;
    bool m_searchActive = false; // a search is shown or running
    static constexpr int ProgressSteps = 1000;
    QProgressDialog *m_writing = nullptr;
    int m_writingJob = -1; // the job m_writing shows
};

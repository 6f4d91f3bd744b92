#include "aggregatetools.h"

#include "fieldhistorypanel.h"
#include "replay/projection.h"
#include "replay/replayengine.h"
#include "replaybar.h"
#include "session/storesession.h"
#include "stateview.h"
#include "timelineview.h"

#include <QDockWidget>
#include <QMainWindow>

using namespace Qt::StringLiterals;

namespace {

const QString HistoryMarks = u"fieldHistory"_s;
const QColor HistoryColor(214, 120, 0);

} // namespace

AggregateTools::AggregateTools(QMainWindow *window, const Parts &parts)
    : QObject(window), m_parts(parts), m_history(new FieldHistoryPanel(window))
{
    m_historyDock = new QDockWidget(tr("Field History"), window);
    m_historyDock->setObjectName(u"fieldHistoryDock"_s);
    m_historyDock->setWidget(m_history);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
    // A tab beside the charts, where a list of changes has the window's width.
    if (auto *charts = window->findChild<QDockWidget *>(u"chartsDock"_s))
        window->tabifyDockWidget(charts, m_historyDock);
    m_historyDock->hide();

    connect(m_parts.state, &StateView::fieldHistoryRequested, this,
            &AggregateTools::showFieldHistory);
    connect(m_history, &FieldHistoryPanel::changeActivated, m_parts.bar, &ReplayBar::setIndex);
    connect(m_history, &FieldHistoryPanel::cancelRequested, this,
            [this] { m_parts.session->cancelQuestion(StoreSession::Job::History); });
    StoreSession *session = m_parts.session;
    connect(session, &StoreSession::progress, this, [this](StoreSession::Job job, qint64 done) {
        if (job == StoreSession::Job::History && m_historyPending)
            m_history->setProgress(done);
    });
    connect(session, &StoreSession::failed, this,
            [this](StoreSession::Job job, const StoreError &error) {
                if (job != StoreSession::Job::History || !m_historyPending)
                    return;
                m_historyPending = false;
                m_history->showMessage(error.message);
            });
    connect(session, &StoreSession::cancelled, this, [this](StoreSession::Job job) {
        if (job != StoreSession::Job::History || !m_historyPending)
            return;
        m_historyPending = false;
        m_history->showMessage(tr("Cancelled."));
    });
}

void AggregateTools::setStream(const QString &stream)
{
    if (stream == m_stream)
        return;
    m_stream = stream;
    if (m_historyPending)
        m_parts.session->cancelQuestion(StoreSession::Job::History);
    m_historyPending = false;
    clearMarks();
    m_history->showMessage(stream.isEmpty()
                               ? tr("Select a stream, then right-click a field in the State "
                                    "view to see which events changed it.")
                               : tr("Right-click a field in the State view and choose "
                                    "“History of …” to see which events changed it."));
}

void AggregateTools::showFieldHistory(const QueryPath &path, const QString &displayPath)
{
    if (m_stream.isEmpty())
        return;
    m_historyDock->show();
    m_historyDock->raise();
    m_history->showPending(m_stream, displayPath);
    clearMarks();
    m_historyPending = true;
    m_parts.session->ask<History>(
        StoreSession::Job::History, tr("Finding the changes of %1").arg(displayPath), this,
        [stream = m_stream, path](EventStore &store, const JobControl &job,
                                  StoreError *error) -> std::optional<History> {
            ReplayEngine engine(store, stream, Projection());
            History history;
            QString why;
            const bool walked = FieldHistory::walk(
                engine, path,
                [&history](const FieldChange &change) {
                    if (history.changes.size() < FieldHistoryPanel::MaxRows)
                        history.changes << change;
                    ++history.total;
                    return true;
                },
                job, &why);
            if (walked)
                return history;
            *error = job.cancelled() ? StoreError::cancelled()
                     : engine.lastError().kind != StoreError::Kind::None
                         ? engine.lastError()
                         : StoreError{StoreError::Kind::Sql, why};
            return std::nullopt;
        },
        [this, stream = m_stream](const History &history) {
            if (stream != m_stream || !m_historyPending)
                return;
            m_historyPending = false;
            showHistory(history);
        });
}

void AggregateTools::showHistory(const History &history)
{
    m_history->setChanges(history.changes, history.total);
    QVector<TimelineMark> marks;
    QVector<qint64> indexes;
    marks.reserve(history.changes.size());
    indexes.reserve(history.changes.size());
    for (const FieldChange &change : history.changes) {
        marks << TimelineMark{m_stream, change.timeMs};
        indexes << change.index;
    }
    m_parts.timeline->setMarks(HistoryMarks, marks, HistoryColor);
    m_parts.bar->setFindings(indexes, HistoryColor);
}

void AggregateTools::clearMarks()
{
    m_parts.timeline->setMarks(HistoryMarks, {}, HistoryColor);
    m_parts.bar->setFindings({}, HistoryColor);
}

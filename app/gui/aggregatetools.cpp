#include "aggregatetools.h"

#include "bisectdialog.h"
#include "decoding/timecodec.h"
#include "fieldhistorypanel.h"
#include "jsontreemodel.h"
#include "query/fieldhistory.h"
#include "query/statebisect.h"
#include "replaybar.h"
#include "replayfollower.h"
#include "sidebysideview.h"
#include "statediffview.h"
#include "stateview.h"
#include "timelineview.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QStatusBar>
#include <QTreeView>

#include <limits>

using namespace Qt::StringLiterals;

namespace {

const QString HistoryMarks = u"fieldHistory"_s;
const QColor HistoryColor(0xd3, 0x54, 0x00);

// A failed or cancelled fold, as the session reports it.
StoreError foldError(const ReplayEngine &engine, const JobControl &control, const QString &message)
{
    if (control.cancelled())
        return StoreError::cancelled();
    if (engine.lastError().isError())
        return engine.lastError();
    return {StoreError::Kind::Sql, message};
}

} // namespace

AggregateTools::AggregateTools(QMainWindow *window, const Parts &parts)
    : QObject(window), m_window(window), m_parts(parts)
{
    m_projection = new ProjectionFile(this);
    m_history = new FieldHistoryPanel(window);
    m_historyDock = new QDockWidget(tr("Field History"), window);
    m_historyDock->setObjectName(u"fieldHistoryDock"_s);
    m_historyDock->setWidget(m_history);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
    // Tabbed with the charts and the inspector: beside them, each was squeezed too narrow.
    if (auto *charts = window->findChild<QDockWidget *>(u"chartsDock"_s))
        window->tabifyDockWidget(charts, m_historyDock);
    m_historyDock->hide();
    m_diff = new StateDiffView(window);
    m_diffDock = new QDockWidget(tr("Diff A ↔ B"), window);
    m_diffDock->setObjectName(u"diffDock"_s);
    m_diffDock->setWidget(m_diff);
    window->addDockWidget(Qt::RightDockWidgetArea, m_diffDock);
    if (auto *inspector = window->findChild<QDockWidget *>(u"inspectorDock"_s))
        window->tabifyDockWidget(inspector, m_diffDock);
    m_diffDock->hide();
    m_sideBySide = new SideBySideView(window);
    m_sideBySideDock = new QDockWidget(tr("Side by Side"), window);
    m_sideBySideDock->setObjectName(u"sideBySideDock"_s);
    m_sideBySideDock->setWidget(m_sideBySide);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_sideBySideDock);
    if (auto *charts = window->findChild<QDockWidget *>(u"chartsDock"_s))
        window->tabifyDockWidget(charts, m_sideBySideDock);
    m_sideBySideDock->hide();
    m_projectionLabel = new QLabel(window);
    window->statusBar()->addPermanentWidget(m_projectionLabel);
    m_projectionLabel->hide();

    m_pin = new QAction(tr("Pin Cursor &A"), this);
    m_pin->setObjectName(u"pinAAction"_s);
    m_pin->setShortcut(u"Ctrl+Shift+P"_s);
    m_pin->setToolTip(tr("Pin cursor A at the replay's position (Ctrl+Shift+P); the replay is B"));
    m_pin->setIconText(tr("Pin A"));
    connect(m_pin, &QAction::triggered, this, &AggregateTools::pinA);
    m_diffAction = new QAction(tr("&Diff A ↔ B"), this);
    m_diffAction->setShortcut(u"Ctrl+Shift+X"_s);
    connect(m_diffAction, &QAction::triggered, this, &AggregateTools::showDiff);
    m_bisectAction = new QAction(tr("&Bisect…"), this);
    m_bisectAction->setShortcut(u"Ctrl+B"_s);
    connect(m_bisectAction, &QAction::triggered, this, &AggregateTools::showBisect);
    m_sideBySideAction = new QAction(tr("&Side by Side…"), this);
    m_sideBySideAction->setShortcut(u"Ctrl+Shift+E"_s);
    connect(m_sideBySideAction, &QAction::triggered, this, &AggregateTools::showSideBySide);
    m_projectionMenu = new QMenu(tr("Pro&jection"), window);
    m_projectionMenu->addAction(tr("&Load…"), this, &AggregateTools::loadProjection);
    QAction *reload =
        m_projectionMenu->addAction(tr("&Reload"), m_projection, &ProjectionFile::reload);
    QAction *clear =
        m_projectionMenu->addAction(tr("&Clear"), m_projection, &ProjectionFile::clear);
    const auto updateMenu = [this, reload, clear] {
        reload->setEnabled(!m_projection->path().isEmpty());
        clear->setEnabled(!m_projection->path().isEmpty());
    };
    updateMenu();
    m_parts.replayBar->addTool(m_pin);

    connect(m_projection, &ProjectionFile::changed, this, [this, updateMenu] {
        updateMenu();
        m_projectionLabel->setStyleSheet({});
        m_projectionLabel->setToolTip(m_projection->path());
        m_projectionLabel->setText(
            tr("Projection: %1").arg(QFileInfo(m_projection->path()).fileName()));
        m_projectionLabel->setVisible(!m_projection->path().isEmpty());
        clearFindings();
        resetFolds();
        emit projectionChanged();
    });
    connect(m_projection, &ProjectionFile::failed, this, [this, updateMenu](const QString &error) {
        updateMenu();
        m_projectionLabel->setStyleSheet(u"QLabel { color: #c0392b; }"_s);
        // The error is long: in full where the status bar has room, and on the label's tooltip.
        const QString file = QFileInfo(m_projection->path()).fileName();
        m_projectionLabel->setText(tr("Projection %1 not loaded").arg(file));
        m_projectionLabel->setToolTip(error);
        m_projectionLabel->show();
        m_window->statusBar()->showMessage(tr("Projection %1, %2").arg(file, error), 30000);
    });

    QTreeView *tree = m_parts.stateView->tree();
    tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(tree, &QTreeView::customContextMenuRequested, this, [this, tree](QPoint pos) {
        QMenu *menu = fieldMenu(tree->indexAt(pos), tree);
        if (menu) {
            menu->setAttribute(Qt::WA_DeleteOnClose);
            menu->popup(tree->viewport()->mapToGlobal(pos));
        }
    });
    connect(m_history, &FieldHistoryPanel::versionActivated, this, [this](qint64 version) {
        if (m_historyStream == m_stream)
            emit replayRequested(version);
    });
    connect(m_history, &FieldHistoryPanel::cancelRequested, this,
            [this] { m_parts.session->cancelQuestion(StoreSession::Job::History); });
    connect(m_diff, &StateDiffView::cancelRequested, this,
            [this] { m_parts.session->cancelQuestion(StoreSession::Job::Diff); });
    connect(m_diff, &StateDiffView::otherStreamChanged, this, &AggregateTools::requestDiff);
    connect(m_sideBySide, &SideBySideView::streamsChanged, this,
            &AggregateTools::requestSideBySide);
    connect(m_sideBySide, &SideBySideView::cancelRequested, this,
            [this] { m_parts.session->cancelQuestion(StoreSession::Job::States); });
    connect(m_parts.replayBar, &ReplayBar::playheadChanged, this, [this](qint64 ms) {
        m_cursorMs = ms;
        if (m_sideBySideDock->isVisible())
            requestSideBySide(); // the cursor drives every column
    });

    StoreSession *session = m_parts.session;
    // Side by side's folds belong to one store as it was, and one projection.
    resetFolds();
    connect(session, &StoreSession::opened, this, &AggregateTools::resetFolds);
    connect(session, &StoreSession::storeGrew, this, &AggregateTools::resetFolds);
    connect(session, &StoreSession::stateReady, this, &AggregateTools::onState);
    connect(session, &StoreSession::progress, this,
            [this](StoreSession::Job job, qint64 done) { onProgress(job, done); });
    connect(session, &StoreSession::failed, this,
            [this](StoreSession::Job job, const StoreError &error) {
                if (error.kind == StoreError::Kind::Cancelled)
                    onFailed(job, tr("Cancelled."));
                else
                    onFailed(job, error.message);
            });
    connect(session, &StoreSession::cancelled, this,
            [this](StoreSession::Job job) { onFailed(job, tr("Cancelled.")); });
}

QList<QAction *> AggregateTools::replayActions() const
{
    return {m_pin, m_diffAction, m_sideBySideAction, m_bisectAction};
}

void AggregateTools::setStream(const QString &stream)
{
    if (stream == m_stream)
        return;
    m_stream = stream;
    m_state.reset();
    clearFindings();
    if (m_bisect)
        m_bisect->setStream(stream);
    m_sideBySide->setReplayedStream(stream);
}

void AggregateTools::clearFindings()
{
    m_parts.timeline->setMarks(HistoryMarks, {}, HistoryColor);
    m_parts.replayBar->setTicks({});
    if (!m_historyStream.isEmpty()) {
        m_historyStream.clear();
        m_history->setChanges({});
        m_history->showMessage(tr("The replay changed: ask for the field's history again."));
    }
}

void AggregateTools::onState(const ReplayState &state)
{
    if (state.stream != m_stream)
        return;
    m_state = state;
    if (m_a && m_diffDock->isVisible())
        requestDiff(); // B moved
}

QMenu *AggregateTools::fieldMenu(const QModelIndex &index, QWidget *parent)
{
    const auto *model = qobject_cast<const JsonTreeModel *>(index.model());
    const QueryPath path = model ? model->queryPathOf(index) : QueryPath();
    if (path.isEmpty() || m_stream.isEmpty())
        return nullptr;
    auto *menu = new QMenu(parent);
    QAction *history =
        menu->addAction(tr("History of this field"), this, [this, path] { showHistory(path); });
    history->setObjectName(u"fieldHistoryAction"_s);
    return menu;
}

void AggregateTools::showHistory(const QueryPath &path)
{
    if (path.isEmpty() || m_stream.isEmpty())
        return;
    const QString pathText = path.display();
    showDock(m_historyDock);
    m_historyStream = m_stream;
    m_history->showPending(m_stream, pathText);
    m_parts.timeline->setMarks(HistoryMarks, {}, HistoryColor);
    m_parts.replayBar->setTicks({});
    const QString stream = m_stream;
    const Projection projection = m_projection->projection();
    const QueryPath watched = path;
    m_parts.session->ask<QVector<FieldChange>>(
        StoreSession::Job::History, tr("History of %1").arg(pathText), this,
        [stream, projection, watched](EventStore &store, const JobControl &control,
                                      StoreError *error) -> std::optional<QVector<FieldChange>> {
            ReplayEngine engine(store, stream, projection);
            QVector<FieldChange> changes;
            QString message;
            if (!FieldHistory::walk(
                    engine, watched,
                    [&changes](const FieldChange &c) {
                        changes.append(c);
                        return true;
                    },
                    control, &message)) {
                *error = foldError(engine, control, message);
                return std::nullopt;
            }
            return changes;
        },
        [this, stream](const QVector<FieldChange> &changes) {
            if (stream != m_historyStream)
                return;
            m_history->setChanges(changes);
            QVector<TimelineMark> marks;
            QVector<qint64> versions;
            marks.reserve(changes.size());
            versions.reserve(changes.size());
            for (const FieldChange &c : changes) {
                marks.append({stream, c.timeMs});
                versions.append(c.version);
            }
            m_parts.timeline->setMarks(HistoryMarks, marks, HistoryColor);
            m_parts.replayBar->setTicks(versions);
        });
}

void AggregateTools::pinA()
{
    if (!m_state)
        return;
    DiffSide a;
    a.stream = m_state->stream;
    // Before the first event: a version below every version, whose state is the empty one.
    a.version = m_state->index < 0 ? std::numeric_limits<qint64>::min() / 2 : m_state->version;
    m_a = a;
    m_window->statusBar()->showMessage(
        m_state->index < 0 ? tr("A pinned at %1 before its first event").arg(a.stream)
                           : tr("A pinned at %1 version %2").arg(a.stream).arg(a.version),
        6000);
    if (m_diffDock->isVisible())
        requestDiff();
}

void AggregateTools::showDiff()
{
    showDock(m_diffDock);
    if (!m_a && m_state)
        pinA(); // A where the replay stands: move the replay to see what differs
    requestDiff();
}

void AggregateTools::requestDiff()
{
    if (!m_a || !m_state) {
        m_diff->showMessage(tr("Select a stream and pin A first."));
        return;
    }
    DiffSide b;
    const QString other = m_diff->otherStream();
    if (other.isEmpty()) {
        b.stream = m_state->stream;
        b.version = m_state->index < 0 ? std::numeric_limits<qint64>::min() / 2 : m_state->version;
    } else {
        // Another stream at the time the replay stands at.
        b.stream = other;
        b.timeMs =
            m_state->timeMs == NoTime ? std::numeric_limits<qint64>::min() / 2 : m_state->timeMs;
    }
    const DiffSide a = *m_a;
    const Projection projection = m_projection->projection();
    m_diff->showPending(tr("Folding A and B…"));
    m_parts.session->ask<StateDiffResult>(
        StoreSession::Job::Diff, tr("Diff A ↔ B"), this,
        [a, b, projection](EventStore &store, const JobControl &control,
                           StoreError *error) -> std::optional<StateDiffResult> {
            QString message;
            auto result = StateDiff::compare(store, projection, a, b, control, &message);
            if (!result)
                *error = control.cancelled() ? StoreError::cancelled()
                                             : StoreError(StoreError::Kind::NotFound, message);
            return result;
        },
        [this](const StateDiffResult &result) { m_diff->setResult(result); });
}

void AggregateTools::showBisect()
{
    if (!m_bisect) {
        m_bisect = new BisectDialog(m_window);
        connect(m_bisect, &BisectDialog::cancelRequested, this,
                [this] { m_parts.session->cancelQuestion(StoreSession::Job::Bisect); });
        connect(m_bisect, &BisectDialog::findRequested, this, [this](const Predicate &predicate) {
            const QString stream = m_stream;
            const Projection projection = m_projection->projection();
            m_parts.session->ask<BisectResult>(
                StoreSession::Job::Bisect, tr("Bisect %1").arg(stream), this,
                [stream, projection, predicate](EventStore &store, const JobControl &control,
                                                StoreError *error) -> std::optional<BisectResult> {
                    ReplayEngine engine(store, stream, projection);
                    QString message;
                    auto result = StateBisect::find(engine, predicate, control, &message);
                    if (!result)
                        *error = foldError(engine, control, message);
                    return result;
                },
                [this, stream](const BisectResult &result) {
                    if (!m_bisect)
                        return;
                    if (!result.found) {
                        m_bisect->showNotFound(result.eventsApplied);
                        return;
                    }
                    const ReplayState &s = *result.found;
                    m_bisect->showFound(s.version, s.type,
                                        s.timeMs == NoTime ? tr("no time")
                                                           : TimeCodec::format(s.timeMs));
                    if (stream == m_stream)
                        emit replayRequested(s.version);
                });
        });
    }
    m_bisect->setStream(m_stream);
    m_bisect->show();
    m_bisect->raise();
}

void AggregateTools::showSideBySide()
{
    showDock(m_sideBySideDock);
    m_sideBySide->setReplayedStream(m_stream);
    m_cursorMs = m_parts.replayBar->playheadMs();
    requestSideBySide();
}

void AggregateTools::requestSideBySide()
{
    const QStringList streams = m_sideBySide->streams();
    if (streams.isEmpty()) {
        m_sideBySide->showMessage(tr("Name two to four streams."));
        return;
    }
    if (m_cursorMs == NoTime) {
        m_sideBySide->showMessage(tr("Open a store: its replay's time is the cursor."));
        return;
    }
    const qint64 at = m_cursorMs;
    const std::shared_ptr<SideBySideFolds> folds = m_folds;
    m_sideBySide->showPending(tr("Folding %n stream(s)…", nullptr, int(streams.size())));
    m_parts.session->ask<QVector<ReplayState>>(
        StoreSession::Job::States, tr("Side by side"), this,
        [streams, at, folds](EventStore &store, const JobControl &control,
                             StoreError *error) -> std::optional<QVector<ReplayState>> {
            return folds->statesAt(store, streams, at, control, error);
        },
        [this, at](const QVector<ReplayState> &states) { m_sideBySide->setStates(at, states); });
}

void AggregateTools::resetFolds()
{
    m_folds = std::make_shared<SideBySideFolds>(m_projection->projection());
}

void AggregateTools::showDock(QDockWidget *dock)
{
    const bool wasHidden = dock->isHidden();
    dock->show();
    dock->raise();
    if (!wasHidden)
        return; // the sizes the user gave it stay
    const int height = m_window->centralWidget()->height();
    if (dock == m_diffDock) {
        // Most of the right column for the diff (its tree and its list of changes), the rest
        // for the State, and a column wide enough for the changes' A → B values.
        auto *state = m_window->findChild<QDockWidget *>(u"stateDock"_s);
        if (!state || state->isHidden())
            return;
        m_window->resizeDocks({state, dock}, {height * 2 / 5, height - height * 2 / 5},
                              Qt::Vertical);
        m_window->resizeDocks({state}, {qMax(state->width(), m_window->width() * 3 / 10)},
                              Qt::Horizontal);
    } else {
        // Under the events: room for a handful of rows without taking the table's.
        m_window->resizeDocks({dock}, {qMax(dock->height(), m_window->height() / 4)}, Qt::Vertical);
    }
}

void AggregateTools::onProgress(StoreSession::Job job, qint64 done)
{
    if (job == StoreSession::Job::History)
        m_history->showProgress(done);
    else if (job == StoreSession::Job::Bisect && m_bisect)
        m_bisect->showProgress(done);
}

void AggregateTools::onFailed(StoreSession::Job job, const QString &message)
{
    if (job == StoreSession::Job::History)
        m_history->showMessage(message);
    else if (job == StoreSession::Job::Diff)
        m_diff->showMessage(message);
    else if (job == StoreSession::Job::Bisect && m_bisect)
        m_bisect->showMessage(message);
    else if (job == StoreSession::Job::States)
        m_sideBySide->showMessage(message);
}

void AggregateTools::loadProjection()
{
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Load Projection"), QString(), tr("Projection files (*.json);;All files (*)"));
    if (!path.isEmpty())
        m_projection->load(path);
}

#include "replayfollower.h"

#include "replaybar.h"
#include "replayindex.h"
#include "session/storesession.h"
#include "snapshotcomparedialog.h"
#include "timelineview.h"

using namespace Qt::StringLiterals;

ReplayFollower::ReplayFollower(StoreSession *session, ReplayBar *bar, TimelineView *timeline,
                               QWidget *window)
    : QObject(window), m_session(session), m_bar(bar), m_timeline(timeline), m_window(window)
{
    connect(m_session, &StoreSession::replayExtended, this, &ReplayFollower::onExtended);
    connect(m_session, &StoreSession::replayLoaded, this, &ReplayFollower::onLoaded);
    connect(m_bar, &ReplayBar::indexChanged, m_session, &StoreSession::requestState);
    connect(m_bar, &ReplayBar::indexChanged, this, [this] { m_moved = true; });
    connect(m_bar, &ReplayBar::compareRequested, this, &ReplayFollower::compare);
    connect(m_session, &StoreSession::snapshotsReady, this,
            [this](const QString &stream, const QVector<StoredSnapshot> &snapshots) {
                if (stream != m_stream)
                    return;
                m_bar->setSnapshots(snapshots);
                m_timeline->setSnapshots(stream, snapshots);
            });
    connect(m_session, &StoreSession::comparisonReady, this, [this](const SnapshotComparison &c) {
        if (m_compareDialog)
            m_compareDialog->setComparison(c);
    });
    connect(m_session, &StoreSession::failed, this,
            [this](StoreSession::Job job, const StoreError &error) {
                if (job == StoreSession::Job::Compare && m_compareDialog)
                    m_compareDialog->showError(error.message);
            });
}

void ReplayFollower::follow(const QString &stream, bool hasSnapshots)
{
    m_stream = stream;
    m_hasSnapshots = hasSnapshots;
    m_versions.clear();
    m_complete = false;
    m_timeline->setSnapshots({}, {});
}

void ReplayFollower::close()
{
    m_stream.clear();
    m_pendingVersion = -1;
    m_versions.clear();
    m_timeline->setSnapshots({}, {});
    m_bar->clear();
}

void ReplayFollower::reload(const QString &stream, bool hasSnapshots, const Projection &projection)
{
    restart(stream, hasSnapshots, [&] { m_session->loadReplay(stream, projection); });
}

void ReplayFollower::extend(const QString &stream, bool hasSnapshots, const Projection &projection)
{
    restart(stream, hasSnapshots, [&] { m_session->extendReplay(stream, projection); });
}

void ReplayFollower::restart(const QString &stream, bool hasSnapshots,
                             const std::function<void()> &load)
{
    const qint64 index = m_bar->index();
    const bool atEnd = m_complete && index == m_versions.size() - 1;
    const qint64 version = index >= 0 && index < m_versions.size() ? m_versions.at(index) : -1;
    const qint64 pending = m_pendingVersion;
    follow(stream, hasSnapshots);
    load();
    m_pendingVersion = pending >= 0 ? pending : atEnd ? -1 : version;
}

void ReplayFollower::replayTo(qint64 version)
{
    // While the replay loads, a version it has not folded yet waits for it.
    if (m_versions.isEmpty() || (!m_complete && version > m_versions.constLast())) {
        m_pendingVersion = version;
        return;
    }
    m_pendingVersion = -1;
    m_bar->setIndex(replayIndexOf(m_versions, version));
}

// The replay shows the state at the end of its first part at once; the slider reaches further
// as the rest is folded, and any state it has reached is answered between the parts.
void ReplayFollower::onExtended(const QString &stream, const QVector<qint64> &versions,
                                const QVector<qint64> &times)
{
    if (stream != m_stream || versions.isEmpty())
        return;
    if (!m_versions.isEmpty()) {
        m_versions += versions;
        m_bar->appendEvents(versions, times);
    } else {
        m_versions = versions;
        m_complete = false;
        m_moved = false;
        m_bar->setStream(stream, versions, times);
        m_session->requestState(m_bar->index());
        emit playheadMoved(m_bar->playheadMs());
    }
    if (m_pendingVersion >= 0)
        replayTo(m_pendingVersion);
}

void ReplayFollower::onLoaded(const QString &stream, const QVector<qint64> &versions,
                              const QVector<qint64> &times)
{
    if (stream != m_stream)
        return;
    if (m_versions.size() != versions.size()) { // the parts did not all arrive
        m_versions = versions;
        m_bar->setStream(stream, versions, times);
        m_session->requestState(m_bar->index());
    }
    m_complete = true;
    if (m_pendingVersion >= 0)
        replayTo(m_pendingVersion);
    else if (!m_moved)
        m_bar->jumpToEnd(); // the latest state, as a replay that loaded at once shows
    if (m_hasSnapshots)
        m_session->requestSnapshots(stream);
    emit playheadMoved(m_bar->playheadMs());
}

// The dialog stays open beside the window, so that snapshots can be compared one after another.
void ReplayFollower::compare(const StoredSnapshot &snapshot)
{
    if (!m_compareDialog) {
        m_compareDialog = new SnapshotCompareDialog(m_window);
        m_compareDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_compareDialog->showPending(snapshot);
    m_compareDialog->show();
    m_compareDialog->raise();
    m_session->requestComparison(snapshot);
}

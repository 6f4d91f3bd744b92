#include "replaybar.h"

#include "decoding/timecodec.h"
#include "elidedtext.h"
#include "icons.h"
#include "replayslider.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QToolButton *button(QWidget *parent, const QIcon &icon, const QString &tip)
{
    auto *b = new QToolButton(parent);
    b->setIcon(icon);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus); // keys go to the slider
    return b;
}

} // namespace

ReplayBar::ReplayBar(QWidget *parent) : QWidget(parent)
{
    m_start = button(this, Icons::icon(Icons::JumpStart), tr("Jump to start (Home)"));
    m_back = button(this, Icons::icon(Icons::StepBack), tr("Step back (Left)"));
    m_play = button(this, Icons::icon(Icons::Play), tr("Play (Space)"));
    m_forward = button(this, Icons::icon(Icons::StepForward), tr("Step forward (Right)"));
    m_end = button(this, Icons::icon(Icons::JumpEnd), tr("Jump to end (End)"));
    m_slider = new ReplaySlider(this);
    m_slider->setObjectName(u"replaySlider"_s);
    m_slider->setPageStep(10);
    m_label = new QLabel(this);
    m_label->setTextFormat(Qt::PlainText);
    // Under the slider and as wide as the bar, never wider: beside it, a long stream name
    // and time squeezed the slider to a few pixels.
    m_label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_speed = new QComboBox(this);
    m_speed->setToolTip(tr("Playback speed"));
    m_speed->setFocusPolicy(Qt::NoFocus);
    for (int perSecond : {1, 4, 10, 25, 100})
        m_speed->addItem(tr("%1 events/s").arg(perSecond), perSecond);
    m_speed->setCurrentIndex(2);

    auto *controls = new QHBoxLayout;
    m_controls = controls;
    for (QWidget *w : {static_cast<QWidget *>(m_start), static_cast<QWidget *>(m_back),
                       static_cast<QWidget *>(m_play), static_cast<QWidget *>(m_forward),
                       static_cast<QWidget *>(m_end)})
        controls->addWidget(w);
    controls->addWidget(m_slider, 1);
    controls->addWidget(m_speed);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->setSpacing(0);
    layout->addLayout(controls);
    layout->addWidget(m_label);

    connect(m_start, &QToolButton::clicked, this, &ReplayBar::jumpToStart);
    connect(m_back, &QToolButton::clicked, this, &ReplayBar::stepBack);
    connect(m_play, &QToolButton::clicked, this, &ReplayBar::togglePlay);
    connect(m_forward, &QToolButton::clicked, this, &ReplayBar::stepForward);
    connect(m_end, &QToolButton::clicked, this, &ReplayBar::jumpToEnd);
    connect(m_slider, &QSlider::valueChanged, this, &ReplayBar::onSliderMoved);
    m_compareAction = new QAction(tr("Compare with Stored &Snapshot…"), this);
    m_compareAction->setObjectName(u"compareSnapshotAction"_s);
    m_compareAction->setShortcut(u"Ctrl+Shift+S"_s);
    m_compareAction->setStatusTip(tr("Compare the last stored snapshot at or before the replay's "
                                     "position with the state the replay folds there"));
    connect(m_compareAction, &QAction::triggered, this, [this] {
        if (const int snapshot = currentSnapshot(); snapshot >= 0)
            emit compareRequested(m_snapshots.at(snapshot));
    });
    connect(m_slider, &ReplaySlider::markMenuRequested, this, &ReplayBar::showSnapshotMenu);
    connect(m_speed, &QComboBox::currentIndexChanged, this, &ReplayBar::updateSpeed);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_slider->value() >= m_slider->maximum())
            togglePlay();
        else
            m_slider->setValue(m_slider->value() + 1);
    });
    updateSpeed();
    clear();
}

void ReplayBar::setStream(const QString &stream, const QVector<qint64> &versions,
                          const QVector<qint64> &times)
{
    if (stream != m_stream)
        m_tickVersions.clear();
    m_stream = stream;
    m_versions = versions;
    m_times = times;
    dropSnapshots();
    const QSignalBlocker block(m_slider);
    m_slider->setRange(-1, int(versions.size()) - 1);
    m_slider->setValue(int(versions.size()) - 1);
    placeTicks();
    setEnabled(true);
    updateLabel();
}

void ReplayBar::setTicks(const QVector<qint64> &versions)
{
    m_tickVersions = versions;
    placeTicks();
}

void ReplayBar::placeTicks()
{
    QVector<int> values;
    values.reserve(m_tickVersions.size());
    // Only the events the replay has folded so far have a place on the slider.
    const qint64 last = m_versions.isEmpty() ? -1 : m_versions.constLast();
    for (qint64 version : std::as_const(m_tickVersions)) {
        if (version > last)
            break;
        values.append(int(indexOfVersion(version)));
    }
    m_slider->setTicks(values, QColor(0xd3, 0x54, 0x00));
}

void ReplayBar::addTool(QAction *action)
{
    auto *b = new QToolButton(this);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus);
    m_controls->insertWidget(m_controls->indexOf(m_speed), b);
}

void ReplayBar::appendEvents(const QVector<qint64> &versions, const QVector<qint64> &times)
{
    if (!isStreamMode() || versions.isEmpty())
        return;
    m_versions += versions;
    m_times += times;
    const QSignalBlocker block(m_slider);
    m_slider->setMaximum(int(m_versions.size()) - 1);
    if (!m_tickVersions.isEmpty())
        placeTicks();
    updateLabel();
}

void ReplayBar::setTimeRange(qint64 startMs, qint64 endMs)
{
    m_stream.clear();
    m_versions.clear();
    m_times.clear();
    dropSnapshots();
    // A range with one end missing is the end it has.
    m_startMs = startMs == NoTime ? endMs : startMs;
    m_endMs = endMs == NoTime ? startMs : endMs;
    if (m_endMs < m_startMs)
        std::swap(m_startMs, m_endMs);
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, TimeSteps);
    m_slider->setValue(TimeSteps);
    setEnabled(startMs != NoTime);
    updateLabel();
}

void ReplayBar::clear()
{
    if (isPlaying())
        togglePlay();
    m_stream.clear();
    m_versions.clear();
    m_times.clear();
    dropSnapshots();
    m_tickVersions.clear();
    placeTicks();
    m_startMs = m_endMs = NoTime;
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, 0);
    setEnabled(false);
    m_label->setText(tr("Open a store to replay it"));
}

void ReplayBar::setSnapshots(const QVector<StoredSnapshot> &snapshots)
{
    m_snapshots = isStreamMode() ? snapshots : QVector<StoredSnapshot>();
    QVector<int> values;
    QStringList tips;
    for (const StoredSnapshot &s : std::as_const(m_snapshots)) {
        values << int(indexOfVersion(s.version));
        tips << (s.timeMs == NoTime ? tr("Stored snapshot at version %1").arg(s.version)
                                    : tr("Stored snapshot at version %1 (%2)")
                                          .arg(s.version)
                                          .arg(TimeCodec::format(s.timeMs)));
    }
    m_slider->setMarks(values, tips);
    m_compareAction->setEnabled(!m_snapshots.isEmpty());
    updateLabel();
}

void ReplayBar::dropSnapshots()
{
    m_snapshots.clear();
    m_slider->setMarks({}, {});
    m_compareAction->setEnabled(false);
}

QSlider *ReplayBar::slider() const
{
    return m_slider;
}

QRect ReplayBar::snapshotMarkRect(int snapshot) const
{
    return m_slider->markRect(snapshot);
}

int ReplayBar::currentSnapshot() const
{
    if (m_snapshots.isEmpty())
        return -1;
    const qint64 i = index();
    if (i < 0)
        return 0;
    const auto it = std::upper_bound(
        m_snapshots.cbegin(), m_snapshots.cend(), m_versions.at(i),
        [](qint64 version, const StoredSnapshot &s) { return version < s.version; });
    return it == m_snapshots.cbegin() ? 0 : int(it - m_snapshots.cbegin()) - 1;
}

void ReplayBar::goToSnapshot(int snapshot)
{
    if (snapshot >= 0 && snapshot < m_snapshots.size())
        m_slider->setValue(int(indexOfVersion(m_snapshots.at(snapshot).version)));
}

qint64 ReplayBar::indexOfVersion(qint64 version) const
{
    return qint64(std::upper_bound(m_versions.cbegin(), m_versions.cend(), version) -
                  m_versions.cbegin()) -
           1;
}

void ReplayBar::showSnapshotMenu(int snapshot, QPoint globalPos)
{
    const StoredSnapshot s = m_snapshots.value(snapshot);
    QMenu menu(this);
    menu.addAction(tr("Go to Version %1").arg(s.version), this,
                   [this, snapshot] { goToSnapshot(snapshot); });
    menu.addAction(tr("Compare with Replay…"), this, [this, s] { emit compareRequested(s); });
    menu.exec(globalPos);
}

qint64 ReplayBar::index() const
{
    return isStreamMode() ? m_slider->value() : -1;
}

qint64 ReplayBar::playheadMs() const
{
    if (isStreamMode()) {
        const int i = m_slider->value();
        if (i >= 0)
            return m_times.at(i);
        const qint64 first = m_times.isEmpty() ? NoTime : m_times.constFirst();
        return first == NoTime ? NoTime : first - 1; // just before the first event
    }
    if (m_startMs == NoTime)
        return NoTime;
    // In two parts, so that a span of millennia times the steps cannot overflow.
    const qint64 span = m_endMs - m_startMs;
    const int step = m_slider->value();
    return m_startMs + span / TimeSteps * step + span % TimeSteps * step / TimeSteps;
}

void ReplayBar::setIndex(qint64 index)
{
    m_slider->setValue(int(index));
}

void ReplayBar::stepBack()
{
    m_slider->setValue(m_slider->value() - 1);
}

void ReplayBar::stepForward()
{
    m_slider->setValue(m_slider->value() + 1);
}

void ReplayBar::jumpToStart()
{
    m_slider->setValue(m_slider->minimum());
}

void ReplayBar::jumpToEnd()
{
    m_slider->setValue(m_slider->maximum());
}

void ReplayBar::togglePlay()
{
    if (m_timer.isActive()) {
        m_timer.stop();
    } else if (isEnabled()) {
        if (m_slider->value() >= m_slider->maximum())
            m_slider->setValue(m_slider->minimum()); // play again from the start
        m_timer.start();
    }
    m_play->setIcon(Icons::icon(m_timer.isActive() ? Icons::Pause : Icons::Play));
    m_play->setToolTip(m_timer.isActive() ? tr("Pause (Space)") : tr("Play (Space)"));
}

void ReplayBar::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Space:
        togglePlay();
        return;
    case Qt::Key_Left:
        stepBack();
        return;
    case Qt::Key_Right:
        stepForward();
        return;
    case Qt::Key_Home:
        jumpToStart();
        return;
    case Qt::Key_End:
        jumpToEnd();
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void ReplayBar::onSliderMoved(int)
{
    updateLabel();
    if (isStreamMode())
        emit indexChanged(m_slider->value());
    emit playheadChanged(playheadMs());
}

void ReplayBar::updateLabel()
{
    if (isStreamMode()) {
        const int i = m_slider->value();
        const QString stream = elidedName(m_stream);
        m_label->setText(i < 0 ? tr("%1: before the first event").arg(stream)
                               : tr("%1 v%2 · %3 of %4 · %5")
                                     .arg(stream)
                                     .arg(m_versions.at(i))
                                     .arg(i + 1)
                                     .arg(m_versions.size())
                                     .arg(TimeCodec::format(m_times.at(i))));
        const int snapshot = currentSnapshot();
        if (i >= 0 && snapshot >= 0 && m_snapshots.at(snapshot).version == m_versions.at(i))
            m_label->setText(m_label->text() + tr(" · snapshot stored"));
    } else if (m_startMs != NoTime) {
        m_label->setText(tr("Whole store · %1").arg(TimeCodec::format(playheadMs())));
    }
}

void ReplayBar::updateSpeed()
{
    m_timer.setInterval(1000 / qMax(1, m_speed->currentData().toInt()));
}

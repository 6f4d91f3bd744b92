#pragma once

// The replay controls: a slider over the selected stream's events (or, with no stream, over
// the store's time range), step and jump buttons, play/pause with a speed, and the keys
// Left/Right, Home/End and Space. The snapshots a library stored for the stream are marks on
// the slider: a click goes to one, its menu asks for a comparison with the replay. It only
// says where the user wants to be; the window asks the replay engine for the state there.

#include "core/event.h"

#include <QTimer>
#include <QVector>
#include <QWidget>

class QAction;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QSlider;
class QToolButton;
class ReplaySlider;

class ReplayBar : public QWidget
{
    Q_OBJECT

public:
    explicit ReplayBar(QWidget *parent = nullptr);

    // Over a stream: one step per event; index -1 is before the first event.
    void setStream(const QString &stream, const QVector<qint64> &versions,
                   const QVector<qint64> &times);
    // The stream's next events, as its replay loads: the slider reaches further, and stays
    // where it stands.
    void appendEvents(const QVector<qint64> &versions, const QVector<qint64> &times);
    // Over the store's time range, when no stream is selected.
    void setTimeRange(qint64 startMs, qint64 endMs);
    // The stream's stored snapshots, in version order; setStream and the others clear them.
    void setSnapshots(const QVector<StoredSnapshot> &snapshots);
    // Events of the stream found by a question (a field's changes), as ticks under the
    // slider; they stay while the same stream reloads and go with another stream.
    void setTicks(const QVector<qint64> &versions);
    // A button for an action of another part (e.g. pinning a diff cursor), before the speed.
    void addTool(QAction *action);
    void clear();

    bool isStreamMode() const { return !m_versions.isEmpty(); }
    qint64 index() const;      // stream mode: the event index
    qint64 playheadMs() const; // the time the slider stands for (NoTime when nothing)
    bool isPlaying() const { return m_timer.isActive(); }
    QSlider *slider() const;
    // Replay ▸ Compare with Stored Snapshot (Ctrl+Shift+S): enabled while there are snapshots.
    QAction *compareAction() const { return m_compareAction; }
    const QVector<StoredSnapshot> &snapshots() const { return m_snapshots; }
    QRect snapshotMarkRect(int snapshot) const; // in the slider's coordinates
    // What a comparison takes: the last snapshot at or before the position, else the first;
    // -1 when there is none.
    int currentSnapshot() const;

public slots:
    void setIndex(qint64 index);
    void stepBack();
    void stepForward();
    void jumpToStart();
    void jumpToEnd();
    void togglePlay();
    void goToSnapshot(int snapshot);

signals:
    void indexChanged(qint64 index); // stream mode
    void playheadChanged(qint64 ms);
    void compareRequested(const StoredSnapshot &snapshot);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void onSliderMoved(int value);
    void updateLabel();
    void updateSpeed();
    void dropSnapshots();
    qint64 indexOfVersion(qint64 version) const; // the last event at or before it
    void showSnapshotMenu(int snapshot, QPoint globalPos);

    static constexpr int TimeSteps = 1000;

    QString m_stream;
    QVector<qint64> m_versions;
    QVector<qint64> m_times;
    QVector<StoredSnapshot> m_snapshots;
    qint64 m_startMs = NoTime;
    qint64 m_endMs = NoTime;
    QTimer m_timer;
    QToolButton *m_start;
    QToolButton *m_back;
    QToolButton *m_play;
    QToolButton *m_forward;
    QToolButton *m_end;
    ReplaySlider *m_slider;
    QLabel *m_label;
    QComboBox *m_speed;
    QAction *m_compareAction;
    QHBoxLayout *m_controls;
    QVector<qint64> m_tickVersions;
    void placeTicks();
};

#pragma once

// Side by side: the states of two to four streams at one time (the replay's cursor), in
// columns, one row per field of any of them; a row whose values differ across the streams
// is highlighted.

#include "questionpanel.h"
#include "replay/replayengine.h"

class QLineEdit;
class QPushButton;
class QTreeWidget;

class SideBySideView : public QuestionPanel
{
    Q_OBJECT

public:
    static constexpr int MaxStreams = 4;

    explicit SideBySideView(QWidget *parent = nullptr);

    // The streams chosen, when they are two to four; empty otherwise.
    QStringList streams() const;
    QLineEdit *streamsEdit() const { return m_streams; }
    QPushButton *addButton() const { return m_add; }
    void setReplayedStream(const QString &stream); // what "Add" adds

    void showPending(const QString &what);
    void setStates(qint64 timeMs, const QVector<ReplayState> &states);

    QTreeWidget *table() const { return m_table; }
    // The rows highlighted as differing, by path.
    QStringList differingPaths() const;

signals:
    void streamsChanged();

private:
    QLineEdit *m_streams;
    QPushButton *m_add;
    QTreeWidget *m_table;
    QString m_replayed;
};

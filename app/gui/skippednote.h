#pragma once

// The status bar's note of what the window leaves out, and why, as the CLI says it: events
// without a valid time are on no timeline or chart; events of the replayed stream without a
// version are not replayed (counted on the worker when its replay has loaded).

#include <QLabel>

class StoreSession;

class SkippedNote : public QLabel
{
    Q_OBJECT

public:
    SkippedNote(StoreSession *session, QWidget *parent);

    void setEventsWithoutTime(qint64 count); // of the open store
    void follow(const QString &stream);      // the replayed stream (empty: none)
    void clear();                            // the store went

private:
    void showNotes();

    qint64 m_eventsWithoutTime = 0;
    QString m_stream;
    qint64 m_streamWithoutVersion = 0; // of m_stream, as replaySkipped() counted them
};

#include "skippednote.h"

#include "elidedtext.h"
#include "session/storesession.h"

#include <QLocale>

using namespace Qt::StringLiterals;

SkippedNote::SkippedNote(StoreSession *session, QWidget *parent) : QLabel(parent)
{
    setObjectName(u"skippedNote"_s);
    setTextFormat(Qt::PlainText);
    hide();
    connect(session, &StoreSession::replaySkipped, this,
            [this](const QString &stream, qint64 eventsWithoutVersion) {
                if (stream != m_stream)
                    return;
                m_streamWithoutVersion = eventsWithoutVersion;
                showNotes();
            });
}

void SkippedNote::setEventsWithoutTime(qint64 count)
{
    m_eventsWithoutTime = count;
    showNotes();
}

void SkippedNote::follow(const QString &stream)
{
    m_stream = stream;
    m_streamWithoutVersion = 0;
    showNotes();
}

void SkippedNote::clear()
{
    m_eventsWithoutTime = 0;
    follow(QString());
}

void SkippedNote::showNotes()
{
    const auto number = [](qint64 n) {
        return QLocale().toString(n);
    };
    QStringList notes;
    if (m_eventsWithoutTime > 0)
        notes << tr("%1 event(s) have no valid time (NULL, or not a date such as 2026-02-30) "
                    "and are on no timeline or chart")
                     .arg(number(m_eventsWithoutTime));
    if (m_streamWithoutVersion > 0)
        notes << tr("%1 event(s) of %2 have no version (NULL, or the lowest 64-bit integer) and "
                    "are not replayed")
                     .arg(number(m_streamWithoutVersion), elidedName(m_stream));
    else if (m_streamWithoutVersion < 0)
        notes << tr("The events of %1 without a version could not be counted")
                     .arg(elidedName(m_stream));
    setText(notes.join(u" · "_s));
    setVisible(!notes.isEmpty());
}

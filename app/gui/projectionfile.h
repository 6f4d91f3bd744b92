#pragma once

// Replay ▸ Projection: the projection file the window folds with. It is read when loaded and
// again whenever it changes on disk (QFileSystemWatcher; editors that save by replacing the
// file are followed too); a file that does not parse keeps the last good projection and says
// why, with the line of the text where the problem is.

#include "replay/projection.h"

#include <QFileSystemWatcher>
#include <QObject>

class ProjectionFile : public QObject
{
    Q_OBJECT

public:
    explicit ProjectionFile(QObject *parent = nullptr);

    // True when the file was read; else error() says why and the projection stays as it was.
    bool load(const QString &path);
    bool reload();
    void clear(); // back to the default merge

    const Projection &projection() const { return m_projection; }
    QString path() const { return m_path; }
    QString error() const { return m_error; }

    // "line L: message" for a problem in a file's text (where its JSON stops being valid, or
    // the line of the event type whose operations are wrong); the message alone when neither.
    static QString withLine(const QByteArray &text, const Projection::Problem &problem);

signals:
    void changed(); // the projection to fold with is another
    void failed(const QString &error);

private:
    QFileSystemWatcher m_watcher;
    Projection m_projection;
    QString m_path;
    QString m_error;
};

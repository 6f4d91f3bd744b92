#include "projectionfile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

ProjectionFile::ProjectionFile(QObject *parent) : QObject(parent)
{
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, [this] {
        // An editor that saves by renaming a new file over the old one ends the watch.
        if (!m_path.isEmpty() && !m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
            m_watcher.addPath(m_path);
        reload();
    });
}

bool ProjectionFile::load(const QString &path)
{
    if (!m_path.isEmpty())
        m_watcher.removePath(m_path);
    m_path = path;
    m_watcher.addPath(path);
    return reload();
}

bool ProjectionFile::reload()
{
    if (m_path.isEmpty())
        return false;
    QString error;
    Projection::Problem problem;
    std::optional<Projection> projection = Projection::fromFile(m_path, &error, &problem);
    if (!projection) {
        // The window shows the file's name beside the error already: a problem in its text
        // is given by its line instead.
        if (problem.message.isEmpty()) {
            m_error = error; // the file could not be read
        } else {
            QFile file(m_path);
            m_error = withLine(file.open(QIODevice::ReadOnly) ? file.read(Projection::MaxFileBytes)
                                                              : QByteArray(),
                               problem);
        }
        emit failed(m_error);
        return false;
    }
    m_error.clear();
    m_projection = *std::move(projection);
    emit changed();
    return true;
}

void ProjectionFile::clear()
{
    if (!m_path.isEmpty())
        m_watcher.removePath(m_path);
    m_path.clear();
    m_error.clear();
    m_projection = Projection();
    emit changed();
}

QString ProjectionFile::withLine(const QByteArray &text, const Projection::Problem &problem)
{
    const auto line = [&problem](const QByteArray &before) {
        return u"line %1: %2"_s.arg(before.count('\n') + 1).arg(problem.message);
    };
    if (problem.offset >= 0)
        return line(text.left(qBound<qsizetype>(0, problem.offset, text.size())));
    if (!problem.type.isEmpty()) {
        // The line of the type's key; QJsonDocument keeps no places, so it is looked for.
        const QJsonDocument quoted(QJsonArray{problem.type});
        const QByteArray key = quoted.toJson(QJsonDocument::Compact).mid(1).chopped(1);
        const QRegularExpression keyed(QRegularExpression::escape(QString::fromUtf8(key)) +
                                       u"\\s*:"_s);
        const QString whole = QString::fromUtf8(text);
        if (const auto k = keyed.match(whole); k.hasMatch())
            return line(whole.left(k.capturedStart()).toUtf8());
    }
    return problem.message;
}

#include "projectionfile.h"

#include <QFile>
#include <QFileInfo>
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
    std::optional<Projection> projection = Projection::fromFile(m_path, &error);
    if (!projection) {
        QFile file(m_path);
        const QByteArray text =
            file.open(QIODevice::ReadOnly) ? file.read(Projection::MaxFileBytes) : QByteArray();
        // fromFile names the file first; the window shows its name beside the error already.
        if (error.startsWith(m_path + u": "_s))
            error = error.mid(m_path.size() + 2);
        m_error = withLine(text, error);
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

QString ProjectionFile::withLine(const QByteArray &text, const QString &message)
{
    const auto lineAt = [&text](qsizetype offset) {
        return text.left(qBound<qsizetype>(0, offset, text.size())).count('\n') + 1;
    };
    static const QRegularExpression offset(u"at offset (\\d+)$"_s);
    if (const auto m = offset.match(message); m.hasMatch()) {
        QString rest = message.left(m.capturedStart()).trimmed();
        return u"line %1: %2"_s.arg(lineAt(m.captured(1).toLongLong())).arg(rest);
    }
    // "type \"Name\": ..." names the list of operations in error: the line of its key.
    static const QRegularExpression type(u"^type \"((?:[^\"\\\\]|\\\\.)*)\""_s);
    if (const auto m = type.match(message); m.hasMatch()) {
        const QByteArray key = '"' + m.captured(1).toUtf8() + '"';
        const QRegularExpression keyed(QRegularExpression::escape(QString::fromUtf8(key)) +
                                       u"\\s*:"_s);
        const QString whole = QString::fromUtf8(text);
        if (const auto k = keyed.match(whole); k.hasMatch())
            return u"line %1: %2"_s.arg(whole.left(k.capturedStart()).count(u'\n') + 1)
                .arg(message);
    }
    return message;
}

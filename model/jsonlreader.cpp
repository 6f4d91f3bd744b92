#include "jsonlreader.h"

#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MaxLineBytes = 16 * 1024 * 1024;

bool isBlank(const QByteArray &line)
{
    return std::all_of(line.cbegin(), line.cend(), [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    });
}

} // namespace

bool JsonlReader::next(ImportRecord *record)
{
    QByteArray line;
    bool tooLarge = false;
    while (readLine(&line, &tooLarge)) {
        ++m_line;
        if (!tooLarge && isBlank(line))
            continue;
        *record = ImportRecord();
        record->line = m_line;
        if (tooLarge) {
            record->error = u"line too large (over %1 MiB)"_s.arg(MaxLineBytes >> 20);
            return true;
        }
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            record->error = u"not JSON: %1 at offset %2"_s.arg(parseError.errorString(),
                                                               QString::number(parseError.offset));
        else if (!document.isObject())
            record->error = u"not a JSON object"_s;
        else
            record->fields = document.object();
        return true;
    }
    return false;
}

// The line without its line break, as a view into m_buffer. A line longer than the limit is
// skipped to its end without being kept.
bool JsonlReader::readLine(QByteArray *line, bool *tooLarge)
{
    if (m_file.atEnd())
        return false;
    if (m_buffer.isEmpty())
        m_buffer = QByteArray(MaxLineBytes + 4, Qt::Uninitialized);
    qint64 length = m_file.readLine(m_buffer.data(), m_buffer.size());
    if (length < 0)
        return fail(u"cannot read %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
    if (length == 0)
        return false;
    const auto complete = [&] {
        return m_buffer.at(length - 1) == '\n' || m_file.atEnd();
    };
    *tooLarge = !complete();
    if (*tooLarge) {
        while (length > 0 && !complete())
            length = m_file.readLine(m_buffer.data(), m_buffer.size());
        return true;
    }
    while (length > 0 && (m_buffer.at(length - 1) == '\n' || m_buffer.at(length - 1) == '\r'))
        --length;
    *tooLarge = length > MaxLineBytes;
    *line = QByteArray::fromRawData(m_buffer.constData(), length);
    return true;
}

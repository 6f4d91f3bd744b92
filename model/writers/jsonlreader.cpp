#include "writers/jsonlreader.h"

#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MaxLineBytes = 16 * 1024 * 1024;
constexpr qint64 ChunkBytes = 256 * 1024;

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

// A line is gathered chunk by chunk up to its line end; past the limit its bytes are skipped.
bool JsonlReader::readLine(QByteArray *line, bool *tooLarge)
{
    m_lineBuffer.resize(0);
    *tooLarge = false;
    bool started = false;
    for (;;) {
        if (m_at == m_chunk.size() && !readChunk()) {
            // The end of the file (or a read error, which next()'s caller sees): a last line
            // without a line end is still a line.
            *line = QByteArray::fromRawData(m_lineBuffer.constData(), m_lineBuffer.size());
            return started && errorString().isEmpty();
        }
        if (m_afterCr) {
            m_afterCr = false;
            if (m_chunk.at(m_at) == '\n') {
                ++m_at;
                continue;
            }
        }
        started = true;
        const char *begin = m_chunk.constData() + m_at;
        const char *end = m_chunk.constData() + m_chunk.size();
        const char *stop = std::find_if(begin, end, [](char c) { return c == '\n' || c == '\r'; });
        if (!*tooLarge && m_lineBuffer.size() + (stop - begin) <= MaxLineBytes) {
            m_lineBuffer.append(begin, stop - begin);
        } else {
            *tooLarge = true;
            m_lineBuffer.resize(0);
        }
        m_at += stop - begin;
        if (stop != end) {
            m_afterCr = *stop == '\r';
            ++m_at;
            *line = QByteArray::fromRawData(m_lineBuffer.constData(), m_lineBuffer.size());
            return true;
        }
    }
}

bool JsonlReader::readChunk()
{
    m_chunk.resize(ChunkBytes);
    const qint64 read = m_file.read(m_chunk.data(), ChunkBytes);
    if (read < 0)
        fail(u"cannot read %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
    m_chunk.resize(qMax<qint64>(read, 0));
    m_at = 0;
    return !m_chunk.isEmpty();
}

qint64 JsonlReader::bytesRead() const
{
    return m_file.pos() - (m_chunk.size() - m_at);
}

#include "writers/csvreader.h"

#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype MaxRecordBytes = 16 * 1024 * 1024;
constexpr qint64 ChunkBytes = 256 * 1024;

} // namespace

bool CsvReader::start()
{
    if (!ImportReader::start())
        return false;
    chooseDelimiter();
    Row header;
    if (!readRow(&header))
        return errorString().isEmpty(); // an empty file: no events
    if (!header.error.isEmpty())
        return fail(
            u"%1: the header row cannot be read: %2"_s.arg(m_file.fileName(), header.error));
    for (const Cell &cell : std::as_const(header.cells))
        m_header << QString::fromUtf8(cell.text).trimmed();
    return true;
}

// Counted over the first line only: a comma inside a payload further down says nothing.
void CsvReader::chooseDelimiter()
{
    const QByteArray head = m_file.peek(ChunkBytes);
    const QByteArrayView first = splitLines(head).constFirst();
    qsizetype most = first.count(',');
    for (const char candidate : {';', '\t'}) {
        if (first.count(candidate) > most) {
            most = first.count(candidate);
            m_delimiter = candidate;
        }
    }
}

bool CsvReader::next(ImportRecord *record)
{
    while (readRow(&m_row)) {
        // A blank line is one empty unquoted cell.
        if (m_row.error.isEmpty() && m_row.cells.size() == 1 && !m_row.cells[0].quoted &&
            m_row.cells[0].text.isEmpty())
            continue;
        *record = ImportRecord();
        record->line = m_row.line;
        record->error = m_row.error;
        if (record->error.isEmpty() && m_row.cells.size() != m_header.size())
            record->error =
                u"%1 fields where the header has %2"_s.arg(m_row.cells.size()).arg(m_header.size());
        if (!record->error.isEmpty())
            return true;
        for (qsizetype i = 0; i < m_header.size(); ++i) {
            const Cell &cell = m_row.cells.at(i);
            // Converting would put U+FFFD in place of the bad bytes: a changed value.
            if (!QByteArrayView(cell.text).isValidUtf8()) {
                *record = ImportRecord();
                record->line = m_row.line;
                record->error = u"field %1 is not UTF-8 text"_s.arg(m_header.at(i));
                return true;
            }
            record->fields.insert(m_header.at(i), cell.quoted || !cell.text.isEmpty()
                                                      ? QJsonValue(QString::fromUtf8(cell.text))
                                                      : QJsonValue(QJsonValue::Null));
        }
        return true;
    }
    return false;
}

qint64 CsvReader::bytesRead() const
{
    return m_file.pos() - (m_buffer.size() - m_at);
}

bool CsvReader::readRow(Row *row)
{
    enum class State { FieldStart, Unquoted, Quoted, QuoteInQuoted };
    State state = State::FieldStart;
    row->line = m_line;
    row->cells.clear();
    row->error.clear();
    Cell cell;
    qsizetype bytes = 0;
    bool any = false;
    const auto endCell = [&] {
        row->cells.append(cell);
        cell = Cell();
        state = State::FieldStart;
    };
    const auto append = [&](char c) {
        if (++bytes > MaxRecordBytes) {
            if (row->error.isEmpty())
                row->error = u"record too large (over %1 MiB)"_s.arg(MaxRecordBytes >> 20);
            return;
        }
        cell.text.append(c);
    };

    char c;
    while (nextByte(&c)) {
        // Lines end with LF, CRLF or a lone CR; a CRLF counts once.
        const bool lfAfterCr = c == '\n' && m_previous == '\r';
        m_previous = c;
        if (c == '\r' || (c == '\n' && !lfAfterCr))
            ++m_line;
        if (state == State::Quoted) {
            any = true;
            if (c == '"')
                state = State::QuoteInQuoted;
            else
                append(c); // line ends inside quotes are kept as they are
            continue;
        }
        if (lfAfterCr)
            continue; // the CR ended the row
        any = true;
        if (state == State::QuoteInQuoted && c == '"') {
            append(c); // a doubled quote
            state = State::Quoted;
            continue;
        }
        if (c == m_delimiter) {
            endCell();
            continue;
        }
        if (c == '\n' || c == '\r') {
            endCell();
            return true;
        }
        if (state == State::FieldStart && c == '"') {
            cell.quoted = true;
            state = State::Quoted;
            continue;
        }
        if (state == State::QuoteInQuoted && row->error.isEmpty())
            row->error = u"text after the closing quote of field %1"_s.arg(row->cells.size() + 1);
        append(c);
        state = State::Unquoted;
    }
    if (!errorString().isEmpty() || !any)
        return false;
    if (state == State::Quoted)
        row->error = u"a quoted field is not closed before the end of the file"_s;
    endCell();
    return true;
}

bool CsvReader::nextByte(char *c)
{
    if (m_at == m_buffer.size()) {
        m_buffer.resize(ChunkBytes);
        const qint64 read = m_file.read(m_buffer.data(), ChunkBytes);
        if (read < 0)
            fail(u"cannot read %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
        m_buffer.resize(qMax<qint64>(read, 0));
        m_at = 0;
        if (m_buffer.isEmpty())
            return false;
    }
    *c = m_buffer.at(m_at++);
    return true;
}

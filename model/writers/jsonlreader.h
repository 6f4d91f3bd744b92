#pragma once

// Reads JSON Lines: one JSON object per line, blank lines skipped. Lines end with LF, CRLF or
// a lone CR. A line longer than 16 MiB is rejected without being kept in memory.

#include "writers/importreader.h"

#include <QByteArray>

class JsonlReader : public ImportReader
{
public:
    explicit JsonlReader(const QString &path) : ImportReader(path) {}

    bool next(ImportRecord *record) override;
    ImportFormat format() const override { return ImportFormat::Jsonl; }
    qint64 bytesRead() const override;

private:
    // The next line without its line end, valid until the next call; false at the end.
    bool readLine(QByteArray *line, bool *tooLarge);
    bool readChunk();

    qint64 m_line = 0;
    QByteArray m_chunk; // read from the file, consumed from m_at
    qsizetype m_at = 0;
    bool m_afterCr = false;  // the last line ended with a CR: an LF right after it is its end too
    QByteArray m_lineBuffer; // reused for every line, so that it keeps its capacity
};

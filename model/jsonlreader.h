#pragma once

// Reads JSON Lines: one JSON object per line, blank lines skipped. A line longer than 16 MiB
// is rejected without being kept in memory.

#include "importreader.h"

#include <QByteArray>

class JsonlReader : public ImportReader
{
public:
    explicit JsonlReader(const QString &path) : ImportReader(path) {}

    bool next(ImportRecord *record) override;
    ImportFormat format() const override { return ImportFormat::Jsonl; }

private:
    bool readLine(QByteArray *line, bool *tooLarge);

    qint64 m_line = 0;
    // One buffer for all lines; a line that does not fit is too large anyway.
    QByteArray m_buffer;
};

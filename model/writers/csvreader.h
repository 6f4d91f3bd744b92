#pragma once

// Reads CSV with a header row (RFC 4180): quoted fields may hold the delimiter, doubled
// quotes and line breaks, so a record may span lines; its record starts on the line where it
// begins. The delimiter is a comma, or a semicolon or tab when the header has more of those.
// The header names the fields; an empty unquoted cell is null (how PostgreSQL's COPY writes
// NULL), a quoted one the empty string.

#include "writers/importreader.h"

#include <QByteArray>
#include <QStringList>
#include <QVector>

class CsvReader : public ImportReader
{
public:
    explicit CsvReader(const QString &path) : ImportReader(path) {}

    bool next(ImportRecord *record) override;
    ImportFormat format() const override { return ImportFormat::Csv; }
    qint64 bytesRead() const override;

protected:
    bool start() override;

private:
    struct Cell
    {
        QByteArray text;
        bool quoted = false;
    };
    struct Row
    {
        qint64 line = 0;
        QVector<Cell> cells;
        QString error;
    };

    bool readRow(Row *row); // false at the end of the input
    bool nextByte(char *c);
    void chooseDelimiter();

    QStringList m_header;
    char m_delimiter = ',';
    qint64 m_line = 1;   // of the next byte
    char m_previous = 0; // the byte before the next one, to read CRLF as one line end
    QByteArray m_buffer;
    qsizetype m_at = 0;
    Row m_row; // reused, so that its cells keep their capacity
};

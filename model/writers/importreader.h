#pragma once

// Reads an import file as records, one per event: the event's fields by the names the file
// gives them, and the line the event starts on. A record the reader cannot make out carries
// the reason instead, and reading goes on. One reader per format (JsonlReader, AtomReader,
// CsvReader); open() picks it by the file's content unless told which. EventImporter makes
// events of the records.

#include <QByteArrayView>
#include <QFile>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

enum class ImportFormat { Detect, Jsonl, Atom, Csv };

struct ImportRecord
{
    qint64 line = 0;
    // JSON values as the file has them; a CSV cell is a string, or null when empty unquoted.
    QJsonObject fields;
    QString error; // why the record cannot be read; empty for a good one
};

class ImportReader
{
public:
    virtual ~ImportReader() = default;
    ImportReader(const ImportReader &) = delete;
    ImportReader &operator=(const ImportReader &) = delete;

    // Null (with error) when the file cannot be opened or read as the format.
    static std::unique_ptr<ImportReader> open(const QString &path, ImportFormat format,
                                              QString *error);
    static QString formatName(ImportFormat format); // jsonl, atom, csv
    static bool parseFormatName(const QString &name, ImportFormat *format);
    // Files come with any of the three line ends: LF, CRLF and (old Mac tools) a lone CR.
    // The lines of text without their line ends, and how many line ends it holds.
    static QList<QByteArrayView> splitLines(QByteArrayView text);
    static qint64 countLineEnds(QByteArrayView text);

    // The next record; false at the end of the input, or on a read error (errorString()).
    virtual bool next(ImportRecord *record) = 0;
    virtual ImportFormat format() const = 0;
    // How far reading has come, in bytes of size().
    virtual qint64 bytesRead() const { return m_file.pos(); }
    qint64 size() const { return m_file.size(); }
    QString errorString() const { return m_error; }

protected:
    explicit ImportReader(const QString &path) : m_file(path) {}
    // Opens the file and steps over its UTF-8 byte order marks (a file converted twice starts
    // with two).
    virtual bool start();
    bool fail(const QString &message);

    QFile m_file;

private:
    QString m_error;
};

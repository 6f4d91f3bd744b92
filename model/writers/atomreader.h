#pragma once

// Reads KurrentDB / EventStoreDB Atom JSON pages (GET /streams/NAME?embed=body): a page, a
// JSON array of pages, one page per line, or pages one after the other. A page lists its entries
// newest first, and pages may come in any order, so all entries are read and put in ascending order
// before the first is handed out: by positionEventNumber within positionStreamId where an entry has
// them (the order of the stream that was read, which for a category or projection stream
// interleaves the events' own streams), else by eventNumber within streamId; streams in the order
// they first appear.

#include "writers/importreader.h"

#include <QHash>
#include <QVector>

class AtomReader : public ImportReader
{
public:
    explicit AtomReader(const QString &path) : ImportReader(path) {}

    bool next(ImportRecord *record) override;
    ImportFormat format() const override { return ImportFormat::Atom; }
    qint64 bytesRead() const override;

protected:
    bool start() override;

private:
    struct Entry
    {
        ImportRecord record;
        qsizetype stream = 0; // order of first appearance
        qint64 number = 0;
    };

    // JSON documents one after the other, each a page or an array of pages, starting on line.
    // entryLines: the line of each entry, in order; empty when all are on their page's line.
    void addDocuments(const QByteArray &json, qint64 line, const QVector<qint64> &entryLines);
    void addPage(const QJsonValue &page, qint64 line, const QVector<qint64> &entryLines,
                 qsizetype *entryIndex);
    void addEntry(const QJsonValue &entry, qint64 line);
    void addError(qint64 line, const QString &error);

    QVector<Entry> m_entries;
    QHash<QString, qsizetype> m_streams; // order of first appearance
    qsizetype m_next = 0;
};

#include "writers/atomreader.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

const QString EntriesKey = u"entries"_s;

// The line each element of a page's "entries" array starts on, in document order. Pages are
// the document or the elements of a top-level array; an "entries" key deeper down (inside an
// event's data) is not a page's.
QVector<qint64> entryLines(const QByteArray &json, qint64 line)
{
    struct Level
    {
        char kind;
        QByteArray key; // objects: the last key read
        bool expectKey = false;
        bool entries = false; // arrays: a page's entries
    };
    QVector<Level> stack;
    QVector<qint64> lines;
    bool elementDue = false; // in an entries array, after '[' or ','
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json.at(i);
        if (c == '\r' || (c == '\n' && (i == 0 || json.at(i - 1) != '\r')))
            ++line;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (elementDue && c != ']')
            lines << line;
        elementDue = false;
        switch (c) {
        case '"': {
            const qsizetype start = i + 1;
            for (++i; i < json.size() && json.at(i) != '"'; ++i) {
                if (json.at(i) == '\\')
                    ++i;
            }
            if (!stack.isEmpty() && stack.last().kind == '{' && stack.last().expectKey) {
                stack.last().key = json.mid(start, i - start);
                stack.last().expectKey = false;
            }
            break;
        }
        case '{':
            stack.append({'{', {}, true, false});
            break;
        case '[': {
            const bool pageLevel =
                stack.size() == 1 || (stack.size() == 2 && stack.constFirst().kind == '[');
            const bool entries =
                pageLevel && stack.last().kind == '{' && stack.last().key == EntriesKey.toLatin1();
            stack.append({'[', {}, false, entries});
            elementDue = entries;
            break;
        }
        case '}':
        case ']':
            if (!stack.isEmpty())
                stack.removeLast();
            break;
        case ',':
            if (!stack.isEmpty()) {
                stack.last().expectKey = stack.last().kind == '{';
                elementDue = stack.last().entries;
            }
            break;
        default:
            break;
        }
    }
    return lines;
}

qint64 integer(const QJsonValue &value)
{
    return value.isDouble() ? value.toInteger(std::numeric_limits<qint64>::max())
                            : std::numeric_limits<qint64>::max();
}

} // namespace

bool AtomReader::start()
{
    if (!ImportReader::start())
        return false;
    const QByteArray content = m_file.readAll();
    if (m_file.error() != QFileDevice::NoError)
        return fail(u"cannot read %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));

    // Pages one per line, when the first line is a whole JSON value, so that a bad line
    // spoils only itself; else documents one after the other, as appending pages to a file
    // leaves them.
    const QList<QByteArrayView> lines = splitLines(content);
    qsizetype first = 0;
    while (first < lines.size() && lines.at(first).trimmed().isEmpty())
        ++first;
    if (first < lines.size() && !QJsonDocument::fromJson(lines.at(first).toByteArray()).isNull()) {
        for (qsizetype i = first; i < lines.size(); ++i)
            addDocuments(lines.at(i).toByteArray(), i + 1, {});
    } else {
        addDocuments(content, 1, entryLines(content, 1));
    }

    std::stable_sort(m_entries.begin(), m_entries.end(), [](const Entry &a, const Entry &b) {
        return std::pair(a.stream, a.number) < std::pair(b.stream, b.number);
    });
    return true;
}

void AtomReader::addDocuments(const QByteArray &json, qint64 line,
                              const QVector<qint64> &entryLines)
{
    qsizetype entryIndex = 0;
    qsizetype counted = 0; // line breaks before here are counted into line
    const auto lineAt = [&](qsizetype offset) {
        line += countLineEnds(QByteArrayView(json.constData() + counted, offset - counted));
        counted = offset;
        return line;
    };
    for (qsizetype at = 0;;) {
        while (at < json.size() && QChar::isSpace(uchar(json.at(at))))
            ++at;
        if (at == json.size())
            return;
        // Parsing stops after the first document and says where: that is its end.
        QJsonParseError parseError;
        qsizetype length = json.size() - at;
        QJsonDocument document = QJsonDocument::fromJson(
            QByteArray::fromRawData(json.constData() + at, length), &parseError);
        if (parseError.error == QJsonParseError::GarbageAtEnd) {
            length = parseError.offset;
            document = QJsonDocument::fromJson(
                QByteArray::fromRawData(json.constData() + at, length), &parseError);
        }
        if (parseError.error != QJsonParseError::NoError) {
            addError(lineAt(at + parseError.offset),
                     u"not JSON: %1 at offset %2"_s.arg(parseError.errorString(),
                                                        QString::number(at + parseError.offset)));
            return; // where the next document starts is unknown
        }
        const qint64 documentLine = lineAt(at);
        if (document.isArray()) {
            const QJsonArray pages = document.array();
            for (const QJsonValue &page : pages)
                addPage(page, documentLine, entryLines, &entryIndex);
        } else {
            addPage(document.object(), documentLine, entryLines, &entryIndex);
        }
        at += length;
    }
}

void AtomReader::addPage(const QJsonValue &page, qint64 line, const QVector<qint64> &entryLines,
                         qsizetype *entryIndex)
{
    const QJsonValue entries = page.toObject().value(EntriesKey);
    if (!entries.isArray()) {
        addError(line, u"not an Atom page: no entries array"_s);
        return;
    }
    const QJsonArray array = entries.toArray();
    for (const QJsonValue &entry : array) {
        const qint64 entryLine = entryLines.value(*entryIndex, line);
        ++*entryIndex;
        addEntry(entry, entryLine);
    }
}

void AtomReader::addEntry(const QJsonValue &value, qint64 line)
{
    if (!value.isObject()) {
        addError(line, u"entry is not a JSON object"_s);
        return;
    }
    Entry entry;
    entry.record.line = line;
    entry.record.fields = value.toObject();
    const QJsonObject &fields = entry.record.fields;
    const QJsonValue position = fields.value(u"positionEventNumber"_s);
    const QJsonValue readStream = fields.value(u"positionStreamId"_s);
    const QString stream =
        (position.isDouble() && readStream.isString() ? readStream : fields.value(u"streamId"_s))
            .toString();
    entry.number = integer(position.isDouble() ? position : fields.value(u"eventNumber"_s));
    entry.stream = m_streams.value(stream, m_streams.size());
    m_streams.insert(stream, entry.stream);
    m_entries.append(std::move(entry));
}

// Sorted before the entries; the report orders rejections by line anyway.
void AtomReader::addError(qint64 line, const QString &error)
{
    Entry entry;
    entry.record.line = line;
    entry.record.error = error;
    entry.stream = -1;
    m_entries.append(std::move(entry));
}

bool AtomReader::next(ImportRecord *record)
{
    if (m_next >= m_entries.size())
        return false;
    *record = std::move(m_entries[m_next++].record);
    return true;
}

qint64 AtomReader::bytesRead() const
{
    return m_entries.isEmpty() ? size() : size() * m_next / m_entries.size();
}

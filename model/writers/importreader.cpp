#include "writers/importreader.h"

#include "writers/atomreader.h"
#include "writers/csvreader.h"
#include "writers/jsonlreader.h"

#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 HeadBytes = 64 * 1024;
const QByteArray Bom = QByteArrayLiteral("\xEF\xBB\xBF");

// JSON starts with '{' or '['; anything else is taken for CSV. '{' starts JSON Lines unless
// the first line is an Atom page, or is not a whole JSON object while an "entries" array
// follows (a pretty-printed page).
ImportFormat detect(QByteArray head)
{
    while (head.startsWith(Bom))
        head.remove(0, Bom.size());
    const QByteArray text = head.trimmed();
    if (text.startsWith('['))
        return ImportFormat::Atom;
    if (!text.startsWith('{'))
        return text.isEmpty() ? ImportFormat::Jsonl : ImportFormat::Csv;
    const QJsonDocument first =
        QJsonDocument::fromJson(ImportReader::splitLines(text).constFirst().toByteArray());
    if (first.isObject())
        return first.object().value(u"entries"_s).isArray() ? ImportFormat::Atom
                                                            : ImportFormat::Jsonl;
    static const QRegularExpression entries(uR"("entries"\s*:\s*\[)"_s);
    return entries.match(QString::fromUtf8(text)).hasMatch() ? ImportFormat::Atom
                                                             : ImportFormat::Jsonl;
}

} // namespace

std::unique_ptr<ImportReader> ImportReader::open(const QString &path, ImportFormat format,
                                                 QString *error)
{
    if (format == ImportFormat::Detect) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = u"cannot open %1: %2"_s.arg(path, file.errorString());
            return nullptr;
        }
        format = detect(file.read(HeadBytes));
    }
    std::unique_ptr<ImportReader> reader;
    switch (format) {
    case ImportFormat::Detect:
    case ImportFormat::Jsonl:
        reader = std::make_unique<JsonlReader>(path);
        break;
    case ImportFormat::Atom:
        reader = std::make_unique<AtomReader>(path);
        break;
    case ImportFormat::Csv:
        reader = std::make_unique<CsvReader>(path);
        break;
    }
    if (!reader->start()) {
        *error = reader->errorString();
        return nullptr;
    }
    return reader;
}

QString ImportReader::formatName(ImportFormat format)
{
    switch (format) {
    case ImportFormat::Detect:
        break;
    case ImportFormat::Jsonl:
        return u"jsonl"_s;
    case ImportFormat::Atom:
        return u"atom"_s;
    case ImportFormat::Csv:
        return u"csv"_s;
    }
    return {};
}

bool ImportReader::parseFormatName(const QString &name, ImportFormat *format)
{
    for (ImportFormat f : {ImportFormat::Jsonl, ImportFormat::Atom, ImportFormat::Csv}) {
        if (name.compare(formatName(f), Qt::CaseInsensitive) == 0) {
            *format = f;
            return true;
        }
    }
    return false;
}

QList<QByteArrayView> ImportReader::splitLines(QByteArrayView text)
{
    QList<QByteArrayView> lines;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (c != '\n' && c != '\r')
            continue;
        lines << text.sliced(start, i - start);
        if (c == '\r' && i + 1 < text.size() && text.at(i + 1) == '\n')
            ++i;
        start = i + 1;
    }
    lines << text.sliced(start);
    return lines;
}

qint64 ImportReader::countLineEnds(QByteArrayView text)
{
    qint64 count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == '\r' || (text.at(i) == '\n' && (i == 0 || text.at(i - 1) != '\r')))
            ++count;
    }
    return count;
}

bool ImportReader::start()
{
    if (!m_file.open(QIODevice::ReadOnly))
        return fail(u"cannot open %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
    while (m_file.peek(Bom.size()) == Bom)
        m_file.skip(Bom.size());
    return true;
}

bool ImportReader::fail(const QString &message)
{
    m_error = message;
    return false;
}

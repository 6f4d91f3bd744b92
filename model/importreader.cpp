#include "importreader.h"
#include "atomreader.h"
#include "csvreader.h"
#include "jsonlreader.h"

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
    if (head.startsWith(Bom))
        head.remove(0, Bom.size());
    const QByteArray text = head.trimmed();
    if (text.startsWith('['))
        return ImportFormat::Atom;
    if (!text.startsWith('{'))
        return text.isEmpty() ? ImportFormat::Jsonl : ImportFormat::Csv;
    const qsizetype end = text.indexOf('\n');
    const QJsonDocument first = QJsonDocument::fromJson(end < 0 ? text : text.left(end));
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

bool ImportReader::start()
{
    if (!m_file.open(QIODevice::ReadOnly))
        return fail(u"cannot open %1: %2"_s.arg(m_file.fileName(), m_file.errorString()));
    if (m_file.peek(Bom.size()) == Bom)
        m_file.skip(Bom.size());
    return true;
}

bool ImportReader::fail(const QString &message)
{
    m_error = message;
    return false;
}

// EventImporter over any file: the first byte picks the format (detected from the content, or
// JSON Lines, Atom or CSV), the rest is the file. Every record is imported or rejected with a
// reason; nothing crashes, and the import either succeeds or says why it could not.

#include "fuzzsupport.h"

#include "writers/eventimporter.h"

#include <QFile>
#include <QTemporaryDir>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::startApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const QTemporaryDir dir;
    const QString inputPath = dir.filePath(QStringLiteral("input"));
    const QString outputPath = dir.filePath(QStringLiteral("imported.sqlite"));
    QFile input(inputPath);
    Fuzz::check(input.open(QIODevice::WriteOnly | QIODevice::Truncate), "the input can be written");
    input.write(reinterpret_cast<const char *>(data + 1), qint64(size - 1));
    input.close();
    QFile::remove(outputPath);

    constexpr ImportFormat Formats[] = {ImportFormat::Detect, ImportFormat::Jsonl,
                                        ImportFormat::Atom, ImportFormat::Csv};
    ImportOptions options;
    options.format = Formats[data[0] % 4];
    EventImporter::Report report;
    QString error;
    const bool imported =
        EventImporter::import(inputPath, outputPath, &report, &error, {}, options);
    Fuzz::check(imported || !error.isEmpty(), "a failed import says why");
    for (const EventImporter::Rejected &rejected : std::as_const(report.rejected))
        Fuzz::check(rejected.line > 0 && !rejected.reason.isEmpty(),
                    "a rejected record has its line and a reason");
    return 0;
}

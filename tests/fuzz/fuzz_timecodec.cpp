// TimeCodec over any text and number: the first byte picks the format, the rest is read as
// text, as a number and as integer ticks. What parseIso accepts must format and parse back to
// the same millisecond, and parseIsoBytes must answer as parseIso wherever it answers.

#include "fuzzsupport.h"

#include "decoding/timecodec.h"

#include <cstring>
#include <string_view>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::startApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    constexpr TimeFormat Formats[] = {TimeFormat::IsoText, TimeFormat::EpochSeconds,
                                      TimeFormat::EpochMillis, TimeFormat::DotNetTicks};
    const TimeFormat format = Formats[data[0] % 4];
    const QString text = QString::fromUtf8(Fuzz::bytes(data + 1, size - 1));

    const qint64 iso = TimeCodec::parseIso(text);
    // The bytes' reading (the SQLite reader's) answers as the text's wherever it answers.
    const auto bytes = TimeCodec::parseIsoBytes(
        std::string_view(reinterpret_cast<const char *>(data + 1), size - 1));
    Fuzz::check(!bytes || *bytes == iso, "parseIsoBytes answers as parseIso", text);
    if (iso != NoTime) {
        const QString formatted = TimeCodec::format(iso);
        Fuzz::check(TimeCodec::parseIso(formatted) == iso,
                    "a time parseIso accepts formats to text it reads back",
                    text + QStringLiteral(" -> ") + formatted);
    }
    TimeCodec::format(TimeCodec::decode(text, format));

    if (size >= 1 + sizeof(double)) {
        double number;
        std::memcpy(&number, data + 1, sizeof number);
        TimeCodec::format(TimeCodec::decode(number, format));
        qint64 integer;
        std::memcpy(&integer, data + 1, sizeof integer);
        TimeCodec::format(TimeCodec::decode(integer, format));
        TimeCodec::format(TimeCodec::fromDotNetTicks(integer));
        TimeCodec::toDotNetTicks(integer);
        TimeCodec::format(integer);
    }
    return 0;
}

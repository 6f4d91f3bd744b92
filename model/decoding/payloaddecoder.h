#pragma once

// Turns the payload bytes a store hands us into something a person can read, and says how:
// JSON passes through untouched (the common case, so it costs no copy and no parse),
// zlib/gzip is inflated and decoded again, XStream XML is indented, YAML and other UTF-8 text
// are shown as they are, and anything else (encrypted, a binary serialisation) becomes a hex
// dump with the reason it could not be decoded.

#include <QByteArray>
#include <QString>

struct DecodedPayload
{
    enum class Kind { Empty, Json, Xml, Yaml, Text, Binary };
    Kind kind = Kind::Empty;
    QByteArray bytes; // JSON text, indented XML, YAML text, UTF-8 text, or (Binary) a hex dump
    QString note;     // empty for plain JSON; else how it was decoded or why it could not be
};

// Defined outside PayloadDecoder only because a nested class's member initialisers are not
// usable in a default argument of the enclosing class (g++ and clang reject `= {}` there);
// callers spell it PayloadDecoder::Options.
struct PayloadDecoderOptions
{
    // Python eventsourcing's {"_type_": ..., "_data_": ...} wrappers become their _data_.
    bool unwrapTypedValues = false;
};

class PayloadDecoder
{
public:
    using Options = PayloadDecoderOptions;

    // Every input gives a result, however malformed; decodeSlow in the .cpp has the order
    // in which the encodings are tried.
    static DecodedPayload decode(const QByteArray &raw, const Options &options = {});
    // Offset, hex and ASCII columns, 16 bytes a line; past maxBytes (negative: no limit) a last
    // line says how many bytes were left out.
    static QByteArray hexDump(const QByteArray &bytes, qsizetype maxBytes = 4096);

    // Compressed payloads are not inflated beyond this: a few hundred bytes of zlib can claim
    // gigabytes.
    static constexpr qsizetype MaxInflatedBytes = qsizetype(256) * 1024 * 1024;
    // XML is indented only while the indented text stays within this much: indentation grows
    // with the depth, so 75 KB nested 10,000 deep would become 200 MB. Past it the XML is
    // shown as it is, and the note says why.
    static constexpr qsizetype maxIndentedXmlBytes(qsizetype xmlBytes)
    {
        return 4 * xmlBytes + 64 * 1024;
    }
};

// PayloadDecoder and Payload over any bytes: the first byte picks the options, the rest is the
// payload. Every input must decode to something, without a crash and within bounds.

#include "fuzzsupport.h"

#include "decoding/payload.h"
#include "decoding/payloaddecoder.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::startApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    PayloadDecoder::Options options;
    options.unwrapTypedValues = data[0] & 1;
    const QByteArray raw = Fuzz::bytes(data + 1, size - 1);

    const DecodedPayload decoded = PayloadDecoder::decode(raw, options);
    Fuzz::check(raw.isEmpty() == (decoded.kind == DecodedPayload::Kind::Empty) ||
                    !decoded.note.isEmpty(),
                "only an empty payload (or a note saying why) decodes to Empty");
    if (decoded.kind == DecodedPayload::Kind::Xml)
        Fuzz::check(decoded.bytes.size() <= PayloadDecoder::maxIndentedXmlBytes(raw.size()),
                    "indented XML stays within its bound");

    Payload::toJson(raw);
    Payload::toJsonOrString(raw);
    PayloadDecoder::hexDump(raw, data[0] >> 1);
    return 0;
}

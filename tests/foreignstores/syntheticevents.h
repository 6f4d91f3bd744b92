#pragma once

// The events every foreign store holds, one at a time in global order, independent of any
// table: which stream and version, which of a few types, when, and the JSON payload. The
// writers of each shape spell them in their library's way (stream names, version base, type
// names, time and payload encodings). Deterministic for given options.

#include "foreignstores.h"

#include <string>
#include <vector>

namespace ForeignStores {

class SyntheticEvents
{
public:
    static constexpr qint64 StartMs = 1767225600000; // 2026-01-01T00:00:00Z
    static constexpr qint64 SpanMs = 30LL * 86400 * 1000;
    static constexpr int TypeCount = 6;

    explicit SyntheticEvents(const Options &options);

    // Moves to the next event; false after the last.
    bool next();

    qint64 index() const { return m_index; } // 0-based global order
    int stream() const { return m_stream; }  // 0 is the big stream
    qint64 version() const { return m_version; } // 0-based within the stream
    int type() const { return m_type; }          // 0 opens every stream
    qint64 timeMs() const { return m_timeMs; }
    // Randomized mode: this event's time is missing where the shape's column allows NULL.
    bool noTime() const { return m_noTime; }
    // A number that varies per event, for choosing among the odd forms a shape writes.
    quint64 variety() const { return m_variety; }
    const std::string &payload() const { return m_payload; }

    // "AccountOpened", "MoneyDeposited", ...
    static const char *typeName(int type);
    // "money_deposited", ... (Marten's aliases)
    static const char *snakeTypeName(int type);
    // A 128-bit id derived from the seed and a number, as 32 hex digits.
    static std::string hexId(quint64 seed, quint64 n);
    // The same as a uuid with dashes (8-4-4-4-12).
    static std::string uuid(quint64 seed, quint64 n);

private:
    void writePayload();
    void writeRandomPayload();

    Options m_options;
    std::vector<qint64> m_versions;
    qint64 m_index = -1;
    int m_stream = 0;
    qint64 m_version = 0;
    int m_type = 0;
    qint64 m_timeMs = 0;
    bool m_noTime = false;
    quint64 m_variety = 0;
    std::string m_payload;
};

// Time text in the forms stores write, from milliseconds since the epoch (UTC).
namespace TimeText {
// 2026-01-01T00:00:00.123Z: Eventscope's own, fixed width.
std::string isoZulu(qint64 ms);
// 2026-01-01T01:00:00.1234567+01:00: local time at offsetMinutes, `digits` fraction digits
// (0 = no fraction; past 3 the extra digits come from `extra`).
std::string isoOffset(qint64 ms, int offsetMinutes, int digits, quint64 extra);
// 2026-01-01 00:00:00.123456: SQL timestamp text, microseconds.
std::string sqlMicros(qint64 ms);
} // namespace TimeText

} // namespace ForeignStores

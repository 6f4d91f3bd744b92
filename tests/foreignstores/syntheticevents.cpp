#include "syntheticevents.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace ForeignStores {

namespace {

// splitmix64: a well-mixed 64-bit value from any counter, so that each event's choices are
// a function of (seed, index) alone.
quint64 mix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

const std::array<const char *, SyntheticEvents::TypeCount> TypeNames = {
    "AccountOpened", "MoneyDeposited", "MoneyWithdrawn",
    "OwnerRenamed",  "AddressChanged", "AccountFrozen"};
const std::array<const char *, SyntheticEvents::TypeCount> SnakeTypeNames = {
    "account_opened", "money_deposited", "money_withdrawn",
    "owner_renamed",  "address_changed", "account_frozen"};

// Strings a payload may hold, as JSON string literals: raw UTF-8 of several planes, escapes of
// every kind, and the characters SQL LIKE and JSON paths treat specially.
const std::array<const char *, 8> Labels = {
    R"("Zürich ✓")",
    R"("日本語のテキスト")",
    R"("emoji 😀 and \ud83d\ude80")",
    R"("quote \" backslash \\ slash \/")",
    R"("tab\tnewline\nreturn\r")",
    R"("\u00e9t\u00e9 \u20ac")",
    R"("100% _like_ [wild]")",
    R"("")"};

// Numbers in the forms JSON writers produce.
const std::array<const char *, 10> Numbers = {
    "0", "-0", "-17", "3.25", "1e-7", "6.02E23", "9007199254740993", "-12345678901234567890",
    "1.0", "0.1"};

// Payloads that are JSON but not an object: the default merge leaves the state as it is.
const std::array<const char *, 4> NonObjects = {"[1,2,3]", "\"plain text\"", "42", "null"};

struct Civil
{
    int year, month, day, hour, minute, second, millis;
};

// Howard Hinnant's days-to-civil, for the proleptic Gregorian calendar.
Civil civil(qint64 ms)
{
    qint64 days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
    qint64 rest = ms - days * 86400000;
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const int year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
    const int millis = int(rest % 1000);
    rest /= 1000;
    return {year, month, day, int(rest / 3600), int(rest / 60 % 60), int(rest % 60), millis};
}

} // namespace

SyntheticEvents::SyntheticEvents(const Options &options)
    : m_options(options), m_versions(std::size_t(std::max(1, options.streams)), 0)
{
    m_options.streams = std::max(1, options.streams);
    m_options.bigStreamEvents = std::clamp<qint64>(options.bigStreamEvents, 0, options.events);
    m_payload.reserve(1024);
}

bool SyntheticEvents::next()
{
    if (++m_index >= m_options.events)
        return false;
    const qint64 g = m_index;
    const qint64 n = m_options.events;
    const qint64 big = m_options.bigStreamEvents;
    m_variety = mix(m_options.seed * 0x100000001b3ULL + quint64(g));
    const int others = m_options.streams - 1;
    // The big stream's events are spread evenly: event g is one of them when the count of
    // them so far steps. The product stays below 2^63 up to 3 billion events.
    if (others == 0 || (big > 0 && (g + 1) * big / n > g * big / n))
        m_stream = 0;
    else
        m_stream = (big > 0 ? 1 : 0) + int(m_variety % quint64(big > 0 ? others : others + 1));
    m_version = m_versions[std::size_t(m_stream)]++;
    m_type = m_version == 0 ? 0 : 1 + int((m_variety >> 20) % (TypeCount - 1));
    m_timeMs = StartMs + qint64(double(g) * double(SpanMs) / double(n));
    m_noTime = m_options.randomized && (m_variety >> 40) % 101 == 0;
    if (m_options.randomized)
        writeRandomPayload();
    else
        writePayload();
    return true;
}

void SyntheticEvents::writePayload()
{
    char buffer[256];
    const int size = std::snprintf(
        buffer, sizeof buffer,
        R"({"account":"account-%d","amount":%llu,"balance":{"currency":"EUR","cents":%llu},)"
        R"("note":"n%lld"})",
        m_stream, (unsigned long long)(m_variety % 10000),
        (unsigned long long)((m_variety >> 16) % 10000000), (long long)(m_index % 997));
    m_payload.assign(buffer, std::size_t(size));
}

void SyntheticEvents::writeRandomPayload()
{
    quint64 r = m_variety;
    const auto pick = [&r](std::size_t n) {
        r = mix(r);
        return std::size_t(r % n);
    };
    if (pick(13) == 0) {
        m_payload = NonObjects[pick(NonObjects.size())];
        return;
    }
    m_payload = "{\"account\":\"account-" + std::to_string(m_stream) + "\"";
    if (pick(2) == 0)
        m_payload += std::string(",\"label\":") + Labels[pick(Labels.size())];
    if (pick(2) == 0)
        m_payload += std::string(",\"n\":") + Numbers[pick(Numbers.size())];
    if (pick(3) == 0)
        m_payload += std::string(",\"nested\":{\"a\":{\"b\":{\"c\":") +
                     Numbers[pick(Numbers.size())] + "}},\"d\":" + Labels[pick(Labels.size())] +
                     "}";
    if (pick(4) == 0)
        m_payload += std::string(",\"list\":[") + Numbers[pick(Numbers.size())] + ",{\"x\":" +
                     Labels[pick(Labels.size())] + "},[],null,true]";
    if (pick(5) == 0)
        m_payload += pick(2) ? ",\"flag\":true" : ",\"flag\":false";
    if (pick(6) == 0)
        m_payload += ",\"gone\":null";
    if (pick(7) == 0)
        m_payload += ",\"nested\":\"now a string\""; // an object member replaced by a value
    if (pick(8) == 0)
        m_payload += std::string(",\"clé ✓\":{\"deep\":") + Labels[pick(Labels.size())] + "}";
    if (pick(9) == 0)
        m_payload += ",\"empty\":{}";
    m_payload += "}";
}

const char *SyntheticEvents::typeName(int type)
{
    return TypeNames[std::size_t(type)];
}

const char *SyntheticEvents::snakeTypeName(int type)
{
    return SnakeTypeNames[std::size_t(type)];
}

std::string SyntheticEvents::hexId(quint64 seed, quint64 n)
{
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%016llx%016llx",
                  (unsigned long long)mix(seed ^ (n * 2 + 1)),
                  (unsigned long long)mix(seed + n * 0x9e3779b97f4a7c15ULL));
    return buffer;
}

std::string SyntheticEvents::uuid(quint64 seed, quint64 n)
{
    const std::string hex = hexId(seed, n);
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
           hex.substr(16, 4) + '-' + hex.substr(20, 12);
}

namespace TimeText {

std::string isoZulu(qint64 ms)
{
    const Civil c = civil(ms);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month,
                  c.day, c.hour, c.minute, c.second, c.millis);
    return buffer;
}

std::string isoOffset(qint64 ms, int offsetMinutes, int digits, quint64 extra)
{
    const Civil c = civil(ms + qint64(offsetMinutes) * 60000);
    char fraction[16] = "";
    if (digits > 0) {
        char all[16];
        std::snprintf(all, sizeof all, ".%03d%06llu", c.millis,
                      (unsigned long long)(extra % 1000000));
        std::snprintf(fraction, sizeof fraction, "%.*s", 1 + std::min(digits, 9), all);
    }
    const int magnitude = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d%s%c%02d:%02d", c.year,
                  c.month, c.day, c.hour, c.minute, c.second, fraction,
                  offsetMinutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
    return buffer;
}

std::string sqlMicros(qint64 ms)
{
    const Civil c = civil(ms);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d.%03d000", c.year, c.month,
                  c.day, c.hour, c.minute, c.second, c.millis);
    return buffer;
}

} // namespace TimeText

} // namespace ForeignStores

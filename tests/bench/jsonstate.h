#pragma once

// The baseline fold's aggregate state: a JSON object whose members are objects or the raw
// text of any other value, deep-merged from event payloads with simdjson. It
// has Projection's default merge semantics (objects key by key, recursively; any other value
// replaces; data that is not an object leaves the state as it is), so that its result can be
// compared with ReplayEngine's. Optionally it first unwraps Python eventsourcing's typed
// values ({"_type_": ..., "_data_": v} stands for v), as Eventscope does for that layout. It uses
// the DOM API: simdjson picks its SIMD kernel for the CPU at run time there, while On-Demand is
// fixed at compile time (the portable fallback in a build without -march).

#include <QJsonObject>

#include <simdjson.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

class JsonState
{
public:
    enum class TypedValues { Keep, Unwrap };

    // Merges one payload of `size` bytes; `data` must have SIMDJSON_PADDING readable bytes
    // after them. An error leaves the state as it is.
    simdjson::error_code merge(simdjson::dom::parser &parser, const char *data, std::size_t size,
                               TypedValues typed = TypedValues::Keep);
    QJsonObject toJsonObject() const;

private:
    void mergeObject(simdjson::dom::object object, TypedValues typed);
    void mergeMember(JsonState &member, simdjson::dom::element value, TypedValues typed);
    JsonState &member(std::string_view key);
    QJsonValue toJsonValue() const;

    bool m_isObject = true;
    std::string m_raw; // the JSON text when not an object
    std::map<std::string, std::unique_ptr<JsonState>, std::less<>> m_members;
};

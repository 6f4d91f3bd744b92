#include "jsonstate.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dom = simdjson::dom;

namespace {

// {"_type_": name, "_data_": value} -> value, recursively; anything else as it is.
dom::element unwrapped(dom::element value)
{
    dom::object object;
    dom::element data;
    while (value.get_object().get(object) == simdjson::SUCCESS && object.size() == 2 &&
           object.at_key("_type_").error() == simdjson::SUCCESS &&
           object.at_key("_data_").get(data) == simdjson::SUCCESS)
        value = data;
    return value;
}

} // namespace

simdjson::error_code JsonState::merge(dom::parser &parser, const char *data, std::size_t size,
                                      TypedValues typed)
{
    dom::element document;
    if (auto error = parser.parse(data, size, false).get(document))
        return error;
    dom::object object;
    if (document.get_object().get(object) == simdjson::SUCCESS)
        mergeObject(object, typed);
    return simdjson::SUCCESS; // data that is not an object leaves the state as it is
}

void JsonState::mergeObject(dom::object object, TypedValues typed)
{
    for (const dom::key_value_pair field : object)
        mergeMember(member(field.key), field.value, typed);
}

void JsonState::mergeMember(JsonState &member, dom::element value, TypedValues typed)
{
    if (typed == TypedValues::Unwrap)
        value = unwrapped(value);
    if (value.type() == dom::element_type::OBJECT) {
        if (!member.m_isObject)
            member = JsonState();
        member.mergeObject(value.get_object().value_unsafe(), typed);
        return;
    }
    member.m_isObject = false;
    member.m_members.clear();
    member.m_raw = simdjson::minify(value);
}

JsonState &JsonState::member(std::string_view key)
{
    auto it = m_members.find(key);
    if (it == m_members.end())
        it = m_members.emplace(std::string(key), std::make_unique<JsonState>()).first;
    return *it->second;
}

QJsonObject JsonState::toJsonObject() const
{
    QJsonObject object;
    for (const auto &[key, value] : m_members)
        object.insert(QString::fromUtf8(key.data(), qsizetype(key.size())), value->toJsonValue());
    return object;
}

QJsonValue JsonState::toJsonValue() const
{
    if (m_isObject)
        return toJsonObject();
    // QJsonDocument parses arrays and objects only, so the value is wrapped in one.
    const QByteArray wrapped = '[' + QByteArray::fromStdString(m_raw) + ']';
    return QJsonDocument::fromJson(wrapped).array().at(0);
}

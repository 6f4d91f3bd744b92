#include "replay/jsonmergetree.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <simdjson.h>

#include <charconv>
#include <map>

namespace dom = simdjson::dom;

namespace {

// Deeper payloads go to Qt (whose own limit is 1024), so that no depth simdjson accepts is
// one Qt refuses.
constexpr std::size_t MaxDepth = 256;
constexpr std::size_t InitialCapacity = 64 * 1024;

// Where simdjson's reading and a QJsonDocument's could disagree, the payload goes to Qt.
// Qt keeps the last of duplicate keys, where merging each in turn would keep a mix; this
// matters only for the objects that are merged, as a value is replaced by text that Qt reads
// with its own rule.
bool hasOwnDuplicateKey(dom::object object)
{
    // Payload objects are small: comparing pairs beats building a set.
    for (auto i = object.begin(); i != object.end(); ++i) {
        auto j = i;
        for (++j; j != object.end(); ++j) {
            if (i.key() == j.key())
                return true;
        }
    }
    return false;
}

bool hasDuplicateKeys(dom::object object)
{
    if (hasOwnDuplicateKey(object))
        return true;
    for (const dom::key_value_pair field : object) {
        dom::object child;
        if (field.value.get_object().get(child) == simdjson::SUCCESS && hasDuplicateKeys(child))
            return true;
    }
    return false;
}

// Unwrapping looks into arrays too, where a merge keeps the text for Qt to read: an object
// with a duplicate key anywhere could be a wrapper to Qt (which keeps the last) and not to
// simdjson's count of its keys, or the other way round.
bool hasDuplicateKeysAnywhere(dom::element value)
{
    dom::array array;
    if (value.get_array().get(array) == simdjson::SUCCESS) {
        for (const dom::element item : array) {
            if (hasDuplicateKeysAnywhere(item))
                return true;
        }
        return false;
    }
    dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
        return false;
    if (hasOwnDuplicateKey(object))
        return true;
    for (const dom::key_value_pair field : object) {
        if (hasDuplicateKeysAnywhere(field.value))
            return true;
    }
    return false;
}

// The value a {"_type_": name, "_data_": value} wrapper holds, through wrappers of wrappers,
// as PayloadDecoder's unwrapping reads it: an object of exactly those two keys.
dom::element unwrapped(dom::element value)
{
    dom::object object;
    while (value.get_object().get(object) == simdjson::SUCCESS && object.size() == 2) {
        dom::element data;
        if (object.at_key("_type_").error() != simdjson::SUCCESS ||
            object.at_key("_data_").get(data) != simdjson::SUCCESS)
            break;
        value = data;
    }
    return value;
}

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Qt reads a bare -0 as the integer 0 and simdjson as the double -0.0. A "-0" inside a string
// sends the payload to Qt too, which is only slower.
bool hasBareMinusZero(std::string_view json)
{
    for (auto at = json.find("-0"); at != std::string_view::npos; at = json.find("-0", at + 2)) {
        const std::size_t next = at + 2;
        if (next == json.size() || json[next] == ',' || json[next] == '}' || json[next] == ']' ||
            isJsonSpace(json[next]))
            return true;
    }
    return false;
}

template<typename Text> void appendJsonString(Text &out, std::string_view text)
{
    static constexpr char Hex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out.append("\\u00", 4);
            out += Hex[u >> 4];
            out += Hex[u & 0xF];
        } else {
            out += c;
        }
    }
    out += '"';
}

// A leaf's text with every wrapper inside it unwrapped; scalars are written by simdjson.
void appendUnwrapped(std::string &out, dom::element value,
                     simdjson::internal::string_builder<> &scalar)
{
    value = unwrapped(value);
    switch (value.type()) {
    case dom::element_type::ARRAY: {
        out += '[';
        bool first = true;
        const dom::array array = value.get_array().value_unsafe();
        for (const dom::element item : array) {
            if (!first)
                out += ',';
            first = false;
            appendUnwrapped(out, item, scalar);
        }
        out += ']';
        return;
    }
    case dom::element_type::OBJECT: {
        out += '{';
        bool first = true;
        const dom::object object = value.get_object().value_unsafe();
        for (const dom::key_value_pair field : object) {
            if (!first)
                out += ',';
            first = false;
            appendJsonString(out, field.key);
            out += ':';
            appendUnwrapped(out, field.value, scalar);
        }
        out += '}';
        return;
    }
    default:
        scalar.clear();
        scalar.append(value);
        out.append(scalar.str());
    }
}

// A value Qt wrote, as the compact JSON text that reads back into it.
std::string compactText(const QJsonValue &value)
{
    // QJsonDocument holds only objects and arrays, so the value is the element of an array.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2).toStdString();
}

// A leaf's text as QJsonDocument reads it: the common scalars directly (a value watched
// through a long stream is read after every event that rewrites it), anything else by Qt.
QJsonValue leafValue(std::string_view raw)
{
    if (raw == "true" || raw == "false")
        return raw == "true";
    if (raw == "null")
        return QJsonValue(QJsonValue::Null);
    // The text is simdjson's own writing: a string without a backslash holds its UTF-8 as is.
    if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"' &&
        raw.find('\\') == std::string_view::npos)
        return QString::fromUtf8(raw.data() + 1, qsizetype(raw.size() - 2));
    // Qt keeps a whole number that fits in 64 bits as an integer; 18 digits always fit.
    const std::size_t digits = raw.size() - (raw.front() == '-' ? 1 : 0);
    if (digits > 0 && digits <= 18) {
        qint64 n = 0;
        const auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), n);
        if (error == std::errc() && end == raw.data() + raw.size())
            return n;
    }
    const QByteArray wrapped = '[' + QByteArray(raw.data(), qsizetype(raw.size())) + ']';
    return QJsonDocument::fromJson(wrapped).array().at(0);
}

} // namespace

struct JsonMergeTree::Node
{
    bool isObject = true;
    quint64 stamp = 0; // the generation of the last merge that went through or replaced it
    std::string raw;   // the value's JSON text when it is not an object
    std::map<std::string, std::unique_ptr<Node>, std::less<>> members;

    Node &member(std::string_view key)
    {
        auto it = members.find(key);
        if (it == members.end())
            it = members.emplace(std::string(key), std::make_unique<Node>()).first;
        return *it->second;
    }

    void becomeObject()
    {
        if (!isObject) {
            isObject = true;
            raw.clear();
        }
    }

    void becomeLeaf()
    {
        isObject = false;
        members.clear();
    }

    void merge(dom::object object, simdjson::internal::string_builder<> &text, quint64 generation,
               TypedValues typedValues)
    {
        const bool unwrap = typedValues == TypedValues::Unwrapped;
        for (const dom::key_value_pair field : object) {
            Node &target = member(field.key);
            target.stamp = generation;
            const dom::element value = unwrap ? unwrapped(field.value) : field.value;
            if (value.type() == dom::element_type::OBJECT) {
                target.becomeObject();
                target.merge(value.get_object().value_unsafe(), text, generation, typedValues);
                continue;
            }
            target.becomeLeaf();
            if (unwrap && value.type() == dom::element_type::ARRAY) {
                target.raw.clear();
                appendUnwrapped(target.raw, value, text);
                continue;
            }
            text.clear();
            text.append(value);
            target.raw.assign(text.str());
        }
    }

    void merge(const QJsonObject &object, quint64 generation)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            Node &target = member(it.key().toStdString());
            target.stamp = generation;
            if (it.value().isObject()) {
                target.becomeObject();
                target.merge(it.value().toObject(), generation);
                continue;
            }
            target.becomeLeaf();
            target.raw = compactText(it.value());
        }
    }

    void write(QByteArray &out) const
    {
        if (!isObject) {
            out.append(raw.data(), qsizetype(raw.size()));
            return;
        }
        out.append('{');
        bool first = true;
        for (const auto &[key, value] : members) {
            if (!first)
                out.append(',');
            first = false;
            appendJsonString(out, key);
            out.append(':');
            value->write(out);
        }
        out.append('}');
    }
};

// The parser and the text buffer are reused from payload to payload: both allocate.
struct JsonMergeTree::Parser
{
    dom::parser parser;
    simdjson::internal::string_builder<> text;
};

JsonMergeTree::JsonMergeTree() : m_root(std::make_unique<Node>()), m_parser(new Parser)
{
    // Should this fail, parse() allocates again on demand, with the default depth, and the
    // depth check in mergeJson() still sends deeper payloads to Qt.
    const simdjson::error_code allocated = m_parser->parser.allocate(InitialCapacity, MaxDepth);
    Q_UNUSED(allocated)
}

JsonMergeTree::~JsonMergeTree() = default;

JsonMergeTree::Outcome JsonMergeTree::mergeJson(std::string_view json, TypedValues typedValues)
{
    ++m_generation;
    dom::element document;
    if (m_parser->parser.parse(json.data(), json.size(), true).get(document) != simdjson::SUCCESS)
        return Outcome::UseQt;
    if (m_parser->parser.max_depth() > MaxDepth || hasBareMinusZero(json))
        return Outcome::UseQt;
    if (typedValues == TypedValues::Unwrapped) {
        if (hasDuplicateKeysAnywhere(document))
            return Outcome::UseQt;
        document = unwrapped(document);
    }
    dom::object object;
    if (document.get_object().get(object) != simdjson::SUCCESS)
        return Outcome::NotObject;
    if (typedValues == TypedValues::AsStored && hasDuplicateKeys(object))
        return Outcome::UseQt;
    m_root->stamp = m_generation;
    m_root->merge(object, m_parser->text, m_generation, typedValues);
    return Outcome::Merged;
}

void JsonMergeTree::merge(const QJsonObject &object)
{
    ++m_generation;
    m_root->stamp = m_generation;
    m_root->merge(object, m_generation);
}

QByteArray JsonMergeTree::toJson() const
{
    QByteArray out;
    m_root->write(out);
    return out;
}

bool JsonMergeTree::touched(const QStringList &keys) const
{
    if (keys.isEmpty())
        return m_root->stamp == m_generation;
    // A merge reaches a node only through its parent and never removes a key: below a node it
    // did not go through, and at a key the root does not have, nothing changed. Anything else
    // (a node it went through that is now a leaf or lacks the next key) may have.
    const Node *node = m_root.get();
    for (const QString &key : keys) {
        if (!node->isObject)
            return true;
        const auto it = node->members.find(key.toStdString());
        if (it == node->members.end())
            return node != m_root.get();
        node = it->second.get();
        if (node->stamp != m_generation)
            return false;
    }
    return true;
}

QJsonValue JsonMergeTree::valueAt(const QStringList &keys) const
{
    const Node *node = m_root.get();
    for (const QString &key : keys) {
        if (!node->isObject)
            return QJsonValue(QJsonValue::Undefined);
        const auto it = node->members.find(key.toStdString());
        if (it == node->members.end())
            return QJsonValue(QJsonValue::Undefined);
        node = it->second.get();
    }
    if (!node->isObject)
        return leafValue(node->raw);
    // Read by Qt, as the generic fold reads it, so that the two folds' values compare alike.
    QByteArray text;
    node->write(text);
    return QJsonDocument::fromJson(text).object();
}

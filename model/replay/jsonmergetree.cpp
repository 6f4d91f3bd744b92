#include "replay/jsonmergetree.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <simdjson.h>

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
bool hasDuplicateKeys(dom::object object)
{
    // Payload objects are small: comparing pairs beats building a set.
    for (auto i = object.begin(); i != object.end(); ++i) {
        auto j = i;
        for (++j; j != object.end(); ++j) {
            if (i.key() == j.key())
                return true;
        }
    }
    for (const dom::key_value_pair field : object) {
        dom::object child;
        if (field.value.get_object().get(child) == simdjson::SUCCESS && hasDuplicateKeys(child))
            return true;
    }
    return false;
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

void appendJsonString(QByteArray &out, std::string_view text)
{
    static constexpr char Hex[] = "0123456789abcdef";
    out.append('"');
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else if (u < 0x20) {
            out.append("\\u00", 4).append(Hex[u >> 4]).append(Hex[u & 0xF]);
        } else {
            out.append(c);
        }
    }
    out.append('"');
}

// A value Qt wrote, as the compact JSON text that reads back into it.
std::string compactText(const QJsonValue &value)
{
    // QJsonDocument holds only objects and arrays, so the value is the element of an array.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2).toStdString();
}

} // namespace

struct JsonMergeTree::Node
{
    bool isObject = true;
    quint64 stamp = 0; // the generation of the last merge that went through or replaced it
    std::string raw; // the value's JSON text when it is not an object
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

    void merge(dom::object object, simdjson::internal::string_builder<> &text, quint64 generation)
    {
        for (const dom::key_value_pair field : object) {
            Node &target = member(field.key);
            target.stamp = generation;
            if (field.value.type() == dom::element_type::OBJECT) {
                target.becomeObject();
                target.merge(field.value.get_object().value_unsafe(), text, generation);
                continue;
            }
            target.becomeLeaf();
            text.clear();
            text.append(field.value);
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

JsonMergeTree::Outcome JsonMergeTree::mergeJson(std::string_view json)
{
    ++m_generation;
    dom::element document;
    if (m_parser->parser.parse(json.data(), json.size(), true).get(document) != simdjson::SUCCESS)
        return Outcome::UseQt;
    if (m_parser->parser.max_depth() > MaxDepth || hasBareMinusZero(json))
        return Outcome::UseQt;
    dom::object object;
    if (document.get_object().get(object) != simdjson::SUCCESS)
        return Outcome::NotObject;
    if (hasDuplicateKeys(object))
        return Outcome::UseQt;
    m_root->stamp = m_generation;
    m_root->merge(object, m_parser->text, m_generation);
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
    // Read by Qt, as the generic fold reads it, so that the two folds' values compare alike.
    QByteArray text("[");
    node->write(text);
    text.append(']');
    return QJsonDocument::fromJson(text).array().at(0);
}

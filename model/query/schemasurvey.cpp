#include "query/schemasurvey.h"

#include "query/eventwalk.h"
#include "replay/jsonpath.h"
#include "store/eventstore.h"

#include <QHash>

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <unordered_map>

using namespace Qt::StringLiterals;
namespace dom = simdjson::dom;

namespace {

struct FieldCounts
{
    qint64 valueTypes[SchemaField::ValueTypeCount] = {};
    qint64 events = 0;
    qint64 firstTimeMs = NoTime;
    qint64 lastTimeMs = NoTime;
    qint64 lastEvent = -1; // the event that last counted here, so that it counts once

    void add(int valueType, qint64 event, qint64 timeMs)
    {
        ++valueTypes[valueType];
        if (event == lastEvent)
            return;
        lastEvent = event;
        ++events;
        if (timeMs == NoTime)
            return;
        if (firstTimeMs == NoTime || timeMs < firstTimeMs)
            firstTimeMs = timeMs;
        if (lastTimeMs == NoTime || timeMs > lastTimeMs)
            lastTimeMs = timeMs;
    }
};

struct TypeCounts
{
    // Keyed by the path's UTF-8 spelling, built byte by byte as the walk goes down and up.
    std::unordered_map<std::string, FieldCounts> paths;
    FieldCounts beyond; // the paths past the bounds
    bool overflowed = false;
    bool allBeyond = false; // the types past MaxTypes: no path of theirs is kept apart
};

bool isAsciiSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// JsonPath::childKey's spelling, without a QString for the plain ASCII keys nearly all are.
void appendKey(std::string &path, std::string_view key)
{
    bool plain = !key.empty();
    for (const char c : key) {
        if (c == '.' || c == '[' || c == ']' || c == '"' || isAsciiSpace(c) ||
            static_cast<unsigned char>(c) >= 0x80) {
            plain = false;
            break;
        }
    }
    if (plain) {
        if (!path.empty())
            path += '.';
        path.append(key);
        return;
    }
    const QString parent = QString::fromStdString(path);
    path = JsonPath::childKey(parent, QString::fromUtf8(key.data(), qsizetype(key.size())))
               .toStdString();
}

int valueTypeOf(dom::element_type type)
{
    switch (type) {
    case dom::element_type::ARRAY:
        return SchemaField::Array;
    case dom::element_type::OBJECT:
        return SchemaField::Object;
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
        return SchemaField::Number;
    case dom::element_type::STRING:
        return SchemaField::String;
    case dom::element_type::BOOL:
        return SchemaField::Boolean;
    case dom::element_type::NULL_VALUE:
        return SchemaField::Null;
    }
    return SchemaField::Null;
}

} // namespace

struct SchemaSurvey::Survey
{
    QHash<QString, TypeCounts> types;
    TypeCounts otherTypes = [] {
        TypeCounts counts;
        counts.allBeyond = true;
        return counts;
    }();
    qint64 event = 0;
    qint64 timeMs = NoTime;
    std::string path;
    dom::parser parser;

    void count(TypeCounts &counts, int valueType)
    {
        if (!counts.allBeyond && path.size() <= std::size_t(MaxPathBytes)) {
            auto it = counts.paths.find(path);
            if (it == counts.paths.end() && counts.paths.size() < std::size_t(MaxPathsPerType))
                it = counts.paths.emplace(path, FieldCounts()).first;
            if (it != counts.paths.end()) {
                it->second.add(valueType, event, timeMs);
                return;
            }
        }
        counts.overflowed = true;
        counts.beyond.add(valueType, event, timeMs);
    }

    void walk(TypeCounts &counts, dom::element value)
    {
        const dom::element_type type = value.type();
        count(counts, valueTypeOf(type));
        const std::size_t length = path.size();
        if (type == dom::element_type::OBJECT) {
            for (const dom::key_value_pair field : dom::object(value)) {
                appendKey(path, field.key);
                walk(counts, field.value);
                path.resize(length);
            }
        } else if (type == dom::element_type::ARRAY) {
            path += "[]";
            for (const dom::element item : dom::array(value))
                walk(counts, item);
            path.resize(length);
        }
    }

    void add(const Event &e)
    {
        TypeCounts *counts = nullptr;
        const auto it = types.find(e.type);
        if (it != types.end())
            counts = &*it;
        else if (types.size() < MaxTypes)
            counts = &types[e.type];
        else
            counts = &otherTypes;
        ++event;
        timeMs = e.timeMs;
        path.clear();
        if (e.data.isEmpty() && e.dataReadable)
            return; // no payload
        dom::element root;
        if (!e.dataReadable ||
            parser.parse(e.data.constData(), std::size_t(e.data.size())).get(root) !=
                simdjson::SUCCESS) {
            count(*counts, SchemaField::NotJson);
            return;
        }
        if (root.type() != dom::element_type::OBJECT) {
            walk(*counts, root);
            return;
        }
        // The object itself is the event; its fields are the paths.
        for (const dom::key_value_pair field : dom::object(root)) {
            appendKey(path, field.key);
            walk(*counts, field.value);
            path.clear();
        }
    }
};

QString SchemaField::valueTypeName(int valueType)
{
    static const char *const names[ValueTypeCount] = {"string", "number", "boolean", "null",
                                                      "object", "array",  "not_json"};
    return QString::fromLatin1(names[valueType]);
}

SchemaSurvey::SchemaSurvey(EventStore &store, const QString &type) : m_store(store), m_type(type) {}

SchemaSurvey::~SchemaSurvey() = default;

bool SchemaSurvey::run(const JobControl &job)
{
    m_survey = std::make_unique<Survey>();
    m_error.clear();
    EventFilter filter;
    if (!m_type.isEmpty())
        filter.types = {m_type};
    EventWalk walk(m_store, filter);
    if (!walk.run(
            [this](const Event &e) {
                m_survey->add(e);
                return true;
            },
            job)) {
        m_error = walk.errorString();
        return false;
    }
    return true;
}

QVector<SchemaField> SchemaSurvey::fields() const
{
    QVector<SchemaField> result;
    if (!m_survey)
        return result;
    const auto field = [](const QString &type, const QString &path, const FieldCounts &counts) {
        SchemaField f;
        f.type = type;
        f.path = path;
        std::copy(std::begin(counts.valueTypes), std::end(counts.valueTypes),
                  std::begin(f.valueTypes));
        f.events = counts.events;
        f.firstTimeMs = counts.firstTimeMs;
        f.lastTimeMs = counts.lastTimeMs;
        return f;
    };
    QStringList typeNames = m_survey->types.keys();
    std::sort(typeNames.begin(), typeNames.end());
    for (const QString &type : std::as_const(typeNames)) {
        const TypeCounts &counts = m_survey->types.value(type);
        std::vector<const std::pair<const std::string, FieldCounts> *> paths;
        paths.reserve(counts.paths.size());
        for (const auto &entry : counts.paths)
            paths.push_back(&entry);
        std::sort(paths.begin(), paths.end(),
                  [](const auto *a, const auto *b) { return a->first < b->first; });
        for (const auto *entry : paths)
            result << field(type.isNull() ? u""_s : type, QString::fromStdString(entry->first),
                            entry->second);
        if (counts.overflowed)
            result << field(type.isNull() ? u""_s : type, QString(), counts.beyond);
    }
    if (m_survey->otherTypes.overflowed)
        result << field(QString(), QString(), m_survey->otherTypes.beyond);
    return result;
}

QStringList SchemaSurvey::typesOverBound() const
{
    QStringList result;
    if (!m_survey)
        return result;
    for (auto it = m_survey->types.constBegin(); it != m_survey->types.constEnd(); ++it) {
        if (it->overflowed)
            result << it.key();
    }
    std::sort(result.begin(), result.end());
    return result;
}

bool SchemaSurvey::typesOverflowed() const
{
    return m_survey && m_survey->otherTypes.overflowed;
}

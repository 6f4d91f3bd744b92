#pragma once

// The state of Projection's default merge (objects key by key, recursively; any other value
// replaces) kept as a tree whose leaves hold their JSON text, fed by simdjson. It is the fast
// form of the fold ReplayEngine runs on its first pass: parsing a payload with QJsonDocument
// and merging it into a QJsonObject costs several times what simdjson and this tree do.
// toJson() gives compact text that QJsonDocument reads into the QJsonObject the generic fold
// builds; the few payloads whose parse could differ between simdjson and Qt (see mergeJson)
// are left to the caller, which parses them with Qt and merges the result with merge().

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <memory>
#include <string>
#include <string_view>

class JsonMergeTree
{
public:
    enum class Outcome {
        Merged,    // the payload was an object and is merged
        NotObject, // valid JSON but not an object: the state is unchanged, as in the merge
        UseQt,     // parse it with Qt and call merge(): simdjson failed or could read it
                   // differently; the state is unchanged
    };
    // Python eventsourcing's {"_type_": name, "_data_": value} wrappers: merged as they are, or
    // as the value they wrap (recursively, as PayloadDecoder unwraps them for display), so that
    // such a store's payloads are folded from their stored text without a decode by Qt first.
    enum class TypedValues { AsStored, Unwrapped };

    JsonMergeTree();
    ~JsonMergeTree();
    JsonMergeTree(const JsonMergeTree &) = delete;
    JsonMergeTree &operator=(const JsonMergeTree &) = delete;

    Outcome mergeJson(std::string_view json, TypedValues typedValues = TypedValues::AsStored);
    void merge(const QJsonObject &object);
    // Compact JSON text of the state, an object.
    QByteArray toJson() const;

    // Whether the last merge (mergeJson or merge) went through or replaced any node along
    // `keys` (object keys from the root): when it did not, the value there is as it was before
    // it, since a merge only changes what it goes through. Lets a caller that watches a few
    // paths skip the events that leave them alone.
    bool touched(const QStringList &keys) const;
    // The value at `keys`, as QJsonDocument reads it; Undefined when absent.
    QJsonValue valueAt(const QStringList &keys) const;

    struct Node;
    struct Parser;

private:
    std::unique_ptr<Node> m_root;
    std::unique_ptr<Parser> m_parser; // simdjson's, kept out of this header
    quint64 m_generation = 0;         // of the last merge; nodes it went through carry it
};

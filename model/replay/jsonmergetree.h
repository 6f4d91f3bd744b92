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

    JsonMergeTree();
    ~JsonMergeTree();
    JsonMergeTree(const JsonMergeTree &) = delete;
    JsonMergeTree &operator=(const JsonMergeTree &) = delete;

    Outcome mergeJson(std::string_view json);
    void merge(const QJsonObject &object);
    // Compact JSON text of the state, an object.
    QByteArray toJson() const;

    struct Node;
    struct Parser;

private:
    std::unique_ptr<Node> m_root;
    std::unique_ptr<Parser> m_parser; // simdjson's, kept out of this header
};

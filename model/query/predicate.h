#pragma once

// Conditions over the JSON state of an aggregate (or any JSON document), as the user types
// them: `clicks > 100`, `address.zip missing`, `name contains "Bob" and not (plan == "free")`.
//
//   expression := term ('or' term)*
//   term       := factor ('and' factor)*
//   factor     := 'not' factor | '(' expression ')' | PATH test
//   test       := OP VALUE | 'exists' | 'missing'
//   OP         := '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'matches'
//   PATH       := segment ('.' key | '[' n ']' | '[' "key" ']')*,  segment := key | [...]
//   key        := bare word (no space or . [ ] " ( ) = ! < >) | "JSON string"
//   VALUE      := a JSON literal: number, "string", true, false, null, [...], {...}
//
// Keywords are case-insensitive; a key spelled like one ("not", "and", "or") is quoted.
// Meaning: a path through anything that is not there (a missing key, an index past the end, a
// key of a non-object) is missing. `==` is JSON equality (1 == 1.0); `!=` is its negation, so
// a missing field is != anything. `<` `<=` `>` `>=` compare two numbers or two strings (by
// code units) and are false otherwise. `contains` is a substring of a string or a member of an
// array; `matches` is a regular expression (Perl syntax, unanchored) found in a string. `exists`
// holds for any present value, null included.
//
// Limits, so that input cannot exhaust the stack or memory: at most MaxLength characters and
// MaxDepth nested parentheses/`not`s (chains of and/or are flat and not limited). Errors name
// the 1-based column (in UTF-16 code units) where the text stops making sense.

#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QString>
#include <QVector>

#include <functional>
#include <optional>
#include <vector>

// One step of a path: a key of an object or an index of an array.
struct PathStep
{
    enum class Kind { Key, Index };
    Kind kind = Kind::Key;
    QString key;
    qint64 index = 0;

    bool operator==(const PathStep &other) const
    {
        return kind == other.kind && (kind == Kind::Key ? key == other.key : index == other.index);
    }
};

// A path into a JSON document, in the predicate's syntax (`items[0]."odd.key"`).
class QueryPath
{
public:
    QueryPath() = default;
    explicit QueryPath(QVector<PathStep> steps) : m_steps(std::move(steps)) {}

    const QVector<PathStep> &steps() const { return m_steps; }
    bool isEmpty() const { return m_steps.isEmpty(); }
    // Undefined when any step is not there.
    QJsonValue valueIn(const QJsonValue &document) const;
    QJsonValue valueIn(const QJsonObject &document) const;
    // The path as JsonPath::childKey/childIndex spell it (`a.b`, `tags[2]`, `["a.b"].c`), the
    // form diffs and histories print; parse() reads it back.
    QString display() const;

    bool operator==(const QueryPath &other) const { return m_steps == other.m_steps; }

private:
    QVector<PathStep> m_steps;
};

struct QueryError
{
    QString message;
    qsizetype column = 0; // 1-based

    QString text() const; // "column 7: expected a value after '=='"
};

// A node of the parsed predicate. And/Or have two or more children, Not has one; Compare,
// Exists and Missing test `path`.
struct PredicateNode
{
    enum class Kind { And, Or, Not, Compare, Exists, Missing };
    enum class Op { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, Contains, Matches };

    Kind kind = Kind::Compare;
    Op op = Op::Equal;
    QueryPath path;
    QJsonValue value;         // Compare: the literal
    QRegularExpression regex; // Matches: the literal, compiled
    std::vector<PredicateNode> children;

    static QString opName(Op op); // "==", "contains", ...
};

class Predicate
{
public:
    static constexpr qsizetype MaxLength = 64 * 1024;
    static constexpr int MaxDepth = 64;

    // The parsed predicate, or nullopt with *error set.
    static std::optional<Predicate> parse(const QString &text, QueryError *error);
    // A path alone, in the same syntax (for --path); nullopt with *error set.
    static std::optional<QueryPath> parsePath(const QString &text, QueryError *error);

    bool holds(const QJsonObject &document) const;
    bool holds(const QJsonValue &document) const;
    // With the values at the predicate's paths from elsewhere (Undefined when absent): its
    // truth depends on nothing else.
    using ValueLookup = std::function<QJsonValue(const QueryPath &)>;
    bool holds(const ValueLookup &valueAt) const;
    // The distinct paths the predicate reads, in the order they appear.
    QVector<QueryPath> paths() const;

    // The tree, read-only: e.g. to see whether the predicate is a single comparison that a
    // store could answer in SQL.
    const PredicateNode &root() const { return m_root; }
    QString text() const { return m_text; }

private:
    Predicate(PredicateNode root, QString text) : m_root(std::move(root)), m_text(std::move(text))
    {
    }

    PredicateNode m_root;
    QString m_text;
};

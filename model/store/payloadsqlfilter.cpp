#include "store/payloadsqlfilter.h"

#include "query/predicate.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

using Node = PredicateNode;
using Op = PredicateNode::Op;

// Numbers are compared within this relative margin, so that a database reading a number's
// text a last bit apart from Qt still lets the row through; the client decides exactly.
constexpr double Margin = 1e-9;
// Beyond this the margin and the databases' number types stop being trustworthy.
constexpr double LargestPushed = 1e300;

bool isPlainKey(const QString &key)
{
    // The keys SQLite's json_tree spells unquoted in its fullkey, in every version: a letter,
    // then letters and digits.
    if (key.isEmpty() || key.size() > 256)
        return false;
    for (qsizetype i = 0; i < key.size(); ++i) {
        const char16_t c = key.at(i).unicode();
        const bool letter = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
        const bool digit = c >= u'0' && c <= u'9';
        if (!(letter || (i > 0 && digit)))
            return false;
    }
    return true;
}

bool isAscii(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() == 0 || c.unicode() >= 0x80)
            return false;
    }
    return true;
}

// No NUL, no surrogates: text both databases and Qt read alike.
bool isPlainText(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() == 0 || c.isSurrogate())
            return false;
    }
    return true;
}

double lowerBound(double v)
{
    return v - std::abs(v) * Margin - 1e-300;
}

double upperBound(double v)
{
    return v + std::abs(v) * Margin + 1e-300;
}

bool pushableNumber(const QJsonValue &value)
{
    return value.isDouble() && std::isfinite(value.toDouble()) &&
           std::abs(value.toDouble()) < LargestPushed;
}

class Builder
{
public:
    Builder(const StoreLayout &layout, SqlDialect dialect) : m_layout(layout), m_dialect(dialect) {}

    // The node's condition, or empty when it cannot be narrowed (reads as true).
    QString condition(const Node &node)
    {
        switch (node.kind) {
        case Node::Kind::And: {
            QStringList parts;
            for (const Node &child : node.children) {
                const QString part = condition(child);
                if (!part.isEmpty())
                    parts << part;
            }
            return parts.isEmpty() ? QString() : u'(' + parts.join(u" AND "_s) + u')';
        }
        case Node::Kind::Or: {
            QStringList parts;
            const qsizetype mark = m_values.size();
            for (const Node &child : node.children) {
                const QString part = condition(child);
                if (part.isEmpty()) {
                    m_values.resize(mark); // one branch is anything: so is the whole
                    return {};
                }
                parts << part;
            }
            return u'(' + parts.join(u" OR "_s) + u')';
        }
        case Node::Kind::Not:
        case Node::Kind::Missing:
            return {};
        case Node::Kind::Exists:
        case Node::Kind::Compare:
            return test(node);
        }
        return {};
    }

    QVariantList values() const { return m_values; }

private:
    QString test(const Node &node)
    {
        // Which column, and the path inside it.
        QVector<PathStep> steps = node.path.steps();
        QString column = m_layout.dataJson;
        if (!steps.isEmpty() && steps.constFirst().kind == PathStep::Kind::Key &&
            steps.constFirst().key == u"metadata") {
            column = m_layout.metadataJson;
            steps.removeFirst();
        }
        if (column.isEmpty())
            return {};
        if (node.kind == Node::Kind::Compare && node.op == Op::NotEqual)
            return {};
        return m_dialect == SqlDialect::Sqlite ? sqliteTest(node, column, steps)
                                               : postgresTest(node, column, steps);
    }

    // What the value at the path must be for the node to hold, over json_tree's columns.
    QString sqliteValueTest(const Node &node)
    {
        if (node.kind == Node::Kind::Exists)
            return {};
        const QJsonValue &v = node.value;
        switch (node.op) {
        case Op::Equal:
            if (v.isString() && isPlainText(v.toString())) {
                m_values << v.toString();
                return u"jt.type = 'text' AND jt.atom = ?"_s;
            }
            if (pushableNumber(v)) {
                m_values << lowerBound(v.toDouble()) << upperBound(v.toDouble());
                return u"jt.type IN ('integer', 'real') AND jt.atom BETWEEN ? AND ?"_s;
            }
            if (v.isBool())
                return v.toBool() ? u"jt.type = 'true'"_s : u"jt.type = 'false'"_s;
            if (v.isNull())
                return u"jt.type = 'null'"_s;
            return v.isArray() ? u"jt.type = 'array'"_s : u"jt.type = 'object'"_s;
        case Op::Less:
        case Op::LessEqual:
        case Op::Greater:
        case Op::GreaterEqual: {
            const bool below = node.op == Op::Less || node.op == Op::LessEqual;
            if (pushableNumber(v)) {
                m_values << (below ? upperBound(v.toDouble()) : lowerBound(v.toDouble()));
                return u"jt.type IN ('integer', 'real') AND jt.atom %1 ?"_s.arg(below ? u"<="_s
                                                                                      : u">="_s);
            }
            // Text against ASCII text orders alike by UTF-8 bytes and by UTF-16 units.
            if (v.isString() && isAscii(v.toString())) {
                m_values << v.toString();
                return u"jt.type = 'text' AND jt.atom %1 ?"_s.arg(below ? u"<="_s : u">="_s);
            }
            if (v.isString())
                return u"jt.type = 'text'"_s;
            return u"jt.type IN ('integer', 'real')"_s;
        }
        case Op::Contains:
            if (v.isString() && isPlainText(v.toString())) {
                m_values << v.toString();
                return u"(jt.type = 'array' OR (jt.type = 'text' AND instr(jt.atom, ?) > 0))"_s;
            }
            return u"jt.type = 'array'"_s;
        case Op::Matches:
            return u"jt.type = 'text'"_s;
        case Op::NotEqual:
            break;
        }
        return {};
    }

    QString sqliteTest(const Node &node, const QString &column, const QVector<PathStep> &steps)
    {
        QString fullKey = u"$"_s;
        for (const PathStep &step : steps) {
            if (step.kind == PathStep::Kind::Index) {
                fullKey += u'[' + QString::number(step.index) + u']';
            } else {
                if (!isPlainKey(step.key))
                    return {};
                fullKey += u'.' + step.key;
            }
        }
        m_values << fullKey;
        const QString valueTest = sqliteValueTest(node);
        // JSON text only: json_tree() fails on anything else, which the client reads anyway.
        return u"(CASE WHEN typeof(%1) = 'text' AND json_valid(%1) THEN EXISTS (SELECT 1 FROM "
               "json_tree(%1) AS jt WHERE jt.fullkey = ?%2) ELSE 1 END)"_s.arg(
                   column, valueTest.isEmpty() ? QString() : u" AND "_s + valueTest);
    }

    QString postgresTest(const Node &node, const QString &column, const QVector<PathStep> &steps)
    {
        // A text[] path for #>: each element quoted, '"' and '\' escaped.
        QStringList elements;
        for (const PathStep &step : steps) {
            QString text =
                step.kind == PathStep::Kind::Index ? QString::number(step.index) : step.key;
            if (!isPlainText(text))
                return {};
            text.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
            elements << u'"' + text + u'"';
        }
        const QString path = u'{' + elements.join(u',') + u'}';
        // The value at the path, its parameter bound where it appears (once per use).
        const auto x = [&]() {
            m_values << path;
            return u"(%1 #> CAST(? AS text[]))"_s.arg(column);
        };
        if (node.kind == Node::Kind::Exists)
            return x() + u" IS NOT NULL"_s;
        const QJsonValue &v = node.value;
        // Tests that read the value twice are CASEs: PostgreSQL may evaluate the parts of an
        // AND in any order, and a number cast of a string would fail.
        switch (node.op) {
        case Op::Equal:
            if (v.isString() && isPlainText(v.toString())) {
                const QString value = x();
                m_values << v.toString();
                return u"(%1 = to_jsonb(CAST(? AS text)))"_s.arg(value);
            }
            if (pushableNumber(v)) {
                const QString kind = x();
                const QString number = x();
                m_values << QString::number(lowerBound(v.toDouble()), 'g', 17)
                         << QString::number(upperBound(v.toDouble()), 'g', 17);
                return u"(CASE WHEN jsonb_typeof(%1) = 'number' THEN CAST(%2 #>> '{}' AS "
                       "numeric) BETWEEN CAST(? AS numeric) AND CAST(? AS numeric) ELSE false "
                       "END)"_s.arg(kind, number);
            }
            if (v.isBool())
                return u"(%1 = CAST('%2' AS jsonb))"_s.arg(x(),
                                                           v.toBool() ? u"true"_s : u"false"_s);
            if (v.isNull())
                return u"(jsonb_typeof(%1) = 'null')"_s.arg(x());
            return u"(jsonb_typeof(%1) = '%2')"_s.arg(x(), v.isArray() ? u"array"_s : u"object"_s);
        case Op::Less:
        case Op::LessEqual:
        case Op::Greater:
        case Op::GreaterEqual: {
            const bool below = node.op == Op::Less || node.op == Op::LessEqual;
            const QString op = below ? u"<="_s : u">="_s;
            if (pushableNumber(v)) {
                const QString kind = x();
                const QString number = x();
                m_values << QString::number(
                    below ? upperBound(v.toDouble()) : lowerBound(v.toDouble()), 'g', 17);
                return u"(CASE WHEN jsonb_typeof(%1) = 'number' THEN CAST(%2 #>> '{}' AS "
                       "numeric) %3 CAST(? AS numeric) ELSE false END)"_s.arg(kind, number, op);
            }
            if (v.isString() && isAscii(v.toString())) {
                const QString kind = x();
                const QString text = x();
                m_values << v.toString();
                return u"(CASE WHEN jsonb_typeof(%1) = 'string' THEN (%2 #>> '{}') COLLATE \"C\" "
                       "%3 CAST(? AS text) ELSE false END)"_s.arg(kind, text, op);
            }
            return u"(jsonb_typeof(%1) = '%2')"_s.arg(x(),
                                                      v.isString() ? u"string"_s : u"number"_s);
        }
        case Op::Contains:
            if (v.isString() && isPlainText(v.toString())) {
                const QString kind = x();
                const QString text = x();
                m_values << v.toString();
                return u"(CASE jsonb_typeof(%1) WHEN 'array' THEN true WHEN 'string' THEN "
                       "strpos(%2 #>> '{}', CAST(? AS text)) > 0 ELSE false END)"_s.arg(kind, text);
            }
            return u"(jsonb_typeof(%1) = 'array')"_s.arg(x());
        case Op::Matches:
            return u"(jsonb_typeof(%1) = 'string')"_s.arg(x());
        case Op::NotEqual:
            break;
        }
        return {};
    }

    const StoreLayout &m_layout;
    SqlDialect m_dialect;
    QVariantList m_values;
};

} // namespace

std::optional<PayloadSqlCondition>
PayloadSqlFilter::build(const Predicate &predicate, const StoreLayout &layout, SqlDialect dialect)
{
    if (layout.dataJson.isEmpty() && layout.metadataJson.isEmpty())
        return std::nullopt;
    Builder builder(layout, dialect);
    const QString sql = builder.condition(predicate.root());
    if (sql.isEmpty())
        return std::nullopt;
    return PayloadSqlCondition{sql, builder.values()};
}

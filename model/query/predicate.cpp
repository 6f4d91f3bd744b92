#include "query/predicate.h"

#include "replay/jsonpath.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

bool isBareChar(QChar c)
{
    if (c.isSpace())
        return false;
    switch (c.unicode()) {
    case u'.':
    case u'[':
    case u']':
    case u'"':
    case u'(':
    case u')':
    case u'=':
    case u'!':
    case u'<':
    case u'>':
        return false;
    default:
        return true;
    }
}

QString quoted(const QString &text)
{
    return u'\'' % text % u'\'';
}

// Reads the text from left to right; each parse function either consumes what it parsed or
// fails with the column of the first character it could not make sense of. Recursion is
// only through parentheses and `not`, and `m_depth` bounds it.
class Parser
{
public:
    explicit Parser(const QString &text) : m_text(text) {}

    std::optional<PredicateNode> predicate()
    {
        skipSpace();
        if (atEnd())
            return fail(u"the predicate is empty"_s);
        auto node = expression();
        if (!node)
            return std::nullopt;
        skipSpace();
        if (!atEnd())
            return failFound(u"expected 'and', 'or' or the end"_s);
        return node;
    }

    std::optional<QueryPath> pathOnly()
    {
        skipSpace();
        auto result = path();
        if (!result)
            return std::nullopt;
        skipSpace();
        if (!atEnd())
            return failFound(u"expected the end of the path"_s);
        return result;
    }

    QueryError error() const { return m_error; }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_text.size() ? m_text.at(m_pos + ahead) : QChar();
    }
    void skipSpace()
    {
        while (!atEnd() && peek().isSpace())
            ++m_pos;
    }

    std::nullopt_t fail(const QString &message, qsizetype at = -1)
    {
        // The first failure is the one that counts: callers only pass it up.
        if (m_error.message.isEmpty())
            m_error = QueryError{message, (at < 0 ? m_pos : at) + 1};
        return std::nullopt;
    }
    // "…, found 'xyz'" with what stands at the current position.
    std::nullopt_t failFound(const QString &expected)
    {
        if (atEnd())
            return fail(expected % u", found the end"_s);
        const qsizetype start = m_pos;
        qsizetype end = start;
        while (end < m_text.size() && isBareChar(m_text.at(end)))
            ++end;
        const QString found = end > start ? m_text.mid(start, qMin<qsizetype>(end - start, 40))
                                          : QString(m_text.at(start));
        return fail(expected % u", found "_s % quoted(found));
    }

    // The bare word at the current position, not consumed.
    QString peekWord() const
    {
        qsizetype end = m_pos;
        while (end < m_text.size() && isBareChar(m_text.at(end)))
            ++end;
        return m_text.mid(m_pos, end - m_pos);
    }
    bool takeKeyword(QLatin1StringView keyword)
    {
        if (peekWord().compare(keyword, Qt::CaseInsensitive) != 0)
            return false;
        m_pos += keyword.size();
        return true;
    }

    std::optional<PredicateNode> expression()
    {
        return chain(PredicateNode::Kind::Or, "or"_L1, &Parser::term);
    }
    std::optional<PredicateNode> term()
    {
        return chain(PredicateNode::Kind::And, "and"_L1, &Parser::factor);
    }
    // operand (keyword operand)*, as one flat node: long chains cost no depth.
    std::optional<PredicateNode> chain(PredicateNode::Kind kind, QLatin1StringView keyword,
                                       std::optional<PredicateNode> (Parser::*operand)())
    {
        auto first = (this->*operand)();
        if (!first)
            return std::nullopt;
        PredicateNode node;
        node.kind = kind;
        node.children.push_back(std::move(*first));
        for (;;) {
            skipSpace();
            if (!takeKeyword(keyword))
                break;
            skipSpace();
            auto next = (this->*operand)();
            if (!next)
                return std::nullopt;
            node.children.push_back(std::move(*next));
        }
        if (node.children.size() == 1)
            return std::move(node.children.front());
        return node;
    }

    std::optional<PredicateNode> factor()
    {
        skipSpace();
        const qsizetype start = m_pos;
        const bool isNot = takeKeyword("not"_L1);
        if (isNot || peek() == u'(') {
            if (++m_depth > Predicate::MaxDepth)
                return fail(u"more than %1 nested parentheses or 'not's"_s.arg(Predicate::MaxDepth),
                            start);
            std::optional<PredicateNode> inner;
            if (isNot) {
                skipSpace();
                inner = factor();
                if (inner) {
                    PredicateNode node;
                    node.kind = PredicateNode::Kind::Not;
                    node.children.push_back(std::move(*inner));
                    inner = std::move(node);
                }
            } else {
                ++m_pos;
                skipSpace();
                inner = expression();
                if (inner) {
                    skipSpace();
                    if (peek() != u')')
                        return failFound(
                            u"expected ')' to close the '(' at column %1"_s.arg(start + 1));
                    ++m_pos;
                }
            }
            --m_depth;
            return inner;
        }
        return comparison();
    }

    std::optional<PredicateNode> comparison()
    {
        const QString word = peekWord();
        if (word.compare("and"_L1, Qt::CaseInsensitive) == 0 ||
            word.compare("or"_L1, Qt::CaseInsensitive) == 0)
            return fail(u"expected a path, found the keyword %1 (quote a key spelled like a "
                        u"keyword: \"%2\")"_s.arg(quoted(word), word));
        auto target = path();
        if (!target)
            return std::nullopt;
        PredicateNode node;
        node.path = std::move(*target);
        skipSpace();
        const QString opName = operatorAt();
        if (opName.isEmpty())
            return failFound(u"expected an operator (== != < <= > >= contains matches) or "
                             u"exists/missing after the path"_s);
        if (opName == "exists"_L1 || opName == "missing"_L1) {
            node.kind =
                opName == "exists"_L1 ? PredicateNode::Kind::Exists : PredicateNode::Kind::Missing;
            return node;
        }
        node.kind = PredicateNode::Kind::Compare;
        node.op = opFromName(opName);
        skipSpace();
        if (atEnd())
            return fail(u"expected a value after %1"_s.arg(quoted(opName)));
        const qsizetype valueStart = m_pos;
        auto literal = value();
        if (!literal)
            return std::nullopt;
        node.value = *literal;
        if (node.op == PredicateNode::Op::Matches) {
            if (!node.value.isString())
                return fail(u"'matches' takes a regular expression as a \"string\""_s, valueStart);
            node.regex.setPattern(node.value.toString());
            if (!node.regex.isValid())
                return fail(u"invalid regular expression: "_s % node.regex.errorString(),
                            valueStart);
            node.regex.optimize();
        }
        return node;
    }

    // The operator at the current position, consumed; empty when there is none. Words are
    // returned in lower case.
    QString operatorAt()
    {
        static const QLatin1StringView symbols[] = {"=="_L1, "!="_L1, "<="_L1,
                                                    ">="_L1, "<"_L1,  ">"_L1};
        for (const QLatin1StringView symbol : symbols) {
            if (QStringView(m_text).mid(m_pos).startsWith(symbol)) {
                m_pos += symbol.size();
                return symbol;
            }
        }
        if (peek() == u'=') {
            fail(u"'=' is not an operator; equality is '=='"_s);
            return {};
        }
        static const QLatin1StringView words[] = {"contains"_L1, "matches"_L1, "exists"_L1,
                                                  "missing"_L1};
        for (const QLatin1StringView word : words) {
            if (takeKeyword(word))
                return word;
        }
        return {};
    }

    static PredicateNode::Op opFromName(const QString &name)
    {
        using Op = PredicateNode::Op;
        for (const Op op : {Op::Equal, Op::NotEqual, Op::Less, Op::LessEqual, Op::Greater,
                            Op::GreaterEqual, Op::Contains, Op::Matches}) {
            if (PredicateNode::opName(op) == name)
                return op;
        }
        Q_UNREACHABLE();
        return Op::Equal;
    }

    std::optional<QueryPath> path()
    {
        QVector<PathStep> steps;
        if (!atEnd() && peek() == u'[') {
            if (!bracketStep(steps))
                return std::nullopt;
        } else if (!keyStep(steps, u"expected a path"_s)) {
            return std::nullopt;
        }
        for (;;) {
            if (peek() == u'.') {
                ++m_pos;
                if (!keyStep(steps, u"expected a key after '.'"_s))
                    return std::nullopt;
            } else if (peek() == u'[') {
                if (!bracketStep(steps))
                    return std::nullopt;
            } else {
                break;
            }
        }
        return QueryPath(std::move(steps));
    }

    bool keyStep(QVector<PathStep> &steps, const QString &expected)
    {
        PathStep step;
        if (peek() == u'"') {
            auto key = jsonString();
            if (!key)
                return false;
            step.key = *key;
        } else {
            step.key = peekWord();
            if (step.key.isEmpty()) {
                failFound(expected);
                return false;
            }
            m_pos += step.key.size();
        }
        steps.append(step);
        return true;
    }

    // [12] or ["odd key"]
    bool bracketStep(QVector<PathStep> &steps)
    {
        const qsizetype open = m_pos;
        ++m_pos;
        PathStep step;
        if (peek() == u'"') {
            auto key = jsonString();
            if (!key)
                return false;
            step.key = *key;
        } else {
            const qsizetype digits = m_pos;
            while (!atEnd() && peek().isDigit() && peek().unicode() < 128)
                ++m_pos;
            bool ok = false;
            step.index = QStringView(m_text).mid(digits, m_pos - digits).toLongLong(&ok);
            if (!ok) {
                m_pos = digits;
                failFound(u"expected an array index (0, 1, ...) or a \"key\" after '['"_s);
                return false;
            }
            step.kind = PathStep::Kind::Index;
        }
        if (peek() != u']') {
            failFound(u"expected ']' to close the '[' at column %1"_s.arg(open + 1));
            return false;
        }
        ++m_pos;
        steps.append(step);
        return true;
    }

    // A JSON string at the current position ("..." with JSON's escapes), decoded.
    std::optional<QString> jsonString()
    {
        const qsizetype open = m_pos;
        ++m_pos;
        QString result;
        while (!atEnd() && peek() != u'"') {
            const QChar c = peek();
            ++m_pos;
            if (c != u'\\') {
                result += c;
                continue;
            }
            const qsizetype escape = m_pos - 1;
            const QChar kind = peek();
            ++m_pos;
            switch (kind.unicode()) {
            case u'"':
                result += u'"';
                break;
            case u'\\':
                result += u'\\';
                break;
            case u'/':
                result += u'/';
                break;
            case u'b':
                result += u'\b';
                break;
            case u'f':
                result += u'\f';
                break;
            case u'n':
                result += u'\n';
                break;
            case u'r':
                result += u'\r';
                break;
            case u't':
                result += u'\t';
                break;
            case u'u': {
                bool ok = false;
                const QStringView hex = QStringView(m_text).mid(m_pos, 4);
                const uint code = hex.size() == 4 ? hex.toUInt(&ok, 16) : 0;
                if (!ok)
                    return fail(u"expected four hex digits after \\u"_s, escape);
                result += QChar(char16_t(code));
                m_pos += 4;
                break;
            }
            default:
                return fail(u"unknown escape in a string (known: \\\" \\\\ \\/ \\b \\f \\n \\r "
                            u"\\t \\uXXXX)"_s,
                            escape);
            }
        }
        if (atEnd())
            return fail(u"the string that starts here is not closed with '\"'"_s, open);
        ++m_pos;
        return result;
    }

    // A JSON literal. Strings are read here (with exact columns); other literals are cut out
    // (balanced brackets for arrays and objects, else up to a space or parenthesis) and parsed
    // by QJsonDocument.
    std::optional<QJsonValue> value()
    {
        const qsizetype start = m_pos;
        if (peek() == u'"') {
            auto text = jsonString();
            if (!text)
                return std::nullopt;
            return QJsonValue(*text);
        }
        if (peek() == u'[' || peek() == u'{') {
            int depth = 0;
            bool inString = false;
            while (!atEnd()) {
                const QChar c = peek();
                ++m_pos;
                if (inString) {
                    if (c == u'\\')
                        ++m_pos;
                    else if (c == u'"')
                        inString = false;
                } else if (c == u'"') {
                    inString = true;
                } else if (c == u'[' || c == u'{') {
                    ++depth;
                } else if (c == u']' || c == u'}') {
                    if (--depth == 0)
                        break;
                }
            }
            if (depth != 0 || inString)
                return fail(
                    u"the %1 that starts here is not closed"_s.arg(quoted(m_text.at(start))),
                    start);
        } else {
            while (!atEnd() && !peek().isSpace() && peek() != u'(' && peek() != u')')
                ++m_pos;
            if (m_pos == start) {
                return failFound(u"expected a value"_s);
            }
        }
        const QString literal = m_text.mid(start, m_pos - start);
        QJsonParseError parseError;
        const QJsonDocument document =
            QJsonDocument::fromJson(QString(u'[' % literal % u']').toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError || document.array().size() != 1) {
            QString message = u"expected a JSON value (number, \"string\", true, false, null, "
                              u"[...] or {...}), found "_s %
                              quoted(literal.left(40));
            if (literal.front().isLetter())
                message += u"; strings are quoted: \""_s % literal.left(40) % u'"';
            return fail(message, start);
        }
        return document.array().first();
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    int m_depth = 0;
    QueryError m_error;
};

bool ordered(const QJsonValue &left, const QJsonValue &right, PredicateNode::Op op)
{
    int order = 0;
    if (left.isDouble() && right.isDouble()) {
        const double a = left.toDouble();
        const double b = right.toDouble();
        order = a < b ? -1 : (a > b ? 1 : 0);
    } else if (left.isString() && right.isString()) {
        order = left.toString().compare(right.toString());
    } else {
        return false;
    }
    switch (op) {
    case PredicateNode::Op::Less:
        return order < 0;
    case PredicateNode::Op::LessEqual:
        return order <= 0;
    case PredicateNode::Op::Greater:
        return order > 0;
    case PredicateNode::Op::GreaterEqual:
        return order >= 0;
    default:
        return false;
    }
}

bool compare(const PredicateNode &node, const QJsonValue &actual)
{
    using Op = PredicateNode::Op;
    switch (node.op) {
    case Op::Equal:
        return !actual.isUndefined() && actual == node.value;
    case Op::NotEqual:
        return actual.isUndefined() || actual != node.value;
    case Op::Less:
    case Op::LessEqual:
    case Op::Greater:
    case Op::GreaterEqual:
        return ordered(actual, node.value, node.op);
    case Op::Contains:
        if (actual.isString())
            return node.value.isString() && actual.toString().contains(node.value.toString());
        if (actual.isArray())
            return actual.toArray().contains(node.value);
        return false;
    case Op::Matches:
        return actual.isString() && node.regex.match(actual.toString()).hasMatch();
    }
    return false;
}

// Recursion is bounded: the tree is at most Predicate::MaxDepth deep below flat and/or chains.
bool evaluate(const PredicateNode &node, const Predicate::ValueLookup &valueAt)
{
    using Kind = PredicateNode::Kind;
    switch (node.kind) {
    case Kind::And:
        for (const PredicateNode &child : node.children) {
            if (!evaluate(child, valueAt))
                return false;
        }
        return true;
    case Kind::Or:
        for (const PredicateNode &child : node.children) {
            if (evaluate(child, valueAt))
                return true;
        }
        return false;
    case Kind::Not:
        return !evaluate(node.children.front(), valueAt);
    case Kind::Exists:
        return !valueAt(node.path).isUndefined();
    case Kind::Missing:
        return valueAt(node.path).isUndefined();
    case Kind::Compare:
        return compare(node, valueAt(node.path));
    }
    return false;
}

bool tooLong(const QString &text, QueryError *error)
{
    if (text.size() <= Predicate::MaxLength)
        return false;
    *error = QueryError{u"longer than %1 characters"_s.arg(Predicate::MaxLength),
                        Predicate::MaxLength + 1};
    return true;
}

} // namespace

QJsonValue QueryPath::valueIn(const QJsonValue &document) const
{
    QJsonValue value = document;
    for (const PathStep &step : m_steps) {
        // operator[] gives Undefined for a missing key or index and for the wrong kind.
        value = step.kind == PathStep::Kind::Key ? value[step.key] : value[step.index];
        if (value.isUndefined())
            break;
    }
    return value;
}

QJsonValue QueryPath::valueIn(const QJsonObject &document) const
{
    return valueIn(QJsonValue(document));
}

QString QueryPath::display() const
{
    QString text;
    for (const PathStep &step : m_steps) {
        text = step.kind == PathStep::Kind::Key ? JsonPath::childKey(text, step.key)
                                                : JsonPath::childIndex(text, step.index);
    }
    return text;
}

QString QueryError::text() const
{
    return u"column %1: %2"_s.arg(column).arg(message);
}

QString PredicateNode::opName(Op op)
{
    switch (op) {
    case Op::Equal:
        return u"=="_s;
    case Op::NotEqual:
        return u"!="_s;
    case Op::Less:
        return u"<"_s;
    case Op::LessEqual:
        return u"<="_s;
    case Op::Greater:
        return u">"_s;
    case Op::GreaterEqual:
        return u">="_s;
    case Op::Contains:
        return u"contains"_s;
    case Op::Matches:
        return u"matches"_s;
    }
    return {};
}

std::optional<Predicate> Predicate::parse(const QString &text, QueryError *error)
{
    if (tooLong(text, error))
        return std::nullopt;
    Parser parser(text);
    auto root = parser.predicate();
    if (!root) {
        *error = parser.error();
        return std::nullopt;
    }
    return Predicate(std::move(*root), text);
}

std::optional<QueryPath> Predicate::parsePath(const QString &text, QueryError *error)
{
    if (tooLong(text, error))
        return std::nullopt;
    Parser parser(text);
    auto path = parser.pathOnly();
    if (!path)
        *error = parser.error();
    return path;
}

bool Predicate::holds(const QJsonObject &document) const
{
    return holds(QJsonValue(document));
}

bool Predicate::holds(const QJsonValue &document) const
{
    return evaluate(m_root, [&document](const QueryPath &path) { return path.valueIn(document); });
}

bool Predicate::holds(const ValueLookup &valueAt) const
{
    return evaluate(m_root, valueAt);
}

QVector<QueryPath> Predicate::paths() const
{
    QVector<QueryPath> found;
    // The tree's depth is bounded, but a stack keeps this walk free of that concern.
    std::vector<const PredicateNode *> pending{&m_root};
    while (!pending.empty()) {
        const PredicateNode *node = pending.back();
        pending.pop_back();
        if (node->children.empty()) {
            if (!found.contains(node->path))
                found.append(node->path);
            continue;
        }
        for (auto it = node->children.rbegin(); it != node->children.rend(); ++it)
            pending.push_back(&*it);
    }
    return found;
}

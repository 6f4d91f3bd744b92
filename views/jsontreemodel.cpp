#include "jsontreemodel.h"

#include "changecolors.h"

#include "decoding/payload.h"
#include "elidedtext.h"

#include "replay/eventjson.h"
#include "replay/jsonpath.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <optional>
#include <unordered_map>

using namespace Qt::StringLiterals;

struct JsonTreeModel::Node
{
    Node *parent = nullptr;
    int row = 0;
    QString key;          // object members
    qsizetype index = -1; // array items; -1 for object members
    QJsonValue value;     // the old value in removed rows
    QJsonValue before;    // changed rows: the value it replaced
    int change = NoChange;
    bool ghost = false;
    bool changedInside = false;
    std::vector<std::unique_ptr<Node>> children;
};

// One step of a display path: an object key, or an array index when index >= 0.
struct JsonTreeModel::Segment
{
    QString key;
    qsizetype index = -1;
};

namespace {

using Segment = JsonTreeModel::Segment;

QString valueText(const QJsonValue &value)
{
    if (value.isObject()) {
        const qsizetype n = value.toObject().size();
        return n == 1 ? u"{1 field}"_s : u"{%1 fields}"_s.arg(n);
    }
    if (value.isArray()) {
        const qsizetype n = value.toArray().size();
        return n == 1 ? u"[1 item]"_s : u"[%1 items]"_s.arg(n);
    }
    return elidedText(QString::fromUtf8(Payload::compact(value)), JsonTreeModel::ValueTextLength);
}

// Translucent, so that they tint light and dark palettes alike.
// Mid tones, readable on light and dark backgrounds.
QColor syntaxColor(const QJsonValue &value)
{
    if (value.isString())
        return QColor(0x3a, 0x9a, 0x4a);
    if (value.isDouble())
        return QColor(0x3d, 0x8b, 0xd9);
    if (value.isBool() || value.isNull())
        return QColor(0xc0, 0x5c, 0xc0);
    return QColor(0x88, 0x88, 0x88);
}

// Reverses JsonPath::childKey/childIndex; nothing for text those do not produce.
std::optional<QVector<Segment>> parsePath(const QString &path)
{
    QVector<Segment> segments;
    QString rebuilt;
    const qsizetype n = path.size();
    qsizetype i = 0;
    while (i < n) {
        if (path.at(i) == u'[' && i + 1 < n && path.at(i + 1) == u'"') {
            QString key;
            qsizetype j = i + 2;
            for (; j < n && path.at(j) != u'"'; ++j) {
                if (path.at(j) == u'\\' && j + 1 < n)
                    ++j;
                key += path.at(j);
            }
            if (j + 1 >= n || path.at(j + 1) != u']')
                return std::nullopt;
            segments.append({key, -1});
            rebuilt = JsonPath::childKey(rebuilt, key);
            i = j + 2;
        } else if (path.at(i) == u'[') {
            const qsizetype close = path.indexOf(u']', i);
            bool ok = false;
            const qsizetype index = path.mid(i + 1, close - i - 1).toLongLong(&ok);
            if (close < 0 || !ok || index < 0)
                return std::nullopt;
            segments.append({QString(), index});
            rebuilt = JsonPath::childIndex(rebuilt, index);
            i = close + 1;
        } else {
            if (!segments.isEmpty()) {
                if (path.at(i) != u'.')
                    return std::nullopt;
                ++i;
            }
            qsizetype j = i;
            while (j < n && path.at(j) != u'.' && path.at(j) != u'[')
                ++j;
            const QString key = path.mid(i, j - i);
            segments.append({key, -1});
            rebuilt = JsonPath::childKey(rebuilt, key);
            i = j;
        }
    }
    // Anything odd ("a..b", "[01]", a key that should have been quoted) fails to round-trip.
    if (rebuilt != path)
        return std::nullopt;
    return segments;
}

std::unique_ptr<JsonTreeModel::Node> makeNode(JsonTreeModel::Node *parent, int row,
                                              const QString &key, qsizetype index,
                                              const QJsonValue &value, bool ghost);

// Builds the whole subtree at once: one pass over the value, so a reset costs O(size).
void buildChildren(JsonTreeModel::Node *node)
{
    if (node->value.isObject()) {
        const QJsonObject object = node->value.toObject();
        node->children.reserve(size_t(object.size()));
        int row = 0;
        for (auto it = object.begin(); it != object.end(); ++it, ++row)
            node->children.push_back(makeNode(node, row, it.key(), -1, it.value(), node->ghost));
    } else if (node->value.isArray()) {
        const QJsonArray array = node->value.toArray();
        node->children.reserve(size_t(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i)
            node->children.push_back(
                makeNode(node, int(i), QString(), i, array.at(i), node->ghost));
    }
}

std::unique_ptr<JsonTreeModel::Node> makeNode(JsonTreeModel::Node *parent, int row,
                                              const QString &key, qsizetype index,
                                              const QJsonValue &value, bool ghost)
{
    auto node = std::make_unique<JsonTreeModel::Node>();
    node->parent = parent;
    node->row = row;
    node->key = key;
    node->index = index;
    node->value = value;
    node->ghost = ghost;
    if (ghost)
        node->change = int(JsonChange::Kind::Removed);
    buildChildren(node.get());
    return node;
}

// Children of an added member are new as well.
void markSubtree(JsonTreeModel::Node *node, int change)
{
    for (const auto &child : node->children) {
        child->change = change;
        markSubtree(child.get(), change);
    }
}

bool lessThan(const JsonTreeModel::Node &a, const JsonTreeModel::Node &b)
{
    return a.index >= 0 ? a.index < b.index : a.key < b.key;
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setJson(const QJsonValue &value, const QVector<JsonChange> &changes)
{
    beginResetModel();
    m_json = value;
    m_changed.clear();
    m_root = std::make_unique<Node>();
    m_root->value = value;
    m_scalarRoot = !value.isObject() && !value.isArray() && !value.isUndefined();
    if (m_scalarRoot)
        m_root->children.push_back(makeNode(m_root.get(), 0, QString(), -1, value, false));
    else
        buildChildren(m_root.get());
    applyChanges(changes);
    endResetModel();
}

void JsonTreeModel::applyChanges(const QVector<JsonChange> &changes)
{
    const auto markAncestors = [this](Node *node) {
        for (; node != m_root.get() && !node->changedInside; node = node->parent)
            node->changedInside = true;
    };
    // Ghost rows are merged into their parents after all lookups, once per parent: inserting
    // them one by one would be quadratic when many members of one object went away.
    std::unordered_map<Node *, std::vector<std::unique_ptr<Node>>> ghosts;
    for (const JsonChange &change : changes) {
        const auto parsed = parsePath(change.path);
        if (!parsed)
            continue;
        const QVector<Segment> &segments = *parsed;

        if (change.kind != JsonChange::Kind::Removed) {
            Node *node = segments.isEmpty() ? find(QString()) : walk(segments, segments.size());
            if (!node)
                continue;
            node->change = int(change.kind);
            node->before = change.before;
            if (change.kind == JsonChange::Kind::Added)
                markSubtree(node, node->change);
            m_changed.push_back(node);
            markAncestors(node->parent);
            continue;
        }

        if (segments.isEmpty())
            continue;
        Node *parent = walk(segments, segments.size() - 1);
        const Segment &last = segments.constLast();
        if (!parent || (last.index >= 0 ? !parent->value.isArray() : !parent->value.isObject()) ||
            walk(segments, segments.size()))
            continue;
        auto ghost = makeNode(parent, 0, last.key, last.index, change.before, true);
        m_changed.push_back(ghost.get());
        markAncestors(parent);
        ghosts[parent].push_back(std::move(ghost));
    }

    for (auto &[parent, added] : ghosts) {
        const auto less = [](const std::unique_ptr<Node> &a, const std::unique_ptr<Node> &b) {
            return lessThan(*a, *b);
        };
        std::stable_sort(added.begin(), added.end(), less);
        std::vector<std::unique_ptr<Node>> merged;
        merged.reserve(parent->children.size() + added.size());
        std::merge(std::make_move_iterator(parent->children.begin()),
                   std::make_move_iterator(parent->children.end()),
                   std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()),
                   std::back_inserter(merged), less);
        parent->children = std::move(merged);
        for (size_t i = 0; i < parent->children.size(); ++i)
            parent->children[i]->row = int(i);
    }
}

JsonTreeModel::Node *JsonTreeModel::walk(const QVector<Segment> &segments, qsizetype count) const
{
    Node *node = m_root.get();
    if (m_scalarRoot)
        return count == 0 ? node : nullptr;
    for (qsizetype i = 0; i < count; ++i) {
        const Segment &segment = segments.at(i);
        if (segment.index >= 0 ? !node->value.isArray() : !node->value.isObject())
            return nullptr;
        Node probe;
        probe.key = segment.key;
        probe.index = segment.index;
        // Children are in key (or index) order, ghosts included.
        const auto it = std::lower_bound(
            node->children.cbegin(), node->children.cend(), probe,
            [](const std::unique_ptr<Node> &child, const Node &p) { return lessThan(*child, p); });
        if (it == node->children.cend() || lessThan(probe, **it))
            return nullptr;
        node = it->get();
    }
    return node;
}

JsonTreeModel::Node *JsonTreeModel::find(const QString &path) const
{
    if (path.isEmpty())
        return m_scalarRoot ? m_root->children.front().get() : nullptr;
    const auto segments = parsePath(path);
    return segments ? walk(*segments, segments->size()) : nullptr;
}

QModelIndex JsonTreeModel::indexForPath(const QString &path) const
{
    Node *node = find(path);
    return node ? indexOf(node) : QModelIndex();
}

QModelIndexList JsonTreeModel::changedIndexes() const
{
    QModelIndexList result;
    result.reserve(qsizetype(m_changed.size()));
    for (Node *node : m_changed)
        result.append(indexOf(node));
    return result;
}

JsonTreeModel::Node *JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::indexOf(Node *node) const
{
    return createIndex(node->row, KeyColumn, node);
}

QString JsonTreeModel::pathOf(const Node *node) const
{
    if (node == m_root.get() || m_scalarRoot)
        return QString();
    const QString parent = pathOf(node->parent);
    return node->index >= 0 ? JsonPath::childIndex(parent, node->index)
                            : JsonPath::childKey(parent, node->key);
}

QueryPath JsonTreeModel::queryPathOf(const QModelIndex &index) const
{
    if (!index.isValid() || m_scalarRoot)
        return {};
    QVector<PathStep> steps;
    for (const Node *node = nodeOf(index); node && node != m_root.get(); node = node->parent) {
        PathStep step;
        if (node->index >= 0) {
            step.kind = PathStep::Kind::Index;
            step.index = node->index;
        } else {
            step.key = node->key;
        }
        steps.prepend(step);
    }
    return QueryPath(std::move(steps));
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, nodeOf(parent)->children.at(size_t(row)).get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    Node *parent = nodeOf(child)->parent;
    return parent == m_root.get() ? QModelIndex() : indexOf(parent);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    // Only the first column has children, as in QTreeView's expectations.
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *node = nodeOf(index);
    const bool keyColumn = index.column() == KeyColumn;
    switch (role) {
    case Qt::DisplayRole:
        if (keyColumn)
            return node->index >= 0 ? u'[' + QString::number(node->index) + u']' : node->key;
        return valueText(node->value);
    case Qt::ToolTipRole:
        if (keyColumn)
            return pathOf(node);
        if (node->change == int(JsonChange::Kind::Changed) && !node->before.isUndefined())
            return tr("was %1").arg(valueText(node->before));
        break;
    case Qt::BackgroundRole:
        if (node->change != NoChange)
            return QBrush(changeColor(JsonChange::Kind(node->change)));
        break;
    case Qt::ForegroundRole:
        if (!keyColumn)
            return QBrush(syntaxColor(node->value));
        break;
    case Qt::FontRole:
        if (node->ghost || (keyColumn && node->changedInside)) {
            QFont font;
            font.setStrikeOut(node->ghost);
            font.setBold(keyColumn && node->changedInside);
            return font;
        }
        break;
    case PathRole:
        return pathOf(node);
    case ChangeRole:
        return node->change;
    case JsonRole:
        return node->value;
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case KeyColumn:
        return tr("Field");
    case ValueColumn:
        return tr("Value");
    }
    return {};
}

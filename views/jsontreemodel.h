#pragma once

// A tree over one JSON value, for the replayed state and the event inspector. Given the
// changes that led to the value (JsonDiff), rows at changed paths are highlighted, parents of
// changes are marked so that a collapsed tree still shows where to look, and removed members
// stay visible as struck-out ghost rows holding their old value.

#include "query/predicate.h"
#include "replay/jsondiff.h"

#include <QAbstractItemModel>
#include <QJsonValue>
#include <QModelIndexList>
#include <QString>
#include <QVector>

#include <memory>
#include <vector>

class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Columns { KeyColumn, ValueColumn, ColumnCount };
    enum Roles {
        PathRole = Qt::UserRole, // display path as JsonDiff writes it ("tags[2]")
        ChangeRole,              // NoChange or int(JsonChange::Kind)
        JsonRole                 // the node's value; the old value in removed rows
    };
    static constexpr int NoChange = -1;
    // Scalars longer than this are cut in the value column.
    static constexpr int ValueTextLength = 1000;
    // Defined in the .cpp; declared here so that the helpers there can name them.
    struct Node;
    struct Segment;

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    // An object or array shows its members as top-level rows; a scalar is one row with an
    // empty key and path. Changes whose path (or, when removed, whose parent) is not in the
    // value are ignored: they cannot come from a diff that ended in this value.
    void setJson(const QJsonValue &value, const QVector<JsonChange> &changes = {});
    QJsonValue json() const { return m_json; }
    // The keys and array indexes from the root to the row, as the tree holds them (a key may
    // hold dots, brackets or quotes: nothing is parsed back from text). Empty for the root, an
    // invalid index and a scalar value.
    QueryPath queryPathOf(const QModelIndex &index) const;
    // Column 0 of the row at a display path; invalid when there is none.
    QModelIndex indexForPath(const QString &path) const;
    // Column 0 of the rows the changes name, in the order of the changes.
    QModelIndexList changedIndexes() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(Node *node) const;
    QString pathOf(const Node *node) const;
    // The node reached from the invisible root by the first `count` segments, or nullptr.
    Node *walk(const QVector<Segment> &segments, qsizetype count) const;
    Node *find(const QString &path) const;
    void applyChanges(const QVector<JsonChange> &changes);

    QJsonValue m_json;
    std::unique_ptr<Node> m_root; // invisible; its children are the top-level rows
    bool m_scalarRoot = false;
    std::vector<Node *> m_changed;
};

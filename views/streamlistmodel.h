#pragma once

// The list of streams of a store, for the stream dock: name, number of events and time of the
// last event. Streams arrive in keyset pages as the view scrolls (canFetchMore/fetchMore), so
// a store with millions of streams opens at once; filtering and sorting run in the database.

#include "core/event.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QString>
#include <QVector>

class EventStore;

class StreamListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns { StreamColumn, EventsColumn, LastTimeColumn, ColumnCount };
    enum Roles { StreamRole = Qt::UserRole, EventCountRole, FirstVersionRole, LastVersionRole };
    static constexpr int PageSize = 200;

    explicit StreamListModel(QObject *parent = nullptr);

    // Not owned; nullptr empties the model. Resets and loads the first page.
    void setStore(EventStore *store);
    EventStore *store() const { return m_store; }
    // Case-insensitive substring of the stream name; resets and loads the first page.
    void setFilter(const QString &filter);
    QString filter() const { return m_filter; }
    // The row among the loaded ones, -1 when it is not loaded (or not there).
    int rowOfStream(const QString &stream) const;
    // The last failed page query; empty when the last query succeeded.
    QString errorString() const { return m_error; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    // StreamColumn: name order, EventsColumn: most events first (ties in name order). The
    // store pages in these directions only, so `order` does not reverse them; the last-event
    // column cannot be sorted and leaves the order as it is.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

signals:
    void errorOccurred(const QString &message);

private:
    void reload();
    // The next page after the loaded rows, or nothing (and the end reached) on failure.
    bool loadPage(QVector<StreamInfo> *page);
    void append(const QVector<StreamInfo> &page);

    EventStore *m_store = nullptr;
    QString m_filter;
    StreamQuery::Order m_order = StreamQuery::Order::Name;
    QVector<StreamInfo> m_rows;
    QHash<QString, int> m_rowOfStream;
    bool m_atEnd = true;
    // Set while rows are loaded. Views (and QAbstractItemModelTester) call fetchMore from the
    // signals the model emits meanwhile: during an insert a nested fetch would load the same
    // page twice, and inside modelReset it would insert rows before every receiver has seen
    // the reset.
    bool m_fetching = false;
    QString m_error;
};

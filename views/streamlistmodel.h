#pragma once

// The list of streams of a store, for the stream dock: name, number of events and time of the
// last event. A KeysetPagedModel: pages of streams are read by keyset on the session's worker
// as the view shows them, so a store with millions of streams opens at once and a keystroke in
// the filter never waits for the database; filtering and ordering run in the store (or its
// index), in the order it gives. Before the store's index is built, a large store lists its
// streams by name only (EventStore::streamsForFirstPaint; the counts show as placeholders);
// once the index is ready they are read again, with their counts, in NaturalOrder.

#include "core/event.h"
#include "keysetpagedmodel.h"

#include <QHash>
#include <QString>
#include <QVector>

class StoreSession;

class StreamListModel : public KeysetPagedModel
{
    Q_OBJECT

public:
    enum Columns { StreamColumn, EventsColumn, LastTimeColumn, ColumnCount };
    enum Roles { StreamRole = Qt::UserRole, EventCountRole, FirstVersionRole, LastVersionRole };
    static constexpr int PageSize = 200;
    // A seek walks the pages before the stream on the worker in reads of this many streams
    // (the store has no row number of a stream).
    static constexpr int SeekReadSize = 5000;

    explicit StreamListModel(QObject *parent = nullptr);

    // Not owned; the session's open store is read. nullptr empties the model. Restarts.
    void setSession(StoreSession *session);
    StoreSession *session() const { return m_session; }
    // Case-insensitive substring of the stream name; restarts.
    void setFilter(const QString &filter);
    QString filter() const { return m_filter; }
    // The row among the loaded ones, -1 when it is not loaded (or not there).
    int rowOfStream(const QString &stream) const;
    // The row of the stream wherever it is, loading its page: answered by rowFound() (-1 when
    // the filter leaves it out or there is no such stream).
    void seekStream(const QString &stream) { seek(stream); }

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // StreamColumn: the store's name order, EventsColumn: most events first (ties in name
    // order). The store pages in these directions only, so `order` does not reverse them; the
    // last-event column cannot be sorted and leaves the order as it is.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    void readPage(const PageRead &read) override;
    void readCount(quint64 generation) override;
    void readSeek(quint64 generation, const QVariant &key) override;
    QVariant lastKey(int page) const override;
    void dropPage(int page) override;
    void dropAllPages() override;

private:
    void restartReads() { restart(m_session != nullptr); }
    const StreamInfo *info(int row) const;
    StreamQuery query() const;

    // A row listed by name only, before the index.
    static bool isCounted(const StreamInfo &info) { return info.events >= 0; }

    StoreSession *m_session = nullptr;
    bool m_namesOnly = false; // some rows came without counts: read again with the index
    QString m_filter;
    StreamQuery::Order m_order = StreamQuery::Order::Name;
    QHash<int, QVector<StreamInfo>> m_pages;
    QHash<QString, int> m_rowOfStream; // of the loaded rows
};

#pragma once

// The events of a store in position order, narrowed by an EventFilter (stream, types, time
// range), for the event table. Pages of events arrive by keyset on the position as the view
// scrolls; payloads stay raw bytes and are turned into one-line previews only for the rows a
// view shows.

#include "core/event.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QString>
#include <QVector>

class EventStore;

class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns {
        PositionColumn,
        TimeColumn,
        StreamColumn,
        VersionColumn,
        TypeColumn,
        DataColumn,
        ColumnCount
    };
    enum Roles {
        PositionRole = Qt::UserRole,
        StreamRole,
        VersionRole,
        TypeRole,
        TimeRole,
        DataRole,
        MetadataRole
    };
    static constexpr int PageSize = 500;
    // rowOfPosition() gives up after this many pages rather than freeze the window.
    static constexpr int MaxSeekPages = 200;
    static constexpr int PreviewLength = 200;
    static constexpr int ToolTipLength = 2000;

    explicit EventTableModel(QObject *parent = nullptr);

    // Not owned; nullptr empties the model. Resets and loads the first page.
    void setStore(EventStore *store);
    EventStore *store() const { return m_store; }
    // Stream, types and time range; afterPosition and limit are ignored, the model pages
    // itself. Resets and loads the first page.
    void setFilter(const EventFilter &filter);
    EventFilter filter() const { return m_filter; }

    const Event &event(int row) const { return m_rows.at(row); }
    // The row of the event at `position`, -1 when it is not there. With fetch, loads pages
    // until the position is reached (at most MaxSeekPages of them).
    int rowOfPosition(qint64 position, bool fetch);
    // The last failed page query; empty when the last query succeeded.
    QString errorString() const { return m_error; }

    // One line of the payload: compact JSON, or the raw text when it is not JSON.
    static QString preview(const QByteArray &data);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void errorOccurred(const QString &message);

private:
    void reload();
    // The next page after the loaded rows; false (and the end reached) on failure.
    bool loadPage(QVector<Event> *page);
    QString cachedPreview(int row) const;
    static QString toolTip(const QByteArray &data);

    EventStore *m_store = nullptr;
    EventFilter m_filter;
    QVector<Event> m_rows;
    bool m_atEnd = true;
    // Set while rows are loaded. Views (and QAbstractItemModelTester) call fetchMore from the
    // signals the model emits meanwhile: during an insert a nested fetch would load the same
    // page twice, and inside modelReset it would insert rows before every receiver has seen
    // the reset.
    bool m_fetching = false;
    QString m_error;
    // Previews of recently shown rows: repainting must not parse large payloads again.
    mutable QCache<int, QString> m_previews{1000};
};

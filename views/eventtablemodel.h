#pragma once

// The events of a store in position order, narrowed by an EventFilter (stream, types, time
// range), for the event table. A KeysetPagedModel: pages of events are read by keyset on the
// position on the session's worker as the view shows them, and jumping to an event is one
// count and one page (seekPosition). Payloads stay raw bytes and are turned into one-line
// previews only for the rows a view shows.

#include "core/event.h"
#include "keysetpagedmodel.h"

#include <QCache>
#include <QHash>
#include <QString>
#include <QVector>

#include <memory>

class StoreSession;

class EventTableModel : public KeysetPagedModel
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
    static constexpr int PreviewLength = 200;
    static constexpr int ToolTipLength = 2000;

    explicit EventTableModel(QObject *parent = nullptr);

    // Not owned; the session's open store is read. nullptr empties the model. Restarts.
    void setSession(StoreSession *session);
    StoreSession *session() const { return m_session; }
    // Stream, types and time range; afterPosition and limit are ignored, the model pages
    // itself. Restarts.
    void setFilter(const EventFilter &filter);
    EventFilter filter() const { return m_filter; }
    // A payload search's answer: the positions of the matching events, in the table's order.
    // The table then shows these events only, however many, reading a page of them by
    // position as it is shown (EventsByPosition), until the next setMatches(nullptr),
    // setFilter or setSession.
    void setMatches(std::shared_ptr<const QVector<qint64>> positions);
    bool showsMatches() const { return m_matches != nullptr; }
    std::shared_ptr<const QVector<qint64>> matches() const { return m_matches; }

    // The event of a loaded row (isRowLoaded); an empty one for a row not loaded.
    const Event &event(int row) const;
    // The row of the event at `position` among the loaded rows, -1 when it is not loaded.
    int rowOfPosition(qint64 position) const;
    // The row of the event at `position` wherever it is, loading its page: answered by
    // rowFound() (-1 when the filter leaves it out).
    void seekPosition(qint64 position) { seek(position); }

    // One line of the payload: compact JSON, or the raw text when it is not JSON.
    static QString preview(const QByteArray &data);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    void readPage(const PageRead &read) override;
    void readCount(quint64 generation) override;
    void readSeek(quint64 generation, const QVariant &key) override;
    QVariant lastKey(int page) const override;
    void dropPage(int page) override { m_pages.remove(page); }
    void dropAllPages() override;

private:
    void restartReads() { restart(m_session != nullptr); }
    QString cachedPreview(int row, const Event &event) const;
    static QString toolTip(const QByteArray &data);

    // The reads of a search's matches: their rows' positions are known, their events are read.
    void readMatchesPage(const PageRead &read);
    // A page's answer, from either read: kept and announced, unless a newer read made it stale.
    void takePage(quint64 generation, int page, const std::optional<QVector<Event>> &events,
                  const StoreError &error);
    void seekInMatches(quint64 generation, const QVariant &key);
    void indexAnswered();

    StoreSession *m_session = nullptr;
    // The whole store's count waits for the index being built (see readCount).
    bool m_countAwaitsIndex = false;
    EventFilter m_filter;
    std::shared_ptr<const QVector<qint64>> m_matches;
    QHash<int, QVector<Event>> m_pages;
    // Previews of recently shown rows: repainting must not parse large payloads again.
    mutable QCache<int, QString> m_previews{1000};
};

#pragma once

// The base of the lists that page through a store (the stream list, the event table): the
// rows are read elsewhere (the session's worker thread) a page at a time, by keyset, and
// answered later; the model keeps a bounded, sparse cache of those pages and shows a
// placeholder for a row whose page has not arrived.
//
// Pages are aligned: page p holds rows p * pageSize() .. (p + 1) * pageSize() - 1. A page is
// read after the key of the row before it when that row is loaded (one keyset page); else the
// source is told the nearest loaded row before it and how many rows lie between, and seeks
// there its own way (an index, a count). Only maxCachedPages() pages stay; the page shown least
// recently goes first.
//
// The row count is an estimate until the source has counted: the rows known so far and one
// page more while the last page read was full, so that a view can scroll on (and so asks for
// it). Every change of source, filter or order restarts the model with a new generation: an
// answer to an earlier one is dropped.

#include "core/storeerror.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QString>
#include <QVariant>

#include <atomic>
#include <functional>
#include <map>
#include <memory>

class KeysetPagedModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int DefaultMaxCachedPages = 16;

    int rowCount(const QModelIndex &parent = {}) const override;
    // False while rowCount() is an estimate (see above).
    bool isCountExact() const { return m_countExact; }
    bool isRowLoaded(int row) const;
    // For data(), on every row it shows: marks the row's page as used, or asks for it unless it
    // is asked for already; the pages asked for while a view paints are read together on the
    // next turn of the event loop. Const: the cache is not what the model shows.
    void ensureLoaded(int row) const;
    // The source's rows changed (new events): every page is read again as it is shown, and
    // the count; the rows stay (and so the view's selection and scroll) until the count says
    // otherwise.
    void refresh();
    // The row of the key (see rowFound), loading its page: one request, whatever the row.
    void seek(const QVariant &key);
    // True when no read is waiting for its answer.
    bool isSettled() const
    {
        return m_pending.isEmpty() && m_wanted.isEmpty() && !m_counting && m_seeks == 0;
    }
    int pageSize() const { return m_pageSize; }
    int maxCachedPages() const { return m_maxCachedPages; }
    int cachedPageCount() const { return int(m_pages.size()); }
    // The last failed read; none after a restart.
    const StoreError &lastError() const { return m_error; }
    QString errorString() const { return m_error.message; }
    // The text of a cell whose row has not arrived.
    static QString placeholder() { return QStringLiteral("…"); }

signals:
    void countChanged(int count, bool exact);
    void errorOccurred(const StoreError &error);
    // The answer to seek(key): the row of the key, or -1 when the rows hold no such key.
    void rowFound(int row, const QVariant &key);
    // The last outstanding read has been answered.
    void settled();

protected:
    // What a source reads for readPage(): rows firstRow .. firstRow + limit - 1, which start
    // right after the row afterRow with the key `after` (afterRow -1, `after` null: from the
    // first row). countKnown: the exact count, or -1, for a source that can seek from the end.
    struct PageRead
    {
        quint64 generation = 0;
        int page = 0;
        int firstRow = 0;
        int limit = 0;
        int afterRow = -1;
        QVariant after;
        qint64 countKnown = -1;
    };

    KeysetPagedModel(int pageSize, int maxCachedPages, QObject *parent);

    // Drops every row and every answer not yet arrived; with a source, reads the first page
    // and the count. Subclasses call it when their store, filter or order changes.
    void restart(bool hasSource);
    // True when answers of the generation are still wanted: the latest, and nothing failed
    // since its restart (the first failure is reported, the rest would repeat it).
    bool isCurrent(quint64 generation) const { return generation == m_generation && !m_failed; }
    // For a source on another thread: false once the model has restarted after `generation`,
    // so that a read nobody waits for is skipped. Callable from any thread.
    std::function<bool()> stillWanted(quint64 generation) const;
    bool isPageLoaded(int page) const { return m_pages.count(page) > 0; }

    // The reads, answered on the GUI thread with the calls below (a stale answer is dropped
    // there, so the source need not care).
    virtual void readPage(const PageRead &read) = 0;
    virtual void readCount(quint64 generation) = 0;
    // Reads the row of the key and the page holding it; answered by seekArrived().
    virtual void readSeek(quint64 generation, const QVariant &key) = 0;
    // The key of a loaded page's last row, for the page after it.
    virtual QVariant lastKey(int page) const = 0;
    // The subclass keeps the rows: it stores a page with the answers below, and lets it go here.
    virtual void dropPage(int page) = 0;
    virtual void dropAllPages() = 0;

    // A page of `rows` rows, stored by the subclass just before; fewer than pageSize() means the
    // rows end there. An answer of an earlier generation must not be stored: the subclass asks
    // isCurrent() first (and these ignore it too).
    void pageArrived(quint64 generation, int page, int rows);
    // count -1: the source cannot count cheaply; the estimate stays until the last page, or
    // until the source can and calls recount().
    void countArrived(quint64 generation, qint64 count);
    // Reads the count again (readCount, on the next turn of the event loop), the rows staying
    // as they are.
    void recount();
    // The page holding `row`, stored by the subclass as for pageArrived (rows: its size); row -1
    // when the key is not among the rows (page -1: nothing stored).
    void seekArrived(quint64 generation, const QVariant &key, int page, int rows, int row);
    void readFailed(quint64 generation, const StoreError &error);

private:
    void setCount(int count, bool exact);
    // Records a page the subclass stored and what it says about the count.
    void storePage(int page, int rows);
    void requestWanted();
    // Lets the least recently shown pages go, never `keep` (the one that just arrived).
    void evictLeastUsed(int keep);
    void settle();

    const int m_pageSize;
    const int m_maxCachedPages;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<quint64>> m_sharedGeneration =
        std::make_shared<std::atomic<quint64>>(0);
    int m_count = 0;
    bool m_countExact = true;
    bool m_hasSource = false;
    struct Page
    {
        int rows = 0;     // the last page may be short
        quint64 used = 0; // m_useClock when a view last showed a row of it
    };
    // Pages stored by the subclass.
    mutable std::map<int, Page> m_pages;
    mutable quint64 m_useClock = 0;
    QSet<int> m_pending;        // asked for, not answered
    mutable QSet<int> m_wanted; // asked for by views, read on the next turn of the event loop
    mutable int m_lastWantedPage = 0;
    mutable bool m_requestQueued = false;
    bool m_counting = false;
    int m_seeks = 0;       // asked for, not answered
    QVariant m_seekKey;    // of the latest seek
    bool m_failed = false; // no more reads until a restart: each would repeat the error
    StoreError m_error;
};

#include "keysetpagedmodel.h"

#include <QTimer>

#include <algorithm>
#include <climits>
#include <cstdlib>

KeysetPagedModel::KeysetPagedModel(int pageSize, int maxCachedPages, QObject *parent)
    : QAbstractTableModel(parent), m_pageSize(pageSize), m_maxCachedPages(qMax(2, maxCachedPages))
{
}

int KeysetPagedModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_count;
}

bool KeysetPagedModel::isRowLoaded(int row) const
{
    const auto page = m_pages.find(row / m_pageSize);
    return row >= 0 && page != m_pages.end() && row % m_pageSize < page->second.rows;
}

void KeysetPagedModel::ensureLoaded(int row) const
{
    if (row < 0 || row >= m_count || m_failed)
        return;
    const int page = row / m_pageSize;
    if (const auto loaded = m_pages.find(page); loaded != m_pages.end()) {
        loaded->second.used = ++m_useClock;
        return;
    }
    m_lastWantedPage = page;
    if (m_pending.contains(page) || m_wanted.contains(page))
        return;
    m_wanted.insert(page);
    if (!m_requestQueued) {
        m_requestQueued = true;
        // A const_cast of the model, not of what it shows: data() asks, the next turn reads.
        auto *self = const_cast<KeysetPagedModel *>(this);
        QTimer::singleShot(0, self, [self] { self->requestWanted(); });
    }
}

void KeysetPagedModel::requestWanted()
{
    m_requestQueued = false;
    QList<int> pages(m_wanted.cbegin(), m_wanted.cend());
    m_wanted.clear();
    // Nearest to what was asked for last first: the worker answers in turn.
    std::sort(pages.begin(), pages.end(), [this](int a, int b) {
        return std::abs(a - m_lastWantedPage) < std::abs(b - m_lastWantedPage);
    });
    for (int page : std::as_const(pages)) {
        if (m_failed || isPageLoaded(page) || m_pending.contains(page) ||
            page * m_pageSize >= m_count)
            continue;
        PageRead read;
        read.generation = m_generation;
        read.page = page;
        read.firstRow = page * m_pageSize;
        read.limit = m_pageSize;
        read.countKnown = m_countExact ? m_count : -1;
        // The nearest loaded page before this one: right before it, a plain keyset page.
        auto before = m_pages.lower_bound(page);
        if (before != m_pages.begin()) {
            --before;
            read.afterRow = before->first * m_pageSize + before->second.rows - 1;
            read.after = lastKey(before->first);
        }
        m_pending.insert(page);
        readPage(read);
    }
}

void KeysetPagedModel::seek(const QVariant &key)
{
    if (m_failed) {
        emit rowFound(-1, key);
        return;
    }
    ++m_seeks;
    m_seekKey = key;
    readSeek(m_generation, key);
}

void KeysetPagedModel::refresh()
{
    if (!m_hasSource)
        return;
    *m_sharedGeneration = ++m_generation;
    dropAllPages();
    m_pages.clear();
    m_pending.clear();
    m_wanted.clear();
    m_seeks = 0;
    m_failed = false;
    m_error = {};
    m_counting = true;
    readCount(m_generation);
    if (m_count > 0)
        emit dataChanged(index(0, 0), index(m_count - 1, columnCount() - 1));
}

std::function<bool()> KeysetPagedModel::stillWanted(quint64 generation) const
{
    return [shared = m_sharedGeneration, generation] {
        return shared->load() == generation;
    };
}

void KeysetPagedModel::restart(bool hasSource)
{
    *m_sharedGeneration = ++m_generation;
    m_hasSource = hasSource;
    beginResetModel();
    dropAllPages();
    m_pages.clear();
    m_pending.clear();
    m_wanted.clear();
    m_lastWantedPage = 0;
    m_count = 0;
    m_countExact = !hasSource;
    m_counting = false;
    m_seeks = 0;
    m_failed = false;
    m_error = {};
    endResetModel();
    emit countChanged(m_count, m_countExact);
    if (!hasSource) {
        settle();
        return;
    }
    m_pending.insert(0);
    m_counting = true;
    PageRead first;
    first.generation = m_generation;
    first.limit = m_pageSize;
    readPage(first);
    // Behind the first page: a view shows that page at once, the count may take a scan.
    if (isCurrent(first.generation))
        readCount(m_generation);
}

void KeysetPagedModel::recount()
{
    if (!m_hasSource || m_failed)
        return;
    m_counting = true;
    // On the next turn: a source told by a signal that it can count may not be able to
    // before that signal's emitter has gone on.
    QMetaObject::invokeMethod(
        this,
        [this, generation = m_generation] {
            if (isCurrent(generation))
                readCount(generation);
        },
        Qt::QueuedConnection);
}

void KeysetPagedModel::pageArrived(quint64 generation, int page, int rows)
{
    if (!isCurrent(generation))
        return;
    m_pending.remove(page);
    storePage(page, rows);
    evictLeastUsed(page);
    settle();
}

void KeysetPagedModel::countArrived(quint64 generation, qint64 count)
{
    if (!isCurrent(generation))
        return;
    m_counting = false;
    if (count >= 0)
        setCount(int(qMin<qint64>(count, INT_MAX)), true);
    settle();
}

void KeysetPagedModel::seekArrived(quint64 generation, const QVariant &key, int page, int rows,
                                   int row)
{
    if (!isCurrent(generation))
        return;
    --m_seeks;
    if (page >= 0) {
        m_pending.remove(page);
        storePage(page, rows);
        evictLeastUsed(page);
    }
    emit rowFound(row, key);
    settle();
}

void KeysetPagedModel::readFailed(quint64 generation, const StoreError &error)
{
    if (!isCurrent(generation))
        return;
    m_failed = true;
    *m_sharedGeneration = 0; // no generation: the reads still queued are skipped
    m_error = error;
    m_pending.clear();
    m_wanted.clear();
    m_counting = false;
    const bool seeking = std::exchange(m_seeks, 0) > 0;
    // The rows read so far stay; the placeholders after them go, nothing will fill them.
    const int known = m_pages.empty()
                          ? 0
                          : m_pages.crbegin()->first * m_pageSize + m_pages.crbegin()->second.rows;
    setCount(qMin(m_count, known), true);
    emit errorOccurred(error);
    if (seeking)
        emit rowFound(-1, m_seekKey);
    settle();
}

void KeysetPagedModel::storePage(int page, int rows)
{
    if (rows > 0)
        m_pages[page] = Page{rows, ++m_useClock};
    else
        dropPage(page);
    const int first = page * m_pageSize;
    if (rows < m_pageSize) {
        setCount(first + rows, true); // the rows end here
    } else if (!m_countExact) {
        // One page of placeholders beyond what is known, for a view to scroll into.
        const qint64 ahead = qint64(first) + 2 * m_pageSize;
        if (m_count < ahead)
            setCount(int(qMin<qint64>(ahead, INT_MAX)), false);
    } else if (m_count < first + rows) {
        setCount(first + rows, true); // counted before rows were added: the rows are right
    }
    const int last = qMin(first + rows, m_count) - 1;
    if (last >= first)
        emit dataChanged(index(first, 0), index(last, columnCount() - 1));
}

void KeysetPagedModel::setCount(int count, bool exact)
{
    const bool changed = count != m_count || exact != m_countExact;
    if (count > m_count) {
        beginInsertRows({}, m_count, count - 1);
        m_count = count;
        endInsertRows();
    } else if (count < m_count) {
        for (auto it = m_pages.lower_bound((count + m_pageSize - 1) / m_pageSize);
             it != m_pages.end();) {
            dropPage(it->first);
            it = m_pages.erase(it);
        }
        beginRemoveRows({}, count, m_count - 1);
        m_count = count;
        endRemoveRows();
    }
    m_countExact = exact;
    if (changed)
        emit countChanged(m_count, m_countExact);
}

void KeysetPagedModel::evictLeastUsed(int keep)
{
    while (int(m_pages.size()) > m_maxCachedPages) {
        auto oldest = m_pages.end();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
            if (it->first != keep &&
                (oldest == m_pages.end() || it->second.used < oldest->second.used))
                oldest = it;
        }
        const int first = oldest->first * m_pageSize;
        const int last = qMin(first + oldest->second.rows, m_count) - 1;
        dropPage(oldest->first);
        m_pages.erase(oldest);
        // Placeholders again: a view that still shows them asks for them anew.
        if (last >= first)
            emit dataChanged(index(first, 0), index(last, columnCount() - 1));
    }
}

void KeysetPagedModel::settle()
{
    if (isSettled())
        emit settled();
}

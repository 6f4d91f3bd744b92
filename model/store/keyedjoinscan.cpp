#include "store/keyedjoinscan.h"

namespace {

constexpr std::size_t WindowRows = 32; // how far ahead of the walk a link's row is looked for
constexpr qint64 Stretch = 4096;       // links between looks at whether the walk pays

} // namespace

KeyedJoinScan::KeyedJoinScan(std::unique_ptr<SqliteStreamReader> links,
                             std::unique_ptr<SqliteStreamReader> joined,
                             std::unique_ptr<SqliteStreamReader> lookup)
    : m_links(std::move(links)), m_joined(std::move(joined)), m_lookup(std::move(lookup)),
      m_window(WindowRows)
{
}

StoreError::Kind KeyedJoinScan::errorKind() const
{
    return m_failed ? m_failed->errorKind() : StoreError::Kind::None;
}

KeyedJoinScan::Step KeyedJoinScan::fail(SqliteStreamReader *reader)
{
    m_failed = reader;
    return Step::Failed;
}

KeyedJoinScan::Step KeyedJoinScan::next()
{
    for (;;) {
        if (m_lookupOpen) {
            switch (m_lookup->next()) {
            case Step::Row: {
                m_fromLookup = true;
                // Two links in a row looked up, their rows close and in order: the links went
                // on where the walk is not (events no link took, links made later), and the
                // walk goes on from there. One link out of place does not move it.
                const qint64 rowid = m_lookup->position();
                if (m_walking && (!m_joinedStarted ||
                                  (m_lookedUpLink == m_linkRows - 1 && rowid > m_lookedUpRowid &&
                                   rowid - m_lookedUpRowid <= qint64(WindowRows))))
                    restartJoinedAt(rowid);
                m_lookedUpLink = m_linkRows;
                m_lookedUpRowid = rowid;
                return Step::Row;
            }
            case Step::Done:
                m_lookupOpen = false;
                break;
            case Step::Failed:
                return fail(m_lookup.get());
            }
        }
        switch (m_links->next()) {
        case Step::Row:
            break;
        case Step::Done:
            return Step::Done;
        case Step::Failed:
            return fail(m_links.get());
        }
        ++m_linkRows;
        // A walk that finds few links' rows (links in no order of their rows) only costs.
        if (++m_stretchLinks == Stretch) {
            m_walking = m_walking && m_stretchLookups * 2 <= Stretch;
            m_stretchLinks = 0;
            m_stretchLookups = 0;
        }
        if (m_walking && m_links->isTypeText()) {
            const int at = findInWindow(m_links->type());
            if (m_failed)
                return Step::Failed;
            if (at >= 0) {
                // The rows before it no link took so far; a later link to one is looked up.
                m_first = (m_first + std::size_t(at)) % WindowRows;
                m_count -= std::size_t(at);
                m_fromLookup = false;
                ++m_walked;
                return Step::Row;
            }
        }
        ++m_lookedUp;
        ++m_stretchLookups;
        m_lookup->rerun({m_links->position()});
        m_lookupOpen = true;
    }
}

int KeyedJoinScan::findInWindow(std::string_view key)
{
    if (!m_joinedStarted) // the first lookup starts the walk
        return -1;
    for (std::size_t i = 0;; ++i) {
        if (i == m_count && (m_count == WindowRows || !readJoined()))
            return -1;
        const JoinedRow &row = m_window[(m_first + i) % WindowRows];
        if (row.keyIsText && row.key == key)
            return int(i);
    }
}

bool KeyedJoinScan::readJoined()
{
    if (m_joinedDone)
        return false;
    switch (m_joined->next()) {
    case Step::Row:
        break;
    case Step::Done:
        m_joinedDone = true;
        return false;
    case Step::Failed:
        m_joinedDone = true;
        m_failed = m_joined.get();
        return false;
    }
    JoinedRow &row = m_window[(m_first + m_count) % WindowRows];
    row.keyIsText = m_joined->isStreamText();
    row.key.assign(m_joined->stream());
    row.type.assign(m_joined->type());
    row.timeMs = m_joined->timeMs();
    ++m_count;
    return true;
}

// From the row on, so that a link to it again (the event's link to a second stream) finds it.
void KeyedJoinScan::restartJoinedAt(qint64 rowid)
{
    m_joined->rerun({rowid});
    m_joinedStarted = true;
    m_joinedDone = false;
    m_first = 0;
    m_count = 0;
}

std::string_view KeyedJoinScan::type()
{
    if (m_fromLookup)
        return m_lookup->type();
    return m_window[m_first].type;
}

qint64 KeyedJoinScan::timeMs()
{
    if (m_fromLookup)
        return m_lookup->timeMs();
    return m_window[m_first].timeMs;
}

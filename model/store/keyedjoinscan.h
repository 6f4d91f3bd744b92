#pragma once

// The index's scan of a layout whose type and time live in a table the events join by a key
// of its own (StoreLayout::keyedJoin: Rails Event Store). The join seeks each event through
// the key's index, two B-tree searches a row and most of a scan's time; but libraries write an
// event and its links together, so the links in position order name the joined rows mostly
// in rowid order. This reader walks both tables side by side: each link's key is looked for
// among the next few joined rows, read in rowid order, and a link whose row is not there (a
// link made later, rows written out of order, a key that is not text) is read by the join
// itself, for that link alone, from where the walk picks up again. Every row is the join's:
// a row found by the walk is the only one the join could give, since EventStore uses this
// reader only where a unique index on the key, in the key's own collation, holds the keys
// compared as SQLite's BINARY collation compares text (byte for byte).
//
// The accessors are SqliteStreamReader's that EventIndexBuilder reads; their values are valid
// until the next call of next().

#include "store/sqlitestreamreader.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

class KeyedJoinScan
{
public:
    using Step = SqliteStreamReader::Step;

    // links: the events table's rows (position, version, the key as the type, NULL, NULL,
    // stream), in position order. joined: the joined table's rows from a rowid on (?1), in
    // rowid order, as (rowid, NULL, type, time, NULL, key). lookup: the join for the one link
    // at a position (?1), in the same columns as joined.
    KeyedJoinScan(std::unique_ptr<SqliteStreamReader> links,
                  std::unique_ptr<SqliteStreamReader> joined,
                  std::unique_ptr<SqliteStreamReader> lookup);

    Step next();
    QString errorString() const { return m_failed ? m_failed->errorString() : QString(); }
    StoreError::Kind errorKind() const;
    bool wasInterrupted() const { return m_failed && m_failed->wasInterrupted(); }

    qint64 position() const { return m_links->position(); }
    qint64 version() const { return m_links->version(); }
    bool hasVersion() const { return m_links->hasVersion(); }
    std::string_view stream() const { return m_links->stream(); }
    bool isStreamText() const { return m_links->isStreamText(); }
    bool isStreamNull() const { return m_links->isStreamNull(); }
    std::string_view type();
    qint64 timeMs();

    // How the rows were found, for tests and the bench.
    qint64 linksWalked() const { return m_walked; }
    qint64 linksLookedUp() const { return m_lookedUp; }

private:
    struct JoinedRow
    {
        bool keyIsText = false;
        std::string key;
        std::string type;
        qint64 timeMs = 0;
    };

    // The index in the window of the joined row whose key is the link's, reading on as far
    // as the window has room; -1 when it is not there.
    int findInWindow(std::string_view key);
    // Reads the next joined row into the window; false at the table's end or on a failure.
    bool readJoined();
    void restartJoinedAt(qint64 rowid);
    Step fail(SqliteStreamReader *reader);

    std::unique_ptr<SqliteStreamReader> m_links;
    std::unique_ptr<SqliteStreamReader> m_joined;
    std::unique_ptr<SqliteStreamReader> m_lookup;
    SqliteStreamReader *m_failed = nullptr;

    // The joined rows read ahead, in rowid order: a ring of WindowRows, m_first the oldest.
    std::vector<JoinedRow> m_window;
    std::size_t m_first = 0;
    std::size_t m_count = 0;
    bool m_joinedStarted = false;
    bool m_joinedDone = false;

    bool m_fromLookup = false; // the row in hand is the lookup's
    bool m_lookupOpen = false; // the lookup may have more rows for the link in hand
    bool m_walking = true;     // off once lookups are most of the links
    qint64 m_walked = 0;
    qint64 m_lookedUp = 0;
    qint64 m_linkRows = 0;
    qint64 m_lookedUpLink = -2; // the last link looked up (m_linkRows then), and its row
    qint64 m_lookedUpRowid = 0;
    qint64 m_stretchLinks = 0;
    qint64 m_stretchLookups = 0;
};

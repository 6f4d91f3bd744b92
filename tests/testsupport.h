#pragma once

// Shared by the tests: building small SQLite stores of any shape (the tests' own files, so
// writing is fine here), and finding the eventscope-cli binary.

#include "replay/jsondiff.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVariantList>
#include <QVector>

struct sqlite3;

namespace TestSupport {
enum class Transaction { One, None }; // None: for statements such as PRAGMA journal_mode
// Opens (or creates) an SQLite file and runs the statements, by default in one transaction;
// false, with a warning naming the statement, on any error.
bool execSql(const QString &path, const QStringList &statements,
             Transaction transaction = Transaction::One);
// Writes the small hand-made store in Eventscope's own layout that the tests know by heart:
// 12 events in 4 streams, times from 2026-01-05T08:00:00.000Z (a Monday) to
// 2026-01-12T03:00:01.000Z; see testsupport.cpp for the rows.
bool createSmallStore(const QString &path);
// The same in SQLite's journal mode `journal` ("WAL", "DELETE", ...).
bool createSmallStore(const QString &path, const QString &journal);
// A program appending to the small store while something follows it: commits `from` .. `to` - 1
// of a seeded sequence of commits of 1 to 3 Clicked events over the streams live-0 .. live-2,
// 2 to 30 ms apart, positions and versions going on from the earlier commits'. Returns the
// stream of each event of the commits up to `to`, in position order (empty on a failure).
// A reader in this process shares SQLite's view of the files with a writer here (a read-only
// -shm makes the writer's commits fail): a window under test is followed from OtherProcess,
// the sqlite3 shell, which opens the store again for each commit.
enum class LiveWriter { StaysOpen, ClosesEachCommit, OtherProcess };
QStringList appendLiveEvents(const QString &path, int from, int to, LiveWriter writer);
// The same rows in a mapped table events_v2(id, aggregate_id, seq, kind, created, body) with
// the time stored as timeFormat: "iso", "sql" ('YYYY-MM-DD HH:MM:SS.mmm'), "s", "ms" or
// "ticks" (.NET).
bool createMappedStore(const QString &path, const QString &timeFormat);
// The accounts whose story the tests of the questions about one aggregate tell (issue #14):
// acct-1's 17 events change its fields in every way a field can change (the comments on the
// rows in testsupport.cpp say how), acct-2 has 2 events, and odd-1's 3 have keys that a
// dotted path cannot spell.
struct AccountRow
{
    const char *stream;
    int version;
    const char *type;
    const char *data;
};
const QVector<AccountRow> &accountRows();
// Event n of acct-1 is at 2026-02-01T10:0n:00Z (n minutes past ten); acct-2's is a second
// later than acct-1's event of the same version, odd-1's two seconds later.
qint64 accountRowTimeMs(const AccountRow &row);
// The rows in Eventscope's own layout, at positions 1, 2, ... in the order of accountRows().
bool createAccountStore(const QString &path);
// Reads rows back with plain SQL (read-only), so that a test need not trust EventStore.
QVector<QVariantList> queryRows(const QString &path, const QString &sql);
// Test data as a JSON object; bad test data stops the test run with a message.
QJsonObject jsonObject(const QByteArray &json);
// Any JSON value as compact text in a one-element array ("[1]", "[{...}]"), so that scalars
// and containers read alike; "undefined" for Undefined.
QByteArray describeJson(const QJsonValue &value);
// A gzip member (RFC 1952) of the bytes, as Java's GZIPOutputStream writes it.
QByteArray gzip(const QByteArray &bytes);
// "kind path" of each change, e.g. "changed name", for comparing what replays report.
QStringList changePaths(const QVector<JsonChange> &changes);
// The eventscope-cli path CTest passes in EVENTSCOPE_CLI.
QString cliPath();

// What a run of eventscope-cli gave.
struct CliRun
{
    int exitCode = -1; // -1: it crashed or did not finish
    QByteArray out;
    QString err;

    QList<QByteArray> lines() const;    // stdout's lines, without empty ones
    QList<QJsonObject> objects() const; // each line as a JSON object (a warning when not one)
    QJsonObject object() const { return objects().value(0); }
};
// Runs eventscope-cli with the arguments; one that has not finished after timeoutMs is killed.
CliRun runCli(const QStringList &args, int timeoutMs = 60000);

// A connection of the test's own to an SQLite file, which may write: a writer beside the
// reader under test. It waits up to 10 s for a lock.
class WritingConnection
{
public:
    explicit WritingConnection(const QString &path);
    ~WritingConnection();
    WritingConnection(const WritingConnection &) = delete;
    WritingConnection &operator=(const WritingConnection &) = delete;
    // False, with a warning naming the statement, on an error.
    bool exec(const QString &sql);

private:
    QString m_name;
};

// The C API connection of the store opened last (EventStore names its connections in order),
// for tracing its statements; nullptr when it is not SQLite.
sqlite3 *newestStoreConnection();
} // namespace TestSupport

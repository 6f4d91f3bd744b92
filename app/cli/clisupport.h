#pragma once

// What every eventscope-cli command shares: reading option values, opening the store as one
// snapshot, the --projection file, and writing keyset-paged answers as JSON lines. The
// commands themselves live in files by area (clicommands.cpp and the files beside it).

#include "clicommands.h"
#include "clioutput.h"
#include "replay/projection.h"
#include "store/eventstore.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <limits>
#include <memory>
#include <optional>

namespace CliSupport {

constexpr int PageSize = 1000;

// A usage problem found while reading option values: exit code 2 with its message.
struct BadUsage
{
    QString message;
};

const QCommandLineOption &mapOption();
const QCommandLineOption &tableOption();
QCommandLineOption option(const QString &name, const QString &description,
                          const QString &valueName = {});

// The option's whole number, or `fallback` when it is not given; throws BadUsage.
qint64 integerOption(const QCommandLineParser &parser, const QString &name, qint64 fallback,
                     qint64 minimum = std::numeric_limits<qint64>::min());
// The option's ISO-8601 time in ms since the epoch, or NoTime when it is not given.
qint64 timeOption(const QCommandLineParser &parser, const QString &name);

// A store's failure, in its one line on stderr; every kind exits with StoreFailed.
int storeFailed(CliOutput &out, const StoreError &error);

// Opens STORE with --map/--table and begins the read snapshot that the command's answer comes
// from; nullptr (reported on `out`) when it cannot.
std::unique_ptr<EventStore> openStore(const QCommandLineParser &parser, const QString &store,
                                      CliOutput &out);

// What a projection file is for: one stream's replay, or a read model over the store (a file
// with a "key"). A file for the other use is refused, saying so.
enum class ProjectionUse { Replay, ReadModel };

// The --projection file, or the default merge; nullopt (reported) when the file is bad.
std::optional<Projection> loadProjection(const QCommandLineParser &parser, CliOutput &out,
                                         ProjectionUse use = ProjectionUse::Replay);

// Writes a keyset-paged query as JSON lines: pages of at most PageSize rows until `remaining`
// rows are written or a page comes back short; `next` moves the query past a page's last row.
template<typename Query, typename Row>
int writePages(EventStore &store, Query &query, qint64 remaining,
               std::optional<QVector<Row>> (EventStore::*fetch)(const Query &),
               QByteArray (*toJson)(const Row &), void (*next)(Query &, const Row &),
               CliOutput &out)
{
    while (remaining > 0) {
        query.limit = int(qMin<qint64>(remaining, PageSize));
        const auto page = (store.*fetch)(query);
        if (!page) 
            return storeFailed(out, store.lastError());
        for (const Row &row : *page) {
            if (!out.line(toJson(row)))
                return CliCommands::StoreFailed;
        }
        if (page->size() < query.limit)
            break;
        remaining -= page->size();
        next(query, page->constLast());
    }
    return CliCommands::Ok;
}

} // namespace CliSupport

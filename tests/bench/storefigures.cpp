#include "storefigures.h"

#include "query/integritycheck.h"
#include "query/payloadsearch.h"
#include "query/predicate.h"
#include "query/readmodel.h"
#include "query/schemadrift.h"
#include "query/schemasurvey.h"
#include "query/textsearch.h"
#include "replay/projection.h"
#include "samples.h"
#include "sqlitebaseline.h"
#include "store/eventstore.h"

#include <QLocale>

#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr int ScanThreads = 2;
constexpr int SchemaSlices = 60; // as the window's Schema view

QString count(qint64 n)
{
    return QLocale::c().toString(n);
}

QString methodName(bool sql)
{
    return sql ? u"narrowed in SQL"_s : u"scanned"_s;
}

class Figures
{
public:
    Figures(EventStore &store, ResultTable &table, double wholeScanMs)
        : m_store(store), m_table(table), m_wholeScanMs(wholeScanMs)
    {
    }

    // Against one raw read of every event: a question that reads each event once costs about
    // 1x, the check (two reads) about 2x.
    void add(const QString &figure, double ms)
    {
        m_table.addInfo(u"store: "_s + figure, ResultTable::duration(ms),
                        ResultTable::duration(m_wholeScanMs) + u" raw whole scan"_s,
                        ResultTable::ratio(ms, m_wholeScanMs));
    }

    bool search(const QString &where, QString *error)
    {
        QueryError parseError;
        const auto predicate = Predicate::parse(where, &parseError);
        if (!predicate) {
            *error = parseError.text();
            return false;
        }
        PayloadSearch search(m_store, *predicate);
        qint64 matches = 0;
        bool ok = false;
        const double ms = timeMs([&] {
            ok = search.run({}, std::numeric_limits<qint64>::max(), [&matches](const Event &) {
                ++matches;
                return true;
            });
        });
        if (!ok) {
            *error = search.errorString();
            return false;
        }
        add(u"search --where '%1' (%2, %3 matches)"_s.arg(
                where, methodName(search.method() == PayloadSearch::Method::Sql), count(matches)),
            ms);
        return true;
    }

    bool contains(const QString &text, QString *error)
    {
        TextSearch search(m_store, text);
        qint64 matches = 0;
        bool ok = false;
        const double ms = timeMs([&] {
            ok = search.run({}, std::numeric_limits<qint64>::max(), [&matches](const Event &) {
                ++matches;
                return true;
            });
        });
        if (!ok) {
            *error = search.errorString();
            return false;
        }
        add(u"window search, contains text \"%1\" (%2, %3 matches)"_s.arg(
                text, methodName(search.method() == TextSearch::Method::Sql), count(matches)),
            ms);
        return true;
    }

    bool check(QString *error)
    {
        IntegrityCheck check(m_store);
        qint64 problems = 0;
        bool ok = false;
        const double ms = timeMs([&] {
            ok = check.run([&problems](const IntegrityProblem &) {
                ++problems;
                return true;
            });
        });
        if (!ok) {
            *error = check.errorString();
            return false;
        }
        add(u"check (%1 problems)"_s.arg(count(problems)), ms);
        return true;
    }

    bool schema(QString *error)
    {
        const auto summary = m_store.summary();
        if (!summary) {
            *error = m_store.errorString();
            return false;
        }
        std::optional<SchemaDrift> drift;
        StoreError failure;
        const double ms = timeMs([&] {
            drift = SchemaDrift::survey(m_store, summary->firstTimeMs, summary->lastTimeMs,
                                        SchemaSlices, {}, &failure);
        });
        if (!drift) {
            *error = failure.message;
            return false;
        }
        add(u"schema, %1 time slices as the window's (%2 types)"_s.arg(SchemaSlices)
                .arg(drift->types.size()),
            ms);
        return true;
    }

    bool survey(QString *error)
    {
        SchemaSurvey survey(m_store);
        bool ok = false;
        const double ms = timeMs([&] { ok = survey.run(); });
        if (!ok) {
            *error = survey.errorString();
            return false;
        }
        add(u"schema as eventscope-cli schema writes it (%1 lines)"_s.arg(survey.fields().size()),
            ms);
        return true;
    }

    bool readModel(const QByteArray &json, const QString &what, QString *error)
    {
        const auto projection = Projection::fromJson(json, error);
        if (!projection)
            return false;
        std::optional<ReadModelResult> result;
        const double ms =
            timeMs([&] { result = ReadModel::compute(m_store, *projection, {}, error); });
        if (!result)
            return false;
        add(u"readmodel, %1 (%2 keys)"_s.arg(what, count(result->rows.size())), ms);
        return true;
    }

private:
    EventStore &m_store;
    ResultTable &m_table;
    double m_wholeScanMs;
};

} // namespace

bool StoreFigures::measure(EventStore &store, const QString &path, ResultTable &table,
                           QString *error)
{
    std::optional<qint64> rows;
    const double scanMs = timeMs([&] { rows = SqliteBaseline::rawScan(path, ScanThreads, error); });
    if (!rows)
        return false;
    table.addInfo(u"store: raw 2-thread scan of the index's columns (%1 rows)"_s.arg(count(*rows)),
                  ResultTable::duration(scanMs));
    std::optional<qint64> wholeRows;
    const double wholeScanMs = timeMs([&] { wholeRows = SqliteBaseline::wholeScan(path, error); });
    if (!wholeRows)
        return false;
    table.addInfo(
        u"store: raw whole scan, every column in position order, 1 thread (%1 rows)"_s.arg(
            count(*wholeRows)),
        ResultTable::duration(wholeScanMs));
    Figures figures(store, table, wholeScanMs);
    return figures.search(u"durationMs > 170000"_s, error) &&
           figures.contains(u"hackernews"_s, error) &&
           figures.search(u"referrer != \"google\""_s, error) && figures.check(error) &&
           figures.survey(error) && figures.schema(error) &&
           figures.readModel(
               R"({"key": "$category", "*": [{"op": "increment", "path": "events"}]})",
               u"key $category, increment"_s, error);
}

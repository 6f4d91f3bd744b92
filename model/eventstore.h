#pragma once

// Read-only access to one event store. All SQL of Eventscope lives here: parameterised,
// identifiers quoted, keyset paging, aggregation pushed into the database. An EventStore
// owns its own named QSqlDatabase connection and must be used from the thread that opened
// it; a worker thread opens its own EventStore on the same location.

#include "event.h"
#include "jobcontrol.h"
#include "storelayout.h"
#include "storelocation.h"

#include <QSqlDatabase>
#include <QString>
#include <QVector>

#include <memory>
#include <optional>

class QSqlQuery;

class EventStore
{
public:
    // mapSpec empty = detect the layout from the catalog.
    static std::unique_ptr<EventStore> open(const StoreLocation &location, const QString &mapSpec,
                                            QString *error);
    // The tables and columns of a store whose layout is unknown, for a column mapping.
    static std::optional<QMap<QString, QStringList>> catalog(const StoreLocation &location,
                                                             QString *error);
    ~EventStore();
    EventStore(const EventStore &) = delete;
    EventStore &operator=(const EventStore &) = delete;

    const StoreLocation &location() const { return m_location; }
    const StoreLayout &layout() const { return m_layout; }
    // The last failure of any call below, naming the store and the problem.
    QString errorString() const { return m_error; }

    std::optional<StoreSummary> summary(const JobControl &job = {});
    std::optional<QVector<StreamInfo>> streams(const StreamQuery &query);
    std::optional<QVector<Event>> events(const EventFilter &filter);
    // Events of one stream in version order, strictly after afterVersion.
    std::optional<QVector<Event>> streamEvents(const QString &stream, qint64 afterVersion,
                                               int limit);
    std::optional<QVector<Bucket>> buckets(BucketSize size, const BucketFilter &filter);

    static qint64 bucketMs(BucketSize size);
    static QString bucketName(BucketSize size);
    static bool parseBucketName(const QString &name, BucketSize *size);

private:
    EventStore(const StoreLocation &location, const QString &connectionName);

    std::nullopt_t fail(const QString &what, const QSqlQuery &query);
    std::nullopt_t cancelled();
    QString quoted(const QString &identifier) const;
    QString selectEventColumns() const;
    QString positionSql() const;
    QString versionSql() const;
    QString typeSql() const;
    QString timeSql() const;
    QString tableSql() const;
    Event readEvent(const QSqlQuery &query) const;
    QString timeBoundSql(const QString &op) const;
    QVariant timeBoundValue(qint64 ms) const;
    QString bucketSecondsSql(BucketSize size) const;

    StoreLocation m_location;
    QString m_connectionName;
    QSqlDatabase m_db;
    StoreLayout m_layout;
    QString m_error;
};

#include "store/statementinterrupter.h"

#include "store/sqlitehandle.h"

#include <QSqlDriver>
#include <QVariant>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <utility>

std::shared_ptr<StatementInterrupter> StatementInterrupter::forConnection(const QSqlDatabase &db)
{
    std::shared_ptr<StatementInterrupter> result(new StatementInterrupter);
    result->m_sqlite = SqliteHandle::of(db);
    const QVariant handle = db.driver()->handle();
    const QByteArray typeName = handle.metaType().name();
    if (typeName == "PGconn*" || typeName == "pg_conn*") // Qt names it by the struct
        result->m_pgCancel = PQgetCancel(*static_cast<PGconn *const *>(handle.constData()));
    return result;
}

StatementInterrupter::~StatementInterrupter()
{
    detach();
}

void StatementInterrupter::interrupt()
{
    QMutexLocker lock(&m_mutex);
    m_interrupted = true;
    if (m_sqlite)
        sqlite3_interrupt(m_sqlite);
    if (m_pgCancel) {
        char message[256];
        PQcancel(m_pgCancel, message, sizeof message);
    }
}

void StatementInterrupter::detach()
{
    QMutexLocker lock(&m_mutex);
    m_sqlite = nullptr;
    if (m_pgCancel)
        PQfreeCancel(m_pgCancel);
    m_pgCancel = nullptr;
}

bool StatementInterrupter::takeInterrupted()
{
    QMutexLocker lock(&m_mutex);
    return std::exchange(m_interrupted, false);
}

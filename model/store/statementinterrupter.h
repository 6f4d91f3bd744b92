#pragma once

// Stops the statement running on a store's connection, from any thread: sqlite3_interrupt for
// SQLite, PQcancel for PostgreSQL (both are made for exactly that). The store detaches it
// before its connection closes, so a late interrupt does nothing.

#include <QMutex>
#include <QSqlDatabase>

#include <memory>

struct pg_cancel;
struct sqlite3;

class StatementInterrupter
{
public:
    static std::shared_ptr<StatementInterrupter> forConnection(const QSqlDatabase &db);
    ~StatementInterrupter();

    void interrupt();
    void detach();
    // Whether interrupt() was called since the last time this was asked: PostgreSQL reports a
    // cancel and a statement timeout with one SQLSTATE, so only this tells them apart.
    bool takeInterrupted();

private:
    StatementInterrupter() = default;

    QMutex m_mutex;
    sqlite3 *m_sqlite = nullptr;
    pg_cancel *m_pgCancel = nullptr;
    bool m_interrupted = false;
};

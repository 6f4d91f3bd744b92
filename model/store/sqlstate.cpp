#include "store/sqlstate.h"

namespace SqlState {

StoreError::Kind errorKind(const QString &state, bool connectionBad)
{
    if (state == QueryCanceled || state == LockNotAvailable)
        return StoreError::Kind::Io; // a time limit or a lock: the data is fine, try again
    if (state == InsufficientPrivilege)
        return StoreError::Kind::Permission;
    if (state == InvalidPassword || state.startsWith(InvalidAuthorizationClass))
        return StoreError::Kind::Authentication;
    if (state == NoSuchDatabase || state == UndefinedTable || state == UndefinedColumn)
        return StoreError::Kind::NotFound;
    if (state == AdminShutdown || state == CrashShutdown || state == CannotConnectNow ||
        state == TooManyConnections || state.startsWith(ConnectionExceptionClass) || connectionBad)
        return StoreError::Kind::ConnectionLost;
    return StoreError::Kind::Sql;
}

} // namespace SqlState

#pragma once

// PostgreSQL's SQLSTATEs (its appendix A) that Eventscope names, and the kind of failure each
// is. Apart from the connection so that what classifies a failure needs no libpq.

#include "core/storeerror.h"

#include <QLatin1String>
#include <QString>

namespace SqlState {

inline constexpr QLatin1String InvalidPassword("28P01");
inline constexpr QLatin1String InvalidAuthorizationClass("28"); // 28000, 28P01
inline constexpr QLatin1String NoSuchDatabase("3D000");
inline constexpr QLatin1String UndefinedTable("42P01");
inline constexpr QLatin1String UndefinedColumn("42703");
inline constexpr QLatin1String TooManyConnections("53300");
inline constexpr QLatin1String InsufficientPrivilege("42501");
inline constexpr QLatin1String LockNotAvailable("55P03");
inline constexpr QLatin1String QueryCanceled("57014"); // by a cancel request or statement_timeout
inline constexpr QLatin1String AdminShutdown("57P01");
inline constexpr QLatin1String CrashShutdown("57P02");
inline constexpr QLatin1String CannotConnectNow("57P03");
inline constexpr QLatin1String ConnectionExceptionClass("08");

// The kind of a failure with this SQLSTATE (empty: none was sent); connectionBad: libpq says
// the connection is gone.
StoreError::Kind errorKind(const QString &sqlstate, bool connectionBad);

} // namespace SqlState

#pragma once

// Why reading a store failed: a kind that decisions read (offer a column mapping, offer to
// reconnect, say "cancelled") and the one line a user reads. The kind is classified once,
// where the failure happens (a file check, SQLite's result code, PostgreSQL's SQLSTATE, layout
// detection); nothing downstream reads the message to decide anything.

#include <QMetaType>
#include <QObject>
#include <QString>

struct StoreError
{
    Q_GADGET

public:
    enum class Kind {
        None,           // no failure
        NotFound,       // no such file, database, user, table or stream
        NotAStore,      // a file that is no SQLite database, or not a store at all
        Corrupt,        // a damaged database file
        NoLayout,       // no table looks like events: a column mapping may read it
        BadMapping,     // a column mapping that does not fit the store
        Permission,     // the user may not read it
        Authentication, // the server refuses the user: a wrong or missing password
        ConnectionLost, // the server went away or cannot be reached: a retry may help
        Cancelled,      // stopped on purpose (a cancel, never a time limit)
        Sql,            // a statement failed otherwise
        Io,             // reading the file failed, or a time limit or lock stopped a read
    };
    Q_ENUM(Kind)

    StoreError() = default;
    StoreError(Kind kind, const QString &message) : kind(kind), message(message) {}
    static StoreError cancelled() { return {Kind::Cancelled, QStringLiteral("cancelled")}; }

    bool isError() const { return kind != Kind::None; }
    bool isCancelled() const { return kind == Kind::Cancelled; }
    // A column mapping may open the store where detection could not.
    bool mappingMayHelp() const { return kind == Kind::NoLayout || kind == Kind::BadMapping; }

    Kind kind = Kind::None;
    QString message;
};

Q_DECLARE_METATYPE(StoreError)

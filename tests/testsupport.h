#pragma once

// Shared by the tests: building small SQLite stores of any shape (the tests' own files, so
// writing is fine here), and finding the eventscope-cli binary.

#include <QString>
#include <QStringList>

namespace TestSupport {
// Creates a new SQLite file and runs the statements in one transaction; fails the test
// (QFAIL-style message via qWarning and false) on any error.
bool execSql(const QString &path, const QStringList &statements);
// The eventscope-cli path CTest passes in EVENTSCOPE_CLI.
QString cliPath();
} // namespace TestSupport

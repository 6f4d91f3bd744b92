#pragma once

// The commands that ask questions about one aggregate's history: history (which events
// changed a field), diff (two moments, or two streams) and bisect (the first event after which
// a condition holds).

#include "clicommands.h"

#include <QList>

QList<CliCommand> aggregateCommands();

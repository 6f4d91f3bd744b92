#pragma once

// The commands that answer about the whole store and take events out of it: readmodel (a
// projection folded per key), export (JSON Lines or CSV that import reads back) and slice
// (a new own-layout store of some streams).

#include "clicommands.h"

#include <QList>

namespace ExportCommands {
QList<CliCommand> all();
}

#pragma once

// The commands that ask questions of the whole store: check (integrity), schema (the
// payloads' shape per event type) and search (events whose payload satisfies a predicate).

#include "clicommands.h"

#include <QList>

QList<CliCommand> storeCheckCommands();

#include "clicommands.h"

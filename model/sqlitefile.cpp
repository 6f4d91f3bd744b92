#include "sqlitefile.h"

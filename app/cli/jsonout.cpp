#include "jsonout.h"

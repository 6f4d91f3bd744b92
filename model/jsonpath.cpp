#include "jsonpath.h"

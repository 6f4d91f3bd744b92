#include "jsondiff.h"

#include "projection.h"

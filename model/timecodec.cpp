#include "timecodec.h"

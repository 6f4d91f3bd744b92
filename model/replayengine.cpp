#include "replayengine.h"

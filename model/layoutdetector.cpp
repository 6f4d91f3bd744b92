#include "layoutdetector.h"

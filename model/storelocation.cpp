#include "storelocation.h"

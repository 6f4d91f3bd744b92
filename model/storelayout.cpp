#include "storelayout.h"

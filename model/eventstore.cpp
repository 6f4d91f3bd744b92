#include "eventstore.h"

#include "ownstorewriter.h"

#include "jsonlimporter.h"

#pragma once

// The status bar's line about the open store: its events, streams, time range, where it is,
// its layout and table ("≤" and "counting" while the figures are a quick summary's).

#include "core/event.h"

#include <QString>

// where: the store's location as the user reads it (a path, a server and database).
QString storeStatusText(const StoreSummary &summary, const QString &where);

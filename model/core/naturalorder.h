#pragma once

// The order streams are listed in, everywhere (the CLI, the window's list, the index): names
// as people number them, post-1, post-2, post-10, not post-1, post-10, post-2. A name is read
// as runs of ASCII digits and runs of anything else, compared run by run:
// - two digit runs by their value, of any length (leading zeros do not count);
// - two other runs by their UTF-8 bytes, that is by code point (upper case before lower
//   case, as the store's own byte order has it); a run that is the start of the other first;
// - a digit run before any other run;
// - the name with fewer runs first when one's runs begin the other's.
// Names equal so far (post-01 and post-1) are ordered by their bytes, so that the order is
// total and two names are equal only when they are the same: a keyset ("the streams after
// X") pages through it without losing or repeating one.
//
// The SQL forms of this order (an SQLite collation, a PostgreSQL sort key) are in
// store/sqlnaturalorder.h; each is tested against compare().

#include <QByteArrayView>

namespace NaturalOrder {

// Negative, zero or positive as a sorts before, with or after b; both UTF-8.
int compare(QByteArrayView a, QByteArrayView b);

inline bool less(QByteArrayView a, QByteArrayView b)
{
    return compare(a, b) < 0;
}

} // namespace NaturalOrder

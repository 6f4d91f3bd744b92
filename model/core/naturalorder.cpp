#include "core/naturalorder.h"

#include <algorithm>
#include <cstring>

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// The run of a name that starts at `at`: all digits or no digit.
struct Run
{
    const char *begin = nullptr;
    qsizetype size = 0;
    bool digits = false;
};

Run runAt(QByteArrayView name, qsizetype at)
{
    Run run{name.data() + at, 0, isDigit(name[at])};
    while (at + run.size < name.size() && isDigit(name[at + run.size]) == run.digits)
        ++run.size;
    return run;
}

int compareBytes(const char *a, qsizetype aSize, const char *b, qsizetype bSize)
{
    const qsizetype common = std::min(aSize, bSize);
    if (common > 0) {
        if (const int c = std::memcmp(a, b, size_t(common)); c != 0)
            return c;
    }
    return aSize < bSize ? -1 : aSize > bSize ? 1 : 0;
}

// Two digit runs by value: without leading zeros, the shorter is the smaller; of equal
// length, the bytes decide. No conversion to a number, so that no run is too long.
int compareValues(Run a, Run b)
{
    const auto significant = [](Run &run) {
        while (run.size > 0 && *run.begin == '0') {
            ++run.begin;
            --run.size;
        }
    };
    significant(a);
    significant(b);
    if (a.size != b.size)
        return a.size < b.size ? -1 : 1;
    return compareBytes(a.begin, a.size, b.begin, b.size);
}

} // namespace

int NaturalOrder::compare(QByteArrayView a, QByteArrayView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        const Run x = runAt(a, i);
        const Run y = runAt(b, j);
        int c = 0;
        if (x.digits != y.digits)
            c = x.digits ? -1 : 1;
        else if (x.digits)
            c = compareValues(x, y);
        else
            c = compareBytes(x.begin, x.size, y.begin, y.size);
        if (c != 0)
            return c;
        i += x.size;
        j += y.size;
    }
    if (i < a.size() || j < b.size())
        return i < a.size() ? 1 : -1;
    return compareBytes(a.data(), a.size(), b.data(), b.size());
}

#include "store/sqlitehandle.h"

#include <QSqlDriver>
#include <QVariant>

#include <dlfcn.h>
#include <sqlite3.h>

#include <mutex>

using namespace Qt::StringLiterals;

namespace {

// The shared object a code address lies in, or nullptr.
const void *objectBase(const void *address)
{
    Dl_info info{};
    return address && dladdr(address, &info) ? info.dli_fbase : nullptr;
}

// Qt's driver lives in its plugin (or in Qt itself when linked statically): the object its
// vtable lies in. That object's view of sqlite3_libversion_number is the SQLite it calls.
bool driverUsesLinkedSqlite(const QSqlDriver *driver)
{
    Dl_info driverInfo{};
    if (!dladdr(*reinterpret_cast<void *const *>(driver), &driverInfo) || !driverInfo.dli_fname)
        return false;
    void *plugin = dlopen(driverInfo.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (!plugin)
        return false;
    const void *theirs = dlsym(plugin, "sqlite3_libversion_number");
    dlclose(plugin);
    const void *ours = reinterpret_cast<const void *>(&sqlite3_libversion_number);
    return theirs && objectBase(theirs) == objectBase(ours);
}

} // namespace

bool SqliteHandle::sameLibraryAsQt(const QSqlDatabase &db)
{
    static std::once_flag decided;
    static bool same = false;
    std::call_once(decided, [&db] { same = driverUsesLinkedSqlite(db.driver()); });
    return same;
}

sqlite3 *SqliteHandle::of(const QSqlDatabase &db)
{
    if (!db.isOpen() || db.driverName() != u"QSQLITE"_s)
        return nullptr;
    const QVariant handle = db.driver()->handle();
    if (qstrcmp(handle.metaType().name(), "sqlite3*") != 0 || !sameLibraryAsQt(db))
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

QString SqliteHandle::libraryNotice(const QSqlDatabase &db)
{
    if (db.driverName() != u"QSQLITE"_s || sameLibraryAsQt(db))
        return {};
    return u"Qt's SQLite driver does not run on the system's libsqlite3: the fast readers are "
           "off, and stores whose times are not ISO text cannot be read"_s;
}

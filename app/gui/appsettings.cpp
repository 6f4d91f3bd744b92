#include "appsettings.h"

#include <QStandardPaths>

#include "store/storelocation.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace Key {
const QString recentStores = u"stores/recent"_s;
const QString windowGeometry = u"window/geometry"_s;
const QString windowState = u"window/state"_s;
const QString splitterState = u"window/splitter"_s;
const QString followNewEvents = u"view/follow"_s;
const QString postgresHost = u"postgres/host"_s;
const QString postgresPort = u"postgres/port"_s;
const QString postgresDatabase = u"postgres/database"_s;
const QString postgresUser = u"postgres/user"_s;
const QString postgresSchema = u"postgres/schema"_s;
// Store names hold characters QSettings treats as separators; a hash keys them safely.
QString mapping(const QString &store)
{
    return u"mappings/"_s +
           QString::fromLatin1(
               QCryptographicHash::hash(store.toUtf8(), QCryptographicHash::Sha1).toHex());
}
} // namespace Key

AppSettings::AppSettings(const QString &fileName)
    : m_settings(fileName.isEmpty() ? std::make_unique<QSettings>()
                                    : std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{
}

QStringList AppSettings::recentStores() const
{
    return m_settings->value(Key::recentStores).toStringList();
}

void AppSettings::addRecentStore(const QString &store)
{
    QStringList stores = recentStores();
    stores.removeAll(store);
    stores.prepend(store);
    m_settings->setValue(Key::recentStores, stores.mid(0, MaxRecentStores));
}

void AppSettings::removeRecentStore(const QString &store)
{
    QStringList stores = recentStores();
    stores.removeAll(store);
    m_settings->setValue(Key::recentStores, stores);
}

QString AppSettings::lastStore() const
{
    return recentStores().value(0);
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings->value(Key::windowGeometry).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(Key::windowGeometry, geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings->value(Key::windowState).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(Key::windowState, state);
}

QByteArray AppSettings::splitterState() const
{
    return m_settings->value(Key::splitterState).toByteArray();
}

void AppSettings::setSplitterState(const QByteArray &state)
{
    m_settings->setValue(Key::splitterState, state);
}

bool AppSettings::followNewEvents() const
{
    return m_settings->value(Key::followNewEvents, false).toBool();
}

void AppSettings::setFollowNewEvents(bool follow)
{
    m_settings->setValue(Key::followNewEvents, follow);
}

PostgresConnectionSettings AppSettings::postgresConnection() const
{
    PostgresConnectionSettings c;
    c.host = m_settings->value(Key::postgresHost, StoreLocation::defaultPostgresHost()).toString();
    c.port = m_settings->value(Key::postgresPort, StoreLocation::DefaultPostgresPort).toInt();
    c.database = m_settings->value(Key::postgresDatabase).toString();
    c.user = m_settings->value(Key::postgresUser).toString();
    c.schema = m_settings->value(Key::postgresSchema).toString();
    return c;
}

void AppSettings::setPostgresConnection(const PostgresConnectionSettings &connection)
{
    m_settings->setValue(Key::postgresHost, connection.host);
    m_settings->setValue(Key::postgresPort, connection.port);
    m_settings->setValue(Key::postgresDatabase, connection.database);
    m_settings->setValue(Key::postgresUser, connection.user);
    m_settings->setValue(Key::postgresSchema, connection.schema);
}

QString AppSettings::mapping(const QString &store) const
{
    return m_settings->value(Key::mapping(store)).toString();
}

void AppSettings::setMapping(const QString &store, const QString &spec)
{
    if (spec.isEmpty())
        m_settings->remove(Key::mapping(store));
    else
        m_settings->setValue(Key::mapping(store), spec);
}

QString AppSettings::demoStorePath()
{
    // The generic data folder, not the application's (…/Eventscope/Eventscope): the one the
    // README and installer/run-demo.sh name.
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           u"/Eventscope/demo.db"_s;
}

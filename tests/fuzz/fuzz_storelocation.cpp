// StoreLocation::parse over any text, and postgresUrl over fields cut from the input: what
// postgresUrl writes parses back field for field, and a location's display name and saved
// form do not depend on its password.

#include "fuzzsupport.h"

#include "store/storelocation.h"

using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::startApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(Fuzz::bytes(data, size));
    const StoreLocation parsed = StoreLocation::parse(text);
    Fuzz::check(parsed.isValid() || !parsed.errorString().isEmpty(),
                "an invalid location says why");
    if (parsed.isValid()) {
        StoreLocation::parse(parsed.toString(false));
        StoreLocation::parse(parsed.toString(true));
    }

    // Fields separated by NUL bytes: host, database, user, password, schema; the port from
    // the first byte.
    const QStringList fields = text.split(QChar(0));
    if (fields.size() < 5 || size == 0)
        return 0;
    const int port = 1 + data[0] * 257 % 65535;
    const QString &host = fields.at(0), &database = fields.at(1), &user = fields.at(2),
                  &password = fields.at(3), &schema = fields.at(4);
    const QString url = StoreLocation::postgresUrl(host, port, database, user, password, schema);
    const StoreLocation round = StoreLocation::parse(url);
    if (!round.isValid())
        return 0; // a host or database no URL can hold; parse says why
    Fuzz::check(round.kind() == StoreLocation::Kind::Postgres && round.port() == port &&
                    round.user() == user && round.password() == password &&
                    round.schema() == schema && round.database() == database,
                "postgresUrl's fields parse back", url);
    // The same location with another password must look the same wherever it is shown.
    const StoreLocation other = StoreLocation::parse(
        StoreLocation::postgresUrl(host, port, database, user, password + u"x"_s, schema));
    Fuzz::check(round.displayName() == other.displayName() &&
                    round.toString(false) == other.toString(false),
                "a display name holds no password", round.displayName());
    return 0;
}

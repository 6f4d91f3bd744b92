// StoreLocation parsing and the time codec: the two things every store passes through first.

#include "storelocation.h"
#include "timecodec.h"

#include <QDir>
#include <QtTest>
#include <QUrl>

using namespace Qt::StringLiterals;

class TestLocation : public QObject
{
    Q_OBJECT

private slots:
    void sqlitePaths()
    {
        const StoreLocation relative = StoreLocation::parse(u"  store.db "_s);
        QCOMPARE(relative.kind(), StoreLocation::Kind::Sqlite);
        QCOMPARE(relative.path(), QDir::current().absoluteFilePath(u"store.db"_s));
        QCOMPARE(relative.displayName(), relative.path());

        const StoreLocation url = StoreLocation::parse(u"file:///tmp/a%20b.db"_s);
        QCOMPARE(url.kind(), StoreLocation::Kind::Sqlite);
        QCOMPARE(url.path(), u"/tmp/a b.db"_s);
    }

    void postgres_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("display");
        QTest::newRow("full") << u"postgresql://ann:s%40cret@db.local:6543/shop?schema=es"_s
                              << u"ann"_s << u"s@cret"_s << u"db.local"_s << 6543 << u"shop"_s
                              << u"es"_s << u"postgresql://ann@db.local:6543/shop?schema=es"_s;
        QTest::newRow("defaults") << u"postgres://localhost/events"_s << QString() << QString()
                                  << u"localhost"_s << 5432 << u"events"_s << QString()
                                  << u"postgresql://localhost:5432/events"_s;
        QTest::newRow("no host") << u"postgresql:///events"_s << QString() << QString()
                                 << u"localhost"_s << 5432 << u"events"_s << QString()
                                 << u"postgresql://localhost:5432/events"_s;
    }

    void postgres()
    {
        QFETCH(QString, text);
        const StoreLocation loc = StoreLocation::parse(text);
        QVERIFY2(loc.isValid(), qPrintable(loc.errorString()));
        QCOMPARE(loc.kind(), StoreLocation::Kind::Postgres);
        QTEST(loc.user(), "user");
        QTEST(loc.password(), "password");
        QTEST(loc.host(), "host");
        QTEST(loc.port(), "port");
        QTEST(loc.database(), "database");
        QTEST(loc.schema(), "schema");
        QTEST(loc.displayName(), "display");
    }

    // toString(true) is the URL the location was parsed from, as far as parse() cares;
    // toString(false) is the same without the password: what settings may hold.
    void toString_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("withPassword");
        QTest::addColumn<QString>("withoutPassword");
        QTest::newRow("sqlite") << u"/tmp/a b.db"_s << u"/tmp/a b.db"_s << u"/tmp/a b.db"_s;
        QTest::newRow("full") << u"postgresql://ann:s%40cret@db.local:6543/shop?schema=es"_s
                              << u"postgresql://ann:s%40cret@db.local:6543/shop?schema=es"_s
                              << u"postgresql://ann@db.local:6543/shop?schema=es"_s;
        QTest::newRow("defaults filled in")
            << u"postgres:///events"_s << u"postgresql://localhost:5432/events"_s
            << u"postgresql://localhost:5432/events"_s;
        QTest::newRow("encoded stays encoded")
            << u"postgresql://a%40b%3Ac:p%2F%25%20w@h/my%20db?schema=s%26t"_s
            << u"postgresql://a%40b%3Ac:p%2F%25%20w@h:5432/my%20db?schema=s%26t"_s
            << u"postgresql://a%40b%3Ac@h:5432/my%20db?schema=s%26t"_s;
        QTest::newRow("invalid") << u"mysql://x/y"_s << QString() << QString();
    }

    void toString()
    {
        QFETCH(QString, text);
        const StoreLocation loc = StoreLocation::parse(text);
        QTEST(loc.toString(true), "withPassword");
        QTEST(loc.toString(false), "withoutPassword");
        if (!loc.isValid())
            return;
        const StoreLocation back = StoreLocation::parse(loc.toString(true));
        QCOMPARE(back.kind(), loc.kind());
        QCOMPARE(back.path(), loc.path());
        QCOMPARE(back.password(), loc.password());
        QCOMPARE(back.displayName(), loc.displayName());
        QCOMPARE(StoreLocation::parse(loc.toString(false)).password(), QString());
    }

    // Whatever the fields hold, the URL parses back to them.
    void postgresUrlRoundTrips_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("schema");
        QTest::newRow("plain") << u"db.local"_s << 5432 << u"shop"_s << u"ann"_s << u"pw"_s
                               << QString();
        QTest::newRow("url delimiters") << u"db.local"_s << 6543 << u"shop?x#y"_s << u"a@b:c/d"_s
                                        << u"p@:/?#[]&=+ "_s << u"s&t=u#v"_s;
        QTest::newRow("percent signs")
            << u"h"_s << 1 << u"100%"_s << u"%41"_s << u"%25%"_s << u"%41"_s;
        QTest::newRow("non-ascii")
            << u"h"_s << 65535 << u"bücher"_s << u"zoë"_s << u"pässwörd€"_s << u"schéma"_s;
        QTest::newRow("quotes and backslash")
            << u"h"_s << 5432 << u"d"_s << u"o'neil"_s << u"a\"b\\c'"_s << u"s"_s;
        QTest::newRow("ipv6") << u"::1"_s << 5432 << u"d"_s << u"u"_s << QString() << QString();
        QTest::newRow("no user") << u"h"_s << 5432 << u"d"_s << QString() << QString() << QString();
    }

    void postgresUrlRoundTrips()
    {
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, database);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, schema);
        const QString url =
            StoreLocation::postgresUrl(host, port, database, user, password, schema);
        const StoreLocation loc = StoreLocation::parse(url);
        QVERIFY2(loc.isValid(), qPrintable(url + u": "_s + loc.errorString()));
        QCOMPARE(loc.kind(), StoreLocation::Kind::Postgres);
        QCOMPARE(loc.host(), host);
        QCOMPARE(loc.port(), port);
        QCOMPARE(loc.database(), database);
        QCOMPARE(loc.user(), user);
        QCOMPARE(loc.password(), password);
        QCOMPARE(loc.schema(), schema);
        QCOMPARE(loc.toString(true), url);
        if (!password.isEmpty())
            QVERIFY(!loc.toString(false).contains(
                QString::fromLatin1(QUrl::toPercentEncoding(password))));
    }

    void setPassword()
    {
        StoreLocation loc = StoreLocation::parse(u"postgresql://ann@h/db"_s);
        loc.setPassword(u"typed"_s);
        QCOMPARE(loc.password(), u"typed"_s);
        QCOMPARE(loc.toString(true), u"postgresql://ann:typed@h:5432/db"_s);
        QCOMPARE(loc.toString(false), u"postgresql://ann@h:5432/db"_s);
        QVERIFY(!loc.displayName().contains(u"typed"_s));
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << u"   "_s << u"no store given"_s;
        QTest::newRow("other scheme") << u"mysql://x/y"_s << u"'mysql' stores are not supported"_s;
        QTest::newRow("no database") << u"postgresql://host/"_s << u"names no database"_s;
        QTest::newRow("bad port") << u"postgresql://host:99999/db"_s << u"invalid"_s;
        QTest::newRow("unknown parameter")
            << u"postgresql://host/db?sslmode=x"_s << u"unknown parameter 'sslmode'"_s;
    }

    void invalid()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const StoreLocation loc = StoreLocation::parse(text);
        QVERIFY(!loc.isValid());
        QVERIFY2(loc.errorString().contains(message), qPrintable(loc.errorString()));
    }

    void parseIso_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("formatted"); // empty: not a time
        QTest::newRow("canonical")
            << u"2026-01-05T08:00:00.000Z"_s << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("no fraction") << u"2026-01-05T08:00:00Z"_s << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("micro seconds")
            << u"2026-01-05T08:00:00.123456Z"_s << u"2026-01-05T08:00:00.123Z"_s;
        QTest::newRow("one digit") << u"2026-01-05T08:00:00.5Z"_s << u"2026-01-05T08:00:00.500Z"_s;
        QTest::newRow("sql text, no zone is UTC")
            << u"2026-01-05 08:00:00"_s << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("offset") << u"2026-01-05T10:30:00+02:30"_s << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("negative offset crosses day")
            << u"2026-01-04T23:00:00-09:00"_s << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("compact offset")
            << u"2026-01-05T09:00:00+0100"_s << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("date only") << u"2026-01-05"_s << u"2026-01-05T00:00:00.000Z"_s;
        QTest::newRow("minutes only") << u"2026-01-05T08:00"_s << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("leap day") << u"2024-02-29T12:00:00Z"_s << u"2024-02-29T12:00:00.000Z"_s;
        QTest::newRow("before epoch")
            << u"1969-12-31T23:59:59.999Z"_s << u"1969-12-31T23:59:59.999Z"_s;
        QTest::newRow("not a leap day") << u"2026-02-29T00:00:00Z"_s << QString();
        QTest::newRow("month 13") << u"2026-13-01"_s << QString();
        QTest::newRow("hour 24") << u"2026-01-05T24:00:00Z"_s << QString();
        QTest::newRow("trailing garbage") << u"2026-01-05T08:00:00Zx"_s << QString();
        QTest::newRow("words") << u"yesterday"_s << QString();
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("dangling dot") << u"2026-01-05T08:00:00.Z"_s << QString();
    }

    void parseIso()
    {
        QFETCH(QString, text);
        QFETCH(QString, formatted);
        const qint64 ms = TimeCodec::parseIso(text);
        if (formatted.isEmpty()) {
            QCOMPARE(ms, NoTime);
            return;
        }
        QCOMPARE(TimeCodec::format(ms), formatted);
        // Agree with Qt on every valid input.
        QCOMPARE(ms, QDateTime::fromString(formatted, Qt::ISODateWithMs).toMSecsSinceEpoch());
    }

    void decode_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("formatted");
        QTest::newRow("ms") << QVariant(qint64(1767600000123)) << int(TimeFormat::EpochMillis)
                            << u"2026-01-05T08:00:00.123Z"_s;
        QTest::newRow("s") << QVariant(qint64(1767600000)) << int(TimeFormat::EpochSeconds)
                           << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("fractional s") << QVariant(1767600000.25) << int(TimeFormat::EpochSeconds)
                                      << u"2026-01-05T08:00:00.250Z"_s;
        QTest::newRow("ms as text") << QVariant(u"1767600000123"_s) << int(TimeFormat::EpochMillis)
                                    << u"2026-01-05T08:00:00.123Z"_s;
        QTest::newRow("iso") << QVariant(u"2026-01-05T08:00:00Z"_s) << int(TimeFormat::IsoText)
                             << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("datetime without zone is UTC")
            << QVariant(QDateTime(QDate(2026, 1, 5), QTime(8, 0))) << int(TimeFormat::IsoText)
            << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("null") << QVariant() << int(TimeFormat::IsoText) << QString();
        QTest::newRow("garbage ms")
            << QVariant(u"soon"_s) << int(TimeFormat::EpochMillis) << QString();
    }

    void decode()
    {
        QFETCH(QVariant, value);
        QFETCH(int, format);
        QFETCH(QString, formatted);
        QCOMPARE(TimeCodec::format(TimeCodec::decode(value, TimeFormat(format))), formatted);
    }
};

QTEST_GUILESS_MAIN(TestLocation)
#include "tst_location.moc"

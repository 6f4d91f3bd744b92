// StoreLocation parsing and the time codec: the two things every store passes through first.

#include "decoding/timecodec.h"
#include "store/storelocation.h"

#include <QDir>
#include <QScopeGuard>
#include <QtTest>
#include <QUrl>

#include <ctime>
#include <limits>
#include <string_view>

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

    // QUrl's own decoding turns the UTF-8 of a noncharacter (U+7FFFF) into other text, and
    // its encoding writes one as a lone surrogate: the fields are decoded from their
    // %-escapes here, and bytes that are not UTF-8 are refused by name (found by fuzzing).
    void urlFieldsDecodeAsUtf8()
    {
        const StoreLocation typed = StoreLocation::parse(u"postgresql://h/%F1%BF%BF%BFa"_s);
        QVERIFY(typed.isValid());
        QCOMPARE(typed.database(), QString::fromUtf8("\xf1\xbf\xbf\xbf"
                                                     "a"));
        const StoreLocation mangled = StoreLocation::parse(u"postgresql://u:%ED%A6%BF@h/d"_s);
        QVERIFY(!mangled.isValid());
        QVERIFY2(mangled.errorString().contains(u"the password in PostgreSQL URL"_s),
                 qPrintable(mangled.errorString()));
        QVERIFY(!mangled.errorString().contains(u"%ED"_s)); // the password is not shown
        const StoreLocation round =
            StoreLocation::parse(StoreLocation::postgresUrl(u"h"_s, 5432,
                                                            QString::fromUtf8("\xf1\xbf\xbf\xbf"
                                                                              "a"),
                                                            u"u"_s, {}, {}));
        QVERIFY(!round.isValid() || round.database() == QString::fromUtf8("\xf1\xbf\xbf\xbf"
                                                                          "a"));

        // The schema query item is decoded the same way.
        const StoreLocation schema =
            StoreLocation::parse(u"postgresql://h/d?schema=%F1%BF%BF%BFa"_s);
        QVERIFY2(schema.isValid(), qPrintable(schema.errorString()));
        QCOMPARE(schema.schema(), QString::fromUtf8("\xf1\xbf\xbf\xbf"
                                                    "a"));
        const StoreLocation schemaRound =
            StoreLocation::parse(StoreLocation::postgresUrl(u"h"_s, 5432, u"d"_s, u"u"_s, {},
                                                            QString::fromUtf8("\xf1\xbf\xbf\xbf"
                                                                              "a")));
        QVERIFY(!schemaRound.isValid() ||
                schemaRound.schema() == QString::fromUtf8("\xf1\xbf\xbf\xbf"
                                                          "a"));
        const StoreLocation badSchema =
            StoreLocation::parse(u"postgresql://h/d?schema=%ED%A6%BF"_s);
        QVERIFY(!badSchema.isValid());
        QVERIFY2(badSchema.errorString().contains(u"not UTF-8"_s),
                 qPrintable(badSchema.errorString()));
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

    // No error of a URL holds its password, whatever is wrong with the URL: the parser's
    // reason would echo the text as given.
    void errorsHideThePassword_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("port out of range") << u"postgresql://u:S3cr3t@127.0.0.1:99999/db"_s;
        QTest::newRow("port not a number") << u"postgresql://u:S3cr3t@127.0.0.1:x9/db"_s;
        QTest::newRow("unclosed IPv6 host") << u"postgresql://u:S3cr3t@[::1/db"_s;
        QTest::newRow("bad escape") << u"postgresql://u:S3cr3t%zz@host/db"_s;
        QTest::newRow("bad escape in host") << u"postgresql://u:S3cr3t@ho%zzst/db"_s;
        QTest::newRow("space in host") << u"postgresql://u:S3cr3t@bad host/db"_s;
        QTest::newRow("no database") << u"postgresql://u:S3cr3t@host/"_s;
        QTest::newRow("unknown parameter") << u"postgresql://u:S3cr3t@host/db?sslmode=x"_s;
        QTest::newRow("encoded") << u"postgresql://u:S3cr%33t@host:99999/db"_s;
    }

    void errorsHideThePassword()
    {
        QFETCH(QString, text);
        const StoreLocation loc = StoreLocation::parse(text);
        QVERIFY(!loc.isValid());
        QVERIFY(!loc.errorString().isEmpty());
        QVERIFY2(!loc.errorString().contains(u"S3cr3t"_s) &&
                     !loc.errorString().contains(u"S3cr%33t"_s),
                 qPrintable(loc.errorString()));
    }

    void hidePassword()
    {
        QCOMPARE(StoreLocation::hidePassword(u"a p@ss b p%40ss"_s, u"p@ss"_s), u"a *** b ***"_s);
        QCOMPARE(StoreLocation::hidePassword(u"nothing"_s, QString()), u"nothing"_s);
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

        // Every form the known layouts write.
        QTest::newRow("nine digits, cut not rounded")
            << u"2024-03-01T12:34:56.123999999Z"_s << u"2024-03-01T12:34:56.123Z"_s;
        QTest::newRow("six digits")
            << u"2024-03-01T12:34:56.123456Z"_s << u"2024-03-01T12:34:56.123Z"_s;
        QTest::newRow("fraction with a comma")
            << u"2024-03-01T12:34:56,25Z"_s << u"2024-03-01T12:34:56.250Z"_s;
        QTest::newRow("offset +00:00 (Python isoformat)")
            << u"2024-03-01T12:34:56.123456+00:00"_s << u"2024-03-01T12:34:56.123Z"_s;
        QTest::newRow("offset +0000")
            << u"2024-03-01T12:34:56+0000"_s << u"2024-03-01T12:34:56.000Z"_s;
        QTest::newRow("offset +00 (PostgreSQL text)")
            << u"2024-03-01 12:34:56.123456+00"_s << u"2024-03-01T12:34:56.123Z"_s;
        QTest::newRow("offset -05:30")
            << u"2024-03-01T07:04:56-05:30"_s << u"2024-03-01T12:34:56.000Z"_s;
        QTest::newRow("offset -05") << u"2024-03-01T07:34:56-05"_s << u"2024-03-01T12:34:56.000Z"_s;
        QTest::newRow("sql text with micro seconds, no zone")
            << u"2024-03-01 12:34:56.123456"_s << u"2024-03-01T12:34:56.123Z"_s;
        QTest::newRow("lower-case t and z")
            << u"2024-03-01t12:34:56z"_s << u"2024-03-01T12:34:56.000Z"_s;
        QTest::newRow("surrounding white space")
            << u" 2024-03-01T12:34:56Z\n"_s << u"2024-03-01T12:34:56.000Z"_s;
        QTest::newRow("year 1") << u"0001-01-01T00:00:00Z"_s << u"0001-01-01T00:00:00.000Z"_s;
        QTest::newRow("last millisecond of 9999")
            << u"9999-12-31T23:59:59.999Z"_s << u"9999-12-31T23:59:59.999Z"_s;
        // Only times format() writes back as text that parses (found by fuzz_timecodec): an
        // offset that moves a time out of years 1 to 9999, or year 0, is not a time.
        QTest::newRow("offset into the year 10000")
            << u"9999-12-31T23:59:60.999-23:59"_s << QString();
        QTest::newRow("offset into the year 0") << u"0001-01-01T00:30:00+01:00"_s << QString();
        QTest::newRow("year 0") << u"0000-06-01T00:00:00Z"_s << QString();

        QTest::newRow("day 32") << u"2024-01-32"_s << QString();
        QTest::newRow("April 31") << u"2024-04-31T00:00:00Z"_s << QString();
        QTest::newRow("minute 60") << u"2024-03-01T12:60:00Z"_s << QString();
        QTest::newRow("second 61") << u"2024-03-01T12:34:61Z"_s << QString();
        QTest::newRow("one-digit second") << u"2024-03-01T12:34:5Z"_s << QString();
        QTest::newRow("T without a time") << u"2024-03-01T"_s << QString();
        QTest::newRow("offset hour 24") << u"2024-03-01T12:34:56+24:00"_s << QString();
        QTest::newRow("offset minute 60") << u"2024-03-01T12:34:56+05:60"_s << QString();
        QTest::newRow("three-digit offset") << u"2024-03-01T12:34:56+000"_s << QString();
        QTest::newRow("offset without digits") << u"2024-03-01T12:34:56+"_s << QString();
        QTest::newRow("junk after the offset") << u"2024-03-01T12:34:56+00:00x"_s << QString();
        QTest::newRow("junk after the fraction") << u"2024-03-01 12:34:56.123abc"_s << QString();
        QTest::newRow("zone word") << u"2024-03-01 12:34:56 UTC"_s << QString();
        QTest::newRow("two-digit year") << u"24-03-01"_s << QString();
        QTest::newRow("slashes") << u"2024/03/01"_s << QString();
        QTest::newRow("Arabic-Indic digits") << u"\u0662\u0660\u0662\u0664-03-01"_s << QString();
        QTest::newRow("full-width digits") << u"2024-03-01T\uFF11\uFF12:34:56Z"_s << QString();
        QTest::newRow("no-break spaces around")
            << u"\u00A02024-03-01T12:34:56Z\u00A0"_s << u"2024-03-01T12:34:56.000Z"_s;
        QTest::newRow("a letter past ASCII inside") << u"2024-03-01T12:34:56Ž"_s << QString();
    }

    void parseIso()
    {
        QFETCH(QString, text);
        QFETCH(QString, formatted);
        const qint64 ms = TimeCodec::parseIso(text);
        // Over the UTF-8 bytes: the same answer, unless an end is past ASCII (which parseIso
        // trims as the text decodes).
        const QByteArray utf8 = text.toUtf8();
        const auto bytes =
            TimeCodec::parseIsoBytes(std::string_view(utf8.constData(), std::size_t(utf8.size())));
        const QByteArray trimmed = utf8.trimmed(); // of ASCII white space only
        const bool asciiEnds =
            trimmed.isEmpty() || (uchar(trimmed.front()) < 0x80 && uchar(trimmed.back()) < 0x80);
        QCOMPARE(bytes.has_value(), asciiEnds);
        if (bytes)
            QCOMPARE(*bytes, ms);
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

        const int ticks = int(TimeFormat::DotNetTicks);
        QTest::newRow("ticks") << QVariant(qint64(639031968001230000)) << ticks
                               << u"2026-01-05T08:00:00.123Z"_s;
        QTest::newRow("ticks floored to the ms")
            << QVariant(qint64(639031968001239999)) << ticks << u"2026-01-05T08:00:00.123Z"_s;
        QTest::newRow("ticks as text")
            << QVariant(u"639031968001230000"_s) << ticks << u"2026-01-05T08:00:00.123Z"_s;
        QTest::newRow("ticks at the epoch")
            << QVariant(qint64(621355968000000000)) << ticks << u"1970-01-01T00:00:00.000Z"_s;
        QTest::newRow("ticks before the epoch floor down")
            << QVariant(qint64(621355967999999999)) << ticks << u"1969-12-31T23:59:59.999Z"_s;
        QTest::newRow("tick zero") << QVariant(qint64(0)) << ticks << u"0001-01-01T00:00:00.000Z"_s;
        QTest::newRow("last tick")
            << QVariant(qint64(3155378975999999999)) << ticks << u"9999-12-31T23:59:59.999Z"_s;
        QTest::newRow("negative ticks") << QVariant(qint64(-1)) << ticks << QString();
        QTest::newRow("ticks past 9999")
            << QVariant(qint64(3155378976000000000)) << ticks << QString();
        QTest::newRow("garbage ticks") << QVariant(u"soon"_s) << ticks << QString();

        QTest::newRow("UTC datetime")
            << QVariant(QDateTime(QDate(2026, 1, 5), QTime(8, 0), Qt::UTC))
            << int(TimeFormat::IsoText) << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("datetime with an offset")
            << QVariant(QDateTime(QDate(2026, 1, 5), QTime(10, 0), Qt::OffsetFromUTC, 7200))
            << int(TimeFormat::IsoText) << u"2026-01-05T08:00:00.000Z"_s;
        QTest::newRow("invalid datetime")
            << QVariant(QDateTime()) << int(TimeFormat::IsoText) << QString();
    }

    void decode()
    {
        QFETCH(QVariant, value);
        QFETCH(int, format);
        QFETCH(QString, formatted);
        QCOMPARE(TimeCodec::format(TimeCodec::decode(value, TimeFormat(format))), formatted);
    }

    // What drivers return for "timestamp without time zone": a local date-time holding the
    // stored (UTC) wall time. It must read the same in any zone, including at wall times the
    // local zone skips (spring forward) or repeats (fall back).
    void localDateTimeIsUtcWallTime_data()
    {
        QTest::addColumn<QByteArray>("zone");
        QTest::addColumn<QDateTime>("value");
        QTest::addColumn<QString>("formatted");
        for (const QByteArray &zone :
             {QByteArray("UTC"), QByteArray("America/New_York"), QByteArray("Asia/Kolkata")}) {
            QTest::addRow("%s, winter", zone.constData())
                << zone << QDateTime(QDate(2024, 1, 15), QTime(12, 34, 56, 789))
                << u"2024-01-15T12:34:56.789Z"_s;
            QTest::addRow("%s, summer", zone.constData())
                << zone << QDateTime(QDate(2024, 7, 1), QTime(0, 0))
                << u"2024-07-01T00:00:00.000Z"_s;
            QTest::addRow("%s, in New York's spring-forward gap", zone.constData())
                << zone << QDateTime(QDate(2024, 3, 10), QTime(2, 30))
                << u"2024-03-10T02:30:00.000Z"_s;
            QTest::addRow("%s, in New York's repeated hour", zone.constData())
                << zone << QDateTime(QDate(2024, 11, 3), QTime(1, 30))
                << u"2024-11-03T01:30:00.000Z"_s;
        }
    }

    void localDateTimeIsUtcWallTime()
    {
        QFETCH(QByteArray, zone);
        QFETCH(QDateTime, value);
        QFETCH(QString, formatted);
        const QByteArray saved = qgetenv("TZ");
        const bool hadZone = qEnvironmentVariableIsSet("TZ");
        const auto restore = qScopeGuard([&] {
            if (hadZone)
                qputenv("TZ", saved);
            else
                qunsetenv("TZ");
            tzset();
        });
        qputenv("TZ", zone);
        tzset();
        // Rebuilt here: the row was made before the zone changed.
        const QDateTime local(value.date(), value.time(), Qt::LocalTime);
        QCOMPARE(TimeCodec::format(TimeCodec::decode(QVariant(local), TimeFormat::IsoText)),
                 formatted);
    }

    void formatNames()
    {
        for (TimeFormat format : {TimeFormat::IsoText, TimeFormat::EpochSeconds,
                                  TimeFormat::EpochMillis, TimeFormat::DotNetTicks}) {
            TimeFormat parsed = TimeFormat::IsoText;
            QVERIFY(TimeCodec::parseFormatName(TimeCodec::formatName(format).toUpper(), &parsed));
            QCOMPARE(int(parsed), int(format));
        }
        QCOMPARE(TimeCodec::formatName(TimeFormat::DotNetTicks), u"ticks"_s);
        TimeFormat parsed;
        QVERIFY(!TimeCodec::parseFormatName(u"tick"_s, &parsed));
    }

    void ticksRoundTrip()
    {
        for (qint64 ms : {qint64(0), qint64(-1), qint64(1767600000123), qint64(-62135596800000)})
            QCOMPARE(TimeCodec::fromDotNetTicks(TimeCodec::toDotNetTicks(ms)), ms);
        // Bounds far outside the tick range are clamped rather than overflowing.
        QVERIFY(TimeCodec::toDotNetTicks(std::numeric_limits<qint64>::max() / 2) > 0);
        QCOMPARE(TimeCodec::toDotNetTicks(std::numeric_limits<qint64>::min() / 2), 0);
    }
};

QTEST_GUILESS_MAIN(TestLocation)
#include "tst_location.moc"

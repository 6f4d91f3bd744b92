#include "store/storelocation.h"

#include <QFileInfo>
#include <QStringDecoder>
#include <QUrl>
#include <QUrlQuery>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

// A user name, password, database name or query item from its percent-encoded form in a URL. Decoded here,
// not by QUrl, whose decoding turns valid UTF-8 of some code points (noncharacters such as
// U+7FFFF) into other text; bytes that are not UTF-8 give nullopt.
std::optional<QString> decodedField(const QString &encoded)
{
    if (encoded.isNull())
        return QString(); // absent, which QUrl tells from empty
    QStringDecoder utf8(QStringDecoder::Utf8);
    QString text = utf8.decode(QByteArray::fromPercentEncoding(encoded.toUtf8()));
    if (utf8.hasError())
        return std::nullopt;
    return text;
}

constexpr QLatin1String Hidden("***");

// The password as a URL-like text spells it: what lies between the user name's ':' and the
// last '@' after "://". Found without a URL parser, so that text no parser accepts ("[::1",
// "%zz", a port out of range) is covered too; an '@' further on (an unencoded one in the
// path) makes it take more than the password, which hides more, never less.
QString passwordAsWritten(const QString &text)
{
    const qsizetype schemeEnd = text.indexOf(u"://"_s);
    if (schemeEnd < 0)
        return {};
    const QString rest = text.mid(schemeEnd + 3);
    const qsizetype at = rest.lastIndexOf(u'@');
    const qsizetype colon = rest.indexOf(u':');
    if (at < 0 || colon < 0 || colon > at)
        return {};
    return rest.mid(colon + 1, at - colon - 1);
}

// The URL text with its password replaced, for a message about a URL that does not parse.
QString withPasswordHidden(const QString &text)
{
    const QString password = passwordAsWritten(text);
    if (password.isEmpty())
        return text;
    const qsizetype start = text.indexOf(u"://"_s) + 3;
    QString hidden = text;
    return hidden.replace(text.indexOf(u':', start) + 1, password.size(), Hidden);
}

// QUrl's reason without the "; source was ..." it appends, which echoes the whole URL.
QString urlProblem(const QUrl &url)
{
    return url.errorString().section(u"; source was"_s, 0, 0);
}

} // namespace

QString StoreLocation::hidePassword(const QString &message, const QString &password)
{
    if (password.isEmpty())
        return message;
    QString result = message;
    // As given, and as a URL spells it (percent-encoded) or its decoder reads it.
    for (const QString &form :
         {password, QString::fromUtf8(QUrl::toPercentEncoding(password)),
          QUrl::fromPercentEncoding(password.toUtf8())})
        result.replace(form, Hidden);
    return result;
}

QString StoreLocation::defaultPostgresHost()
{
    return u"localhost"_s;
}

StoreLocation StoreLocation::parse(const QString &text)
{
    StoreLocation loc;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        loc.m_error = u"no store given: name an SQLite file or a postgresql:// URL"_s;
        return loc;
    }

    const qsizetype schemeEnd = trimmed.indexOf(u"://"_s);
    const QString scheme = schemeEnd > 0 ? trimmed.left(schemeEnd).toLower() : QString();
    if (scheme.isEmpty()) {
        loc.m_kind = Kind::Sqlite;
        loc.m_path = QFileInfo(trimmed).absoluteFilePath();
        return loc;
    }
    if (scheme == u"file") {
        const QUrl url(trimmed);
        if (!url.isValid() || !url.isLocalFile()) {
            loc.m_error = u"'%1' is not a valid file URL"_s.arg(withPasswordHidden(trimmed));
            return loc;
        }
        loc.m_kind = Kind::Sqlite;
        loc.m_path = QFileInfo(url.toLocalFile()).absoluteFilePath();
        return loc;
    }
    if (scheme != u"postgresql" && scheme != u"postgres") {
        loc.m_error =
            u"'%1' stores are not supported: give an SQLite file or a postgresql:// URL"_s.arg(
                scheme);
        return loc;
    }

    // No message below may echo the text as given: it may hold the password.
    const QString shown = withPasswordHidden(trimmed);
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid()) {
        loc.m_error = hidePassword(u"invalid PostgreSQL URL %1: %2"_s.arg(shown, urlProblem(url)),
                                   passwordAsWritten(trimmed));
        return loc;
    }
    loc.m_host = url.host().isEmpty() ? defaultPostgresHost() : url.host();
    loc.m_port = url.port(DefaultPostgresPort);
    if (loc.m_port <= 0 || loc.m_port > 65535) {
        loc.m_error = u"invalid port in PostgreSQL URL %1"_s.arg(shown);
        return loc;
    }
    const auto user = decodedField(url.userName(QUrl::FullyEncoded));
    const auto password = decodedField(url.password(QUrl::FullyEncoded));
    const auto database = decodedField(url.path(QUrl::FullyEncoded).mid(1));
    if (!user || !password || !database) {
        loc.m_error = u"the %1 in PostgreSQL URL %2 is not UTF-8 text once its %%-escapes are "
                      "decoded"_s.arg(!user ? u"user name"_s
                                            : !password ? u"password"_s : u"database name"_s,
                                      shown);
        return loc;
    }
    loc.m_user = *user;
    loc.m_password = *password;
    loc.m_database = *database;
    if (loc.m_database.isEmpty() || loc.m_database.contains(u'/')) {
        loc.m_error =
            u"the PostgreSQL URL names no database: postgresql://user@host:port/database"_s;
        return loc;
    }
    const QUrlQuery query(url);
    const auto items = query.queryItems(QUrl::FullyEncoded);
    for (const auto &item : items) {
        const auto name = decodedField(item.first);
        const auto value = decodedField(item.second);
        if (!name || !value) {
            loc.m_error = u"a parameter in PostgreSQL URL %1 is not UTF-8 text once its "
                          "%%-escapes are decoded"_s.arg(shown);
            return loc;
        }
        if (*name != u"schema") {
            loc.m_error =
                u"unknown parameter '%1' in PostgreSQL URL (known: schema)"_s.arg(*name);
            return loc;
        }
        loc.m_schema = *value;
    }
    loc.m_kind = Kind::Postgres;
    return loc;
}

QString StoreLocation::displayName() const
{
    switch (m_kind) {
    case Kind::Sqlite:
        return m_path;
    case Kind::Postgres: {
        QString name = u"postgresql://"_s;
        if (!m_user.isEmpty())
            name += m_user + u'@';
        name += m_host + u':' + QString::number(m_port) + u'/' + m_database;
        if (!m_schema.isEmpty())
            name += u"?schema="_s + m_schema;
        return name;
    }
    case Kind::Invalid:
        break;
    }
    return {};
}

QString StoreLocation::postgresUrl(const QString &host, int port, const QString &database,
                                   const QString &user, const QString &password,
                                   const QString &schema)
{
    QUrl url;
    url.setScheme(u"postgresql"_s);
    // QUrl's setters take decoded text and encode what the URL syntax needs; FullyEncoded
    // output is what parse()'s strict mode accepts (a space or an 'é' left as is is not).
    url.setUserName(user);
    url.setPassword(password);
    url.setHost(host);
    url.setPort(port);
    url.setPath(u'/' + database);
    if (!schema.isEmpty()) {
        // QUrlQuery keeps "%xx" in what it is given as an escape: a literal '%' is "%25".
        QUrlQuery query;
        query.addQueryItem(u"schema"_s, QString(schema).replace(u'%', u"%25"_s));
        url.setQuery(query);
    }
    return url.toString(QUrl::FullyEncoded);
}

QString StoreLocation::toString(bool withPassword) const
{
    switch (m_kind) {
    case Kind::Sqlite:
        return m_path;
    case Kind::Postgres:
        return postgresUrl(m_host, m_port, m_database, m_user,
                           withPassword ? m_password : QString(), m_schema);
    case Kind::Invalid:
        break;
    }
    return {};
}

#include "query/textsearch.h"

#include "query/payloadsearch.h"
#include "store/eventstore.h"

using namespace Qt::StringLiterals;

namespace {

const QString Upper = u"ABCDEFGHIJKLMNOPQRSTUVWXYZ"_s;
const QString Lower = u"abcdefghijklmnopqrstuvwxyz"_s;

bool isAscii(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() == 0 || c.unicode() >= 0x80)
            return false;
    }
    return true;
}

// The characters beyond ASCII that Qt's case-insensitive comparison takes for an ASCII
// letter of the text (KELVIN SIGN for k, LONG S for s): the SQL lowers ASCII only, so rows
// holding one are let through for the client to decide.
QStringList foldingTwins(const QString &text)
{
    QStringList twins;
    for (char32_t c = 0x80; c <= 0xFFFF; ++c) {
        const QChar ch{char16_t(c)};
        if (ch.isSurrogate())
            continue;
        const QChar folded = ch.toCaseFolded();
        if (folded.unicode() < 0x80 && text.contains(folded, Qt::CaseInsensitive))
            twins << QString(ch);
    }
    return twins;
}

} // namespace

TextSearch::TextSearch(EventStore &store, const QString &text, Method preferred)
    : m_store(store), m_text(text), m_method(preferred)
{
}

bool TextSearch::holds(const QString &text, const Event &event)
{
    return QString::fromUtf8(event.data).contains(text, Qt::CaseInsensitive);
}

std::optional<PayloadSqlCondition> TextSearch::condition(const QString &text,
                                                         const EventStore &store)
{
    const StoreLayout &layout = store.layout();
    if (text.isEmpty() || !isAscii(text) || layout.data.isEmpty() || layout.unwrapTypedValues)
        return std::nullopt;
    const bool postgres = store.dialect() == SqlDialect::Postgres;
    if (postgres && (layout.dataJson.isEmpty() || layout.dataJson != layout.data))
        return std::nullopt;
    PayloadSqlCondition condition;
    // The text as the database holds it, and whether that is what the decoder hands on
    // unchanged: text whose first non-blank character opens JSON (PayloadDecoder's fast
    // path). Other rows (BLOBs, compressed, XML, YAML, scalars, NULL) are let through.
    QString stored;
    QString unchanged;
    if (postgres) {
        stored = u"(%1)::text"_s.arg(layout.data);
        unchanged = u"left(%1, 1) IN ('{', '[', '\"')"_s.arg(stored);
    } else {
        stored = layout.data;
        unchanged = u"(typeof(%1) = 'text' AND substr(ltrim(%1, char(32, 9, 10, 13)), 1, 1) IN "
                    "('{', '[', '\"'))"_s.arg(stored);
    }
    // ASCII case folding, the same in every locale (lower() follows the locale on PostgreSQL).
    const QString lowered =
        postgres ? u"translate(%1, ?, ?)"_s.arg(stored) : u"lower(%1)"_s.arg(stored);
    if (postgres)
        condition.values << Upper << Lower;
    const QString find = postgres ? u"strpos(%1, ?) > 0"_s : u"instr(%1, ?) > 0"_s;
    QStringList either{find.arg(lowered)};
    condition.values << text.toLower();
    for (const QString &twin : foldingTwins(text)) {
        either << find.arg(stored);
        condition.values << twin;
    }
    either << u"NOT "_s + unchanged;
    condition.sql = u'(' + either.join(u" OR "_s) + u')';
    return condition;
}

bool TextSearch::run(EventFilter filter, qint64 limit, const Sink &sink, const JobControl &job)
{
    m_error.clear();
    m_read = 0;
    const std::optional<PayloadSqlCondition> narrowed =
        m_method == Method::Sql ? condition(m_text, m_store) : std::nullopt;
    m_method = narrowed ? Method::Sql : Method::Scan;
    return PayloadSearch::scan(
        m_store, filter, narrowed, limit,
        [this](const Event &event) { return holds(m_text, event); }, sink, job, &m_read, &m_error);
}

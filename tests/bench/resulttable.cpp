#include "resulttable.h"

#include <QStringList>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace {

QString verdictText(ResultTable::Verdict verdict)
{
    switch (verdict) {
    case ResultTable::Verdict::Pass:
        return u"pass"_s;
    case ResultTable::Verdict::Fail:
        return u"FAIL"_s;
    case ResultTable::Verdict::Info:
        break;
    }
    return u"-"_s;
}

QString orDash(const QString &text)
{
    return text.isEmpty() ? u"-"_s : text;
}

} // namespace

void ResultTable::addTimed(const QString &figure, double valueMs, std::optional<double> baselineMs,
                           double limitMs)
{
    add({figure, duration(valueMs), baselineMs ? duration(*baselineMs) : QString(),
         baselineMs ? ratio(valueMs, *baselineMs) : QString(), u"<= "_s + duration(limitMs),
         verdict(valueMs <= limitMs)});
}

void ResultTable::print(QTextStream &out) const
{
    using Cells = std::array<QString, 6>;
    QVector<Cells> lines{
        {u"figure"_s, u"value"_s, u"baseline"_s, u"ratio"_s, u"target"_s, u"result"_s}};
    for (const Row &r : m_rows)
        lines << Cells{r.figure,        r.value,          orDash(r.baseline),
                       orDash(r.ratio), orDash(r.target), verdictText(r.verdict)};
    std::array<qsizetype, 6> widths{};
    for (const Cells &cells : std::as_const(lines))
        for (std::size_t i = 0; i < cells.size(); ++i)
            widths[i] = std::max(widths[i], cells[i].size());
    for (const Cells &cells : std::as_const(lines)) {
        QStringList padded;
        for (std::size_t i = 0; i < cells.size(); ++i)
            padded << cells[i].leftJustified(widths[i]);
        out << padded.join(u" | "_s).trimmed() << '\n';
    }
}

QVector<ResultTable::Row> ResultTable::failures() const
{
    QVector<Row> rows;
    std::copy_if(m_rows.cbegin(), m_rows.cend(), std::back_inserter(rows),
                 [](const Row &r) { return r.verdict == Verdict::Fail; });
    return rows;
}

QString ResultTable::duration(double ms)
{
    if (ms >= 1000)
        return QString::number(ms / 1000, 'f', 2) + u" s"_s;
    if (ms >= 10)
        return QString::number(ms, 'f', 1) + u" ms"_s;
    return QString::number(ms, 'f', 3) + u" ms"_s;
}

QString ResultTable::megabytes(double bytes)
{
    return QString::number(bytes / (1024.0 * 1024.0), 'f', 1) + u" MB"_s;
}

QString ResultTable::ratio(double value, double baseline)
{
    if (baseline <= 0)
        return QString();
    return QString::number(value / baseline, 'f', 2) + u"x"_s;
}

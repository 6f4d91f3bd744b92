#pragma once

// The benchmark's output: one row per figure with its baseline, ratio, target and verdict,
// printed as aligned plain-text columns. Also the number formats the rows share.

#include <QString>
#include <QTextStream>
#include <QVector>

#include <optional>

class ResultTable
{
public:
    enum class Verdict { Info, Pass, Fail };

    struct Row
    {
        QString figure;
        QString value;
        QString baseline; // empty: the issue names none
        QString ratio;    // empty: no baseline
        QString target;   // empty: informative only
        Verdict verdict = Verdict::Info;
    };

    void add(const Row &row) { m_rows << row; }
    void addInfo(const QString &figure, const QString &value, const QString &baseline = {},
                 const QString &ratio = {})
    {
        add({figure, value, baseline, ratio, {}, Verdict::Info});
    }
    // A figure with an upper bound: the verdict follows from value <= limit.
    void addTimed(const QString &figure, double valueMs, std::optional<double> baselineMs,
                  double limitMs);
    void print(QTextStream &out) const;
    QVector<Row> failures() const;

    static QString duration(double ms);
    static QString megabytes(double bytes);
    static QString ratio(double value, double baseline);
    static Verdict verdict(bool pass) { return pass ? Verdict::Pass : Verdict::Fail; }

private:
    QVector<Row> m_rows;
};

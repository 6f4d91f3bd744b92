#include "importreportbox.h"

#include <QFileInfo>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace {

constexpr int RejectedShown = 5;

} // namespace

ImportReportBox::ImportReportBox(const QString &input, const QString &output,
                                 const EventImporter::Report &report, QWidget *parent)
    : QMessageBox(parent)
{
    setObjectName(u"importReport"_s);
    setWindowTitle(tr("Import"));
    setIcon(report.rejected.isEmpty() ? QMessageBox::Information : QMessageBox::Warning);
    const QString fields = report.fields.isEmpty() ? tr("no field names recognised")
                                                   : tr("%1 field names").arg(report.fields);
    setText(tr("Imported %1 events from %2 (%3, %4) into %5.")
                .arg(QLocale().toString(report.imported), QFileInfo(input).fileName(),
                     ImportReader::formatName(report.format), fields,
                     QFileInfo(output).fileName()));
    if (report.rejected.isEmpty())
        return;

    QStringList first;
    QStringList all;
    for (const EventImporter::Rejected &r : report.rejected) {
        if (first.size() < RejectedShown)
            first << tr("Line %1: %2").arg(r.line).arg(r.reason);
        all << u"%1:%2: %3"_s.arg(input).arg(r.line).arg(r.reason);
    }
    QString rejected = tr("%n line(s) rejected:", nullptr, int(report.rejected.size())) + u"\n"_s +
                       first.join(u'\n');
    if (report.rejected.size() > RejectedShown)
        rejected += u"\n…"_s;
    setInformativeText(rejected);
    setDetailedText(all.join(u'\n'));
}

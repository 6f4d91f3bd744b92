#pragma once

// The outcome of File ▸ Import…: how many events came in, the format and field names the
// file was read with, and the first rejected lines; Show Details lists every rejected line
// as FILE:LINE: reason, like eventscope-cli import does on stderr.

#include "writers/eventimporter.h"

#include <QMessageBox>

class ImportReportBox : public QMessageBox
{
    Q_OBJECT

public:
    ImportReportBox(const QString &input, const QString &output,
                    const EventImporter::Report &report, QWidget *parent = nullptr);
};

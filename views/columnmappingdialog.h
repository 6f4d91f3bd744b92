#pragma once

// Lets the user say which column of which table plays which role, for a store whose layout
// Eventscope does not recognise. It shows the first rows of the chosen table, proposes the
// column for each role that MappingGuesser reads from the names and the rows, with the reason,
// says what the rows show wrong in the chosen mapping, and produces the same mapping spec that
// --map takes on the command line.

#include "store/mappingguesser.h"

#include <QDialog>
#include <QMap>
#include <QVector>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QTableWidget;

class ColumnMappingDialog : public QDialog
{
    Q_OBJECT

public:
    static constexpr int ShownRows = 5;

    ColumnMappingDialog(const QString &storeName, const QString &problem,
                        const QVector<TableSample> &tables, QWidget *parent = nullptr);

    QString spec() const;
    QComboBox *tableBox() const { return m_table; }
    QComboBox *roleBox(const QString &role) const { return m_roles.value(role); }
    QLabel *reasonLabel(const QString &role) const { return m_reasons.value(role); }
    QTableWidget *sampleView() const { return m_sample; }
    QString hint() const;

private:
    const TableSample &currentTable() const;
    void fillColumns();
    void validate();

    QVector<TableSample> m_tables;
    QComboBox *m_table;
    QTableWidget *m_sample;
    QMap<QString, QComboBox *> m_roles; // spec key -> column chooser
    QMap<QString, QLabel *> m_reasons;  // spec key -> why the guess
    QMap<QString, RoleGuess> m_guesses; // of the current table
    QLabel *m_hint;
    QDialogButtonBox *m_buttons;
};

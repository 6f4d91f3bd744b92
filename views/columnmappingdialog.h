#pragma once

// Lets the user say which column of which table plays which role, for a store whose layout
// Eventscope does not recognise. It proposes the columns whose names look like each role and
// produces the same mapping spec that --map takes on the command line.

#include <QDialog>
#include <QMap>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;

class ColumnMappingDialog : public QDialog
{
    Q_OBJECT

public:
    ColumnMappingDialog(const QString &storeName, const QString &problem,
                        const QMap<QString, QStringList> &catalog, QWidget *parent = nullptr);

    QString spec() const;
    QComboBox *tableBox() const { return m_table; }
    QComboBox *roleBox(const QString &role) const { return m_roles.value(role); }

private:
    void fillColumns();
    void validate();

    QMap<QString, QStringList> m_catalog;
    QComboBox *m_table;
    QMap<QString, QComboBox *> m_roles; // spec key -> column chooser
    QLabel *m_hint;
    QDialogButtonBox *m_buttons;
};

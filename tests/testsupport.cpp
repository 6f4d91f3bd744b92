#include "testsupport.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QtDebug>

namespace TestSupport {

bool execSql(const QString &path, const QStringList &statements)
{
    const QString name = QUuid::createUuid().toString();
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open()) {
            qWarning() << "cannot create" << path << db.lastError().text();
            ok = false;
        } else {
            db.transaction();
            for (const QString &sql : statements) {
                QSqlQuery query(db);
                if (!query.exec(sql)) {
                    qWarning() << "SQL failed:" << sql << query.lastError().text();
                    ok = false;
                    break;
                }
            }
            ok = ok && db.commit();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QString cliPath()
{
    return qEnvironmentVariable("EVENTSCOPE_CLI");
}

} // namespace TestSupport

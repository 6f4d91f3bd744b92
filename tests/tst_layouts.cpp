// The stores of real event-sourcing libraries in SQLite: each is built by the test from the
// library's documented tables and read back through detection, queries, replay and snapshots.
// tst_postgres runs the PostgreSQL fixtures against a real server.

#include "eventstore.h"
#include "layoutfixtures.h"
#include "testsupport.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestLayouts : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void sqliteFixtures_data()
    {
        QTest::addColumn<int>("index");
        const auto fixtures = LayoutFixtures::all(SqlDialect::Sqlite);
        for (int i = 0; i < fixtures.size(); ++i)
            QTest::newRow(qPrintable(fixtures.at(i).name)) << i;
    }

    void sqliteFixtures()
    {
        QFETCH(int, index);
        const LayoutFixture fixture = LayoutFixtures::all(SqlDialect::Sqlite).at(index);
        const QString path = m_dir.filePath(u"fixture-%1.db"_s.arg(index));
        QVERIFY(TestSupport::execSql(path, fixture.sql));
        QString error;
        auto store = EventStore::open(StoreLocation::parse(path), {}, &error);
        QVERIFY2(store, qPrintable(error));
        const QString problem = LayoutFixtures::verify(*store, fixture);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
};

QTEST_GUILESS_MAIN(TestLayouts)
#include "tst_layouts.moc"

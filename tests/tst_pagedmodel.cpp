// KeysetPagedModel against a fake source whose reads the test answers by hand, in any order:
// the estimated count and then the exact one, placeholders until a page arrives, answers out
// of order, stale answers after a restart (a filter change), eviction keeping the cache
// bounded, a seek costing one read, a failure. Under QAbstractItemModelTester throughout.

#include "keysetpagedmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

constexpr auto QtTestMode = QAbstractItemModelTester::FailureReportingMode::QtTest;

// Rows of a sorted key column: row r has the key (r + 1) * step, so that a read can be checked
// against its keys, and the rows of another "filter" (another step) differ from these.
class FakePagedModel : public KeysetPagedModel
{
public:
    struct Read
    {
        enum Kind { Page, Count, Seek } kind;
        PageRead page;
        quint64 generation;
        QVariant key;
    };

    FakePagedModel(int pageSize, int maxPages) : KeysetPagedModel(pageSize, maxPages, nullptr) {}

    // The source's rows change: a restart, as a filter change makes.
    void setRows(int rows, int step)
    {
        m_rows = rows;
        m_step = step;
        reads.clear();
        restart(true);
    }
    void setNoSource() { restart(false); }

    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : 1; }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (role != Qt::DisplayRole || !index.isValid())
            return {};
        ensureLoaded(index.row());
        const auto page = m_pages.constFind(index.row() / pageSize());
        if (page == m_pages.cend() || index.row() % pageSize() >= page->size())
            return placeholder();
        return page->at(index.row() % pageSize());
    }

    // Answers the read as a keyset source would: from the key, passing over the gap.
    void answer(const Read &read)
    {
        if (read.kind == Read::Count) {
            if (isCurrent(read.generation))
                countArrived(read.generation, m_rows);
            return;
        }
        if (read.kind == Read::Seek) {
            const int row = read.key.toInt() / m_step - 1;
            const bool there = read.key.toInt() % m_step == 0 && row >= 0 && row < m_rows;
            const int page = there ? row / pageSize() : -1;
            const QVector<int> rows = there ? keys(page * pageSize(), pageSize()) : QVector<int>();
            if (!isCurrent(read.generation))
                return;
            if (there)
                m_pages.insert(page, rows);
            seekArrived(read.generation, read.key, page, int(rows.size()), there ? row : -1);
            return;
        }
        const PageRead &r = read.page;
        const int afterIndex = r.afterRow < 0 ? 0 : r.after.toInt() / m_step;
        const QVector<int> rows = keys(afterIndex + (r.firstRow - 1 - r.afterRow), r.limit);
        if (!isCurrent(read.generation))
            return;
        if (!rows.isEmpty())
            m_pages.insert(r.page, rows);
        pageArrived(read.generation, r.page, int(rows.size()));
    }
    void fail(const Read &read, const QString &message)
    {
        readFailed(read.generation, {StoreError::Kind::Sql, message});
    }
    // Answers every read, the ones the answers ask for too.
    void answerAll()
    {
        QCoreApplication::processEvents();
        while (!reads.isEmpty()) {
            answer(reads.takeFirst());
            QCoreApplication::processEvents();
        }
    }
    QList<int> readPages() const
    {
        QList<int> pages;
        for (const Read &r : reads) {
            if (r.kind == Read::Page)
                pages << r.page.page;
        }
        return pages;
    }
    bool wanted(quint64 generation) const { return stillWanted(generation)(); }
    bool storedPage(int page) const { return m_pages.contains(page); }

    QList<Read> reads;

protected:
    void readPage(const PageRead &read) override { reads << Read{Read::Page, read, read.generation, {}}; }
    void readCount(quint64 generation) override { reads << Read{Read::Count, {}, generation, {}}; }
    void readSeek(quint64 generation, const QVariant &key) override
    {
        reads << Read{Read::Seek, {}, generation, key};
    }
    QVariant lastKey(int page) const override { return m_pages.value(page).constLast(); }
    void dropPage(int page) override { m_pages.remove(page); }
    void dropAllPages() override { m_pages.clear(); }

private:
    QVector<int> keys(int first, int limit) const
    {
        QVector<int> result;
        for (int row = first; row < qMin(first + limit, m_rows); ++row)
            result << (row + 1) * m_step;
        return result;
    }

    int m_rows = 0;
    int m_step = 10;
    QHash<int, QVector<int>> m_pages;
};

QString text(const QAbstractItemModel &model, int row)
{
    return model.data(model.index(row, 0)).toString();
}

} // namespace

class TestPagedModel : public QObject
{
    Q_OBJECT

private slots:
    void estimateThenExactCount()
    {
        FakePagedModel model(10, 4);
        QAbstractItemModelTester tester(&model, QtTestMode);
        QSignalSpy counts(&model, &KeysetPagedModel::countChanged);
        model.setRows(95, 10);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.isCountExact());
        QVERIFY(!model.isSettled());
        // The first page, then the count behind it.
        QCOMPARE(model.reads.size(), 2);
        QCOMPARE(model.reads.at(0).kind, FakePagedModel::Read::Page);
        QCOMPARE(model.reads.at(0).page.page, 0);
        QCOMPARE(model.reads.at(0).page.afterRow, -1);
        QCOMPARE(model.reads.at(1).kind, FakePagedModel::Read::Count);

        model.answer(model.reads.takeFirst());
        // A full page: an estimate of one page more, for a view to scroll into.
        QCOMPARE(model.rowCount(), 20);
        QVERIFY(!model.isCountExact());
        QCOMPARE(text(model, 9), u"100"_s);
        QCOMPARE(text(model, 10), KeysetPagedModel::placeholder());
        QCOMPARE(counts.constLast().at(0).toInt(), 20);
        QCOMPARE(counts.constLast().at(1).toBool(), false);

        QSignalSpy settled(&model, &KeysetPagedModel::settled);
        model.answer(model.reads.takeFirst());
        QCOMPARE(model.rowCount(), 95);
        QVERIFY(model.isCountExact());
        QCOMPARE(counts.constLast().at(0).toInt(), 95);
        QCOMPARE(counts.constLast().at(1).toBool(), true);
        model.answerAll(); // the pages the tester showed meanwhile
        QVERIFY(settled.count() >= 1);
        QVERIFY(model.isSettled());
    }

    void estimateGrowsAndEnds()
    {
        // No count answered: the estimate follows the pages until a short one ends the rows.
        FakePagedModel model(10, 8);
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setRows(25, 10);
        model.reads.removeLast(); // the count never comes
        model.answer(model.reads.takeFirst());
        QCOMPARE(model.rowCount(), 20);
        text(model, 15); // a view shows a placeholder of page 1
        QCoreApplication::processEvents();
        QCOMPARE(model.readPages(), QList<int>{1});
        QCOMPARE(model.reads.constFirst().page.afterRow, 9); // right after page 0: no gap
        QCOMPARE(model.reads.constFirst().page.after.toInt(), 100);
        model.answer(model.reads.takeFirst());
        QCOMPARE(model.rowCount(), 30);
        QVERIFY(!model.isCountExact());
        text(model, 25);
        QCoreApplication::processEvents();
        model.answer(model.reads.takeFirst());
        QCOMPARE(model.rowCount(), 25);
        QVERIFY(model.isCountExact());
        QCOMPARE(text(model, 24), u"250"_s);
    }

    void outOfOrderAnswers()
    {
        FakePagedModel model(10, 8);
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setRows(100, 10);
        model.answerAll();
        QCOMPARE(model.rowCount(), 100);
        // Rows of pages 3 and 5 shown: both asked for in one turn, nearest the last first.
        QCOMPARE(text(model, 35), KeysetPagedModel::placeholder());
        QCOMPARE(text(model, 55), KeysetPagedModel::placeholder());
        QCOMPARE(text(model, 56), KeysetPagedModel::placeholder()); // asked once
        QCoreApplication::processEvents();
        QCOMPARE(model.readPages(), (QList<int>{5, 3}));
        // Each says how far it is from the nearest loaded row before it (the tester has had
        // page 0 or 1 read).
        const auto &far = model.reads.at(0).page;
        QCOMPARE(far.firstRow, 50);
        QVERIFY(far.afterRow < 49);
        QVERIFY(model.isRowLoaded(far.afterRow) && !model.isRowLoaded(far.afterRow + 1));
        QCOMPARE(far.after.toInt(), (far.afterRow + 1) * 10);
        QCOMPARE(far.countKnown, 100);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.answer(model.reads.takeLast()); // page 3 first
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 30);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 39);
        QVERIFY(!model.isSettled());
        model.answer(model.reads.takeFirst());
        QVERIFY(model.isSettled());
        QCOMPARE(text(model, 35), u"360"_s);
        QCOMPARE(text(model, 55), u"560"_s);
        QVERIFY(model.isRowLoaded(59));
        QVERIFY(!model.isRowLoaded(60));
    }

    void staleAnswersDropped()
    {
        FakePagedModel model(10, 8);
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setRows(100, 10);
        const QList<FakePagedModel::Read> before = model.reads;
        const quint64 old = before.constFirst().generation;
        QVERIFY(model.wanted(old));
        // The filter changes before the first answers arrive.
        model.setRows(40, 7);
        QVERIFY(!model.wanted(old));
        QVERIFY(model.wanted(model.reads.constFirst().generation));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (const auto &read : before)
            model.answer(read);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.storedPage(0));
        QVERIFY(!model.isSettled()); // the new reads are still out
        model.answerAll();
        QCOMPARE(model.rowCount(), 40);
        QCOMPARE(text(model, 0), u"7"_s);
        text(model, 39);
        model.answerAll();
        QCOMPARE(text(model, 39), u"280"_s);
        // A failure of an old read is as stale as its answer.
        model.fail(before.constFirst(), u"gone"_s);
        QVERIFY(model.errorString().isEmpty());
    }

    void evictionKeepsTheCacheBounded()
    {
        FakePagedModel model(10, 4);
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setRows(1000, 10);
        model.answerAll();
        // Scrolling down the whole list a page at a time.
        for (int row = 0; row < 1000; row += 10) {
            text(model, row);
            model.answerAll();
            QCOMPARE(text(model, row), QString::number((row + 1) * 10));
            QVERIFY(model.cachedPageCount() <= 4);
        }
        QCOMPARE(model.cachedPageCount(), 4);
        // The pages kept are the ones shown last; the middle went long ago.
        QVERIFY(model.isRowLoaded(999) && model.isRowLoaded(980));
        QVERIFY(!model.isRowLoaded(500) && !model.storedPage(50));
        QCOMPARE(text(model, 500), KeysetPagedModel::placeholder());
        model.answerAll();
        QCOMPARE(text(model, 500), u"5010"_s);
        QCOMPARE(model.cachedPageCount(), 4);
    }

    void farPagesFromTheEnd()
    {
        // With the count known, the last page says how far it is from the end, so that a
        // source can seek back from there rather than forward over everything.
        FakePagedModel model(10, 4);
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setRows(100000, 10);
        model.answerAll();
        QCOMPARE(text(model, 99999), KeysetPagedModel::placeholder());
        QCoreApplication::processEvents();
        QCOMPARE(model.readPages(), QList<int>{9999});
        const auto &read = model.reads.constFirst().page;
        QCOMPARE(read.firstRow, 99990);
        QVERIFY(read.afterRow < 100);
        QCOMPARE(read.countKnown, 100000);
        model.answerAll();
        QCOMPARE(text(model, 99999), u"1000000"_s);
    }

    void seekIsOneRead()
    {
        FakePagedModel model(10, 4);
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setRows(100000, 10);
        model.answerAll();
        QSignalSpy found(&model, &KeysetPagedModel::rowFound);
        model.seek(543210);
        QCOMPARE(model.reads.size(), 1);
        QCOMPARE(model.reads.constFirst().kind, FakePagedModel::Read::Seek);
        QVERIFY(!model.isSettled());
        model.answerAll();
        QCOMPARE(found.count(), 1);
        QCOMPARE(found.at(0).at(0).toInt(), 54320);
        QCOMPARE(found.at(0).at(1).toInt(), 543210);
        QVERIFY(model.isRowLoaded(54320) && model.isRowLoaded(54329));
        QCOMPARE(text(model, 54320), u"543210"_s);
        QVERIFY(model.reads.isEmpty()); // nothing walked to get there
        QVERIFY(model.isSettled());

        model.seek(543211); // no such key
        model.answerAll();
        QCOMPARE(found.count(), 2);
        QCOMPARE(found.at(1).at(0).toInt(), -1);

        // Two seeks out: each answered with its key, settled after the second.
        model.seek(100);
        model.seek(200);
        model.answer(model.reads.takeFirst());
        QVERIFY(!model.isSettled());
        model.answerAll();
        QVERIFY(model.isSettled());
        QCOMPARE(found.count(), 4);
        QCOMPARE(found.at(2).at(1).toInt(), 100);
        QCOMPARE(found.at(3).at(0).toInt(), 19);
        QCOMPARE(found.at(3).at(1).toInt(), 200);
    }

    void failureStopsReading()
    {
        FakePagedModel model(10, 4);
        QAbstractItemModelTester tester(&model, QtTestMode);
        QSignalSpy errors(&model, &KeysetPagedModel::errorOccurred);
        model.setRows(100, 10);
        model.reads.removeLast(); // the count never comes
        model.answer(model.reads.takeFirst());
        QCOMPARE(model.rowCount(), 20);
        text(model, 15);
        QCoreApplication::processEvents();
        model.fail(model.reads.takeFirst(), u"the table is gone"_s);
        QCOMPARE(errors.count(), 1);
        QCOMPARE(model.errorString(), u"the table is gone"_s);
        // The rows read stay, the placeholders after them go, nothing more is read.
        QCOMPARE(model.rowCount(), 10);
        QVERIFY(model.isCountExact());
        QCOMPARE(text(model, 9), u"100"_s);
        QVERIFY(model.isSettled());
        QSignalSpy found(&model, &KeysetPagedModel::rowFound);
        model.seek(50);
        QCOMPARE(found.count(), 1);
        QCOMPARE(found.at(0).at(0).toInt(), -1);
        QVERIFY(model.reads.isEmpty());
        // A restart starts over.
        model.setRows(5, 10);
        QVERIFY(model.errorString().isEmpty());
        model.answerAll();
        QCOMPARE(model.rowCount(), 5);
    }

    void noSource()
    {
        FakePagedModel model(10, 4);
        QAbstractItemModelTester tester(&model, QtTestMode);
        model.setRows(30, 10);
        model.answerAll();
        QCOMPARE(model.rowCount(), 30);
        model.setNoSource();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.isCountExact());
        QVERIFY(model.isSettled());
        QCOMPARE(text(model, 0), QString());
    }
};

QTEST_MAIN(TestPagedModel)
#include "tst_pagedmodel.moc"

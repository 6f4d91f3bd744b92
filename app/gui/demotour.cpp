#include "demotour.h"

#include "appsettings.h"
#include "newstorejobs.h"
#include "session/storesession.h"
#include "storeopener.h"

using namespace Qt::StringLiterals;

DemoTour::DemoTour(StoreSession *session, StoreOpener *opener, NewStoreJobs *jobs, QObject *parent)
    : QObject(parent), m_session(session), m_opener(opener), m_jobs(jobs)
{
}

void DemoTour::openDemo()
{
    m_expected = StoreLocation::parse(AppSettings::demoStorePath()).toString(false);
    m_jobs->openDemo();
}

void DemoTour::storeOpened()
{
    // Another store may have been opened while the demo was being written.
    const QString store = std::exchange(m_expected, QString());
    if (store.isEmpty() || store != m_opener->storeName())
        return;
    StreamQuery query;
    query.filter = u"user-"_s;
    query.order = StreamQuery::Order::MostEvents;
    query.limit = 1;
    m_session->readStore<QVector<StreamInfo>>(
        this, {}, [query](EventStore &store) { return store.streams(query); },
        [this, store](const std::optional<QVector<StreamInfo>> &streams, const StoreError &) {
            if (store != m_opener->storeName() || !streams || streams->isEmpty())
                return; // another store by now, or nothing to show
            const StreamInfo &busiest = streams->constFirst();
            emit streamChosen(busiest.stream, busiest.firstVersion +
                                                  (busiest.lastVersion - busiest.firstVersion) / 2);
        });
}

#include "sidebysidefolds.h"

#include "store/eventstore.h"

SideBySideFolds::SideBySideFolds(const Projection &projection, const ReplayEngine::Options &options)
    : m_projection(projection), m_options(options)
{
}

SideBySideFolds::~SideBySideFolds() = default;

std::optional<QVector<ReplayState>>
SideBySideFolds::statesAt(EventStore &store, const QStringList &streams, qint64 timeMs,
                          const JobControl &control, StoreError *error)
{
    QMutexLocker lock(&m_mutex);
    if (m_store != &store) {
        m_engines.clear();
        m_store = &store;
    }
    for (auto it = m_engines.begin(); it != m_engines.end();)
        it = streams.contains(it->first) ? std::next(it) : m_engines.erase(it);

    m_lastApplications = 0;
    QVector<ReplayState> states;
    states.reserve(streams.size());
    for (const QString &stream : streams) {
        auto &engine = m_engines[stream];
        if (!engine) {
            engine = std::make_unique<ReplayEngine>(store, stream, m_projection, m_options);
            if (!engine->load(control)) {
                *error = control.cancelled() ? StoreError::cancelled() : engine->lastError();
                m_engines.erase(stream); // half a first pass is no fold to move
                return std::nullopt;
            }
        }
        std::optional<ReplayState> state = engine->stateAtTime(timeMs);
        if (!state) {
            *error = engine->lastError();
            return std::nullopt;
        }
        m_lastApplications += engine->applicationsForLastAnswer();
        states.append(*std::move(state));
    }
    return states;
}

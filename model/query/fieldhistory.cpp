#include "query/fieldhistory.h"

#include "query/watchedpath.h"
#include "replay/replayengine.h"

using namespace Qt::StringLiterals;

bool FieldHistory::walk(ReplayEngine &engine, const QueryPath &path,
                        const std::function<bool(const FieldChange &)> &sink,
                        const JobControl &job, QString *error)
{
    if (engine.eventCount() > 0) {
        *error = u"the history of a field needs a replay of %1 from its first event"_s.arg(
            engine.stream());
        return false;
    }
    WatchedPath watched(path);
    const QString display = path.display();
    engine.setFoldObserver([&](const FoldedEvent &event, const FoldedState &state) {
        if (!watched.update(state))
            return true;
        FieldChange change;
        change.index = event.index;
        change.version = event.version;
        change.position = event.position;
        change.timeMs = event.timeMs;
        change.type = QString::fromUtf8(event.type.data(), qsizetype(event.type.size()));
        const QJsonValue &before = watched.previous();
        const QJsonValue &after = watched.value();
        const JsonChange::Kind kind = before.isUndefined() ? JsonChange::Kind::Added
                                      : after.isUndefined() ? JsonChange::Kind::Removed
                                                            : JsonChange::Kind::Changed;
        change.change = JsonChange{kind, display, before, after};
        return sink(change);
    });
    const bool loaded = engine.load(job);
    engine.setFoldObserver({});
    if (!loaded)
        *error = engine.errorString();
    return loaded;
}

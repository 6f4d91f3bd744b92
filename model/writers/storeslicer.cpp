#include "writers/storeslicer.h"

#include "decoding/timecodec.h"
#include "store/eventstore.h"
#include "writers/ownstorewriter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QString timeOrEmpty(qint64 ms)
{
    return ms == NoTime ? QString() : TimeCodec::format(ms);
}

// What slice_source notes: enough to tell where the events came from and to cut the same
// slice again. The location as displayName() gives it, which never holds a password.
QList<QPair<QString, QString>> sourceNotes(const EventStore &source, const SliceRequest &request,
                                           const SliceReport &report)
{
    return {
        {u"source"_s, source.location().displayName()},
        {u"layout"_s, source.layout().id},
        {u"table"_s, source.openOptions().table},
        {u"map"_s, source.openOptions().mapSpec},
        {u"streams"_s, QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(request.streams))
                                             .toJson(QJsonDocument::Compact))},
        {u"from_time"_s, timeOrEmpty(request.fromTimeMs)},
        {u"to_time"_s, timeOrEmpty(request.toTimeMs)},
        {u"events"_s, QString::number(report.events)},
        {u"left_out_without_time"_s, QString::number(report.withoutTime)},
        {u"left_out_without_position"_s, QString::number(report.withoutPosition)},
        {u"created_at"_s, TimeCodec::format(QDateTime::currentMSecsSinceEpoch())},
    };
}

} // namespace

bool StoreSlicer::slice(EventStore &source, const SliceRequest &request, const QString &outputPath,
                        SliceReport *report, QString *error, const JobControl &job)
{
    *report = SliceReport();
    OwnStoreWriter writer(outputPath);
    if (!writer.begin()) {
        *error = writer.errorString();
        return false;
    }
    for (qsizetype s = 0; s < request.streams.size(); ++s) {
        const QString &stream = request.streams.at(s);
        qint64 &inStream = report->eventsByStream[stream];
        EventFilter filter;
        filter.stream = stream;
        filter.fromTimeMs = request.fromTimeMs;
        filter.toTimeMs = request.toTimeMs;
        filter.limit = PageSize;
        for (;;) {
            if (job.cancelled()) {
                *error = u"cancelled"_s;
                return false;
            }
            const auto page = source.events(filter);
            if (!page) {
                *error = source.errorString();
                return false;
            }
            for (const Event &event : *page) {
                if (event.timeMs == NoTime) {
                    ++report->withoutTime;
                    continue;
                }
                if (event.position < 1) {
                    ++report->withoutPosition;
                    continue;
                }
                if (!writer.append(event)) {
                    *error = writer.errorString();
                    return false;
                }
                ++inStream;
                ++report->events;
            }
            if (page->size() < filter.limit)
                break;
            filter.afterPosition = page->constLast().position;
        }
        job.report(s + 1, request.streams.size());
    }
    if (!writer.addNotes(SourceTable, sourceNotes(source, request, *report)) || !writer.commit()) {
        *error = writer.errorString();
        return false;
    }
    return true;
}

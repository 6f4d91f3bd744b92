#pragma once

// The demo store: a blog click-tracker. Users are created, renamed and updated, and click on
// posts; posts are published and edited. Activity follows a daily rhythm over the given days,
// with one traffic spike when a post goes viral. Deterministic for a seed.
//
// Streams are "user-<n>" (UserCreated, UserRenamed, UserUpdated, Clicked) and "post-<n>"
// (PostPublished, PostEdited).

#include "core/jobcontrol.h"

#include <QDateTime>
#include <QString>

class DemoGenerator
{
public:
    struct Options
    {
        qint64 events = 20000;
        int users = 200;
        int days = 30;
        quint64 seed = 42;
        // The first day; the default is fixed so that the same seed gives the same store.
        QDateTime start = QDateTime(QDate(2026, 1, 5), QTime(0, 0), Qt::UTC);
    };

    // Writes exactly options.events events to a new file at path.
    static bool generate(const QString &path, const Options &options, QString *error,
                         const JobControl &job = {});
};

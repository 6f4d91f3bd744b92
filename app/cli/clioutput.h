#pragma once

// Where eventscope-cli writes: JSON lines to stdout, messages prefixed "eventscope-cli: " to
// stderr. Output is buffered; messages flush it first so that the two streams interleave
// in order.

#include <QByteArray>
#include <QFile>
#include <QString>

class CliOutput
{
public:
    CliOutput();
    ~CliOutput();

    // False when stdout cannot be written: the command should stop.
    bool line(const QByteArray &json);
    // Writes out what is buffered (a follower's lines as they arrive); false as line().
    bool flush();
    void error(const QString &message);

private:
    QFile m_out;
    QFile m_err;
};

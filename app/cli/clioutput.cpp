#include "clioutput.h"

#include <cstdio>

CliOutput::CliOutput()
{
    m_out.open(stdout, QIODevice::WriteOnly);
    m_err.open(stderr, QIODevice::WriteOnly | QIODevice::Unbuffered);
}

CliOutput::~CliOutput()
{
    m_out.flush();
}

bool CliOutput::line(const QByteArray &json)
{
    return m_out.write(json) == json.size() && m_out.putChar('\n');
}

bool CliOutput::flush()
{
    return m_out.flush();
}

void CliOutput::error(const QString &message)
{
    m_out.flush();
    // One line, whatever a driver's message holds: scripts read stderr line by line.
    m_err.write(QByteArrayLiteral("eventscope-cli: ") + message.simplified().toUtf8() + '\n');
}

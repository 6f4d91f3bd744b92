#include "storefollower.h"

#include "session/storesession.h"

#include <QAction>

using namespace Qt::StringLiterals;

StoreFollower::StoreFollower(StoreSession *session, QObject *parent)
    : QObject(parent), m_session(session), m_action(new QAction(tr("F&ollow New Events"), this))
{
    m_action->setObjectName(u"followAction"_s);
    m_action->setCheckable(true);
    m_action->setShortcut(u"Ctrl+Shift+F"_s);
    m_action->setStatusTip(tr("Show events that other programs add to the store while it is "
                              "open, as they are committed"));
    m_timer.setInterval(IntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StoreFollower::look);
    connect(m_action, &QAction::toggled, this, [this](bool on) {
        if (on && m_storeOpen)
            look(); // what came since the store was indexed
        setStoreOpen(m_storeOpen);
    });
}

bool StoreFollower::isFollowing() const
{
    return m_timer.isActive();
}

void StoreFollower::setStoreOpen(bool open)
{
    m_storeOpen = open;
    if (open && m_action->isChecked())
        m_timer.start();
    else
        m_timer.stop();
}

void StoreFollower::look()
{
    if (m_session->isIdle())
        m_session->pollForNewEvents();
}

#pragma once

// The window's icons by meaning: the desktop theme's icon where it has one, else Eventscope's
// own from the resources (resources/eventscope.qrc).

#include <QIcon>

class Icons
{
public:
    enum Name {
        Open,
        Reload,
        Demo,
        Connect,
        ZoomIn,
        ZoomOut,
        ZoomReset,
        Play,
        Pause,
        StepBack,
        StepForward,
        JumpStart,
        JumpEnd,
        Copy,
        Cancel,
        App
    };
    static QIcon icon(Name name);
};

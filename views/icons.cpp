#include "icons.h"

using namespace Qt::StringLiterals;

namespace {

struct IconEntry
{
    const char *theme; // freedesktop icon name, or nullptr to always use our own
    const char *resource;
};

const IconEntry entries[] = {
    {"document-open", "open"},
    {"view-refresh", "reload"},
    {nullptr, "demo"},
    {"network-server-database", "connect"},
    {"zoom-in", "zoom-in"},
    {"zoom-out", "zoom-out"},
    {"zoom-original", "zoom-reset"},
    {"media-playback-start", "play"},
    {"media-playback-pause", "pause"},
    {"media-skip-backward", "step-back"},
    {"media-skip-forward", "step-forward"},
    {"media-seek-backward", "jump-start"},
    {"media-seek-forward", "jump-end"},
    {"edit-copy", "copy"},
    {"process-stop", "cancel"},
    {nullptr, "app"},
};

} // namespace

// The resources live in a static library: nothing would pull them into a program unless
// something refers to their initialiser.
static void initIconResources()
{
    Q_INIT_RESOURCE(eventscope);
}

QIcon Icons::icon(Name name)
{
    static const bool initialised = (initIconResources(), true);
    Q_UNUSED(initialised);
    const IconEntry &e = entries[name];
    const QIcon own(u":/icons/"_s + QLatin1String(e.resource) + u".svg"_s);
    return e.theme ? QIcon::fromTheme(QLatin1String(e.theme), own) : own;
}

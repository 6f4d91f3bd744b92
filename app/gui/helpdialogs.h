#pragma once

// Help ▸ Keyboard Shortcuts and Help ▸ About: the text the window shows about itself.

class QWidget;

namespace HelpDialogs {
void showShortcuts(QWidget *parent);
void showAbout(QWidget *parent);
} // namespace HelpDialogs

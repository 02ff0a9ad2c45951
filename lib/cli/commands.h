#pragma once

#include "command.h"

// The commands, one class each in its own file; the table in commands.cpp.
namespace tokenkeeper::cli {

std::unique_ptr<Command> makeProfileAdd();
std::unique_ptr<Command> makeProfileEdit();
std::unique_ptr<Command> makeProfileList();
std::unique_ptr<Command> makeProfileShow();
std::unique_ptr<Command> makeProfileRemove();
std::unique_ptr<Command> makePresets();
std::unique_ptr<Command> makeLogin();
std::unique_ptr<Command> makeLogout();
std::unique_ptr<Command> makeToken();
std::unique_ptr<Command> makeHeader();
std::unique_ptr<Command> makeRefresh();
std::unique_ptr<Command> makeStatus();
std::unique_ptr<Command> makeLock();
std::unique_ptr<Command> makeRequest();
std::unique_ptr<Command> makeHistory();
std::unique_ptr<Command> makeAgent();

} // namespace tokenkeeper::cli

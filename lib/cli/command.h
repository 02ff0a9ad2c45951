#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace tokenkeeper::cli {

class Context;

// One command of `tokenkeeper` (the model: KeePassXC's src/cli/Command.h):
// run() reads its arguments, does its work, possibly asynchronously, and ends
// by calling Context::done() (or fail() or usage()) exactly once.
class Command
{
public:
    virtual ~Command() = default;
    virtual void run(Context &cli, const QStringList &args) = 0;

protected:
    Command() = default;
    Q_DISABLE_COPY_MOVE(Command)
};

// A line of the command table: the command's name ("token", "profile add"),
// its section of --help, its synopsis and help text (as --help prints them),
// and how to make it.
struct CommandSpec
{
    QString name;
    QString section;
    QString help;
    std::function<std::unique_ptr<Command>()> make;
};

// Every command, in the order --help lists them (commands.cpp).
const QList<CommandSpec> &commandTable();

} // namespace tokenkeeper::cli

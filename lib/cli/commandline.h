#pragma once

#include "engine/engine.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace tokenkeeper {

namespace cli {
class Command;
class Context;
} // namespace cli

// `tokenkeeper` on the command line: finds the command in the table
// (cli/commands.cpp), runs it asynchronously and emits finished() with the
// exit code (cli::ExitCode):
//   0 ok, 1 profiles file unusable, 2 usage error, 3 login required,
//   4 server or network failure, 5 keychain unavailable, 6 a request's
//   answer was 4xx or 5xx; 130 and 143 after SIGINT and SIGTERM.
// Usage and --help are made from the same table. Secrets are read from
// standard input or a no-echo prompt, never from the arguments.
class CommandLine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandLine)

public:
    CommandLine(QStringList arguments, EngineOptions options, QObject *parent = nullptr);
    ~CommandLine() override;

    // The whole --help text.
    static QString helpText();

public Q_SLOTS:
    void start();
    // A SIGINT or SIGTERM: the command ends now, or as soon as the renewal,
    // login or logout under way is stored (cli::Context::interrupt), with
    // exit code 128 + the signal's number.
    void interrupt(int signalNumber);

Q_SIGNALS:
    void finished(int exitCode);

private:
    QStringList m_arguments;
    std::unique_ptr<cli::Context> m_context;
    std::unique_ptr<cli::Command> m_command;
};

} // namespace tokenkeeper

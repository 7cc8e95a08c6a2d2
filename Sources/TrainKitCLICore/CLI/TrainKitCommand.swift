import ArgumentParser
import Foundation
import TrainKit

/// `trainkit`: train, evaluate and use models from a YAML config.
public struct TrainKitCommand: ParsableCommand {
    /// The `serve` subcommand: in `trainkit`, ``ServeForwardCommand`` (runs the `trainkit-serve` program beside it);
    /// `trainkit-serve` puts the server itself here, so the HTTP stack is linked into that program alone.
    nonisolated(unsafe) public static var serveCommand: any ParsableCommand.Type = ServeForwardCommand.self

    public static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "trainkit",
        abstract: "Train, evaluate and use models from a YAML config.",
        discussion: """
            Exit status: 0 success, 1 training failure (e.g. a non-finite loss), 2 usage or config error, \
            3 data error, 130 / 143 stopped by SIGINT / SIGTERM (with a checkpoint to resume from). Config keys: docs/config.md.
            """,
        version: TrainKitVersion.current,
        subcommands: [TrainCommand.self, EvaluateCommand.self, PredictCommand.self, InfoCommand.self,
                      CrossValidateCommand.self, TuneCommand.self, ConfigCommand.self, RLCommand.self,
                      ExportCommand.self, ModelsCommand.self, RetrainCommand.self, PipelineCommand.self, serveCommand]) }

    public init() {}
}

/// A subcommand that runs with explicit output streams (so tests can call it without spawning a process).
public protocol CLICommand: ParsableCommand {
    func execute(_ io: CommandIO) throws
}

extension CLICommand {
    public func run() throws { try execute(.standard) }
}

/// The `trainkit` program: parse the arguments, run the subcommand, map errors to exit statuses.
public enum TrainKitCLI {
    /// Runs `trainkit` with the process arguments and exits with its status.
    public static func main() -> Never {
        exit(run(arguments: Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs `trainkit` with `arguments` (without the program name) and returns the exit status
    /// (``ExitStatus``): 0 success, 1 training failure, 2 usage or config error, 3 data error.
    public static func run(arguments: [String], io: CommandIO = .standard) -> Int32 {
        if case .failure(let error) = Device.environmentDefault {
            io.diagnostics("trainkit: error: \(error)")
            return ExitStatus.usage.rawValue
        }
        let command: ParsableCommand
        do {
            command = try TrainKitCommand.parseAsRoot(arguments)
        } catch {
            let message = TrainKitCommand.fullMessage(for: error)
            if TrainKitCommand.exitCode(for: error) == .success {
                io.output(message)
                return ExitStatus.success.rawValue
            }
            if let suggestion = ArgumentSuggestions.message(for: arguments) {
                io.diagnostics("trainkit: error: \(suggestion)")
            } else if let hint = ArgumentSuggestions.choiceHint(in: message) {
                io.diagnostics(message.replacingOccurrences(of: "\n", with: " (\(hint))\n", options: [], range: message.range(of: "\n")))
            } else {
                io.diagnostics(message)
            }
            return ExitStatus.usage.rawValue
        }
        do {
            if let ours = command as? any CLICommand {
                try ours.execute(io)
            } else {
                // `help [SUBCOMMAND]`, `SUBCOMMAND --help`, a bare `trainkit`: the built-in commands throw their
                // help text (the subcommand's, not the root's).
                do {
                    var builtIn = command
                    try builtIn.run()
                } catch {
                    io.output(TrainKitCommand.fullMessage(for: error))
                }
            }
            return ExitStatus.success.rawValue
        } catch let interrupted as RunInterrupted {
            io.diagnostics("trainkit: \(interrupted)")
            return interrupted.exitStatus
        } catch {
            let status = ExitStatus.forError(error)
            io.diagnostics("trainkit: error: \(describe(error))")
            return status.rawValue
        }
    }

    /// The error's text; a file-system error names its file (Foundation's own text does not).
    static func describe(_ error: any Error) -> String {
        if let e = error as? CocoaError {
            let path = e.filePath ?? e.url?.path
            return path.map { "\($0): \(e.localizedDescription)" } ?? e.localizedDescription
        }
        return String(describing: error)
    }
}

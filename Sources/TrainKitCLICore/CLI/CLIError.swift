import Foundation
import TrainKit

/// A problem with the config file or the command line: what is wrong and where.
///
/// `description` reads like a compiler diagnostic: `config.yaml:12:3: training.optimzer: unknown key; did you
/// mean 'optimizer'?`. Every case exits with status 2 (see ``ExitStatus``).
public enum ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `path` is not a key TrainKit knows; `suggestion` is the nearest known key path, if any is close.
    case unknownKey(path: String, suggestion: String?, known: [String], location: ConfigLocation?)
    /// `path` holds a value of the wrong type.
    case wrongType(path: String, expected: String, got: String, location: ConfigLocation?)
    /// A required key is absent.
    case missingKey(path: String, hint: String)
    /// `path` holds a value of the right type that is not allowed.
    case invalidValue(path: String, reason: String, location: ConfigLocation?)
    /// `path` names a file or directory that does not exist.
    case missingFile(path: String, file: String)
    /// `path` names a data file found in none of the places searched (see ``DataLookup``); `hint` says
    /// where to get it.
    case missingData(path: String, file: String, searched: [String], hint: String, location: ConfigLocation?)
    /// The YAML itself does not parse.
    case syntax(file: String, reason: String)
    /// The config file cannot be read.
    case unreadable(file: String, reason: String)
    /// A command-line problem (`--set` without `=`, a run directory without a model, ...).
    case usage(String)

    public var description: String {
        switch self {
        case let .unknownKey(path, suggestion, known, location):
            let hint = suggestion.map { "did you mean '\($0)'?" } ?? "known keys here: \(known.joined(separator: ", "))"
            return "\(prefix(location))\(path): unknown key; \(hint)"
        case let .wrongType(path, expected, got, location):
            return "\(prefix(location))\(path): expected \(expected), got \(got)"
        case let .missingKey(path, hint):
            return "\(path): missing; \(hint)"
        case let .invalidValue(path, reason, location):
            return "\(prefix(location))\(path): \(reason)"
        case let .missingFile(path, file):
            return "\(path): no such file or directory: \(file)"
        case let .missingData(path, file, searched, hint, location):
            return "\(prefix(location))\(path): no such file or directory: \(file)\n  looked in: "
                + searched.joined(separator: "\n             ") + "\n  \(hint)"
        case let .syntax(file, reason):
            return "\(file): invalid YAML: \(reason)"
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .usage(message):
            return message
        }
    }

    private func prefix(_ location: ConfigLocation?) -> String { location.map { "\($0): " } ?? "" }
}

/// Where a value sits in a config file (1-based line and column), or that it came from `--set`.
public struct ConfigLocation: CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}

/// Training stopped or could not finish (a non-finite loss, a failed checkpoint write). Exits with status 1.
public struct TrainingFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

import ArgumentParser
import Foundation
import TrainKitRegistry

/// `--store` and `--artifacts`, shared by every `models` subcommand.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The registry: a SQLite file, or postgres://user@host:port/db (default: $TRAINKIT_STORE, else $TRAINKIT_HOME/registry.db, else ~/.trainkit/registry.db).",
        valueName: "path-or-url"))
    var store: String?

    @Option(help: ArgumentHelp("Where a PostgreSQL store keeps the artifacts (default: $TRAINKIT_ARTIFACTS).", valueName: "dir"),
            completion: .directory)
    var artifacts: String?

    func location() throws -> StoreLocation { try StoreLocation.resolve(store: store, artifacts: artifacts) }

    func open() throws -> RegistryStore { try location().open() }
}

/// Where the CLI meets the registry: `NAME@3` / `NAME@alias` wherever a model is named.
enum RegistryModels {
    /// The model.json of the registered version `text` names, in the store of `$TRAINKIT_STORE` (else the default).
    ///
    /// - Throws: ``RegistryError`` naming the model and the store (an unknown name, version or alias; a missing
    ///   artifact folder; a store that cannot be opened).
    static func modelFile(_ text: String) throws -> URL {
        let reference = try ModelReference(parsing: text)
        let store = try StoreLocation.resolve(store: nil, artifacts: nil).open()
        defer { store.close() }
        let version = try store.resolve(reference)
        return try store.modelFolder(version).appendingPathComponent("model/model.json")
    }

    /// Who is acting: `$TRAINKIT_USER`, `$USER`, `$LOGNAME`, else the login name.
    static var user: String {
        let env = ProcessInfo.processInfo.environment
        return [env["TRAINKIT_USER"], env["USER"], env["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty } ?? NSUserName()
    }

    /// The exit status of a registry error: 2 for what the user named wrongly, 3 for a damaged store or a
    /// missing artifact, 1 for a store that cannot be reached or a missing client library.
    static func exitStatus(_ error: RegistryError) -> ExitStatus {
        switch error {
        case .invalid, .unknownModel, .unknownVersion, .unknownAlias, .versionHasAliases: return .usage
        case .corruptStore, .missingArtifact, .newerSchema: return .dataError
        case .libraryMissing, .unreachable, .database: return .trainingFailure
        }
    }
}

/// The promotion gate said no (exit status 1); the table of why was printed.
struct PromotionRefused: Error, CustomStringConvertible {
    var candidate: String
    var alias: String
    var failed: Int
    var description: String {
        "\(candidate) was not promoted to '\(alias)': \(failed) check\(failed == 1 ? "" : "s") failed (the table above says why; the refusal is recorded)"
    }
}

/// `trainkit models`: the model registry.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Register, list, compare, alias and promote trained models (docs/registry.md).",
        discussion: """
            A registered model is named NAME (its latest version), NAME@3 (a version) or NAME@ALIAS (an alias such as \
            production); predict, evaluate, info and export accept those names too (with the store of $TRAINKIT_STORE, \
            else the default store).
            """,
        subcommands: [ModelsRegisterCommand.self, ModelsListCommand.self, ModelsShowCommand.self, ModelsCompareCommand.self,
                      ModelsDeleteCommand.self, ModelsAliasCommand.self, ModelsPromoteCommand.self, ModelsHistoryCommand.self,
                      ModelsGCCommand.self])
}

/// `trainkit models alias set|remove`.
struct ModelsAliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias", abstract: "Point an alias at a version, or remove it.",
        subcommands: [ModelsAliasSetCommand.self, ModelsAliasRemoveCommand.self])
}

extension CommandIO {
    /// `value` as one line of sorted-key JSON.
    func json<T: Encodable>(_ value: T) throws {
        output(String(decoding: try JSONCoding.encode(value, pretty: false), as: UTF8.self))
    }
}

/// `%.4f`-style text of a metric, or a dash.
func metricText(_ value: Double?) -> String {
    guard let value else { return "—" }
    return String(format: "%.4f", value)
}

import Foundation

/// What went wrong with the model registry: each case names what and where.
public enum RegistryError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A C client library (SQLite's or PostgreSQL's) could not be loaded at run time.
    case libraryMissing(library: String, install: String, reason: String)
    /// The store file is not a registry database (damaged, or another kind of file).
    case corruptStore(store: String, reason: String)
    /// The store cannot be opened or reached (a bad path, a server that refuses the connection).
    case unreachable(store: String, reason: String)
    /// The database said no to a statement.
    case database(store: String, reason: String)
    /// The store was written by a newer TrainKit (a schema version this one does not know).
    case newerSchema(store: String, version: Int, known: Int)
    /// No model with that name.
    case unknownModel(name: String, store: String)
    /// The model has no such version.
    case unknownVersion(name: String, version: Int, store: String)
    /// `NAME@ALIAS` where the alias names no version.
    case unknownAlias(name: String, alias: String, known: [String], store: String)
    /// A version's artifact folder (or its model.json) is gone.
    case missingArtifact(model: String, path: String)
    /// A reference, alias name, rule or option that does not parse or is not allowed.
    case invalid(String)
    /// The version holds aliases; deleting it would leave them naming nothing.
    case versionHasAliases(model: String, aliases: [String])

    public var description: String {
        switch self {
        case let .libraryMissing(library, install, reason):
            return "cannot load \(library) (\(reason)); install it (\(install))"
        case let .corruptStore(store, reason):
            return "\(store): not a usable registry store: \(reason)"
        case let .unreachable(store, reason):
            return "\(store): cannot open the registry store: \(reason)"
        case let .database(store, reason):
            return "\(store): \(reason)"
        case let .newerSchema(store, version, known):
            return "\(store): the store's schema is version \(version); this trainkit knows versions up to \(known) (upgrade trainkit)"
        case let .unknownModel(name, store):
            return "no model named '\(name)' in the registry \(store) (see `trainkit models list`)"
        case let .unknownVersion(name, version, store):
            return "model '\(name)' has no version \(version) in the registry \(store) (see `trainkit models show \(name)`)"
        case let .unknownAlias(name, alias, known, store):
            let list = known.isEmpty ? "it has no aliases" : "its aliases: \(known.joined(separator: ", "))"
            return "\(name)@\(alias): the alias '\(alias)' names no version of '\(name)' in the registry \(store) (\(list))"
        case let .missingArtifact(model, path):
            return "\(model): the registered artifacts are missing: \(path) (the store's artifact folder was moved or damaged)"
        case let .invalid(message):
            return message
        case let .versionHasAliases(model, aliases):
            return "\(model) holds the alias\(aliases.count > 1 ? "es" : "") \(aliases.joined(separator: ", ")); "
                + "move or remove \(aliases.count > 1 ? "them" : "it") first (`trainkit models alias remove`)"
        }
    }
}

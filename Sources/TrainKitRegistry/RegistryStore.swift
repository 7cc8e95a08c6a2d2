import Foundation

/// The model registry: versions with their metrics, params, data hashes, lineage and artifacts; aliases; the
/// promotion gate; and a record of every change. ``SQLiteRegistryStore`` and ``PostgresRegistryStore`` share
/// one schema and one set of statements (``SQLRegistryStore``).
public protocol RegistryStore: AnyObject {
    /// The store's name in messages (a path or a URL without its password).
    var label: String { get }
    /// The folder that holds each version's copied artifacts.
    var artifactRoot: URL { get }

    /// Copies the draft's artifacts into the store and records the next version of `draft.name`.
    func register(_ draft: VersionDraft, from source: URL) throws -> ModelVersion
    func models() throws -> [ModelSummary]
    func versions(of name: String) throws -> [ModelVersion]
    /// The version `reference` names.
    func resolve(_ reference: ModelReference) throws -> ModelVersion
    /// The folder holding the version's model (checked to exist).
    func modelFolder(_ version: ModelVersion) throws -> URL
    /// Deletes a version that no alias names; its artifacts go after the commit.
    @discardableResult
    func delete(_ reference: ModelReference, user: String) throws -> ModelVersion
    @discardableResult
    func setAlias(_ alias: String, to reference: ModelReference, user: String) throws -> ModelVersion
    /// Removes the alias; returns the version it named.
    @discardableResult
    func removeAlias(_ alias: String, of name: String, user: String) throws -> Int
    /// Evaluates `gate` on the candidate (and the holder of `alias`), records the decision, and moves the alias
    /// when it passed, in one transaction.
    func promote(_ reference: ModelReference, to alias: String, gate: PromotionGate, user: String) throws -> PromotionDecision
    /// The recorded actions, oldest first (of one model, or all).
    func events(of name: String?) throws -> [RegistryEvent]
    func close()
}

/// A SQLite registry: one file, artifacts in `NAME.artifacts/` beside it. Writers queue on `BEGIN IMMEDIATE`
/// and a busy timeout.
public final class SQLiteRegistryStore: SQLRegistryStore, @unchecked Sendable {
    public init(path: String, artifactRoot: URL) throws {
        try super.init(database: try SQLiteDatabase(path: path), artifactRoot: artifactRoot)
    }
}

/// A PostgreSQL registry shared by a team; artifacts under a folder every user reaches. Concurrent writers
/// serialize on the model's row lock, and a conflicting transaction is retried.
public final class PostgresRegistryStore: SQLRegistryStore, @unchecked Sendable {
    public init(url: String, artifactRoot: URL) throws {
        try super.init(database: try PostgresDatabase(url: url), artifactRoot: artifactRoot)
    }
}

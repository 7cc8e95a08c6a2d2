import Foundation

/// What `register` records about a run, before the store numbers it.
public struct VersionDraft: Sendable {
    public var name: String
    /// The run directory it came from.
    public var source: String
    public var metrics: [String: Double]
    /// The run's config (YAML text).
    public var params: String
    /// SHA-256 of each data file, keyed by role and file (`train: /data/wine.csv`).
    public var dataHashes: [String: String]
    /// What identifies the test data: `file:SHA` of a test file, or `split:SHA:...` of a split of the train file.
    public var testData: String?
    /// The input columns the model reads.
    public var inputSchema: [String]
    public var trainkitVersion: String
    /// The version it was warm-started from.
    public var parent: ModelReference?
    /// Files of the run directory to copy into the store (relative paths).
    public var artifacts: [String]
    public var user: String

    public init(name: String, source: String, metrics: [String: Double], params: String, dataHashes: [String: String],
                testData: String?, inputSchema: [String], trainkitVersion: String, parent: ModelReference?,
                artifacts: [String], user: String) {
        self.name = name
        self.source = source
        self.metrics = metrics
        self.params = params
        self.dataHashes = dataHashes
        self.testData = testData
        self.inputSchema = inputSchema
        self.trainkitVersion = trainkitVersion
        self.parent = parent
        self.artifacts = artifacts
        self.user = user
    }
}

/// One registered version of a model.
public struct ModelVersion: Sendable, Codable, Equatable {
    public var name: String
    public var version: Int
    public var createdAt: String
    public var createdBy: String
    public var source: String
    /// The version's folder, relative to the store's artifact root.
    public var artifactPath: String
    public var metrics: [String: Double]
    public var params: String
    public var dataHashes: [String: String]
    public var testData: String?
    public var inputSchema: [String]
    public var trainkitVersion: String
    /// `NAME@V` of the version it was warm-started from.
    public var parent: String?
    /// The aliases that name it.
    public var aliases: [String]

    public var reference: String { "\(name)@\(version)" }

    /// `NAME@V`, or `NAME (candidate)` for a version not yet registered (``candidate(_:)``).
    public var label: String { version > 0 ? reference : "\(name) (candidate)" }

    /// A run as the gate sees it before it is registered (version 0): `trainkit pipeline` registers a candidate
    /// only when it passes.
    public static func candidate(_ draft: VersionDraft) -> ModelVersion {
        ModelVersion(name: draft.name, version: 0, createdAt: "", createdBy: draft.user, source: draft.source,
                     artifactPath: "", metrics: draft.metrics, params: draft.params, dataHashes: draft.dataHashes,
                     testData: draft.testData, inputSchema: draft.inputSchema, trainkitVersion: draft.trainkitVersion,
                     parent: draft.parent.map { "\($0)" }, aliases: [])
    }
}

/// A model with its versions counted.
public struct ModelSummary: Sendable, Codable, Equatable {
    public var name: String
    public var versions: Int
    public var latest: Int?
    public var aliases: [String: Int]
}

/// One recorded action: a registration, a deletion, an alias change, a promotion or a refusal.
public struct RegistryEvent: Sendable, Codable, Equatable {
    public var id: Int
    public var at: String
    public var user: String
    public var action: String
    public var name: String
    public var version: Int?
    public var alias: String?
    public var outcome: String
    public var rule: String?
    /// JSON: the checks of a promotion, with their values.
    public var details: String?
}

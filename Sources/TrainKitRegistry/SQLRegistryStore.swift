import Foundation

/// The statements both stores run; a subclass only opens its connection.
public class SQLRegistryStore: RegistryStore {
    let db: SQLDatabase
    public let artifactRoot: URL
    public var label: String { db.label }

    init(database: SQLDatabase, artifactRoot: URL) throws {
        db = database
        self.artifactRoot = artifactRoot
        try Schema.migrate(db)
    }

    public func close() { db.close() }

    private static let versionColumns = """
        name, version, created_at, created_by, source, artifact_path, metrics, params, data_hashes, test_data, \
        input_schema, trainkit_version, parent_name, parent_version
        """

    // MARK: - register

    public func register(_ draft: VersionDraft, from source: URL) throws -> ModelVersion {
        try ModelReference.checkName(draft.name)
        let folder = artifactRoot.appendingPathComponent(draft.name)
        let token = UUID().uuidString.prefix(8).lowercased()
        let incoming = folder.appendingPathComponent(".incoming-\(token)")
        try ArtifactFolder.copy(draft.artifacts, from: source, to: incoming)
        var placed: URL?
        let fm = FileManager.default
        do {
            let version: Int = try db.transaction {
                if let moved = placed {  // a retried transaction: the folder goes back until it commits
                    try fm.moveItem(at: moved, to: incoming)
                    placed = nil
                }
                let now = Timestamp.now()
                try db.query("INSERT INTO models (name, created_at, last_version) VALUES (?1, ?2, 0) ON CONFLICT (name) DO NOTHING",
                             .text(draft.name), .text(now))
                let rows = try db.query("UPDATE models SET last_version = last_version + 1 WHERE name = ?1 RETURNING last_version",
                                        .text(draft.name))
                guard let number = rows.first?.first.flatMap({ $0.flatMap { Int($0) } }) else {
                    throw RegistryError.database(store: label, reason: "could not number a new version of '\(draft.name)'")
                }
                var parent: ModelVersion?
                if let reference = draft.parent { parent = try resolveInTransaction(reference) }
                let relative = "\(draft.name)/v\(number)-\(token)"
                try db.query(
                    "INSERT INTO model_versions (\(Self.versionColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                    .text(draft.name), .integer(Int64(number)), .text(now), .text(draft.user), .text(draft.source),
                    .text(relative), .text(try Self.json(draft.metrics)), .text(draft.params),
                    .text(try Self.json(draft.dataHashes)), draft.testData.map(SQLValue.text) ?? .null,
                    .text(try Self.json(draft.inputSchema)), .text(draft.trainkitVersion),
                    parent.map { .text($0.name) } ?? .null, parent.map { .integer(Int64($0.version)) } ?? .null)
                try record(action: "register", name: draft.name, version: number, alias: nil, outcome: "registered",
                           rule: nil, details: parent.map { "{\"parent\":\"\($0.reference)\"}" }, user: draft.user)
                let final = artifactRoot.appendingPathComponent(relative)
                try fm.moveItem(at: incoming, to: final)
                placed = final
                RegistryTestHook.pause("register")
                return number
            }
            try? ArtifactFolder.flush(folder.path)
            return try resolve(ModelReference(name: draft.name, selector: .version(version)))
        } catch {
            if let moved = placed { try? fm.moveItem(at: moved, to: incoming) }
            try? fm.removeItem(at: incoming)
            throw error
        }
    }

    // MARK: - read

    public func models() throws -> [ModelSummary] {
        let counts = try db.query("""
            SELECT m.name, COUNT(v.version), MAX(v.version) FROM models m
            LEFT JOIN model_versions v ON v.name = m.name GROUP BY m.name ORDER BY m.name
            """, [])
        let aliasRows = try db.query("SELECT name, alias, version FROM aliases ORDER BY name, alias", [])
        return counts.compactMap { row in
            guard let name = row[0] else { return nil }
            var aliases: [String: Int] = [:]
            for a in aliasRows where a[0] == name { aliases[a[1] ?? ""] = a[2].flatMap { Int($0) } }
            return ModelSummary(name: name, versions: row[1].flatMap { Int($0) } ?? 0, latest: row[2].flatMap { Int($0) },
                                aliases: aliases)
        }
    }

    public func versions(of name: String) throws -> [ModelVersion] {
        let rows = try db.query("SELECT \(Self.versionColumns) FROM model_versions WHERE name = ?1 ORDER BY version", .text(name))
        if rows.isEmpty, try !modelExists(name) { throw RegistryError.unknownModel(name: name, store: label) }
        let aliases = try aliasesByVersion(name)
        return try rows.map { try version(from: $0, aliases: aliases) }
    }

    public func resolve(_ reference: ModelReference) throws -> ModelVersion { try resolveInTransaction(reference) }

    /// The version `reference` names, read on this connection (inside a transaction when one is open).
    func resolveInTransaction(_ reference: ModelReference) throws -> ModelVersion {
        let name = reference.name
        let number: Int
        switch reference.selector {
        case .version(let v):
            number = v
        case .latest:
            let rows = try db.query("SELECT MAX(version) FROM model_versions WHERE name = ?1", .text(name))
            guard let latest = rows.first?.first.flatMap({ $0.flatMap { Int($0) } }) else {
                throw RegistryError.unknownModel(name: name, store: label)
            }
            number = latest
        case .alias(let alias):
            let rows = try db.query("SELECT version FROM aliases WHERE name = ?1 AND alias = ?2", .text(name), .text(alias))
            guard let held = rows.first?.first.flatMap({ $0.flatMap { Int($0) } }) else {
                guard try modelExists(name) else { throw RegistryError.unknownModel(name: name, store: label) }
                let known = try db.query("SELECT alias FROM aliases WHERE name = ?1 ORDER BY alias", .text(name)).compactMap { $0[0] }
                throw RegistryError.unknownAlias(name: name, alias: alias, known: known, store: label)
            }
            number = held
        }
        let rows = try db.query("SELECT \(Self.versionColumns) FROM model_versions WHERE name = ?1 AND version = ?2",
                                .text(name), .integer(Int64(number)))
        guard let row = rows.first else {
            guard try modelExists(name) else { throw RegistryError.unknownModel(name: name, store: label) }
            throw RegistryError.unknownVersion(name: name, version: number, store: label)
        }
        return try version(from: row, aliases: try aliasesByVersion(name))
    }

    public func modelFolder(_ version: ModelVersion) throws -> URL {
        let folder = artifactRoot.appendingPathComponent(version.artifactPath)
        let model = folder.appendingPathComponent("model/model.json")
        guard FileManager.default.fileExists(atPath: model.path) else {
            throw RegistryError.missingArtifact(model: version.reference, path: model.path)
        }
        return folder
    }

    public func events(of name: String?) throws -> [RegistryEvent] {
        let columns = "id, at, user_name, action, name, version, alias, outcome, rule, details"
        let rows = try name.map { try db.query("SELECT \(columns) FROM events WHERE name = ?1 ORDER BY id", .text($0)) }
            ?? db.query("SELECT \(columns) FROM events ORDER BY id", [])
        return rows.map { r in
            RegistryEvent(id: r[0].flatMap { Int($0) } ?? 0, at: r[1] ?? "", user: r[2] ?? "", action: r[3] ?? "",
                          name: r[4] ?? "", version: r[5].flatMap { Int($0) }, alias: r[6], outcome: r[7] ?? "",
                          rule: r[8], details: r[9])
        }
    }

    // MARK: - change

    public func delete(_ reference: ModelReference, user: String) throws -> ModelVersion {
        guard case .version = reference.selector else {
            throw RegistryError.invalid("delete \(reference): name the version to delete, NAME@N")
        }
        let deleted: ModelVersion = try db.transaction {
            let version = try resolveInTransaction(reference)
            guard version.aliases.isEmpty else {
                throw RegistryError.versionHasAliases(model: version.reference, aliases: version.aliases)
            }
            try db.query("DELETE FROM model_versions WHERE name = ?1 AND version = ?2",
                         .text(version.name), .integer(Int64(version.version)))
            try record(action: "delete", name: version.name, version: version.version, alias: nil, outcome: "deleted",
                       rule: nil, details: nil, user: user)
            RegistryTestHook.pause("delete")
            return version
        }
        try? FileManager.default.removeItem(at: artifactRoot.appendingPathComponent(deleted.artifactPath))
        return deleted
    }

    public func setAlias(_ alias: String, to reference: ModelReference, user: String) throws -> ModelVersion {
        try ModelReference.checkAlias(alias)
        return try db.transaction {
            let version = try resolveInTransaction(reference)
            try upsertAlias(alias, version: version, user: user)
            try record(action: "alias set", name: version.name, version: version.version, alias: alias, outcome: "set",
                       rule: nil, details: nil, user: user)
            return version
        }
    }

    public func removeAlias(_ alias: String, of name: String, user: String) throws -> Int {
        try db.transaction {
            let version = try resolveInTransaction(ModelReference(name: name, selector: .alias(alias))).version
            try db.query("DELETE FROM aliases WHERE name = ?1 AND alias = ?2", .text(name), .text(alias))
            try record(action: "alias remove", name: name, version: version, alias: alias, outcome: "removed",
                       rule: nil, details: nil, user: user)
            return version
        }
    }

    public func promote(_ reference: ModelReference, to alias: String, gate: PromotionGate, user: String) throws -> PromotionDecision {
        try ModelReference.checkAlias(alias)
        if let beat = gate.mustBeat { try ModelReference.checkAlias(beat) }
        return try db.transaction {
            let candidate = try resolveInTransaction(reference)
            var holder: ModelVersion?
            if let beat = gate.mustBeat {
                let rows = try db.query("SELECT version FROM aliases WHERE name = ?1 AND alias = ?2",
                                        .text(candidate.name), .text(beat))
                if let held = rows.first?.first.flatMap({ $0.flatMap { Int($0) } }) {
                    holder = try resolveInTransaction(ModelReference(name: candidate.name, selector: .version(held)))
                }
            }
            let decision = gate.evaluate(candidate, holder: holder)
            if decision.passed { try upsertAlias(alias, version: candidate, user: user) }
            try record(action: "promote", name: candidate.name, version: candidate.version, alias: alias,
                       outcome: decision.passed ? "promoted" : "refused", rule: gate.text,
                       details: String(decoding: try JSONEncoder.registry.encode(decision), as: UTF8.self), user: user)
            RegistryTestHook.pause("promote")
            return decision
        }
    }

    // MARK: - helpers

    private func upsertAlias(_ alias: String, version: ModelVersion, user: String) throws {
        try db.query("""
            INSERT INTO aliases (name, alias, version, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at,
            updated_by = excluded.updated_by
            """, .text(version.name), .text(alias), .integer(Int64(version.version)), .text(Timestamp.now()), .text(user))
    }

    private func record(action: String, name: String, version: Int?, alias: String?, outcome: String, rule: String?,
                        details: String?, user: String) throws {
        try db.query("""
            INSERT INTO events (at, user_name, action, name, version, alias, outcome, rule, details)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """, .text(Timestamp.now()), .text(user), .text(action), .text(name), version.map { .integer(Int64($0)) } ?? .null,
            alias.map(SQLValue.text) ?? .null, .text(outcome), rule.map(SQLValue.text) ?? .null,
            details.map(SQLValue.text) ?? .null)
    }

    private func modelExists(_ name: String) throws -> Bool {
        try !db.query("SELECT 1 FROM models WHERE name = ?1", .text(name)).isEmpty
    }

    private func aliasesByVersion(_ name: String) throws -> [Int: [String]] {
        var result: [Int: [String]] = [:]
        for row in try db.query("SELECT alias, version FROM aliases WHERE name = ?1 ORDER BY alias", .text(name)) {
            if let alias = row[0], let v = row[1].flatMap({ Int($0) }) { result[v, default: []].append(alias) }
        }
        return result
    }

    private func version(from row: [String?], aliases: [Int: [String]]) throws -> ModelVersion {
        func text(_ i: Int) -> String { row[i] ?? "" }
        func decode<T: Decodable>(_ type: T.Type, _ i: Int) throws -> T {
            do { return try JSONDecoder.registry.decode(type, from: Data(text(i).utf8)) } catch {
                throw RegistryError.corruptStore(store: label, reason: "\(text(0))@\(text(1)): column \(i) is not valid JSON")
            }
        }
        let number = Int(text(1)) ?? 0
        return ModelVersion(
            name: text(0), version: number, createdAt: text(2), createdBy: text(3), source: text(4), artifactPath: text(5),
            metrics: try decode([String: Double].self, 6), params: text(7),
            dataHashes: try decode([String: String].self, 8), testData: row[9],
            inputSchema: try decode([String].self, 10), trainkitVersion: text(11),
            parent: row[12].map { "\($0)@\(row[13] ?? "?")" }, aliases: aliases[number] ?? [])
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder.registry.encode(value), as: UTF8.self)
    }
}

extension JSONEncoder {
    static var registry: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }
}

extension JSONDecoder {
    static var registry: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}

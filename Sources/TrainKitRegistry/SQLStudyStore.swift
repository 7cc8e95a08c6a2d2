import Foundation

/// A hyperparameter study kept in a SQL database, shared by workers on any number of machines
/// (`trainkit tune --storage`): the study's journal lines in order, the config hash that identifies it, and each
/// worker's last heartbeat. It is the registry's database, so one PostgreSQL server (or SQLite file) holds both.
///
/// Tables (``Schema`` migration 2): `studies(name, config_hash)`, `study_lines(id, study, line)` in append order,
/// `study_workers(study, worker, last_seen)` with `last_seen` by the database's clock.
///
/// **One writer at a time.** ``transaction(_:)`` locks the study's row (`SELECT … FOR UPDATE` on PostgreSQL; a
/// write transaction, `BEGIN IMMEDIATE`, on SQLite) before it reads the lines appended since its previous
/// transaction, so every decision taken inside it (which trial to start) sees every line committed before, and
/// the next worker's transaction sees this one's lines. Two workers therefore never claim the same trial.
///
/// One object holds one connection; its methods may be called from several threads (they take turns).
public final class SQLStudyStore: @unchecked Sendable {
    /// The database, without a password.
    public let location: String
    /// The study's name (its key in `studies`).
    public let study: String
    private let db: SQLDatabase
    private let lock = NSLock()
    /// The id of the last line this object has seen.
    private var lastLine: Int64 = 0

    /// Opens (creating its tables when missing) the store at `location` and joins study `study`, creating it with
    /// `configHash` when absent.
    /// - Parameter location: `postgres://…` / `postgresql://…` (any libpq URL) or `sqlite:PATH`
    ///   (`sqlite:///abs/path.db` as in SQLAlchemy is read too).
    /// - Throws: ``StudyStoreError/configMismatch(study:store:stored:given:)`` when the study was created with
    ///   another hash; ``StudyStoreError/invalidLocation(_:)``; ``StudyStoreError/unreachable(store:reason:)``;
    ///   ``RegistryError`` when the database misbehaves later.
    public init(location: String, study: String, configHash: String) throws {
        do {
            db = try Self.connect(location)
        } catch RegistryError.unreachable(let store, let reason) {
            throw StudyStoreError.unreachable(store: store, reason: reason)
        }
        self.location = db.label
        self.study = study
        try Schema.migrate(db)
        let stored: String? = try lock.withLock {
            try db.transaction {
                try db.query(
                    """
                    INSERT INTO studies (name, config_hash, created_at) VALUES (?1, ?2, ?3)
                    ON CONFLICT (name) DO NOTHING
                    """,
                    .text(study), .text(configHash), .text(Timestamp.now()))
                return try db.query("SELECT config_hash FROM studies WHERE name = ?1", .text(study)).first?.first ?? nil
            }
        }
        guard stored == configHash else {
            db.close()
            throw StudyStoreError.configMismatch(
                study: study, store: location, stored: stored ?? "none", given: configHash)
        }
    }

    deinit { db.close() }

    /// The database a `--storage` value names.
    static func connect(_ location: String) throws -> SQLDatabase {
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return try PostgresDatabase(url: location)
        }
        guard location.hasPrefix("sqlite:") else { throw StudyStoreError.invalidLocation(location) }
        var path = String(location.dropFirst("sqlite:".count))
        if path.hasPrefix("//") { path = String(path.dropFirst(2)) }  // sqlite:///abs → /abs
        guard !path.isEmpty else { throw StudyStoreError.invalidLocation(location) }
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        return try SQLiteDatabase(path: url.standardizedFileURL.path)
    }

    /// Runs `body` with the study locked: it gets the lines appended since this object's previous transaction
    /// and returns lines to append, committed with the transaction.
    public func transaction<T>(_ body: ([String]) throws -> (append: [String], result: T)) throws -> T {
        try lock.withLock {
            try db.beginWrite()
            do {
                try db.query("SELECT name FROM studies WHERE name = ?1\(db.dialect.forUpdate)", .text(study))
                let rows = try db.query(
                    "SELECT id, line FROM study_lines WHERE study = ?1 AND id > ?2 ORDER BY id",
                    .text(study), .integer(lastLine))
                var lines: [String] = []
                for row in rows {
                    guard let id = row[0].flatMap({ Int64($0) }), let line = row[1] else { continue }
                    lines.append(line)
                    lastLine = id  // delivered: the caller has seen it even if it throws below
                }
                let (append, result) = try body(lines)
                for line in append {
                    try db.query("INSERT INTO study_lines (study, line) VALUES (?1, ?2)", .text(study), .text(line))
                }
                let last = append.isEmpty ? nil
                    : try db.query("SELECT MAX(id) FROM study_lines WHERE study = ?1", .text(study)).first?.first
                try db.commit()
                if let last = last.flatMap({ $0.flatMap { Int64($0) } }) { lastLine = last }
                return result
            } catch {
                db.rollback()
                throw error
            }
        }
    }

    /// Records that worker `owner` is alive now (by the database's clock).
    public func beat(owner: String) throws {
        _ = try lock.withLock {
            try db.query(
                """
                INSERT INTO study_workers (study, worker, last_seen) VALUES (?1, ?2, \(db.dialect.epochNow))
                ON CONFLICT (study, worker) DO UPDATE SET last_seen = excluded.last_seen
                """, .text(study), .text(owner))
        }
    }

    /// Seconds since each worker of the study last beat, by worker id.
    public func silence() throws -> [String: Double] {
        try lock.withLock {
            let rows = try db.query(
                "SELECT worker, \(db.dialect.epochNow) - last_seen FROM study_workers WHERE study = ?1", .text(study))
            var result: [String: Double] = [:]
            for row in rows {
                if let worker = row[0], let seconds = row[1].flatMap({ Double($0) }) { result[worker] = seconds }
            }
            return result
        }
    }

    /// Closes the connection (the object is unusable afterwards).
    public func close() { lock.withLock { db.close() } }
}

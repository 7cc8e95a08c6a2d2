/// The registry's schema (models and, since 2, tuning studies): numbered migrations, applied in order and
/// recorded in `schema_migrations`.
///
/// A migration is never edited once released; a change to the schema is a new migration at the end.
/// `{serial}` is the dialect's auto-numbered key.
enum Schema {
    static let migrations: [String] = [
        // 1: models, versions, aliases, events.
        """
        CREATE TABLE models (
            name TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            last_version INTEGER NOT NULL
        );
        CREATE TABLE model_versions (
            name TEXT NOT NULL REFERENCES models(name),
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            source TEXT NOT NULL,
            artifact_path TEXT NOT NULL,
            metrics TEXT NOT NULL,
            params TEXT NOT NULL,
            data_hashes TEXT NOT NULL,
            test_data TEXT,
            input_schema TEXT NOT NULL,
            trainkit_version TEXT NOT NULL,
            parent_name TEXT,
            parent_version INTEGER,
            PRIMARY KEY (name, version)
        );
        CREATE TABLE aliases (
            name TEXT NOT NULL,
            alias TEXT NOT NULL,
            version INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (name, alias),
            FOREIGN KEY (name, version) REFERENCES model_versions(name, version)
        );
        CREATE TABLE events (
            id {serial},
            at TEXT NOT NULL,
            user_name TEXT NOT NULL,
            action TEXT NOT NULL,
            name TEXT NOT NULL,
            version INTEGER,
            alias TEXT,
            outcome TEXT NOT NULL,
            rule TEXT,
            details TEXT
        );
        CREATE INDEX events_by_name ON events(name, id);
        """,
        // 2: hyperparameter studies shared by `trainkit tune --storage` workers (SQLStudyStore).
        """
        CREATE TABLE studies (
            name TEXT PRIMARY KEY,
            config_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE study_lines (
            id {serial},
            study TEXT NOT NULL REFERENCES studies(name),
            line TEXT NOT NULL
        );
        CREATE INDEX study_lines_by_study ON study_lines(study, id);
        CREATE TABLE study_workers (
            study TEXT NOT NULL REFERENCES studies(name),
            worker TEXT NOT NULL,
            last_seen DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (study, worker)
        );
        """,
    ]

    static var current: Int { migrations.count }

    /// Brings `db` up to ``current``; concurrent first opens queue on the write lock (SQLite) or an advisory
    /// lock (PostgreSQL), so each migration runs once.
    static func migrate(_ db: SQLDatabase) throws {
        do {
            if try appliedVersion(db) == current { return }
        } catch let error as RegistryError {
            if case .corruptStore = error { throw error }
        }
        try db.transaction {
            if db.dialect == .postgres { try db.query("SELECT pg_advisory_xact_lock(7319019)") }
            try db.script("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = try appliedVersion(db)
            guard applied <= current else { throw RegistryError.newerSchema(store: db.label, version: applied, known: current) }
            for version in (applied + 1)..<(current + 1) {
                try db.script(migrations[version - 1].replacingOccurrences(of: "{serial}", with: db.dialect.serialKey))
                try db.query("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
                             .integer(Int64(version)), .text(Timestamp.now()))
            }
        }
    }

    static func appliedVersion(_ db: SQLDatabase) throws -> Int {
        let rows = try db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return rows.first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
    }
}

import Foundation

/// UTC timestamps as ISO 8601 text (sorts as time does).
enum Timestamp {
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

import Foundation

/// A value bound to a statement parameter.
public enum SQLValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case real(Double)
    case null
}

/// What differs between the SQL of the two stores (everything else is shared).
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// The column definition of an auto-numbered primary key.
    var serialKey: String {
        switch self {
        case .sqlite: return "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: return "BIGSERIAL PRIMARY KEY"
        }
    }

    /// The database's clock as seconds since 1970 (a SQL expression), so that workers compare times on one clock.
    var epochNow: String {
        switch self {
        case .sqlite: return "((julianday('now') - 2440587.5) * 86400.0)"
        case .postgres: return "EXTRACT(EPOCH FROM clock_timestamp())::float8"
        }
    }

    /// Locks a row of `table` for the rest of the transaction (PostgreSQL; SQLite's write transaction already
    /// holds the whole database).
    var forUpdate: String { self == .postgres ? " FOR UPDATE" : "" }
}

/// One connection to a SQL database, the little the registry needs of it.
///
/// Statements use `?1`, `?2`, ... for parameters (SQLite's spelling; PostgreSQL's `$1` is substituted).
/// Every value comes back as text (or `nil` for NULL), as both client libraries can give it.
protocol SQLDatabase: AnyObject {
    var dialect: SQLDialect { get }
    /// How the store is named in messages (a path or a URL without its password).
    var label: String { get }
    /// Runs one statement and returns its rows.
    @discardableResult
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [[String?]]
    /// Runs several statements without parameters (a migration).
    func script(_ sql: String) throws
    /// Starts a transaction that will write: SQLite takes the write lock now (`BEGIN IMMEDIATE`), so two
    /// writers queue on the busy timeout instead of failing at commit.
    func beginWrite() throws
    func commit() throws
    func rollback()
    /// Whether `error` is worth retrying the whole transaction for (a conflict with another writer).
    func isTransient(_ error: any Error) -> Bool
    func close()
}

extension SQLDatabase {
    @discardableResult
    func query(_ sql: String, _ parameters: SQLValue...) throws -> [[String?]] { try query(sql, parameters) }

    /// Runs `body` in a write transaction, committed when it returns and rolled back when it throws; a
    /// transaction that conflicts with another writer is retried (at most `attempts` times).
    func transaction<T>(attempts: Int = 20, _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            try beginWrite()
            do {
                let value = try body()
                try commit()
                return value
            } catch {
                rollback()
                guard attempt < attempts, isTransient(error) else { throw error }
                usleep(useconds_t(1000 * Int.random(in: 1...(10 * attempt))))
            }
        }
    }
}

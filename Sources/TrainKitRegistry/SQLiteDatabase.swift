import Foundation

/// SQLite's C functions, from `libsqlite3.so.0` (macOS: `libsqlite3.dylib`) loaded at run time.
final class SQLiteLibrary: @unchecked Sendable {
    typealias Open = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<OpaquePointer?>?, Int32, UnsafePointer<CChar>?) -> Int32
    typealias Prepare = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<OpaquePointer?>?,
                                        UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> Int32
    // The destructor argument is declared as an integer so SQLITE_TRANSIENT (-1) can be passed.
    typealias BindText = @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, Int32, Int) -> Int32
    typealias BindInt64 = @convention(c) (OpaquePointer?, Int32, Int64) -> Int32
    typealias BindDouble = @convention(c) (OpaquePointer?, Int32, Double) -> Int32
    typealias BindNull = @convention(c) (OpaquePointer?, Int32) -> Int32
    typealias StatementInt = @convention(c) (OpaquePointer?) -> Int32
    typealias ColumnText = @convention(c) (OpaquePointer?, Int32) -> UnsafePointer<UInt8>?
    typealias ColumnInt = @convention(c) (OpaquePointer?, Int32) -> Int32
    typealias Exec = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, OpaquePointer?, OpaquePointer?,
                                     UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32
    typealias BusyTimeout = @convention(c) (OpaquePointer?, Int32) -> Int32
    typealias ErrorMessage = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias ErrorCode = @convention(c) (OpaquePointer?) -> Int32

    let open: Open, prepare: Prepare, bindText: BindText, bindInt64: BindInt64, bindDouble: BindDouble
    let bindNull: BindNull, step: StatementInt, finalize: StatementInt, columnCount: StatementInt
    let columnText: ColumnText, columnType: ColumnInt, exec: Exec, busyTimeout: BusyTimeout
    let errmsg: ErrorMessage, errcode: ErrorCode, close: StatementInt

    private init(_ lib: DynamicLibrary) throws {
        open = try lib.function("sqlite3_open_v2", as: Open.self)
        prepare = try lib.function("sqlite3_prepare_v2", as: Prepare.self)
        bindText = try lib.function("sqlite3_bind_text", as: BindText.self)
        bindInt64 = try lib.function("sqlite3_bind_int64", as: BindInt64.self)
        bindDouble = try lib.function("sqlite3_bind_double", as: BindDouble.self)
        bindNull = try lib.function("sqlite3_bind_null", as: BindNull.self)
        step = try lib.function("sqlite3_step", as: StatementInt.self)
        finalize = try lib.function("sqlite3_finalize", as: StatementInt.self)
        columnCount = try lib.function("sqlite3_column_count", as: StatementInt.self)
        columnText = try lib.function("sqlite3_column_text", as: ColumnText.self)
        columnType = try lib.function("sqlite3_column_type", as: ColumnInt.self)
        exec = try lib.function("sqlite3_exec", as: Exec.self)
        busyTimeout = try lib.function("sqlite3_busy_timeout", as: BusyTimeout.self)
        errmsg = try lib.function("sqlite3_errmsg", as: ErrorMessage.self)
        errcode = try lib.function("sqlite3_extended_errcode", as: ErrorCode.self)
        close = try lib.function("sqlite3_close_v2", as: StatementInt.self)
    }

    private static let loaded: Result<SQLiteLibrary, RegistryError> = Result {
        #if os(macOS)
            let names = ["libsqlite3.dylib", "/usr/lib/libsqlite3.dylib"]
        #else
            let names = ["libsqlite3.so.0", "libsqlite3.so"]
        #endif
        let lib = try DynamicLibrary.open(names, variable: "TRAINKIT_SQLITE", library: "SQLite (libsqlite3.so.0)",
                                          install: "Debian/Ubuntu: apt-get install libsqlite3-0; Fedora: dnf install sqlite-libs")
        return try SQLiteLibrary(lib)
    }.mapError { $0 as? RegistryError ?? .invalid("\($0)") }

    /// The library, loaded on first use.
    static func shared() throws -> SQLiteLibrary { try loaded.get() }
}

/// A connection to a SQLite file.
final class SQLiteDatabase: SQLDatabase {
    static let ok: Int32 = 0, busy: Int32 = 5, locked: Int32 = 6, row: Int32 = 100, done: Int32 = 101
    /// SQLITE_CORRUPT and SQLITE_NOTADB: the file is damaged or is not a database.
    static let corruptCodes: Set<Int32> = [11, 26]

    let dialect = SQLDialect.sqlite
    let label: String
    private let lib: SQLiteLibrary
    private var db: OpaquePointer?

    /// Opens (creating when absent) the database at `path`, waiting up to `busyTimeout` ms for other writers.
    init(path: String, busyTimeout: Int32 = 60_000) throws {
        lib = try SQLiteLibrary.shared()
        label = path
        let flags: Int32 = 0x02 | 0x04 | 0x8000  // READWRITE | CREATE | FULLMUTEX
        let status = lib.open(path, &db, flags, nil)
        guard status == Self.ok else {
            let reason = db.flatMap { lib.errmsg($0) }.map { String(cString: $0) } ?? "error \(status)"
            _ = lib.close(db)
            db = nil
            throw RegistryError.unreachable(store: path, reason: reason)
        }
        _ = lib.busyTimeout(db, busyTimeout)
        try script("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL")
    }

    deinit { close() }

    func close() {
        if let db { _ = lib.close(db) }
        db = nil
    }

    private func failure(_ status: Int32, _ sql: String) -> RegistryError {
        let message = lib.errmsg(db).map { String(cString: $0) } ?? "error \(status)"
        let code = lib.errcode(db) & 0xff
        if Self.corruptCodes.contains(code) { return .corruptStore(store: label, reason: message) }
        if code == Self.busy || code == Self.locked {
            return .database(store: label, reason: "the store stayed locked by another process: \(message)")
        }
        let statement = sql.split(separator: "\n").first.map(String.init) ?? sql
        return .database(store: label, reason: "\(message) (in `\(statement)`)")
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [[String?]] {
        var statement: OpaquePointer?
        let status = lib.prepare(db, sql, -1, &statement, nil)
        guard status == Self.ok, let statement else { throw failure(status, sql) }
        defer { _ = lib.finalize(statement) }
        for (index, value) in parameters.enumerated() {
            let position = Int32(index + 1)
            let bound: Int32
            switch value {
            case .text(let text): bound = lib.bindText(statement, position, text, -1, -1)
            case .integer(let number): bound = lib.bindInt64(statement, position, number)
            case .real(let number): bound = lib.bindDouble(statement, position, number)
            case .null: bound = lib.bindNull(statement, position)
            }
            guard bound == Self.ok else { throw failure(bound, sql) }
        }
        var rows: [[String?]] = []
        while true {
            let stepped = lib.step(statement)
            if stepped == Self.done { return rows }
            guard stepped == Self.row else { throw failure(stepped, sql) }
            let count = lib.columnCount(statement)
            rows.append((0..<count).map { column in
                lib.columnType(statement, column) == 5 ? nil : lib.columnText(statement, column).map { String(cString: $0) }
            })
        }
    }

    func script(_ sql: String) throws {
        let status = lib.exec(db, sql, nil, nil, nil)
        guard status == Self.ok else { throw failure(status, sql) }
    }

    func beginWrite() throws { try script("BEGIN IMMEDIATE") }
    func commit() throws { try script("COMMIT") }
    func rollback() { try? script("ROLLBACK") }
    /// The busy timeout already waited for other writers; nothing else is retried.
    func isTransient(_ error: any Error) -> Bool { false }
}

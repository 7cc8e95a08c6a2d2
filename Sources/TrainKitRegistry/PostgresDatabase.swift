import Foundation

/// libpq's C functions, from `libpq.so.5` (macOS: `libpq.5.dylib`) loaded at run time.
final class PostgresLibrary: @unchecked Sendable {
    typealias Connect = @convention(c) (UnsafePointer<CChar>?) -> OpaquePointer?
    typealias ConnectionInt = @convention(c) (OpaquePointer?) -> Int32
    typealias ConnectionText = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias ExecParams = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<UInt32>?,
                                           UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
                                           UnsafePointer<Int32>?, Int32) -> OpaquePointer?
    typealias Exec = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    typealias ResultInt = @convention(c) (OpaquePointer?) -> Int32
    typealias ResultText = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias ResultField = @convention(c) (OpaquePointer?, Int32) -> UnsafePointer<CChar>?
    typealias GetValue = @convention(c) (OpaquePointer?, Int32, Int32) -> UnsafePointer<CChar>?
    typealias GetIsNull = @convention(c) (OpaquePointer?, Int32, Int32) -> Int32
    typealias Clear = @convention(c) (OpaquePointer?) -> Void

    let connect: Connect, status: ConnectionInt, errorMessage: ConnectionText, execParams: ExecParams, exec: Exec
    let resultStatus: ResultInt, resultError: ResultText, resultField: ResultField, ntuples: ResultInt
    let nfields: ResultInt, getValue: GetValue, getIsNull: GetIsNull, clear: Clear, finish: Clear

    private init(_ lib: DynamicLibrary) throws {
        connect = try lib.function("PQconnectdb", as: Connect.self)
        status = try lib.function("PQstatus", as: ConnectionInt.self)
        errorMessage = try lib.function("PQerrorMessage", as: ConnectionText.self)
        execParams = try lib.function("PQexecParams", as: ExecParams.self)
        exec = try lib.function("PQexec", as: Exec.self)
        resultStatus = try lib.function("PQresultStatus", as: ResultInt.self)
        resultError = try lib.function("PQresultErrorMessage", as: ResultText.self)
        resultField = try lib.function("PQresultErrorField", as: ResultField.self)
        ntuples = try lib.function("PQntuples", as: ResultInt.self)
        nfields = try lib.function("PQnfields", as: ResultInt.self)
        getValue = try lib.function("PQgetvalue", as: GetValue.self)
        getIsNull = try lib.function("PQgetisnull", as: GetIsNull.self)
        clear = try lib.function("PQclear", as: Clear.self)
        finish = try lib.function("PQfinish", as: Clear.self)
    }

    private static let loaded: Result<PostgresLibrary, RegistryError> = Result {
        #if os(macOS)
            let names = ["libpq.5.dylib", "/opt/homebrew/opt/libpq/lib/libpq.5.dylib", "/usr/local/opt/libpq/lib/libpq.5.dylib"]
        #else
            let names = ["libpq.so.5", "libpq.so"]
        #endif
        let lib = try DynamicLibrary.open(names, variable: "TRAINKIT_LIBPQ", library: "PostgreSQL's client library (libpq.so.5)",
                                          install: "Debian/Ubuntu: apt-get install libpq5; Fedora: dnf install libpq; macOS: brew install libpq")
        return try PostgresLibrary(lib)
    }.mapError { $0 as? RegistryError ?? .invalid("\($0)") }

    static func shared() throws -> PostgresLibrary { try loaded.get() }
}

/// A connection to a PostgreSQL server.
final class PostgresDatabase: SQLDatabase {
    /// SQLSTATEs that another writer caused: unique violation, serialization failure, deadlock.
    static let transientStates: Set<String> = ["23505", "40001", "40P01"]

    struct StatementError: Error, CustomStringConvertible {
        var state: String
        var message: String
        var description: String { message }
    }

    let dialect = SQLDialect.postgres
    let label: String
    private let lib: PostgresLibrary
    private var connection: OpaquePointer?

    /// Connects to `url` (`postgres://user@host:port/db`, any libpq connection string).
    init(url: String) throws {
        lib = try PostgresLibrary.shared()
        label = Self.redacted(url)
        connection = lib.connect(url)
        guard let connection, lib.status(connection) == 0 else {
            let reason = connection.flatMap { lib.errorMessage($0) }.map { String(cString: $0) } ?? "out of memory"
            lib.finish(connection)
            self.connection = nil
            throw RegistryError.unreachable(store: label, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try script("SET client_min_messages = warning")
    }

    deinit { close() }

    func close() {
        if let connection { lib.finish(connection) }
        connection = nil
    }

    /// `url` without its password.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? url
    }

    /// Takes ownership of `result`: its rows, or the error it holds.
    private func consume(_ result: OpaquePointer?, _ sql: String) throws -> [[String?]] {
        defer { lib.clear(result) }
        guard let result else {
            let reason = lib.errorMessage(connection).map { String(cString: $0) } ?? "no result"
            throw RegistryError.unreachable(store: label, reason: reason)
        }
        let status = lib.resultStatus(result)
        guard status == 1 || status == 2 else {  // PGRES_COMMAND_OK, PGRES_TUPLES_OK
            let message = lib.resultError(result).map { String(cString: $0) } ?? "error"
            let state = lib.resultField(result, 67).map { String(cString: $0) } ?? ""  // PG_DIAG_SQLSTATE 'C'
            let statement = sql.split(separator: "\n").first.map(String.init) ?? sql
            throw StatementError(state: state, message: "\(label): \(message.trimmingCharacters(in: .whitespacesAndNewlines)) (in `\(statement)`)")
        }
        let rows = lib.ntuples(result), columns = lib.nfields(result)
        return (0..<rows).map { row in
            (0..<columns).map { column in
                lib.getIsNull(result, row, column) != 0 ? nil : lib.getValue(result, row, column).map { String(cString: $0) }
            }
        }
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [[String?]] {
        let text = sql.replacingOccurrences(of: "?", with: "$")
        let values: [String?] = parameters.map {
            switch $0 {
            case .text(let s): return s
            case .integer(let n): return String(n)
            case .real(let x): return x.isFinite ? String(x) : (x.isNaN ? "NaN" : (x > 0 ? "Infinity" : "-Infinity"))
            case .null: return nil
            }
        }
        let duplicated = values.map { $0.map { strdup($0) } ?? nil }
        defer { duplicated.forEach { free($0) } }
        let pointers = duplicated.map { UnsafePointer<CChar>($0) }
        let result = pointers.withUnsafeBufferPointer {
            lib.execParams(connection, text, Int32(values.count), nil, $0.baseAddress, nil, nil, 0)
        }
        do { return try consume(result, sql) } catch let error as StatementError {
            if Self.transientStates.contains(error.state) { throw error }
            throw RegistryError.database(store: label, reason: error.message)
        }
    }

    func script(_ sql: String) throws {
        do { _ = try consume(lib.exec(connection, sql), sql) } catch let error as StatementError {
            throw RegistryError.database(store: label, reason: error.message)
        }
    }

    func beginWrite() throws { try script("BEGIN") }
    func commit() throws { try script("COMMIT") }
    func rollback() { try? script("ROLLBACK") }
    func isTransient(_ error: any Error) -> Bool { error is StatementError }
}

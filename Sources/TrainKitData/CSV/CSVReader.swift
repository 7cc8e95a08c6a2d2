/// Reads CSV, TSV and other delimited text files into a ``DataTable``.
///
/// Follows ``CSVOptions``: header or not, delimiter, RFC 4180 quoting (delimiters, quotes and line
/// breaks inside quoted fields), LF/CRLF/CR line ends, missing-value tokens, UTF-8 with a Latin-1
/// fallback, declared or inferred column types. gzip-compressed files are decompressed first.
///
/// A malformed row (unterminated quote, wrong field count, a non-number in a numeric column) is a
/// ``DataError/malformed(file:line:column:reason:)`` naming the file, line, column and reason; with
/// `badRows: .skip` such rows are dropped and counted in the table's `skippedRowCount`, with the first
/// few reasons in `skippedRowReasons`.
///
/// ```swift
/// let table = try CSVReader(options: CSVOptions(delimiter: ";")).read("wine-quality/winequality-red.csv")
/// print(table.rowCount, table.columnCount)   // 1599 12
/// ```
public struct CSVReader: Sendable {
    public var options: CSVOptions

    public init(options: CSVOptions = CSVOptions()) {
        self.options = options
    }

    /// Reads the file at `path` (plain or gzip).
    public func read(_ path: String) throws -> DataTable {
        try parse(try FileBytes.readDecompressing(path), source: path)
    }

    /// Reads the file at `path` with the 1-based line each data row starts on (`lines[i]` for row `i`), so
    /// messages about a row can point into the file even after the rows are shuffled or split.
    public func readWithLines(_ path: String) throws -> (table: DataTable, lines: [Int]) {
        try parseWithLines(try FileBytes.readDecompressing(path), source: path)
    }

    /// Parses delimited text held in memory; `source` names it in errors.
    public func parse(_ bytes: [UInt8], source: String = "<memory>") throws -> DataTable {
        try parseWithLines(bytes, source: source).table
    }

    /// Parses delimited text held in memory, with the line each data row starts on (see `readWithLines`).
    public func parseWithLines(_ bytes: [UInt8], source: String = "<memory>") throws -> (table: DataTable, lines: [Int]) {
        try options.validate()
        guard bytes.count < Int(UInt32.max >> 1) else {
            throw DataError.invalidFormat(file: source, reason: "files of 2 GiB or more are not supported (\(bytes.count) bytes)")
        }
        return try bytes.withUnsafeBufferPointer { buffer in
            var parse = CSVParse(bytes: buffer, options: options, source: source)
            let table = try parse.run()
            return (table, parse.dataLines)
        }
    }
}

/// One parse of one file: tokenize, take the header, check rows, convert columns.
struct CSVParse {
    let bytes: UnsafeBufferPointer<UInt8>
    let p: UnsafePointer<UInt8>
    let options: CSVOptions
    let source: String
    var latin1 = false
    var tokens = CSVTokenizer(UnsafeBufferPointer(start: nil, count: 0), from: 0, firstLine: 1, options: CSVOptions())
    /// The first problem of each bad row, by row.
    var problems: [Int: CSVTokenizer.Problem] = [:]
    /// Whether row `r` is bad (the same rows as `problems`, as a fast lookup).
    var isBad: [Bool] = []
    let missing: [[UInt8]]
    /// Bit `k` set when some missing-value token has `k` bytes (a quick reject).
    let missingLengths: UInt64
    /// The line each kept data row starts on (set by `run`).
    var dataLines: [Int] = []

    init(bytes: UnsafeBufferPointer<UInt8>, options: CSVOptions, source: String) {
        self.bytes = bytes
        self.p = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        self.options = options
        self.source = source
        self.missing = options.missingValues.map { Array($0.utf8) }
        self.missingLengths = missing.reduce(0) { $0 | ($1.count < 64 ? 1 << UInt64($1.count) : 0) }
    }

    mutating func run() throws -> DataTable {
        var (start, firstLine) = skipLines()
        if bytes.count - start >= 3 && p[start] == 0xEF && p[start + 1] == 0xBB && p[start + 2] == 0xBF { start += 3 }
        switch options.encoding {
        case .utf8: latin1 = false
        case .latin1: latin1 = true
        case .automatic: latin1 = !TextDecoding.isValidUTF8(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        tokens = CSVTokenizer(bytes, from: start, firstLine: firstLine, options: options)
        isBad = [Bool](repeating: false, count: tokens.rowCount)
        for problem in tokens.problems { record(problem) }

        let firstData = options.hasHeader ? 1 : 0
        let names = try columnNames()
        let width = names.count
        for r in firstData..<max(firstData, tokens.rowCount) where !isBad[r] {
            let found = tokens.fieldCount(r)
            if found != width {
                record(.init(row: r, line: tokens.rowLines[r], column: min(found, width) + 1,
                             reason: "expected \(width) fields, found \(found)"))
            }
        }
        let known = Set(names)
        for name in options.columnTypes.keys.sorted() + options.suffixesToStrip.keys.sorted()
        where !known.contains(name) && !options.optionalColumns.contains(name) {
            throw DataError.missingColumn(file: source, name: name, available: names)
        }

        var columns = [Column]()
        for c in 0..<width { columns.append(convertColumn(c, name: names[c], rows: firstData..<tokens.rowCount)) }

        let bad = problems.keys.filter { $0 >= firstData }.sorted()
        let reasons = bad.prefix(options.badRows == .fail ? 1 : options.maxReportedProblems).map { r in
            let problem = problems[r]!
            return DataError.malformed(file: source, line: problem.line, column: problem.column, reason: problem.reason)
        }
        if options.badRows == .fail, let first = reasons.first { throw first }
        dataLines = Array(tokens.rowLines[min(firstData, tokens.rowCount)..<tokens.rowCount])
        if !bad.isEmpty {
            let badSet = Set(bad.map { $0 - firstData })
            let keep = (0..<(tokens.rowCount - firstData)).filter { !badSet.contains($0) }
            columns = columns.map { $0.rows(keep) }
            dataLines = keep.map { dataLines[$0] }
        }
        return DataTable(columnNames: names, columns: columns, source: source,
                         skippedRowCount: bad.count, skippedRowReasons: Array(reasons))
    }

    /// Notes a problem with a row (only its first problem is kept).
    private mutating func record(_ problem: CSVTokenizer.Problem) {
        guard !isBad[problem.row] else { return }
        isBad[problem.row] = true
        problems[problem.row] = problem
    }

    /// The offset and line number after `options.skipLines` physical lines.
    private func skipLines() -> (Int, Int) {
        var i = 0
        for _ in 0..<options.skipLines {
            while i < bytes.count && p[i] != 0x0A && p[i] != 0x0D { i += 1 }
            if i < bytes.count { i += (p[i] == 0x0D && i + 1 < bytes.count && p[i + 1] == 0x0A) ? 2 : 1 }
        }
        return (i, options.skipLines + 1)
    }

    private func columnNames() throws -> [String] {
        var names: [String]
        if options.hasHeader {
            guard tokens.rowCount > 0 else {
                throw DataError.invalidFormat(file: source, reason: "no header row: the file has no rows")
            }
            if let problem = problems[0] {
                throw DataError.malformed(file: source, line: problem.line, column: problem.column,
                                          reason: "in the header: \(problem.reason)")
            }
            names = (0..<tokens.fieldCount(0)).map { text(row: 0, column: $0, stripping: nil) }
            if let given = options.columnNames {
                guard given.count == names.count else {
                    throw DataError.invalidOptions(
                        reason: "\(given.count) column names given for \(source), whose header has \(names.count) columns")
                }
                names = given
            }
        } else if let given = options.columnNames {
            names = given
        } else {
            let width = tokens.rowCount > 0 ? tokens.fieldCount(0) : 0
            names = (0..<width).map { "column\($0 + 1)" }
        }
        // Unique names: a repeated name gets ".1", ".2", … as in pandas.
        var seen = [String: Int]()
        for i in names.indices {
            let base = names[i]
            if let n = seen[base] {
                var k = n
                repeat { k += 1 } while seen[base + ".\(k)"] != nil
                seen[base] = k
                names[i] = base + ".\(k)"
            }
            seen[names[i]] = seen[names[i]] ?? 0
        }
        return names
    }

    // MARK: - Fields

    /// The byte range of a field, with the column's suffix removed when present.
    @inline(__always) private func range(row: Int, column: Int, stripping suffix: [UInt8]?) -> (Int, Int, Bool) {
        let k = tokens.rowStarts[row] + column
        let start = Int(tokens.starts[k])
        let rawEnd = tokens.ends[k]
        var end = Int(rawEnd & ~CSVTokenizer.escapedFlag)
        if let suffix, end - start >= suffix.count,
           (0..<suffix.count).allSatisfy({ p[end - suffix.count + $0] == suffix[$0] }) {
            end -= suffix.count
        }
        return (start, end, rawEnd & CSVTokenizer.escapedFlag != 0)
    }

    @inline(__always) private func isMissing(_ start: Int, _ end: Int) -> Bool {
        let length = end - start
        if length < 64 && missingLengths & (1 << UInt64(length)) == 0 { return false }
        for token in missing where token.count == length {
            if length == 0 { return true }
            var same = true
            for i in 0..<length where p[start + i] != token[i] {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }

    private func text(row: Int, column: Int, stripping suffix: [UInt8]?) -> String {
        let (start, end, escaped) = range(row: row, column: column, stripping: suffix)
        return TextDecoding.string(p, start, end, latin1: latin1, unescape: escaped ? options.quoteByte : nil)
    }

    // MARK: - Columns

    /// Column `c` over the data rows (bad rows get a placeholder, removed later).
    private mutating func convertColumn(_ c: Int, name: String, rows: Range<Int>) -> Column {
        let suffix = options.suffixesToStrip[name].map { Array($0.utf8) }
        let declared = options.columnTypes[name]
        if declared != .string, let numbers = numericColumn(c, name: name, rows: rows, suffix: suffix,
                                                            declared: declared == .numeric) {
            return .numeric(numbers)
        }
        var values = [String?]()
        values.reserveCapacity(rows.count)
        for r in rows {
            guard !isBad[r] || c < tokens.fieldCount(r) else {
                values.append(nil)
                continue
            }
            let (start, end, _) = range(row: r, column: c, stripping: suffix)
            values.append(isMissing(start, end) ? nil : text(row: r, column: c, stripping: suffix))
        }
        return .string(values)
    }

    /// The numbers of column `c`; nil when a value is not a number and the type was not declared
    /// (the column is then text). A declared numeric column marks such rows bad instead.
    private mutating func numericColumn(_ c: Int, name: String, rows: Range<Int>, suffix: [UInt8]?, declared: Bool)
        -> [Double]? {
        var values = [Double](repeating: .nan, count: rows.count)
        var failed = [Int]()
        var notANumber = [Int]()
        let ok = values.withUnsafeMutableBufferPointer { out in
            for r in rows {
                if isBad[r] && (!declared || c >= tokens.fieldCount(r)) { continue }  // already bad
                let (start, end, _) = range(row: r, column: c, stripping: suffix)
                if isMissing(start, end) { continue }
                if let value = NumberParser.parse(p, start, end) {
                    // A literal NaN is neither a number nor, unless listed, a missing value.
                    if value.isNaN { notANumber.append(r) }
                    out[r - rows.lowerBound] = value
                    continue
                }
                if !declared { return false }
                failed.append(r)
            }
            return true
        }
        guard ok else { return nil }
        for r in notANumber {
            let shown = text(row: r, column: c, stripping: suffix)
            record(.init(row: r, line: tokens.rowLines[r], column: c + 1,
                         reason: "column '\(name)' holds \"\(shown)\", which is not a number; list it among the missing values (data.missing_values in a run config) to impute it"))
        }
        for r in failed {
            let shown = text(row: r, column: c, stripping: suffix)
            record(.init(row: r, line: tokens.rowLines[r], column: c + 1,
                         reason: "column '\(name)' is numeric but the value is \"\(shown)\""))
        }
        return values
    }
}

import TrainKitCore

/// A column of a ``DataTable``: numbers (NaN marks a missing value) or strings (nil marks one).
public enum Column: Sendable, Equatable {
    case numeric([Double])
    case string([String?])

    public var type: ColumnType {
        switch self {
        case .numeric: .numeric
        case .string: .string
        }
    }

    public var count: Int {
        switch self {
        case let .numeric(values): values.count
        case let .string(values): values.count
        }
    }

    /// The numbers of a numeric column (nil for a string column).
    public var numbers: [Double]? {
        if case let .numeric(values) = self { return values }
        return nil
    }

    /// The strings of a string column (nil for a numeric column).
    public var strings: [String?]? {
        if case let .string(values) = self { return values }
        return nil
    }

    /// How many values are missing.
    public var missingCount: Int {
        switch self {
        case let .numeric(values): values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case let .string(values): values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        }
    }

    /// The rows `indices`, in order.
    public func rows(_ indices: [Int]) -> Column {
        switch self {
        case let .numeric(values): .numeric(indices.map { values[$0] })
        case let .string(values): .string(indices.map { values[$0] })
        }
    }
}

/// A table read from a file: named, typed columns of equal length (column-major, one array per column),
/// and a report of the rows skipped while reading.
///
/// ```swift
/// let table = try CSVReader().read("wine-quality/winequality-red.csv", delimiter: ";")
/// print(table.rowCount, table.columnNames.count)   // 1599 12
/// let quality = table["quality"]?.numbers
/// ```
///
/// Columns are found by name through a dictionary, so a lookup costs the same for 10 columns or a million.
public struct DataTable: Sendable {
    public var columnNames: [String] {
        didSet { positions = Self.positions(of: columnNames) }
    }
    /// Each name's column index (the first, for a repeated name).
    private var positions: [String: Int]
    public var columns: [Column]
    /// Rows dropped as malformed (with ``BadRowPolicy/skip``).
    public var skippedRowCount: Int
    /// The reasons for the first few skipped rows (file, line, column, reason).
    public var skippedRowReasons: [DataError]
    /// The file the table was read from (for error messages).
    public var source: String

    public init(columnNames: [String], columns: [Column], source: String = "<memory>",
                skippedRowCount: Int = 0, skippedRowReasons: [DataError] = []) {
        precondition(columnNames.count == columns.count,
                     "DataTable: \(columnNames.count) names for \(columns.count) columns")
        precondition(Set(columns.map(\.count)).count <= 1, "DataTable: columns differ in length \(columns.map(\.count))")
        self.columnNames = columnNames
        self.positions = Self.positions(of: columnNames)
        self.columns = columns
        self.source = source
        self.skippedRowCount = skippedRowCount
        self.skippedRowReasons = skippedRowReasons
    }

    public var rowCount: Int { columns.first?.count ?? 0 }
    public var columnCount: Int { columns.count }

    private static func positions(of names: [String]) -> [String: Int] {
        Dictionary(names.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// The index of the column named `name` (the first, if the name repeats).
    public func index(of name: String) -> Int? { positions[name] }

    /// The column named `name`, if any.
    public subscript(name: String) -> Column? {
        positions[name].map { columns[$0] }
    }

    /// The column named `name`, or an error listing the columns there are.
    public func column(_ name: String) throws -> Column {
        guard let column = self[name] else {
            throw DataError.missingColumn(file: source, name: name, available: columnNames)
        }
        return column
    }

    /// The rows `indices`, in order (for splits).
    public func rows(_ indices: [Int]) -> DataTable {
        DataTable(columnNames: columnNames, columns: columns.map { $0.rows(indices) }, source: source)
    }

    /// The table without the named columns.
    public func dropping(_ names: [String]) throws -> DataTable {
        for name in names where self[name] == nil {
            throw DataError.missingColumn(file: source, name: name, available: columnNames)
        }
        let dropped = Set(names)
        let keep = columnNames.indices.filter { !dropped.contains(columnNames[$0]) }
        return DataTable(columnNames: keep.map { columnNames[$0] }, columns: keep.map { columns[$0] }, source: source)
    }

    /// The table with only the named columns, in that order.
    public func selecting(_ names: [String]) throws -> DataTable {
        DataTable(columnNames: names, columns: try names.map { try column($0) }, source: source)
    }
}

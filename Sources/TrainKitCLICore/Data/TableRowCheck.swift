import TrainKit

/// Checks on the rows of a table read from a file, run before any math. A message names the file, the column
/// and the line of the file the row starts on (`lines[i]` for row `i`, from `CSVReader.readWithLines`), never
/// an index into a shuffled split.
enum TableRowCheck {
    /// A file with a header and no data rows is a data error (not "a single class" or silently no metrics).
    static func requireRows(_ table: DataTable) throws {
        guard table.rowCount == 0 else { return }
        throw DataError.invalidFormat(file: table.source, reason: "no data rows (the file holds a header only)")
    }

    /// The numbers of the numeric columns among `columns` must fit a 32-bit float: `inf`, `Infinity`, `1e999` or
    /// a value beyond ±3.4e38 is a data error (training would only report a non-finite gradient). Missing values
    /// (NaN) are left to imputation.
    static func requireFinite(_ table: DataTable, lines: [Int], columns: [String]) throws {
        let wanted = Set(columns)
        let limit = Double(Float.greatestFiniteMagnitude)
        for (index, name) in table.columnNames.enumerated() where wanted.contains(name) {
            guard let numbers = table.columns[index].numbers,
                  let row = numbers.firstIndex(where: { !$0.isNaN && !(abs($0) <= limit) }) else { continue }
            throw DataError.malformed(
                file: table.source, line: lines[row], column: index + 1,
                reason: "column '\(name)' holds \(numbers[row]), which is not a finite 32-bit float (at most ±3.4e38)")
        }
    }

    /// The error for a missing value in row `row` of column `column`: `what` is missing (`target 'quality'`).
    static func missing(_ table: DataTable, lines: [Int], row: Int, column: String, what: String) -> DataError {
        let index = table.index(of: column).map { $0 + 1 } ?? 0
        return DataError.malformed(file: table.source, line: lines[row], column: index, reason: "\(what) is missing")
    }
}

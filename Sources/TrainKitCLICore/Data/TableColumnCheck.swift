import TrainKit

/// Checks on whole input columns of a table (CSV runs): columns that silently lose their meaning.
enum TableColumnCheck {
    /// Warnings for numeric-looking text columns: a column whose values are numbers except for a few cells
    /// (under 5% of its present values) becomes a categorical one-hot block, which a typo or a stray byte
    /// usually explains. Each warning names the file, the column and the first offending line.
    /// - Parameter lines: the file line of each row of `table`.
    static func mixedColumnWarnings(_ table: DataTable, lines: [Int], columns: [String]) -> [String] {
        let wanted = Set(columns)
        var warnings: [String] = []
        for (index, name) in table.columnNames.enumerated() where wanted.contains(name) {
            guard let values = table.columns[index].strings else { continue }
            var present = 0, nonNumeric = 0, first: Int? = nil
            for (row, value) in values.enumerated() {
                guard let value else { continue }
                present += 1
                if Double(value) == nil {
                    nonNumeric += 1
                    if first == nil { first = row }
                }
            }
            guard let row = first, nonNumeric * 20 < present else { continue }
            let cell = values[row]!.unicodeScalars.map { $0.isASCII && $0.value >= 32 ? String($0) : $0.escaped(asASCII: true) }.joined()
            warnings.append("\(table.source): column '\(name)' is read as categories because \(nonNumeric) of its \(present) values are not numbers (first on line \(lines[row]): \"\(cell.prefix(40))\"); fix those cells or add them to data.missing_values")
        }
        return warnings
    }

    /// Standardizing needs a finite mean and standard deviation: values whose spread overflows would
    /// otherwise turn the column into zeros without a word.
    static func requireFiniteScaling(_ encoder: TabularEncoder, file: String) throws {
        for step in encoder.steps {
            guard let scaler = step.standardScaler,
                  !(scaler.mean + scaler.std).allSatisfy(\.isFinite) else { continue }
            throw DataError.invalidFormat(
                file: file, reason: "column '\(step.name)' overflows when standardized (mean \(scaler.mean[0]), std \(scaler.std[0])); rescale its values")
        }
    }
}

import TrainKitCore

/// How a target column becomes labels.
public enum TargetKind: Sendable, Codable, Equatable {
    /// Classification for string columns, regression for numeric ones.
    case automatic
    /// Class indices (int64 `[N]`) into sorted distinct values, names in ``CSVDataset/classes``.
    case classification
    /// Numbers (float32 `[N]`).
    case regression
}

/// A table with a target column as a ``TensorDataset``: features float32 `[N, F]` from the other
/// (numeric) columns, labels from the target.
///
/// Categorical or incomplete feature columns need encoding first: pass a fitted ``TabularEncoder``
/// (standardize, one-hot, impute), or choose numeric columns with `features`.
///
/// ```swift
/// var options = CSVOptions(delimiter: ";")
/// let wine = try CSVDataset(file: "wine-quality/winequality-red.csv", target: "quality", options: options)
/// print(wine.count, wine.featureNames.count)   // 1599 11 (regression on quality)
/// ```
public struct CSVDataset: GatheringDataset {
    /// The features and labels as tensors.
    public let tensors: TensorDataset
    /// The name of each feature column (of `tensors.features`' second dimension).
    public let featureNames: [String]
    public let targetName: String
    /// For classification, the class names: label `i` is `classes[i]`. Nil for regression.
    public let classes: [String]?

    /// Reads `file` with `options` and splits off `target`.
    public init(file: String, target: String, options: CSVOptions = CSVOptions(), features: [String]? = nil,
                targetKind: TargetKind = .automatic) throws {
        try self.init(table: try CSVReader(options: options).read(file), target: target, features: features,
                      targetKind: targetKind)
    }

    /// - Parameters:
    ///   - target: the label column's name.
    ///   - features: the feature columns, in order (default: every other column).
    ///   - targetKind: classification or regression (default: by the target column's type).
    ///   - classes: the class names to index labels by (pass a training set's `classes` to a test
    ///     set so both use the same indices); default: the target's sorted distinct values.
    ///   - encoder: a fitted encoder turning the feature columns into numbers.
    public init(table: DataTable, target: String, features: [String]? = nil, targetKind: TargetKind = .automatic,
                classes: [String]? = nil, encoder: TabularEncoder? = nil) throws {
        let targetColumn = try table.column(target)
        let featureTable = try features.map { try table.selecting($0) } ?? table.dropping([target])
        guard featureTable.columnCount > 0 else {
            throw DataError.invalidFormat(
                file: table.source, reason: "no feature columns besides the target '\(target)'")
        }
        let encoded: Tensor
        let names: [String]
        if let encoder {
            encoded = try encoder.transform(featureTable)
            names = encoder.outputNames
        } else {
            encoded = try Self.numericFeatures(featureTable)
            names = featureTable.columnNames
        }
        let kind = targetKind == .automatic ? (targetColumn.type == .string ? .classification : .regression) : targetKind
        let labels: Tensor
        var classNames: [String]? = nil
        if kind == .classification {
            let (indices, found) = try Self.classIndices(targetColumn, name: target, source: table.source, classes: classes)
            labels = Tensor(indices)
            classNames = found
        } else {
            guard let numbers = targetColumn.numbers else {
                throw DataError.invalidFormat(file: table.source, reason: "target '\(target)' is text; use targetKind: .classification")
            }
            if let row = numbers.firstIndex(where: \.isNaN) {
                throw DataError.invalidFormat(
                    file: table.source, reason: "target '\(target)' is missing in \(targetColumn.missingCount) rows (first: data row \(row + 1))")
            }
            labels = Tensor(numbers.map { Float($0) }, shape: [numbers.count])
        }
        tensors = TensorDataset(features: encoded, labels: labels)
        featureNames = names
        targetName = target
        self.classes = classNames
    }

    public var count: Int { tensors.count }
    public subscript(index: Int) -> Sample { tensors[index] }
    public func gather(_ indices: [Int]) -> Batch { tensors.gather(indices) }

    /// Numeric columns without missing values as float32 `[rows, columns]`.
    static func numericFeatures(_ table: DataTable) throws -> Tensor {
        var columns = [[Double]]()
        for (name, column) in zip(table.columnNames, table.columns) {
            guard let numbers = column.numbers else {
                throw DataError.invalidFormat(
                    file: table.source, reason: "feature column '\(name)' is text: encode it with a TabularEncoder or leave it out")
            }
            if column.missingCount > 0 {
                throw DataError.invalidFormat(
                    file: table.source,
                    reason: "feature column '\(name)' has \(column.missingCount) missing values: impute them with a TabularEncoder")
            }
            columns.append(numbers)
        }
        let rows = table.rowCount, width = columns.count
        var out = [Float](repeating: 0, count: rows * width)
        for (j, column) in columns.enumerated() {
            for i in 0..<rows { out[i * width + j] = Float(column[i]) }
        }
        return Tensor(out, shape: [rows, width])
    }

    /// Class indices of a target column, by the given or the sorted distinct class names.
    static func classIndices(_ column: Column, name: String, source: String, classes: [String]?) throws
        -> ([Int], [String]) {
        let values = column.asStrings()
        if let row = values.firstIndex(where: { $0 == nil }) {
            throw DataError.invalidFormat(file: source, reason: "target '\(name)' is missing in data row \(row + 1)")
        }
        let present = values.map { $0! }
        let names = classes ?? Array(Set(present)).sorted { a, b in
            if let x = Double(a), let y = Double(b) { return x < y }
            return a < b
        }
        var index = [String: Int]()
        for (i, c) in names.enumerated() { index[c] = i }
        var labels = [Int]()
        labels.reserveCapacity(present.count)
        for (row, value) in present.enumerated() {
            guard let i = index[value] else {
                throw DataError.invalidFormat(file: source, reason: "target '\(name)' has class \"\(value)\" in data row \(row + 1), not among \(names)")
            }
            labels.append(i)
        }
        return (labels, names)
    }
}

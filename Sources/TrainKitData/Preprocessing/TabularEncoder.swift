import TrainKitCore

/// Turns a table's columns into one float32 feature matrix with steps fitted on training data:
/// numeric columns are imputed then standardized (or min-max scaled, or left as they are); string
/// columns are imputed with their most frequent value then one-hot (or ordinal) encoded.
///
/// `Codable`: save it with the model so prediction encodes new rows exactly as training did.
/// Shapes: a table of `N` rows -> `[N, outputNames.count]`.
///
/// ```swift
/// let encoder = TabularEncoder.fit(trainTable.dropping(["income"]))
/// let train = try CSVDataset(table: trainTable, target: "income", encoder: encoder)
/// let test = try CSVDataset(table: testTable, target: "income", classes: train.classes, encoder: encoder)
/// ```
public struct TabularEncoder: Codable, Sendable, Equatable {
    public enum NumericScaling: String, Codable, Sendable {
        case none, standardize, minMax
    }

    public enum CategoricalEncoding: String, Codable, Sendable {
        case oneHot, ordinal
    }

    /// The fitted steps of one input column.
    public struct ColumnStep: Codable, Sendable, Equatable {
        public var name: String
        public var type: ColumnType
        public var imputer: Imputer
        public var standardScaler: StandardScaler?
        public var minMaxScaler: MinMaxScaler?
        public var oneHot: OneHotEncoder?
        public var ordinal: OrdinalEncoder?

        /// The names of the output features this column produces.
        var outputNames: [String] {
            if let oneHot { return oneHot.categories.map { "\(name)=\($0)" } }
            return [name]
        }
    }

    public var steps: [ColumnStep]

    /// Fits every column of `table` (leave the target out).
    public static func fit(_ table: DataTable, numeric: NumericScaling = .standardize,
                           categorical: CategoricalEncoding = .oneHot,
                           numericImputation: Imputer.Strategy = .mean) -> TabularEncoder {
        var steps = [ColumnStep]()
        for (name, column) in zip(table.columnNames, table.columns) {
            switch column {
            case let .numeric(values):
                let imputer = Imputer.fit(values, strategy: numericImputation)
                let filled = Tensor(imputer.transform(values), shape: [values.count])
                steps.append(ColumnStep(
                    name: name, type: .numeric, imputer: imputer,
                    standardScaler: numeric == .standardize ? StandardScaler.fit(filled) : nil,
                    minMaxScaler: numeric == .minMax ? MinMaxScaler.fit(filled) : nil))
            case let .string(values):
                let imputer = Imputer.fit(values)
                let filled = imputer.transform(values)
                steps.append(ColumnStep(
                    name: name, type: .string, imputer: imputer,
                    oneHot: categorical == .oneHot ? OneHotEncoder.fit(filled) : nil,
                    ordinal: categorical == .ordinal ? OrdinalEncoder.fit(filled) : nil))
            }
        }
        return TabularEncoder(steps: steps)
    }

    public init(steps: [ColumnStep]) { self.steps = steps }

    /// The name of each output feature (`age`, `workclass=Private`, …).
    public var outputNames: [String] { steps.flatMap(\.outputNames) }

    /// Encodes `table`'s columns (found by name; extra columns are ignored) as float32 `[N, F]`.
    ///
    /// Computed on the host in one pass into the row-major matrix (the table's values are host arrays): per
    /// numeric column the same float64 arithmetic as ``StandardScaler/transform(_:)`` and
    /// ``MinMaxScaler/transform(_:)``, rounded to float32 once, so the values equal those tensor ops'.
    public func transform(_ table: DataTable) throws -> Tensor {
        let n = table.rowCount
        let width = steps.reduce(0) { $0 + ($1.oneHot?.categories.count ?? 0) + ($1.ordinal == nil ? 0 : 1) + ($1.type == .numeric ? 1 : 0) }
        guard width > 0 else { return Tensor.zeros([n, 0]) }
        var out = [Float](repeating: 0, count: n * width)
        var offset = 0
        for step in steps {
            let column = try table.column(step.name)
            switch step.type {
            case .numeric:
                guard let values = column.numbers else {
                    throw DataError.invalidFormat(
                        file: table.source, reason: "column '\(step.name)' was numeric in training but holds text here")
                }
                let fill = step.imputer.numericFill
                for r in 0..<n {
                    var v = values[r].isNaN ? fill : values[r]
                    if let scaler = step.standardScaler { v = Double(Float((v - scaler.mean[0]) / scaler.std[0])) }
                    if let scaler = step.minMaxScaler { v = Double(scaler.scaledValue(v, feature: 0)) }
                    out[r * width + offset] = Float(v)
                }
                offset += 1
            case .string:
                let values = step.imputer.transform(column.asStrings())
                if let oneHot = step.oneHot {
                    let index = Dictionary(uniqueKeysWithValues: oneHot.categories.enumerated().map { ($1, $0) })
                    for r in 0..<n {
                        if let value = values[r], let k = index[value] { out[r * width + offset + k] = 1 }
                    }
                    offset += oneHot.categories.count
                }
                if let ordinal = step.ordinal {
                    for (r, code) in ordinal.codes(values).enumerated() { out[r * width + offset] = Float(code) }
                    offset += 1
                }
            }
        }
        return Tensor(out, shape: [n, width])
    }
}

extension Column {
    /// The values as strings (numbers written without a trailing `.0` when whole; NaN as nil).
    public func asStrings() -> [String?] {
        switch self {
        case let .string(values): values
        case let .numeric(values):
            values.map { v in
                v.isNaN ? nil : (v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v))
            }
        }
    }
}

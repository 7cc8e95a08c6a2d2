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
    public func transform(_ table: DataTable) throws -> Tensor {
        var blocks = [Tensor]()
        for step in steps {
            let column = try table.column(step.name)
            switch step.type {
            case .numeric:
                guard let values = column.numbers else {
                    throw DataError.invalidFormat(
                        file: table.source, reason: "column '\(step.name)' was numeric in training but holds text here")
                }
                var x = Tensor(step.imputer.transform(values), shape: [values.count])
                if let scaler = step.standardScaler { x = scaler.transform(x) }
                if let scaler = step.minMaxScaler { x = scaler.transform(x) }
                blocks.append(x.to(.float32).reshape([-1, 1]))
            case .string:
                let values = step.imputer.transform(column.asStrings())
                if let oneHot = step.oneHot { blocks.append(oneHot.transform(values)) }
                if let ordinal = step.ordinal {
                    blocks.append(Tensor(ordinal.codes(values).map { Float($0) }, shape: [values.count, 1]))
                }
            }
        }
        guard !blocks.isEmpty else { return Tensor.zeros([table.rowCount, 0]) }
        return Tensor.cat(blocks, dim: 1)
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

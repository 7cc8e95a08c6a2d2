import Foundation
import TrainKit

/// The fitted preprocessing of a table (model kinds `mlp` and `tabular` on CSV data): which columns are
/// inputs, which numeric columns count as categories, and the ``TabularEncoder`` (imputation, standardized
/// numbers, one-hot or ordinal categories) fitted on the training rows.
public struct TablePreprocessing: Codable, Sendable {
    public var read: TableReadOptions
    /// The label column (none for an `autoencoder` without one).
    public var target: String?
    /// The input columns, in order.
    public var inputColumns: [String]
    /// Numeric columns read as categories.
    public var categorical: [String]
    public var encoder: TabularEncoder
    /// Categories become ordinal codes for embeddings (`tabular`) instead of one-hot columns (`mlp`).
    public var embedsCategories: Bool

    /// The input columns of `table`, with the `categorical` numeric columns turned into strings.
    func inputTable(_ table: DataTable) throws -> DataTable {
        var selected = try table.selecting(inputColumns)
        let categorical = Set(categorical)
        for (i, name) in selected.columnNames.enumerated() where categorical.contains(name) {
            if case .numeric = selected.columns[i] { selected.columns[i] = .string(selected.columns[i].asStrings()) }
        }
        return selected
    }

    func features(_ table: DataTable) throws -> Tensor { try encoder.transform(try inputTable(table)) }

    /// Class indices (int64 `[N]`) or float targets (`[N]`); for reconstruction, the features.
    /// - Parameter lines: the file line of each row of `table`, for messages.
    func labels(_ table: DataTable, lines: [Int], classes: [String]?, task: TaskKind) throws -> Tensor {
        guard task != .reconstruction, let target else { return try features(table) }
        let column = try table.column(target)
        if task == .classification || (task == .clustering && classes != nil) {  // clustering: classes to score with
            let values = column.asStrings()
            if let row = values.firstIndex(where: { $0 == nil }) {
                throw TableRowCheck.missing(table, lines: lines, row: row, column: target, what: "target '\(target)'")
            }
            return Tensor(try classIndices(values.map { $0! }, classes: classes, source: table.source,
                                           column: "target '\(target)'", lines: lines).labels)
        }
        guard let numbers = column.numbers else {
            throw DataError.invalidFormat(file: table.source, reason: "target '\(target)' holds text, but the task is regression (set training.task: classification)")
        }
        if let row = numbers.firstIndex(where: \.isNaN) {
            throw TableRowCheck.missing(table, lines: lines, row: row, column: target, what: "target '\(target)'")
        }
        try TableRowCheck.requireFinite(table, lines: lines, columns: [target])
        return Tensor(numbers.map { Float($0) }, shape: [numbers.count])
    }

    /// The inputs of a file to evaluate or predict for. Only the input columns must be in it: the target and the
    /// columns training left out (`data.drop`, columns outside `data.features`) may be absent (unlabelled data).
    /// Input numbers must fit a 32-bit float (``TableRowCheck/requireFinite(_:lines:columns:)``).
    func inputs(file: String, classes: [String]?, task: TaskKind, strictLabels: Bool) throws -> PreparedInputs {
        let (table, lines) = try read.readWithLines(file, optional: Set(read.columnTypes.keys).subtracting(inputColumns))
        try TableRowCheck.requireFinite(table, lines: lines, columns: inputColumns)
        var labels: Tensor? = nil
        if task == .reconstruction || target.map({ table[$0] != nil }) == true {
            do {
                labels = try self.labels(table, lines: lines, classes: classes, task: task)
            } catch where !strictLabels {
                labels = nil
            }
        }
        return PreparedInputs(features: try features(table), labels: labels,
                              rowNames: (1...max(table.rowCount, 1)).prefix(table.rowCount).map(String.init))
    }

    /// Per encoded feature column: 0 for a number, `k` for a categorical code with `k` categories (`tabular`).
    var columnCardinalities: [Int] {
        encoder.steps.flatMap { step -> [Int] in
            if let ordinal = step.ordinal { return [ordinal.categories.count] }
            if let oneHot = step.oneHot { return Array(repeating: 0, count: oneHot.categories.count) }
            return [0]
        }
    }
}

/// Reads a CSV run's data: fits the table preprocessing on the training rows and encodes every split.
enum TablePipeline {
    /// - Parameter kept: a warm start's preprocessing to use instead of fitting one (the same input columns,
    ///   encoder, task and classes); new classes are an error, drift a warning (``WarmStartDrift``).
    static func prepare(_ config: RunConfig, rows: SplitPlan? = nil, kept: Preprocessing? = nil) throws -> PreparedData {
        let d = config.data
        let keptTable = kept?.table
        var read = try TableReadOptions(config: d, file: d.train)
        let (table, lines) = try read.readWithLines(d.train)
        try TableRowCheck.requireRows(table)
        let target = d.target
        try ColumnCheck.require(target.map { [$0] } ?? [], key: "data.target", in: table)
        try ColumnCheck.require(d.drop, key: "data.drop", in: table)
        try ColumnCheck.require(d.categorical, key: "data.categorical", in: table)
        try ColumnCheck.require(d.features ?? [], key: "data.features", in: table)
        let targetColumn = try target.map { try table.column($0) }
        let dropped = Set(d.drop)
        if let keptTable {
            try ColumnCheck.require(keptTable.inputColumns, key: "--init-from (the source model's input columns)", in: table)
        }
        let inputs = keptTable?.inputColumns ?? d.features ?? table.columnNames.filter { $0 != target && !dropped.contains($0) }
        guard !inputs.isEmpty else {
            throw ConfigError.invalidValue(path: "data.features", reason: "no input columns are left", location: nil)
        }
        read.columnTypes = Dictionary(uniqueKeysWithValues: zip(table.columnNames, table.columns.map(\.type)))
        let taskChoice = TaskChoice.choose(configured: config.training.task, target: target, column: targetColumn)
        let task = kept?.task ?? taskChoice.task
        try TableRowCheck.requireFinite(table, lines: lines, columns: inputs)

        var classes: [String]? = nil
        var classLabels: [Int]? = nil
        if task == .classification, let target, let targetColumn {
            let values = targetColumn.asStrings()
            if let row = values.firstIndex(where: { $0 == nil }) {
                throw TableRowCheck.missing(table, lines: lines, row: row, column: target, what: "target '\(target)'")
            }
            let found = try classIndices(values.map { $0! }, classes: nil, source: d.train, column: "target '\(target)'",
                                         lines: lines)
            classes = found.classes
            classLabels = found.labels
            if let known = kept?.classes {
                let new = found.classes.filter { !known.contains($0) }
                guard new.isEmpty else {
                    throw WarmStartError.newClasses(file: d.train, column: "target '\(target)'", classes: new, known: known)
                }
                classes = known
                classLabels = try classIndices(values.map { $0! }, classes: known, source: d.train,
                                               column: "target '\(target)'", lines: lines).labels
            }
            guard kept != nil || found.classes.count >= 2 else {
                throw DataError.invalidFormat(file: d.train, reason: "target '\(target)' has a single class (\(found.classes.first ?? "")); classification needs two or more")
            }
        }
        let plan = rows ?? SplitPlan(count: table.rowCount, labels: d.stratify ? classLabels : nil,
                                     testFraction: d.test == nil ? d.testSplit : 0,
                                     validationFraction: d.validationSplit, seed: config.seed)
        let trainTable = table.rows(plan.train)
        var preprocessing = TablePreprocessing(read: read, target: target, inputColumns: inputs,
                                               categorical: keptTable?.categorical ?? d.categorical,
                                               encoder: TabularEncoder(steps: []),
                                               embedsCategories: keptTable?.embedsCategories ?? (config.model.kind == .tabular))
        var drift: [String] = []
        if let keptTable {
            preprocessing.encoder = keptTable.encoder
            drift = WarmStartDrift.warnings(keptTable.encoder, table: try preprocessing.inputTable(trainTable))
        } else {
            preprocessing.encoder = TabularEncoder.fit(try preprocessing.inputTable(trainTable),
                                                       categorical: preprocessing.embedsCategories ? .ordinal : .oneHot)
        }
        try TableColumnCheck.requireFiniteScaling(preprocessing.encoder, file: d.train)
        func dataset(_ part: (table: DataTable, lines: [Int])) throws -> TensorDataset {
            TensorDataset(features: try preprocessing.features(part.table),
                          labels: try preprocessing.labels(part.table, lines: part.lines, classes: classes, task: task))
        }
        func part(_ rows: [Int]) -> (DataTable, [Int]) { (table.rows(rows), rows.map { lines[$0] }) }
        let testTable = try d.test.map { file -> (DataTable, [Int]) in
            let (test, testLines) = try read.readWithLines(file)
            try TableRowCheck.requireRows(test)
            try TableRowCheck.requireFinite(test, lines: testLines, columns: inputs)
            return (test, testLines)
        } ?? (plan.test.isEmpty ? nil : part(plan.test))
        var result = PreparedData(train: try dataset((trainTable, plan.train.map { lines[$0] })),
                                  validation: plan.validation.isEmpty ? nil : try dataset(part(plan.validation)),
                                  test: try testTable.map(dataset),
                                  preprocessing: Preprocessing(format: .csv, task: task, classes: classes))
        result.preprocessing.table = preprocessing
        result.taskNote = kept == nil ? taskChoice.note : nil
        result.warnings = TableColumnCheck.mixedColumnWarnings(
            table, lines: lines, columns: inputs.filter { !preprocessing.categorical.contains($0) }) + drift
        return result
    }
}

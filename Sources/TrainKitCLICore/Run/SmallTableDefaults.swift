import TrainKit

/// What the `mlp` and `tabular` kinds do differently on a small CSV table (at most ``maximumRows`` training
/// rows), so that their default runs reach what the `linear` kind reaches:
///
/// 1. The model starts from the linear fit (``LinearStartNet``: the cross-validated ridge / softmax fit of the
///    `linear` kind plus the network, whose last layer starts at zero), when the one-hot inputs are at most
///    ``maximumLinearInputs`` wide. Always, whatever the training keys.
/// 2. When `model.hidden` is not set and `model.dropout` is 0: one hidden layer of ``hidden`` units with
///    dropout ``dropout`` (instead of `[128, 64]` without dropout).
/// 3. After training, the run keeps the trained network only when it beats the linear start on the validation
///    rows (``LinearStartNet/selectionScore(_:task:)``); otherwise it restores the start.
///
/// The run logs the start's λ, and a line when it keeps the start. (Measured on five small public tables in
/// docs/results.md: with these rules the default `mlp` and `tabular` runs reach the `linear` kind's scores.)
enum SmallTableDefaults {
    static let maximumRows = 5000
    static let maximumLinearInputs = 300
    static let hidden = [32]
    static let dropout = 0.2

    /// Rule 1: whether a model of `kind` for `data` starts from the linear fit.
    static func startsFromLinear(kind: ModelKind, task: TaskKind, data: PreparedData) -> Bool {
        guard let table = data.preprocessing.table else { return false }  // CSV tables only
        return startsFromLinear(kind: kind, task: task, trainRows: data.train.count,
                                cardinalities: table.columnCardinalities)
    }

    static func startsFromLinear(kind: ModelKind, task: TaskKind, trainRows: Int, cardinalities: [Int]) -> Bool {
        (kind == .mlp || kind == .tabular) && task != .reconstruction && trainRows <= maximumRows
            && oneHotWidth(cardinalities) <= maximumLinearInputs
    }

    /// The one-hot width of encoded columns: 1 per number, `k` per `k`-category code.
    static func oneHotWidth(_ cardinalities: [Int]) -> Int { cardinalities.reduce(0) { $0 + Swift.max($1, 1) } }
}

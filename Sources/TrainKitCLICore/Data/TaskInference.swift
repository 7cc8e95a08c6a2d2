import TrainKit

/// The task a CSV run's target column asks for when the config names none (`training.task`), after AutoGluon's
/// `infer_problem_type`. With `N` the rows that hold a target value and `k` its distinct values:
///
/// 1. text values → classification;
/// 2. `k = 2` (any two values, e.g. 0/1 or 1.5/2.5) → classification (binary);
/// 3. whole numbers with `3 ≤ k ≤ 20` and `k ≤ r · N`, `r = 0.1` for `N ≤ 1000` and `0.05` above
///    (digits 0–9 need at least 100 rows) → classification (multiclass);
/// 4. anything else (fractions, or many distinct whole numbers such as counts) → regression.
///
/// AutoGluon allows up to 1000 classes in rule 3; the cap of 20 keeps counts, ages and years a regression.
/// The decision uses the whole `data.train` file (before the splits), so a run and its CV folds agree.
struct TaskChoice: Equatable {
    var task: TaskKind
    /// One line for the log: the task, why, and how to override it.
    var note: String

    static let maximumInferredClasses = 20

    /// The explicit `training.task` when set, else the rule above on the target column (regression when there
    /// is no target column).
    static func choose(configured: TaskKind?, target: String?, column: Column?) -> TaskChoice {
        if let configured {
            return TaskChoice(task: configured, note: "task: \(configured.rawValue) (set by training.task)")
        }
        guard let target, let column else {
            return TaskChoice(task: .regression, note: "task: regression (no target column)")
        }
        func choice(_ task: TaskKind, _ why: String) -> TaskChoice {
            let other: TaskKind = task == .classification ? .regression : .classification
            return TaskChoice(task: task, note: "task: \(task.rawValue) (target '\(target)' \(why); set training.task: \(other.rawValue) to override)")
        }
        guard let numbers = column.numbers else { return choice(.classification, "holds text") }
        let present = numbers.filter { !$0.isNaN }
        let distinct = Set(present)
        let (n, k) = (present.count, distinct.count)
        if k == 2 {
            let values = distinct.sorted().map(Self.format)
            return choice(.classification, "holds two distinct values, \(values[0]) and \(values[1])")
        }
        let whole = present.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
        let ratio = n <= 1000 ? 0.1 : 0.05
        if whole && k >= 3 && k <= maximumInferredClasses && Double(k) <= ratio * Double(n) {
            return choice(.classification, "holds \(k) distinct whole numbers in \(n) rows")
        }
        if !whole { return choice(.regression, "holds fractional numbers") }
        return choice(.regression, "holds \(k) distinct whole numbers in \(n) rows, more than min(\(maximumInferredClasses), \(Self.format(ratio)) × rows)")
    }

    private static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}

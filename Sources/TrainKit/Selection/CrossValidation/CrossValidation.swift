import TrainKitCore
import TrainKitData

/// K-fold cross-validation: train a fresh model on each fold's training part, score it on the fold's
/// validation part, and report every fold's metrics with their mean and standard deviation.
///
/// Splits (every row is validated exactly once per repetition; train and validation never overlap):
/// - **k-fold**: ``Splits/kFold(count:k:shuffle:seed:)``, `k` near-equal chunks of a seeded permutation;
/// - **stratified**: ``Splits/stratifiedKFold(labels:k:shuffle:seed:)``, each class's share kept in every fold
///   (per-class counts differ by at most one between folds);
/// - **grouped**: ``Splits/groupKFold(groups:k:seed:)``, no group (a user id) in both parts of a fold;
/// - **repeated**: `repeats` rounds, each with its own shuffle (`k · repeats` folds in the result).
///
/// The closure gets a ``CrossValidationFold`` (its train and validation subsets) after the thread's random
/// stream is seeded with the fold's seed; it builds the model and trainer, fits its preprocessing on the train
/// part only (``CrossValidationFold/standardized()``), trains, and returns the validation metrics.
///
/// ```swift
/// let cv = try CrossValidation.run(dataset: data, folds: 5, stratified: true, seed: 0) { fold in
///     let (train, validation, _) = fold.standardized()
///     let trainer = Trainer(model: makeModel(), loss: .crossEntropy, optimizer: Adam(lr: 1e-2),
///                           metrics: [.accuracy], seed: fold.seed, progress: .silent)
///     try trainer.fit(train, epochs: 10)
///     return trainer.evaluate(validation)
/// }
/// print(cv.mean["accuracy"]!, cv.std["accuracy"]!)
/// ```
public enum CrossValidation {
    /// The folds of `count` rows, `repeats · folds` of them in order (repetition, then fold).
    ///
    /// Repetition 0 uses `seed` as it is (the same folds as ``Splits/kFold(count:k:shuffle:seed:)``); repetition
    /// `r > 0` uses a seed mixed from `seed` and `r`.
    /// - Parameters:
    ///   - labels: class indices per row; stratify by them when given.
    ///   - groups: a group id per row; keep groups whole when given (not with `labels`).
    ///   - shuffle: permute before chunking (k-fold, stratified); `false` gives contiguous chunks and needs
    ///     `repeats == 1`. Group folds always shuffle the groups.
    /// - Throws: ``SelectionError/invalidArgument(_:)`` for unusable settings, before any work.
    public static func splits(
        count: Int, folds k: Int = 5, labels: [Int]? = nil, groups: [Int]? = nil,
        repeats: Int = 1, shuffle: Bool = true, seed: UInt64 = 0
    ) throws -> [CrossValidationSplit] {
        guard repeats >= 1 else {
            throw SelectionError.invalidArgument("cross-validation: repeats must be >= 1, got \(repeats)")
        }
        guard shuffle || repeats == 1 else {
            throw SelectionError.invalidArgument(
                "cross-validation: repeats > 1 needs shuffle (unshuffled folds repeat exactly)")
        }
        if let labels, labels.count != count {
            throw SelectionError.invalidArgument("cross-validation: \(labels.count) labels for \(count) rows")
        }
        if let groups {
            guard groups.count == count else {
                throw SelectionError.invalidArgument("cross-validation: \(groups.count) group ids for \(count) rows")
            }
            guard labels == nil else {
                throw SelectionError.invalidArgument(
                    "cross-validation: stratified and grouped folds cannot be combined")
            }
            let distinct = Set(groups).count
            guard k >= 2 && k <= distinct else {
                throw SelectionError.invalidArgument(
                    "cross-validation: folds must be in 2...\(distinct) (distinct groups), got \(k)")
            }
        }
        guard k >= 2 && k <= count else {
            throw SelectionError.invalidArgument("cross-validation: folds must be in 2...\(count) (rows), got \(k)")
        }
        var out: [CrossValidationSplit] = []
        for r in 0..<repeats {
            let roundSeed = r == 0 ? seed : mixSeed(seed, UInt64(r))
            let folds: [Fold]
            if let groups {
                folds = Splits.groupKFold(groups: groups, k: k, seed: roundSeed)
            } else if let labels {
                folds = Splits.stratifiedKFold(labels: labels, k: k, shuffle: shuffle, seed: roundSeed)
            } else {
                folds = Splits.kFold(count: count, k: k, shuffle: shuffle, seed: roundSeed)
            }
            for (i, fold) in folds.enumerated() {
                let index = r * k + i
                out.append(
                    CrossValidationSplit(
                        index: index, repetition: r, fold: i, train: fold.train,
                        validation: fold.validation, seed: mixSeed(mixSeed(seed, 0xF01D), UInt64(index))))
            }
        }
        return out
    }

    /// Cross-validates: for each fold, seeds this thread's random stream with the fold's seed and calls
    /// `trainAndEvaluate`, which returns the fold's metrics. See the type's documentation.
    /// - Parameters:
    ///   - stratified: keep class shares (labels from ``Dataset/classLabels()``: class indices).
    ///   - groups: a group id per row of `dataset`; no group is split across train and validation.
    /// - Returns: every fold's metrics (in fold order) with mean and sample standard deviation.
    public static func run<D: Dataset>(
        dataset: D, folds k: Int = 5, stratified: Bool = false, repeats: Int = 1,
        groups: [Int]? = nil, shuffle: Bool = true, seed: UInt64 = 0,
        trainAndEvaluate: (CrossValidationFold<D>) throws -> [String: Double]
    )
        throws -> CrossValidationResult where D.Element == Sample
    {
        let plan = try splits(
            count: dataset.count, folds: k, labels: stratified ? dataset.classLabels() : nil,
            groups: groups, repeats: repeats, shuffle: shuffle, seed: seed)
        var metrics: [[String: Double]] = []
        for split in plan {
            Random.seed(split.seed)
            metrics.append(try trainAndEvaluate(CrossValidationFold(split: split, dataset: dataset)))
        }
        return CrossValidationResult(folds: metrics)
    }

    /// Dense group ids `0..<n` for any hashable ids (user names, strings), in order of first appearance.
    public static func groupIndices<ID: Hashable>(_ ids: [ID]) -> [Int] {
        var index: [ID: Int] = [:]
        return ids.map { id in
            if let i = index[id] { return i }
            index[id] = index.count
            return index.count - 1
        }
    }
}

import Foundation

/// Per-fold metrics of a cross-validation and their mean and standard deviation per metric.
///
///     mean = (1/n) Σᵢ mᵢ        std = sqrt( Σᵢ (mᵢ − mean)² / (n − 1) )
///
/// over the `n` folds that report the metric (all `k · repeats` folds of a repeated CV). `std` is the
/// *sample* standard deviation (Bessel's `n − 1`, as `numpy.std(ddof=1)`; scikit-learn's `cross_val_score`
/// users often print `np.std`, which divides by `n`); it is 0 for a single fold.
///
/// JSON: `{"folds": [{"accuracy": 0.91, "loss": 0.25}, ...], "mean": {...}, "std": {...}}`.
public struct CrossValidationResult: Codable, Sendable, Equatable {
    /// Each fold's metrics, in fold order (repetition, then fold).
    public var folds: [[String: Double]]
    /// Per metric, the mean over the folds that report it.
    public var mean: [String: Double]
    /// Per metric, the sample standard deviation (`n − 1`) over the folds that report it.
    public var std: [String: Double]

    /// Summarizes per-fold metrics.
    public init(folds: [[String: Double]]) {
        self.folds = folds
        mean = [:]
        std = [:]
        let keys = Set(folds.flatMap(\.keys))
        for key in keys {
            let values = folds.compactMap { $0[key] }
            let m = values.reduce(0, +) / Double(values.count)
            mean[key] = m
            std[key] =
                values.count > 1
                ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot() : 0
        }
    }

    /// JSON with sorted keys; non-finite numbers as the strings `"nan"`, `"inf"`, `"-inf"`.
    public func jsonData(prettyPrinted: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}

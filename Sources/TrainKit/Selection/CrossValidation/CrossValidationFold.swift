import TrainKitCore
import TrainKitData

/// Which rows one cross-validation fold trains and validates on.
public struct CrossValidationSplit: Sendable, Hashable, Codable {
    /// The position over all repetitions: `repetition · k + fold`.
    public var index: Int
    /// The repetition (0-based; repeated CV reshuffles each time).
    public var repetition: Int
    /// The fold within its repetition (0-based).
    public var fold: Int
    /// Rows to train on (ascending).
    public var train: [Int]
    /// Rows to validate on (ascending), disjoint from `train`.
    public var validation: [Int]
    /// Seeds the fold's model: `CrossValidation.run`
    /// calls `Random.seed(seed)` before the fold's closure, so each fold starts from its own reproducible weights.
    public var seed: UInt64
}

/// One fold handed to the cross-validation closure: its train and validation subsets of the dataset.
///
/// Fit every data-dependent step (scalers, encoders, vocabularies) on ``train`` only and apply it to both;
/// ``standardized()`` does this for a ``StandardScaler``.
public struct CrossValidationFold<Base: Dataset>: Sendable where Base.Element == Sample {
    /// The rows and seed of this fold.
    public let split: CrossValidationSplit
    /// The rows to train on (and to fit preprocessing on).
    public let train: Subset<Base>
    /// The held-out rows to score on.
    public let validation: Subset<Base>

    /// The fold `split` of `dataset`.
    public init(split: CrossValidationSplit, dataset: Base) {
        self.split = split
        train = dataset.subset(split.train)
        validation = dataset.subset(split.validation)
    }

    /// The fold's position over all repetitions: `repetition · k + fold`.
    public var index: Int { split.index }

    /// The fold's seed (see ``CrossValidationSplit/seed``).
    public var seed: UInt64 { split.seed }

    /// Both parts as tensor datasets with features standardized by a ``StandardScaler`` fitted on the train part
    /// only: `x' = (x − μ_train) / σ_train`, applied to train and validation alike. Features must be `[F]` per row.
    /// - Returns: the scaled parts and the scaler (whose `mean` is the train part's feature mean).
    public func standardized() -> (train: TensorDataset, validation: TensorDataset, scaler: StandardScaler) {
        let trainBatch = train.batch(at: Array(0..<train.count))
        let validationBatch = validation.batch(at: Array(0..<validation.count))
        let scaler = StandardScaler.fit(trainBatch.features)
        return (
            TensorDataset(features: scaler.transform(trainBatch.features), labels: trainBatch.labels),
            TensorDataset(features: scaler.transform(validationBatch.features), labels: validationBatch.labels),
            scaler
        )
    }
}

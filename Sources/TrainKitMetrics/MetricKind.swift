import TrainKitCore

/// A metric by name, for APIs that take a list of metrics (`Trainer(…, metrics: [.accuracy, .f1(.macro)])`).
///
/// Each case makes a fresh metric with default settings (``makeMetric()``); for other settings construct the
/// metric itself and wrap it in ``custom(_:)``. Classification cases read predictions as labels `[N]`,
/// scores `[N, C]` (arg-max) or binary probabilities `[N]` (threshold 0.5); ``rocAUC`` and ``logLoss``
/// expect probabilities (use `.custom(LogLoss(fromLogits: true))` for logits).
public enum MetricKind: Sendable {
    /// ``Accuracy``, the fraction of correct labels.
    case accuracy
    /// ``TopKAccuracy`` with this `k`.
    case topK(Int)
    /// ``Precision`` averaged as given.
    case precision(ClassAverage)
    /// ``Recall`` averaged as given.
    case recall(ClassAverage)
    /// ``F1Score`` averaged as given.
    case f1(ClassAverage)
    /// ``ConfusionMatrix`` over the sorted labels seen (a tensor value).
    case confusionMatrix
    /// ``ROCAUC``: binary, or one-vs-rest macro for `[N, C]` scores.
    case rocAUC
    /// ``LogLoss`` of probabilities, mean over samples.
    case logLoss
    /// ``MeanSquaredError``, uniform average over outputs.
    case mse
    /// ``RootMeanSquaredError``, uniform average over outputs.
    case rmse
    /// ``MeanAbsoluteError``, uniform average over outputs.
    case mae
    /// ``R2Score``, uniform average over outputs.
    case r2
    /// ``ExplainedVariance``, uniform average over outputs.
    case explainedVariance
    /// A metric configured by the caller (it is copied, so every use starts from its state).
    case custom(any Metric)

    /// A fresh metric of this kind.
    public func makeMetric() -> any Metric {
        switch self {
        case .accuracy: Accuracy()
        case .topK(let k): TopKAccuracy(k: k)
        case .precision(let average): Precision(average: average)
        case .recall(let average): Recall(average: average)
        case .f1(let average): F1Score(average: average)
        case .confusionMatrix: ConfusionMatrix()
        case .rocAUC: ROCAUC()
        case .logLoss: LogLoss()
        case .mse: MeanSquaredError()
        case .rmse: RootMeanSquaredError()
        case .mae: MeanAbsoluteError()
        case .r2: R2Score()
        case .explainedVariance: ExplainedVariance()
        case .custom(let metric): metric
        }
    }

    /// The name the metric reports under (`"accuracy"`, `"f1_macro"`, `"top_5_accuracy"`, …).
    public var name: String { makeMetric().name }
}

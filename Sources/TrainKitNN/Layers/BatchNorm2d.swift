import TrainKitCore

/// Batch normalisation over `[N, C, H, W]` inputs (PyTorch's `BatchNorm2d`): statistics per channel over
/// N, H and W; otherwise as ``BatchNorm1d``.
public final class BatchNorm2d: Layer {
    public let moduleState = ModuleState()
    public let weight: Parameter?
    public let bias: Parameter?
    public let runningMean: Buffer?
    public let runningVar: Buffer?
    public let numBatchesTracked: Buffer?

    /// PyTorch's names: `weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked` (``batchNormEntries``).
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            batchNormEntries(weight: weight, bias: bias, mean: runningMean, variance: runningVar,
                             count: numBatchesTracked)
        }
    }

    /// The names before TrainKit took PyTorch's: `runningMean`, `runningVar`, `numBatchesTracked`.
    public var legacyEntryNames: [(legacy: String, current: String)] { batchNormLegacyNames }
    public let eps: Double
    public let momentum: Double?

    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true, dtype: DType = .float32) {
        let parts = BatchNormParts(numFeatures, affine: affine, trackRunningStats: trackRunningStats, dtype: dtype)
        (weight, bias, runningMean, runningVar, numBatchesTracked) = (parts.weight, parts.bias, parts.mean, parts.variance, parts.count)
        self.eps = eps
        self.momentum = momentum
    }

    /// Builds the layer from existing tensors (`[C]` each); running statistics start at 0 and 1.
    public init(weight: Tensor?, bias: Tensor?, runningMean: Tensor? = nil, runningVar: Tensor? = nil,
                eps: Double = 1e-5, momentum: Double? = 0.1) {
        let parts = BatchNormParts(weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar)
        (self.weight, self.bias, self.runningMean, self.runningVar, numBatchesTracked) = (parts.weight, parts.bias, parts.mean, parts.variance, parts.count)
        self.eps = eps
        self.momentum = momentum
    }

    public func forward(_ x: Tensor) -> Tensor {
        let c = BatchNormParts.channels(weight: weight, runningMean: runningMean)
        precondition(x.rank == 4 && (c == nil || x.shape[1] == c!),
                     inputShapeMessage(expected: "[N, \(c.map(String.init) ?? "C"), H, W]", got: x.shape))
        return BatchNormParts.forward(x, weight: weight, bias: bias, mean: runningMean, variance: runningVar,
                                      count: numBatchesTracked, training: isTraining, momentum: momentum, eps: eps)
    }
}

import TrainKitCore

/// The state BatchNorm1d and BatchNorm2d share, and their forward pass.
struct BatchNormParts {
    var weight, bias: Parameter?
    var mean, variance, count: Buffer?

    init(_ c: Int, affine: Bool, trackRunningStats: Bool, dtype: DType) {
        weight = affine ? Parameter(.ones([c], dtype: dtype)) : nil
        bias = affine ? Parameter(.zeros([c], dtype: dtype)) : nil
        if trackRunningStats {
            mean = Buffer(.zeros([c], dtype: dtype))
            variance = Buffer(.ones([c], dtype: dtype))
            count = Buffer(.zeros([], dtype: .int64))
        }
    }

    init(weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?) {
        guard let c = weight?.shape.first ?? runningMean?.shape.first else {
            preconditionFailure("BatchNorm: needs a weight or running statistics to know the channel count")
        }
        let dtype = weight?.dtype ?? runningMean!.dtype
        self.weight = weight.map(Parameter.init)
        self.bias = bias.map(Parameter.init)
        mean = Buffer(runningMean ?? .zeros([c], dtype: dtype))
        variance = Buffer(runningVar ?? .ones([c], dtype: dtype))
        count = Buffer(.zeros([], dtype: .int64))
    }

    static func channels(weight: Parameter?, runningMean: Buffer?) -> Int? {
        weight?.shape.first ?? runningMean?.shape.first
    }

    static func forward(_ x: Tensor, weight: Parameter?, bias: Parameter?, mean: Buffer?, variance: Buffer?,
                        count: Buffer?, training: Bool, momentum: Double?, eps: Double) -> Tensor {
        var factor = momentum ?? 0
        if training, let count {
            count.value = count.value + 1  // on the device
            // The cumulative average (no momentum) needs the count as a number: one scalar read per step.
            if momentum == nil { factor = 1 / count.value.item() }
        }
        let result = batchNorm(x, runningMean: mean?.value, runningVar: variance?.value, weight: weight?.value,
                               bias: bias?.value, training: training, momentum: factor, eps: eps)
        if training, let mean, let variance, let m = result.runningMean, let v = result.runningVar {
            mean.value = m
            variance.value = v
        }
        return result.output
    }
}

/// BatchNorm's entries under PyTorch's names; the absent ones (no affine, no running statistics) are left out.
func batchNormEntries(weight: Parameter?, bias: Parameter?, mean: Buffer?, variance: Buffer?, count: Buffer?)
    -> [(name: String, entry: ModuleEntry)]
{
    declaredEntries(("weight", weight.map(ModuleEntry.parameter)), ("bias", bias.map(ModuleEntry.parameter)),
                    ("running_mean", mean.map(ModuleEntry.buffer)), ("running_var", variance.map(ModuleEntry.buffer)),
                    ("num_batches_tracked", count.map(ModuleEntry.buffer)))
}

/// BatchNorm's buffer names before TrainKit took PyTorch's (the Swift property names).
let batchNormLegacyNames: [(legacy: String, current: String)] = [
    ("weight", "weight"), ("bias", "bias"), ("runningMean", "running_mean"), ("runningVar", "running_var"),
    ("numBatchesTracked", "num_batches_tracked"),
]

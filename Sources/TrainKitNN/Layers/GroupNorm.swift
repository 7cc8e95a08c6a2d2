import TrainKitCore

/// Group normalisation: the `C` channels are split into `numGroups` contiguous groups, each sample and
/// group is normalised with its own mean and biased variance, then `· weight[c] + bias[c]`.
///
/// Shapes: `[N, C, *] -> same`. `weight` (ones) and `bias` (zeros) are `[C]`.
public final class GroupNorm: Layer {
    public let moduleState = ModuleState()
    public let weight: Parameter?
    public let bias: Parameter?

    /// PyTorch's names: `weight`, `bias` (absent without affine parameters).
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            declaredEntries(("weight", weight.map(ModuleEntry.parameter)), ("bias", bias.map(ModuleEntry.parameter)))
        }
    }
    public let numGroups: Int
    public let numChannels: Int
    public let eps: Double

    public init(_ numGroups: Int, _ numChannels: Int, eps: Double = 1e-5, affine: Bool = true, dtype: DType = .float32) {
        precondition(numGroups > 0 && numChannels % numGroups == 0,
                     "GroupNorm: \(numChannels) channels are not divisible by \(numGroups) groups")
        self.numGroups = numGroups
        self.numChannels = numChannels
        self.eps = eps
        weight = affine ? Parameter(.ones([numChannels], dtype: dtype)) : nil
        bias = affine ? Parameter(.zeros([numChannels], dtype: dtype)) : nil
    }

    /// Builds the layer from existing `[C]` tensors.
    public init(_ numGroups: Int, weight: Tensor, bias: Tensor, eps: Double = 1e-5) {
        precondition(weight.rank == 1 && weight.shape[0] % numGroups == 0,
                     "GroupNorm: weight \(weight.shape) does not split into \(numGroups) groups")
        self.numGroups = numGroups
        numChannels = weight.shape[0]
        self.eps = eps
        self.weight = Parameter(weight)
        self.bias = Parameter(bias)
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 2 && x.shape[1] == numChannels, inputShapeMessage(expected: "[N, \(numChannels), *]", got: x.shape))
        return groupNorm(x, numGroups: numGroups, weight: weight?.value, bias: bias?.value, eps: eps)
    }
}

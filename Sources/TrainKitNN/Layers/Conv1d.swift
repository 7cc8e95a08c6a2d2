import TrainKitCore

/// 1-d convolution (cross-correlation) with stride, zero padding, dilation and groups.
///
/// Shapes: `[N, Cin, L] -> [N, Cout, oL]`, `oL = ⌊(L + 2p - d(k-1) - 1)/s⌋ + 1`. `weight` is
/// `[Cout, Cin/groups, k]`, `bias` `[Cout]`; both start from `U(-b, b)`, `b = 1/√(Cin/groups · k)`.
public final class Conv1d: Layer {
    public let moduleState = ModuleState()
    public let weight: Parameter
    public let bias: Parameter?

    /// PyTorch's names: `weight`, `bias` (absent without a bias).
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            declaredEntries(("weight", .parameter(weight)), ("bias", bias.map(ModuleEntry.parameter)))
        }
    }
    public let stride: Int
    public let padding: Int
    public let dilation: Int
    public let groups: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, key: RandomKey? = nil, dtype: DType = .float32) {
        precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv1d: channels \(inChannels) -> \(outChannels) are not divisible by groups = \(groups)")
        let shape = [outChannels, inChannels / groups, kernelSize]
        let (w, b) = defaultWeightAndBias(shape, fanIn: shape[1] * kernelSize, bias: bias, key: key, dtype: dtype)
        weight = Parameter(w)
        self.bias = b.map(Parameter.init)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// Builds the layer from existing tensors: weight `[Cout, Cin/groups, k]`, bias `[Cout]`.
    public init(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        precondition(weight.rank == 3, "Conv1d: weight must be [Cout, Cin/groups, k], got \(weight.shape)")
        self.weight = Parameter(weight)
        self.bias = bias.map(Parameter.init)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    public var inChannels: Int { weight.shape[1] * groups }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[1] == inChannels, inputShapeMessage(expected: "[N, \(inChannels), L]", got: x.shape))
        return conv1d(x, weight: weight.value, bias: bias?.value, stride: stride, padding: padding, dilation: dilation,
                      groups: groups)
    }
}

import TrainKitCore

/// 2-d convolution (cross-correlation) with stride, zero padding, dilation and groups:
/// `y[n, o] = bias[o] + Σ_{c ∈ group(o)} weight[o, c] ⋆ x[n, c]`.
///
/// Shapes: `[N, Cin, H, W] -> [N, Cout, oH, oW]`, `oH = ⌊(H + 2p - d(k-1) - 1)/s⌋ + 1` (same for W).
/// `weight` is `[Cout, Cin/groups, kH, kW]`, `bias` `[Cout]`; both start from `U(-k, k)`,
/// `k = 1/√(Cin/groups · kH · kW)` (PyTorch's default). Computed as im2col + GEMM.
///
/// - Parameters:
///   - inChannels, outChannels: channel counts (both divisible by `groups`).
///   - kernelSize, stride, padding, dilation: an integer for both dimensions, or `[h, w]`.
///
/// ```swift
/// let conv = Conv2d(1, 6, kernelSize: 5, padding: 2)
/// conv(Tensor.zeros([8, 1, 28, 28])).shape   // [8, 6, 28, 28]
/// ```
public final class Conv2d: Layer {
    public let moduleState = ModuleState()
    public let weight: Parameter
    public let bias: Parameter?

    /// PyTorch's names: `weight`, `bias` (absent without a bias).
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            declaredEntries(("weight", .parameter(weight)), ("bias", bias.map(ModuleEntry.parameter)))
        }
    }
    public let stride: Size2d
    public let padding: Size2d
    public let dilation: Size2d
    public let groups: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Size2d, stride: Size2d = 1, padding: Size2d = 0,
                dilation: Size2d = 1, groups: Int = 1, bias: Bool = true, key: RandomKey? = nil, dtype: DType = .float32) {
        precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv2d: channels \(inChannels) -> \(outChannels) are not divisible by groups = \(groups)")
        let shape = [outChannels, inChannels / groups, kernelSize.height, kernelSize.width]
        let (w, b) = defaultWeightAndBias(shape, fanIn: shape[1...].reduce(1, *), bias: bias, key: key, dtype: dtype)
        weight = Parameter(w)
        self.bias = b.map(Parameter.init)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// Builds the layer from existing tensors: weight `[Cout, Cin/groups, kH, kW]`, bias `[Cout]`.
    public init(weight: Tensor, bias: Tensor? = nil, stride: Size2d = 1, padding: Size2d = 0, dilation: Size2d = 1,
                groups: Int = 1) {
        precondition(weight.rank == 4, "Conv2d: weight must be [Cout, Cin/groups, kH, kW], got \(weight.shape)")
        self.weight = Parameter(weight)
        self.bias = bias.map(Parameter.init)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    public var inChannels: Int { weight.shape[1] * groups }
    public var outChannels: Int { weight.shape[0] }

    public func forward(_ x: Tensor) -> Tensor { callAsFunction(x, relu: false) }

    /// `relu(self(x))` in one op (``Sequential`` uses it for a `Conv2d` followed by `ReLU`).
    func callAsFunction(_ x: Tensor, relu: Bool) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == inChannels,
                     inputShapeMessage(expected: "[N, \(inChannels), H, W]", got: x.shape))
        return conv2d(x, weight: weight.value, bias: bias?.value, stride: stride, padding: padding, dilation: dilation,
                      groups: groups, relu: relu)
    }
}

/// PyTorch's default for Linear/Conv: weight and bias from `U(-1/√fanIn, 1/√fanIn)`.
func defaultWeightAndBias(_ shape: [Int], fanIn: Int, bias: Bool, key: RandomKey?, dtype: DType) -> (Tensor, Tensor?) {
    let keys = (key ?? Random.nextKey()).split(2)
    let k = 1 / Double(Swift.max(fanIn, 1)).squareRoot()
    let w = Tensor.uniform(shape, low: -k, high: k, key: keys[0], dtype: dtype)
    let b = bias ? Tensor.uniform([shape[0]], low: -k, high: k, key: keys[1], dtype: dtype) : nil
    return (w, b)
}

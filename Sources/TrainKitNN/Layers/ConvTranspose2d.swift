import TrainKitCore

/// 2-d transposed convolution (the gradient of Conv2d with respect to its input), used to upsample.
///
/// Shapes: `[N, Cin, H, W] -> [N, Cout, oH, oW]`, `oH = (H-1)·s - 2p + d(k-1) + outputPadding + 1`.
/// `weight` is `[Cin, Cout/groups, kH, kW]` (note: in-channels first), `bias` `[Cout]`; both start from
/// `U(-b, b)`, `b = 1/√(Cout/groups · kH · kW)` (PyTorch computes the fan from `weight.shape[1]`).
public final class ConvTranspose2d: Layer {
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
    public let outputPadding: Size2d
    public let dilation: Size2d
    public let groups: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Size2d, stride: Size2d = 1, padding: Size2d = 0,
                outputPadding: Size2d = 0, groups: Int = 1, bias: Bool = true, dilation: Size2d = 1,
                key: RandomKey? = nil, dtype: DType = .float32) {
        precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "ConvTranspose2d: channels \(inChannels) -> \(outChannels) are not divisible by groups = \(groups)")
        let shape = [inChannels, outChannels / groups, kernelSize.height, kernelSize.width]
        let keys = (key ?? Random.nextKey()).split(2)
        let k = 1 / Double(shape[1...].reduce(1, *)).squareRoot()
        weight = Parameter(Tensor.uniform(shape, low: -k, high: k, key: keys[0], dtype: dtype))
        self.bias = bias ? Parameter(Tensor.uniform([outChannels], low: -k, high: k, key: keys[1], dtype: dtype)) : nil
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
    }

    /// Builds the layer from existing tensors: weight `[Cin, Cout/groups, kH, kW]`, bias `[Cout]`.
    public init(weight: Tensor, bias: Tensor? = nil, stride: Size2d = 1, padding: Size2d = 0,
                outputPadding: Size2d = 0, groups: Int = 1, dilation: Size2d = 1) {
        precondition(weight.rank == 4, "ConvTranspose2d: weight must be [Cin, Cout/groups, kH, kW], got \(weight.shape)")
        self.weight = Parameter(weight)
        self.bias = bias.map(Parameter.init)
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
    }

    public var inChannels: Int { weight.shape[0] }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == inChannels,
                     inputShapeMessage(expected: "[N, \(inChannels), H, W]", got: x.shape))
        return convTranspose2d(x, weight: weight.value, bias: bias?.value, stride: stride, padding: padding,
                               outputPadding: outputPadding, groups: groups, dilation: dilation)
    }
}

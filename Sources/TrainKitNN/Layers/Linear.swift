import TrainKitCore

/// Applies `y = x · weightᵀ + bias` over the last dimension.
///
/// Shapes: `[*, inputDimensions] -> [*, outputDimensions]`. `weight` is `[outputDimensions,
/// inputDimensions]`, `bias` `[outputDimensions]`; both start from `U(-k, k)`, `k = 1/√inputDimensions`
/// (PyTorch's default: Kaiming uniform with `a = √5`).
///
/// - Parameters:
///   - inputDimensions: size of each input's last dimension.
///   - outputDimensions: size of each output's last dimension.
///   - bias: whether to add a learned bias.
///   - key: random key for the initial values (default: the global stream).
///
/// ```swift
/// let fc = Linear(784, 10)
/// let y = fc(Tensor.zeros([32, 784]))   // [32, 10]
/// ```
public final class Linear: Layer {
    public let moduleState = ModuleState()
    public let weight: Parameter
    public let bias: Parameter?

    /// PyTorch's names: `weight`, `bias` (absent without a bias).
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            declaredEntries(("weight", .parameter(weight)), ("bias", bias.map(ModuleEntry.parameter)))
        }
    }

    public init(_ inputDimensions: Int, _ outputDimensions: Int, bias: Bool = true, key: RandomKey? = nil,
                dtype: DType = .float32) {
        let keys = (key ?? Random.nextKey()).split(2)
        let k = 1 / Double(inputDimensions).squareRoot()
        weight = Parameter(Tensor.uniform([outputDimensions, inputDimensions], low: -k, high: k, key: keys[0], dtype: dtype))
        self.bias = bias ? Parameter(Tensor.uniform([outputDimensions], low: -k, high: k, key: keys[1], dtype: dtype)) : nil
    }

    /// Builds the layer from existing tensors (checkpoints, test fixtures).
    public init(weight: Tensor, bias: Tensor? = nil) {
        precondition(weight.rank == 2, "Linear: weight must be [out, in], got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[0]],
                     "Linear: bias shape \(bias!.shape) does not match weight \(weight.shape)")
        self.weight = Parameter(weight)
        self.bias = bias.map(Parameter.init)
    }

    public var inputDimensions: Int { weight.shape[1] }
    public var outputDimensions: Int { weight.shape[0] }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 1 && x.shape[x.rank - 1] == inputDimensions,
                     inputShapeMessage(expected: "[*, \(inputDimensions)]", got: x.shape))
        return Tensor.linear(x, weight: weight.value, bias: bias?.value)
    }
}

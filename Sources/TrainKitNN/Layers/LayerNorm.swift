import TrainKitCore

/// Layer normalisation over the last dimensions:
/// `y = (x - μ) / √(σ² + ε) · weight + bias`, with `μ`, `σ²` (biased) over the trailing `normalizedShape`.
///
/// Shapes: `[*, normalizedShape…] -> same`. `weight` (ones) and `bias` (zeros) have `normalizedShape`.
///
/// ```swift
/// let norm = LayerNorm(512)
/// ```
public final class LayerNorm: Layer {
    public let moduleState = ModuleState()
    public let weight: Parameter?
    public let bias: Parameter?

    /// PyTorch's names: `weight`, `bias` (absent without affine parameters).
    public var ownEntries: [(name: String, entry: ModuleEntry)] {
        moduleState.entries {
            declaredEntries(("weight", weight.map(ModuleEntry.parameter)), ("bias", bias.map(ModuleEntry.parameter)))
        }
    }
    public let normalizedShape: [Int]
    public let eps: Double

    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true,
                dtype: DType = .float32) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? Parameter(.ones(normalizedShape, dtype: dtype)) : nil
        self.bias = elementwiseAffine && bias ? Parameter(.zeros(normalizedShape, dtype: dtype)) : nil
    }

    public convenience init(_ size: Int, eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true,
                            dtype: DType = .float32) {
        self.init([size], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias, dtype: dtype)
    }

    /// Builds the layer from existing tensors (both shaped `normalizedShape`).
    public init(weight: Tensor?, bias: Tensor?, normalizedShape: [Int]? = nil, eps: Double = 1e-5) {
        guard let shape = normalizedShape ?? weight?.shape ?? bias?.shape else {
            preconditionFailure("LayerNorm: needs a weight, a bias or normalizedShape")
        }
        self.normalizedShape = shape
        self.eps = eps
        self.weight = weight.map(Parameter.init)
        self.bias = bias.map(Parameter.init)
    }

    public func forward(_ x: Tensor) -> Tensor {
        let k = normalizedShape.count
        precondition(x.rank >= k && Array(x.shape.suffix(k)) == normalizedShape,
                     inputShapeMessage(expected: "[*, \(normalizedShape.map(String.init).joined(separator: ", "))]", got: x.shape))
        return layerNorm(x, normalizedShape: normalizedShape, weight: weight?.value, bias: bias?.value, eps: eps)
    }
}

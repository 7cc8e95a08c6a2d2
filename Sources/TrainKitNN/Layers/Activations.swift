import TrainKitCore

// Activation layers: element-wise, shape `[*] -> [*]`, no parameters. Each applies the function of the
// same name (see Activations+Functions.swift).

/// `y = max(x, 0)`.
public final class ReLU: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public init() {}
    public func forward(_ x: Tensor) -> Tensor { x.relu() }
}

/// `y = x` for `x > 0`, else `negativeSlope · x`.
public final class LeakyReLU: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let negativeSlope: Double
    public init(negativeSlope: Double = 0.01) { self.negativeSlope = negativeSlope }
    public func forward(_ x: Tensor) -> Tensor { x.leakyRelu(negativeSlope: negativeSlope) }
}

/// `y = x` for `x > 0`, else `α(eˣ - 1)`.
public final class ELU: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let alpha: Double
    public init(alpha: Double = 1) { self.alpha = alpha }
    public func forward(_ x: Tensor) -> Tensor { x.elu(alpha: alpha) }
}

/// `y = x·Φ(x)` (exact), or with `approximate` the tanh form `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`.
public final class GELU: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let approximate: Bool
    public init(approximate: Bool = false) { self.approximate = approximate }
    public func forward(_ x: Tensor) -> Tensor { x.gelu(approximate: approximate) }
}

/// `y = 1 / (1 + e⁻ˣ)`.
public final class Sigmoid: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public init() {}
    public func forward(_ x: Tensor) -> Tensor { x.sigmoid() }
}

/// `y = tanh(x)`.
public final class Tanh: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public init() {}
    public func forward(_ x: Tensor) -> Tensor { x.tanh() }
}

/// `y = log(1 + e^(βx)) / β`, or `x` where `βx > threshold`.
public final class Softplus: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let beta: Double
    public let threshold: Double
    public init(beta: Double = 1, threshold: Double = 20) {
        self.beta = beta
        self.threshold = threshold
    }
    public func forward(_ x: Tensor) -> Tensor { x.softplus(beta: beta, threshold: threshold) }
}

/// `y = x · σ(x)`.
public final class SiLU: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public init() {}
    public func forward(_ x: Tensor) -> Tensor { x.silu() }
}

/// `yᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)` along `dim`.
public final class Softmax: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let dim: Int
    public init(dim: Int = -1) { self.dim = dim }
    public func forward(_ x: Tensor) -> Tensor { x.softmax(dim) }
}

/// `yᵢ = xᵢ - log Σⱼ exp(xⱼ)` along `dim`.
public final class LogSoftmax: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let dim: Int
    public init(dim: Int = -1) { self.dim = dim }
    public func forward(_ x: Tensor) -> Tensor { x.logSoftmax(dim) }
}

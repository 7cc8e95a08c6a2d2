import TrainKitCore

// The activations as functions (PyTorch's `torch.nn.functional`); each is the matching `Tensor` method,
// element-wise, any shape.

/// `max(x, 0)`.
public func relu(_ x: Tensor) -> Tensor { x.relu() }
/// `x` for `x > 0`, else `negativeSlope · x`.
public func leakyRelu(_ x: Tensor, negativeSlope: Double = 0.01) -> Tensor { x.leakyRelu(negativeSlope: negativeSlope) }
/// `x` for `x > 0`, else `α(eˣ - 1)`.
public func elu(_ x: Tensor, alpha: Double = 1) -> Tensor { x.elu(alpha: alpha) }
/// `x·Φ(x)` (exact, erf) or, with `approximate`, `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`.
public func gelu(_ x: Tensor, approximate: Bool = false) -> Tensor { x.gelu(approximate: approximate) }
/// `1 / (1 + e⁻ˣ)`.
public func sigmoid(_ x: Tensor) -> Tensor { x.sigmoid() }
/// `tanh(x)`.
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }
/// `log(1 + e^(βx)) / β`, or `x` where `βx > threshold`.
public func softplus(_ x: Tensor, beta: Double = 1, threshold: Double = 20) -> Tensor {
    x.softplus(beta: beta, threshold: threshold)
}
/// `x · σ(x)` (swish).
public func silu(_ x: Tensor) -> Tensor { x.silu() }
/// `exp(xᵢ) / Σⱼ exp(xⱼ)` along `dim`.
public func softmax(_ x: Tensor, dim: Int = -1) -> Tensor { x.softmax(dim) }
/// `xᵢ - log Σⱼ exp(xⱼ)` along `dim`.
public func logSoftmax(_ x: Tensor, dim: Int = -1) -> Tensor { x.logSoftmax(dim) }

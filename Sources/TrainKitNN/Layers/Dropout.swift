import TrainKitCore

/// During training, zeroes each element with probability `p` and scales the rest by `1/(1-p)`:
/// `y = x · m / (1 - p)`, `m ~ Bernoulli(1 - p)`. In evaluation mode `y = x`. Any shape.
///
/// Masks come from `key` (one fresh sub-key per call, so a seeded layer repeats its masks) or, without
/// one, from the global stream (`Random.seed(_:)`).
public final class Dropout: Layer {
    public let moduleState = ModuleState()
    /// None: the layer has no parameters or buffers.
    public var ownEntries: [(name: String, entry: ModuleEntry)] { [] }
    public let p: Double
    private let key: RandomKey?
    private var calls: UInt64 = 0

    public init(p: Double = 0.5, key: RandomKey? = nil) {
        precondition(p >= 0 && p <= 1, "Dropout: p must be in [0, 1], got \(p)")
        self.p = p
        self.key = key
    }

    public func forward(_ x: Tensor) -> Tensor {
        guard isTraining, p > 0 else { return x }
        var callKey: RandomKey? = nil
        if let key {
            let b = key.bits(calls, stream: 0xD0)
            callKey = RandomKey(k0: b.0, k1: b.1)
            calls += 1
        }
        return dropout(x, p: p, training: true, key: callKey)
    }
}

/// Functional dropout: `x · m / (1 - p)` with `m ~ Bernoulli(1 - p)` when `training`, else `x`.
public func dropout(_ x: Tensor, p: Double, training: Bool = true, key: RandomKey? = nil) -> Tensor {
    guard training, p > 0 else { return x }
    if p >= 1 { return x * 0 }
    // Bernoulli(1 - p) on x's device: keep where u < 1 - p, u ~ U[0, 1) (as `Tensor.bernoulli` draws it).
    let u = Tensor.uniform(x.shape, key: key ?? Random.nextKey(), dtype: .float64, device: x.device)
    let mask = (u .< (1 - p)).to(x.dtype)
    return x * (mask * (1 / (1 - p)))
}

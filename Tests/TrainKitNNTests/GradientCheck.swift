import TrainKitCore
import TrainKitTestSupport
@testable import TrainKitNN

/// Float64 finite-difference check of a layer: the gradient with respect to each float input (through
/// ``gradientCheckFailure``) and with respect to every trainable parameter of `module`, for
/// `L = Σ f(x) · w` with a fixed random `w`. Returns nil on success, else the first failure.
func layerGradientFailure(_ module: some Module, inputs: [Tensor], eps: Double = 1e-6, rtol: Double = 1e-4,
                          atol: Double = 1e-6, _ f: ([Tensor]) -> Tensor) -> String? {
    for p in module.parameters {
        precondition(p.detachedValue.dtype == .float64, "layerGradientFailure: parameters must be float64")
    }
    if !inputs.isEmpty, let failure = gradientCheckFailure(inputs, eps: eps, rtol: rtol, atol: atol, f) {
        return "input gradient: \(failure)"
    }
    guard module.parameters.contains(where: \.isTrainable) else { return nil }
    let probe = noGrad { f(inputs) }
    let weight = Tensor.uniform(probe.shape, low: 0.5, high: 1.5, key: RandomKey(seed: 98), dtype: .float64)
    module.zeroGrad()
    (f(inputs) * weight).sum().backward()
    for (name, p) in module.namedParameters where p.isTrainable {
        let analytic = p.grad?.toArray(as: Double.self) ?? [Double](repeating: 0, count: p.count)
        let original = p.detachedValue
        var values = original.toArray(as: Double.self)
        for i in 0..<values.count {
            let v = values[i]
            func lossAt(_ x: Double) -> Double {
                values[i] = x
                p.value = Tensor(values, shape: original.shape)
                return noGrad { (f(inputs) * weight).sum().item() }
            }
            let numeric = (lossAt(v + eps) - lossAt(v - eps)) / (2 * eps)
            values[i] = v
            p.value = original
            if !(abs(numeric - analytic[i]) <= atol + rtol * abs(numeric)) {
                return "parameter \(name) element \(i): analytic \(analytic[i]), numeric \(numeric)"
            }
        }
    }
    module.zeroGrad()
    return nil
}

/// A float64 tensor of uniform values in [low, high) from `seed`.
func randomInput(_ shape: [Int], seed: UInt64, low: Double = -1, high: Double = 1) -> Tensor {
    Tensor.uniform(shape, low: low, high: high, key: RandomKey(seed: seed), dtype: .float64)
}

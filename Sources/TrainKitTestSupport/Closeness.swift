import TrainKitCore

/// NumPy `isclose` over every element: `|a - e| <= atol + rtol·|e|`. Returns nil when all pass, else a
/// message naming the shape mismatch or the worst element (index, actual, expected, allowed).
public func closenessFailure(_ actual: Tensor, _ expected: Tensor, rtol: Double, atol: Double) -> String? {
    guard actual.shape == expected.shape else {
        return "shape \(actual.shape), expected \(expected.shape)"
    }
    let a = actual.toArray(as: Double.self), e = expected.toArray(as: Double.self)
    var worst: (index: Int, excess: Double)? = nil
    for i in 0..<a.count {
        let allowed = atol + rtol * Swift.abs(e[i])
        let diff = Swift.abs(a[i] - e[i])
        if !(diff <= allowed) {
            let excess = diff.isNaN ? .infinity : diff / allowed
            if worst == nil || excess > worst!.excess { worst = (i, excess) }
        }
    }
    guard let worst else { return nil }
    let i = worst.index
    return "element \(i) of \(a.count): actual \(a[i]), expected \(e[i]), |diff| \(Swift.abs(a[i] - e[i])) > allowed \(atol + rtol * Swift.abs(e[i]))"
}

/// Exact equality for integer / bool tensors; nil when equal.
public func exactFailure(_ actual: Tensor, _ expected: Tensor) -> String? {
    guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
    let a = actual.toArray(as: Int64.self), e = expected.toArray(as: Int64.self)
    for i in 0..<a.count where a[i] != e[i] { return "element \(i): actual \(a[i]), expected \(e[i])" }
    return nil
}

/// Float64 finite-difference check of `f` at `inputs` (float64 tensors).
///
/// The analytic gradient of `Σ f(x)·w` (w a fixed random weight, so every output element matters) from
/// `backward()` is compared with central differences `(L(x + h) - L(x - h)) / 2h` for every element of
/// every input. Returns nil on success, else the first failing input and element.
public func gradientCheckFailure(
    _ inputs: [Tensor], eps: Double = 1e-6, rtol: Double = 1e-4, atol: Double = 1e-6,
    _ f: ([Tensor]) -> Tensor
) -> String? {
    precondition(inputs.allSatisfy { $0.dtype == .float64 }, "gradientCheck: inputs must be float64")
    var leaves = inputs.map { t -> Tensor in var c = t.copied(); c.requiresGrad = true; return c }
    let probe = noGrad { f(leaves) }
    let weight = Tensor.uniform(probe.shape, low: 0.5, high: 1.5, key: RandomKey(seed: 99), dtype: .float64)
    let loss = (f(leaves) * weight).sum()
    loss.backward()
    for (k, input) in inputs.enumerated() {
        let analytic = leaves[k].grad?.toArray(as: Double.self) ?? [Double](repeating: 0, count: input.count)
        var values = input.toArray(as: Double.self)
        for i in 0..<values.count {
            let original = values[i]
            func lossAt(_ v: Double) -> Double {
                values[i] = v
                var args = leaves.map { $0.detach() }
                args[k] = Tensor(values, shape: input.shape)
                return noGrad { (f(args) * weight).sum().item() }
            }
            let numeric = (lossAt(original + eps) - lossAt(original - eps)) / (2 * eps)
            values[i] = original
            if !(Swift.abs(numeric - analytic[i]) <= atol + rtol * Swift.abs(numeric)) {
                return "input \(k) element \(i): analytic \(analytic[i]), numeric \(numeric)"
            }
        }
        leaves[k].zeroGrad()
    }
    return nil
}

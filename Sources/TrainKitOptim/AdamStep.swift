import Foundation

/// A rule whose step is PyTorch's `_single_tensor_adam`: `Adam`, and `AdamW` (`decoupledWeightDecay`).
protocol AdamStepRule: AdamFamilyRule {
    var amsgrad: Bool { get }
}

extension AdamStepRule {
    public func update(
        _ value: UnsafeBufferPointer<Float>, into newValue: UnsafeMutableBufferPointer<Float>,
        gradient: UnsafeBufferPointer<Float>,
        state: inout ParameterState
    ) {
        AdamMoments(self).adamStep(value, into: newValue, gradient: gradient, state: &state, amsgrad: amsgrad)
    }
}

extension AdamMoments {
    /// Adam's step: `θ ← θ − (γ / (1 − β1ᵗ)) · m / (sqrt(v̂) / sqrt(1 − β2ᵗ) + ε)`, with `v̂ = max(v̂, v)` kept
    /// in `max_exp_avg_sq` under AMSGrad, else `v̂ = v`.
    func adamStep(
        _ value: UnsafeBufferPointer<Float>, into newValue: UnsafeMutableBufferPointer<Float>,
        gradient: UnsafeBufferPointer<Float>, state: inout ParameterState, amsgrad: Bool
    ) {
        step(
            value, into: newValue, gradient: gradient, state: &state,
            extraBuffer: amsgrad ? "max_exp_avg_sq" : nil
        ) { k, t, _ in
            let biasCorrection1 = 1 - pow(beta1, t)
            let biasCorrection2 = 1 - pow(beta2, t)
            let negStepSize = Float(-(lr / biasCorrection1))
            let correction2Sqrt = Float(pow(biasCorrection2, 0.5))
            let (out, epsilon, maxima) = (k.out, k.epsilon, k.extra)
            @inline(__always) func vector(_ i: Int, _ limit: Int) {
                var (pi, _, mi, second) = k.moments(i, limit)
                if amsgrad {
                    second = nanMaximum(load(maxima!, i, limit), second)
                    store(second, maxima!, i, limit)
                }
                let denom = squareRoot(second) / correction2Sqrt + epsilon
                store(pi + negStepSize * mi / denom, out, i, limit)
            }
            FusedLoop.forEachChunk(k.count) { range in FusedLoop.vectors(range, vector) }
        }
    }
}

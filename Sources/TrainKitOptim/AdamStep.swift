import Foundation
import TrainKitCore

/// A rule whose step is PyTorch's `_single_tensor_adam`: `Adam`, and `AdamW` (`decoupledWeightDecay`).
protocol AdamStepRule: AdamFamilyRule, FusedUpdateRule {
    var amsgrad: Bool { get }
}

extension AdamStepRule {
    public func composedUpdate(_ value: Tensor, gradient: Tensor, state: inout ParameterState) -> Tensor {
        AdamMoments(self).composedAdamStep(value, gradient: gradient, state: &state, amsgrad: amsgrad)
    }

    func fusedUpdate(_ step: FusedOperands, state: inout ParameterState) {
        AdamMoments(self).adamStep(step, state: &state, amsgrad: amsgrad)
    }
}

extension AdamMoments {
    /// The scalars of Adam's step t: −γ/(1 − β1ᵗ) and sqrt(1 − β2ᵗ).
    func adamScalars(_ t: Double) -> (negStepSize: Double, correction2Sqrt: Double) {
        (-(lr / (1 - pow(beta1, t))), pow(1 - pow(beta2, t), 0.5))
    }

    /// Adam's step: `θ ← θ − (γ / (1 − β1ᵗ)) · m / (sqrt(v̂) / sqrt(1 − β2ᵗ) + ε)`, with `v̂ = max(v̂, v)` kept
    /// in `maxExpAvgSq` under AMSGrad, else `v̂ = v`.
    func composedAdamStep(_ value: Tensor, gradient: Tensor, state: inout ParameterState, amsgrad: Bool) -> Tensor {
        let (p, g, m, t) = composedMoments(value, gradient: gradient, state: &state)
        var second = composedSecondMoment(g, state: &state)
        if amsgrad {
            second = (state.maxExpAvgSq ?? second.zerosLike()).nanMaximum(second)
            state.maxExpAvgSq = second
        }
        let (negStepSize, correction2Sqrt) = adamScalars(t)
        let denom = second.sqrt().divided(by: correction2Sqrt) + eps
        return p + m * negStepSize / denom
    }

    /// The fused form of `composedAdamStep`.
    func adamStep(_ operands: FusedOperands, state: inout ParameterState, amsgrad: Bool) {
        step(operands, state: &state, extra: amsgrad ? \.maxExpAvgSq : nil) { k, t, _ in
            let (negStep, correction2) = adamScalars(t)
            let negStepSize = Float(negStep)
            let correction2Sqrt = Float(correction2)
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
            FusedLoop.forEachChunk(k.count) { range in
                // AVX-512 in C where the CPU has it (16 lanes; bit-identical to this loop), else 4-lane Swift.
                if k.adamStepInC(range, negStepSize: negStepSize, correction2Sqrt: correction2Sqrt) { return }
                FusedLoop.vectors(range, vector)
            }
        }
    }
}

import Foundation

/// The step shared by `Adam` and `AdamW` (PyTorch's `_single_tensor_adam`; AdamW is `decoupled = true`).
struct AdamKernel {
    var lr: Double
    var beta1: Double
    var beta2: Double
    var eps: Double
    var weightDecay: Double
    var amsgrad: Bool
    var decoupled: Bool

    func update(
        _ value: UnsafeBufferPointer<Float>, into newValue: UnsafeMutableBufferPointer<Float>,
        gradient: UnsafeBufferPointer<Float>,
        state: inout ParameterState
    ) {
        let n = value.count
        state.step += 1
        let t = Double(state.step)
        var m = state.take("exp_avg", count: n)
        var v = state.take("exp_avg_sq", count: n)
        var vMax = amsgrad ? state.take("max_exp_avg_sq", count: n) : []

        // Scalars in Double as PyTorch's Python code computes them, then rounded to float32 by the kernels.
        let coupled = weightDecay != 0 && !decoupled
        let decays = weightDecay != 0 && decoupled
        let wd = Float(weightDecay)
        let shrink = Float(1 - lr * weightDecay)
        let w1 = Float(1 - beta1)
        let small = isSmallLerpWeight(w1)
        let b2 = Float(beta2)
        let w2 = Float(1 - beta2)
        let biasCorrection1 = 1 - pow(beta1, t)
        let biasCorrection2 = 1 - pow(beta2, t)
        let negStepSize = Float(-(lr / biasCorrection1))
        let correction2Sqrt = Float(pow(biasCorrection2, 0.5))
        let epsilon = Float(eps)
        let amsgrad = amsgrad

        let p = value.baseAddress!
        let out = newValue.baseAddress!
        let g = gradient.baseAddress!
        m.withUnsafeMutableBufferPointer { mBuffer in
            v.withUnsafeMutableBufferPointer { vBuffer in
                vMax.withUnsafeMutableBufferPointer { maxBuffer in
                    let m = mBuffer.baseAddress!
                    let v = vBuffer.baseAddress!
                    let vMax = maxBuffer.baseAddress
                    FusedLoop.forEachChunk(n) { range in
                        FusedLoop.vectors(range) { i, limit in
                            var pi = load(p, i, limit)
                            if decays { pi = pi * shrink }
                            var gi = load(g, i, limit)
                            if coupled { gi = gi + wd * pi }
                            let mi = lerp(load(m, i, limit), gi, w1, small: small)
                            var vi = load(v, i, limit) * b2
                            vi = vi + w2 * gi * gi
                            store(mi, m, i, limit)
                            store(vi, v, i, limit)
                            var second = vi
                            if amsgrad {
                                second = nanMaximum(load(vMax!, i, limit), vi)
                                store(second, vMax!, i, limit)
                            }
                            let denom = squareRoot(second) / correction2Sqrt + epsilon
                            store(pi + negStepSize * mi / denom, out, i, limit)
                        }
                    }
                }
            }
        }
        state.buffers["exp_avg"] = m
        state.buffers["exp_avg_sq"] = v
        if amsgrad { state.buffers["max_exp_avg_sq"] = vMax }
    }
}

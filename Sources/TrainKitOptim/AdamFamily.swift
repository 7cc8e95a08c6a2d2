import CTrainKitKernels
import TrainKitCore

/// What `Adam`, `AdamW`, `NAdam`, `RAdam` and `Adamax` share: their hyperparameters (β1 is the cycled momentum)
/// and, through `AdamMoments`, the start of every step.
protocol AdamFamilyRule: MomentumCyclingRule {
    var beta1: Double { get set }
    var beta2: Double { get }
    var eps: Double { get }
    /// Whether λ shrinks the parameter by γλ (AdamW) instead of adding λθ to the gradient (L2).
    var decoupledWeightDecay: Bool { get }
}

extension AdamFamilyRule {
    static var cycledMomentum: WritableKeyPath<Self, Double> { \.beta1 }
}

/// The start of an Adam-family step, in PyTorch's `_single_tensor_*` order: t ← t + 1; θ ← θ·(1 − γλ) when the
/// decay is decoupled, else g ← g + λθ; m ← lerp(m, g, 1 − β1); then the second moment.
///
/// The composed form is `composedMoments`, which returns θ, g and m as tensors for the rule to finish. The fused
/// form: a rule's `fusedUpdate` calls `step`, which takes the state tensors and hands `body` a `Kernel` over them.
/// `body` computes the rule's scalars and runs its fused loop: an `@inline(__always)` local `vector(i, limit)`
/// that starts with `kernel.moments(i, limit)`, passed to `FusedLoop.vectors` inside `FusedLoop.forEachChunk`.
/// Each rule writes that loop itself, in non-generic code: a closure specialized from a generic context does not
/// inline the `_mm_sqrt_ps` of `squareRoot`. Scalars the loop uses after its stores (`out`, `epsilon`) are
/// copied to locals first, which keeps them in registers.
struct AdamMoments {
    let lr: Double
    let beta1: Double
    let beta2: Double
    let eps: Double
    let weightDecay: Double
    let decoupled: Bool

    init(_ rule: some AdamFamilyRule) {
        lr = rule.lr
        beta1 = rule.beta1
        beta2 = rule.beta2
        eps = rule.eps
        weightDecay = rule.weightDecay
        decoupled = rule.decoupledWeightDecay
    }

    /// The composed start of a step: advances `state.step`, applies the weight decay, and updates m
    /// (`expAvg`). Returns θ (shrunk when decoupled), g (plus λθ when coupled), m and t.
    func composedMoments(_ value: Tensor, gradient: Tensor, state: inout ParameterState)
        -> (p: Tensor, g: Tensor, m: Tensor, t: Double)
    {
        state.step += 1
        var (p, g) = (value, gradient)
        if weightDecay != 0 && decoupled { p = p * (1 - lr * weightDecay) }
        if weightDecay != 0 && !decoupled { g = g + p * weightDecay }
        let m = (state.expAvg ?? p.zerosLike()).lerp(to: g, weight: 1 - beta1)
        state.expAvg = m
        return (p, g, m, Double(state.step))
    }

    /// v ← β2·v + (1 − β2)·g², kept in `expAvgSq`.
    func composedSecondMoment(_ g: Tensor, state: inout ParameterState) -> Tensor {
        let v = (state.expAvgSq ?? g.zerosLike()) * beta2 + g * (1 - beta2) * g
        state.expAvgSq = v
        return v
    }

    /// Adamax's u ← max(β2·u, |g| + ε), kept in `expInf`.
    func composedInfinityNorm(_ g: Tensor, state: inout ParameterState) -> Tensor {
        let u = ((state.expInf ?? g.zerosLike()) * beta2).nanMaximum(g.abs() + eps)
        state.expInf = u
        return u
    }

    /// Advances `state` one step and calls `body` once with the kernel and t (after the increment); `body` may
    /// keep scalars in `state`. The state tensors are `expAvg` (m), `secondMoment` (v) and, when given, `extra`
    /// (the kernel's `extra`, e.g. AMSGrad's `maxExpAvgSq`).
    func step(
        _ operands: FusedOperands, state: inout ParameterState,
        secondMoment: WritableKeyPath<ParameterState, Tensor?> = \.expAvgSq,
        extra: WritableKeyPath<ParameterState, Tensor?>? = nil,
        _ body: (_ kernel: Kernel, _ t: Double, _ state: inout ParameterState) -> Void
    ) {
        state.step += 1
        let m = state.takeWritable(\.expAvg, shape: operands.shape)
        let v = state.takeWritable(secondMoment, shape: operands.shape)
        let extraTensor = extra.map { state.takeWritable($0, shape: operands.shape) }
        let kernel = Kernel(
            self, operands, m: m.mutableFloats, v: v.mutableFloats, extra: extraTensor?.mutableFloats)
        body(kernel, Double(state.step), &state)
        state.expAvg = m
        state[keyPath: secondMoment] = v
        if let extra { state[keyPath: extra] = extraTensor }
    }

    /// The state of one fused step and its shared float32 scalars (computed in Double as PyTorch's Python code does,
    /// then rounded).
    struct Kernel {
        /// Elements in the parameter.
        let count: Int
        /// Where the new parameter goes.
        let out: UnsafeMutablePointer<Float>
        /// The rule's own state tensor (nil unless `extra` was given).
        let extra: UnsafeMutablePointer<Float>?
        /// ε in float32.
        let epsilon: Float
        private let p: UnsafePointer<Float>, g: UnsafePointer<Float>
        private let m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
        private let decays: Bool, coupled: Bool, small: Bool
        private let wd: Float, shrink: Float, w1: Float, b2: Float, w2: Float

        init(
            _ moments: AdamMoments, _ operands: FusedOperands, m: UnsafeMutablePointer<Float>,
            v: UnsafeMutablePointer<Float>, extra: UnsafeMutablePointer<Float>?
        ) {
            (count, p, g, out) = (operands.count, operands.value, operands.gradient, operands.out)
            (self.m, self.v, self.extra) = (m, v, extra)
            coupled = moments.weightDecay != 0 && !moments.decoupled
            decays = moments.weightDecay != 0 && moments.decoupled
            wd = Float(moments.weightDecay)
            shrink = Float(1 - moments.lr * moments.weightDecay)
            w1 = Float(1 - moments.beta1)
            small = isSmallLerpWeight(w1)
            b2 = Float(moments.beta2)
            w2 = Float(1 - moments.beta2)
            epsilon = Float(moments.eps)
        }

        /// Adam's whole step over `range` in the C kernel (`tk_adam_step_f32`: AVX-512, the same float32
        /// operations lane for lane as `moments` and `AdamMoments.adamStep`'s loop); false when the CPU's SIMD level
        /// is below AVX-512 and nothing ran.
        func adamStepInC(_ range: Range<Int>, negStepSize: Float, correction2Sqrt: Float) -> Bool {
            var s = tk_adam_scalars_t(
                decoupled: decays ? 1 : 0, coupled: coupled ? 1 : 0, small_lerp: small ? 1 : 0, shrink: shrink,
                wd: wd, w1: w1, b2: b2, w2: w2, neg_step: negStepSize, c2: correction2Sqrt, eps: epsilon)
            let i = range.lowerBound
            return tk_adam_step_f32(
                Int64(range.count), p + i, g + i, out + i, m + i, v + i, extra.map { $0 + i }, &s) != 0
        }

        /// At `i`: θ (shrunk when decoupled), g (plus λθ when coupled), the new m, and v ← β2·v + (1 − β2)·g²;
        /// m and v are stored.
        @inline(__always) func moments(_ i: Int, _ limit: Int) -> (p: Float4, g: Float4, m: Float4, v: Float4) {
            let (pi, gi, mi) = firstMoment(i, limit)
            var vi = load(v, i, limit) * b2
            vi = vi + w2 * gi * gi
            store(mi, m, i, limit)
            store(vi, v, i, limit)
            return (pi, gi, mi, vi)
        }

        /// As `moments`, with Adamax's infinity norm u ← max(β2·u, |g| + ε) in place of v.
        @inline(__always)
        func infinityNormMoments(_ i: Int, _ limit: Int) -> (p: Float4, g: Float4, m: Float4, u: Float4) {
            let (pi, gi, mi) = firstMoment(i, limit)
            let ui = nanMaximum(load(v, i, limit) * b2, absolute(gi) + epsilon)
            store(mi, m, i, limit)
            store(ui, v, i, limit)
            return (pi, gi, mi, ui)
        }

        @inline(__always) private func firstMoment(_ i: Int, _ limit: Int) -> (p: Float4, g: Float4, m: Float4) {
            // Read before the branches, so the loop keeps them in registers (the same values as scalar operands).
            let (shrink, wd) = (Float4(repeating: shrink), Float4(repeating: wd))
            var pi = load(p, i, limit)
            if decays { pi = pi * shrink }
            var gi = load(g, i, limit)
            if coupled { gi = gi + wd * pi }
            return (pi, gi, lerp(load(m, i, limit), gi, w1, small: small))
        }
    }
}

/// Checks the hyperparameters of the Adam family (PyTorch raises ValueError for these).
func validateAdamFamily(_ name: String, lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double) {
    precondition(lr >= 0, "\(name): invalid lr \(lr)")
    precondition(eps >= 0, "\(name): invalid eps \(eps)")
    precondition(betas.0 >= 0 && betas.0 < 1, "\(name): invalid beta1 \(betas.0)")
    precondition(betas.1 >= 0 && betas.1 < 1, "\(name): invalid beta2 \(betas.1)")
    precondition(weightDecay >= 0, "\(name): invalid weightDecay \(weightDecay)")
}

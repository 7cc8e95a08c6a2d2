import Foundation
import Testing
import TrainKitCore
import TrainKitTestSupport

@testable import TrainKitOptim

/// Float64 parameters train (through the composed tensor ops) and follow the float64 formulas of PyTorch's
/// "Algorithm" blocks to float64 rounding, for every rule.

extension DocumentedReference {
    /// SGD: g = g + λθ;  b = g (t = 1) or μb + (1 − τ)g;  g = g + μb (Nesterov) or b;  θ −= γg.
    static func sgd(_ rule: SGD, params: [Double], steps: Int) -> [[Double]] {
        var theta = params
        var b = zeros(params)
        var out: [[Double]] = []
        for t in 1...steps {
            let g0 = gradients(t, params.count)
            for i in theta.indices {
                var g = g0[i] + rule.weightDecay * theta[i]
                if rule.momentum != 0 {
                    b[i] = t == 1 ? g : rule.momentum * b[i] + (1 - rule.dampening) * g
                    g = rule.nesterov ? g + rule.momentum * b[i] : b[i]
                }
                theta[i] -= rule.lr * g
            }
            out.append(theta)
        }
        return out
    }

    /// Adam / AdamW: θ −= γλθ (AdamW) or g += λθ (Adam);  m, v as usual;  v̂ = max(v̂, v) (AMSGrad);
    /// θ −= γ (m / (1 − β1ᵗ)) / (sqrt(v̂ / (1 − β2ᵗ)) + ε).
    static func adam(
        lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double, decoupled: Bool, amsgrad: Bool,
        params: [Double], steps: Int
    ) -> [[Double]] {
        var theta = params
        var (m, v, vMax) = (zeros(params), zeros(params), zeros(params))
        var out: [[Double]] = []
        for t in 1...steps {
            let g0 = gradients(t, params.count)
            let td = Double(t)
            for i in theta.indices {
                var g = g0[i]
                if decoupled { theta[i] -= lr * weightDecay * theta[i] } else { g += weightDecay * theta[i] }
                m[i] = betas.0 * m[i] + (1 - betas.0) * g
                v[i] = betas.1 * v[i] + (1 - betas.1) * g * g
                vMax[i] = max(vMax[i], v[i])
                let vHat = (amsgrad ? vMax[i] : v[i]) / (1 - pow(betas.1, td))
                theta[i] -= lr * (m[i] / (1 - pow(betas.0, td))) / (vHat.squareRoot() + eps)
            }
            out.append(theta)
        }
        return out
    }

    /// RMSprop: g += λθ;  v = αv + (1 − α)g²;  centered: ḡ = αḡ + (1 − α)g, ṽ = v − ḡ²;
    /// μ > 0: b = μb + g / (sqrt(ṽ) + ε), θ −= γb;  else θ −= γg / (sqrt(ṽ) + ε).
    static func rmsprop(_ rule: RMSprop, params: [Double], steps: Int) -> [[Double]] {
        var theta = params
        var (v, average, b) = (zeros(params), zeros(params), zeros(params))
        var out: [[Double]] = []
        for t in 1...steps {
            let g0 = gradients(t, params.count)
            for i in theta.indices {
                let g = g0[i] + rule.weightDecay * theta[i]
                v[i] = rule.alpha * v[i] + (1 - rule.alpha) * g * g
                var variance = v[i]
                if rule.centered {
                    average[i] = rule.alpha * average[i] + (1 - rule.alpha) * g
                    variance -= average[i] * average[i]
                }
                let scaled = g / (variance.squareRoot() + rule.eps)
                if rule.momentum > 0 {
                    b[i] = rule.momentum * b[i] + scaled
                    theta[i] -= rule.lr * b[i]
                } else {
                    theta[i] -= rule.lr * scaled
                }
            }
            out.append(theta)
        }
        return out
    }

    /// Adagrad: γ̃ = γ / (1 + (t − 1)η);  g += λθ;  s += g² (from s₀);  θ −= γ̃ g / (sqrt(s) + ε).
    static func adagrad(_ rule: Adagrad, params: [Double], steps: Int) -> [[Double]] {
        var theta = params
        var s = [Double](repeating: rule.initialAccumulatorValue, count: params.count)
        var out: [[Double]] = []
        for t in 1...steps {
            let g0 = gradients(t, params.count)
            let rate = rule.lr / (1 + Double(t - 1) * rule.lrDecay)
            for i in theta.indices {
                let g = g0[i] + rule.weightDecay * theta[i]
                s[i] += g * g
                theta[i] -= rate * g / (s[i].squareRoot() + rule.eps)
            }
            out.append(theta)
        }
        return out
    }

    /// The documented float64 trajectory of any built-in rule, or nil for another rule.
    static func trajectory(_ rule: any UpdateRule, params: [Double], steps: Int) -> [[Double]]? {
        switch rule {
        case let r as SGD: sgd(r, params: params, steps: steps)
        case let r as Adam:
            adam(
                lr: r.lr, betas: r.betas, eps: r.eps, weightDecay: r.weightDecay, decoupled: false,
                amsgrad: r.amsgrad, params: params, steps: steps)
        case let r as AdamW:
            adam(
                lr: r.lr, betas: r.betas, eps: r.eps, weightDecay: r.weightDecay, decoupled: true,
                amsgrad: r.amsgrad, params: params, steps: steps)
        case let r as Adamax: adamax(r, params: params, steps: steps)
        case let r as NAdam: nadam(r, params: params, steps: steps)
        case let r as RAdam: radam(r, params: params, steps: steps)
        case let r as RMSprop: rmsprop(r, params: params, steps: steps)
        case let r as Adagrad: adagrad(r, params: params, steps: steps)
        default: nil
        }
    }
}

/// TrainKit's float64 parameters after each step of `rule` on the reference inputs.
func float64Trajectory<Rule: UpdateRule>(_ rule: Rule, steps: Int) -> [[Double]] {
    let start = TorchExtraReference.params.map(Double.init)
    let parameter = Parameter(Tensor(start, shape: [start.count]))
    let optimizer = Optimizer(rule, parameters: [parameter])
    var out: [[Double]] = []
    for t in 1...steps {
        parameter.grad = Tensor(DocumentedReference.gradients(t, start.count), shape: parameter.shape)
        optimizer.step()
        #expect(parameter.detachedValue.dtype == .float64)
        out.append(parameter.detachedValue.toArray(as: Double.self))
    }
    return out
}

/// The rules of `extraRules` and `fusedComposedRules` together.
let allRuleCases = extraRules + fusedComposedRules

@Test(arguments: allRuleCases.indices)
func float64ParametersFollowTheDocumentedFormula(_ index: Int) throws {
    let (name, rule) = allRuleCases[index]
    let steps = 12
    let params = TorchExtraReference.params.map(Double.init)
    let expected = try #require(DocumentedReference.trajectory(rule, params: params, steps: steps), "\(name)")
    // Float64 throughout: agreement to a few float64 ulps per step (float32 misses this by 8 orders).
    var actual: [[Double]] = []
    func run<R: UpdateRule>(_ r: R) { actual = float64Trajectory(r, steps: steps) }
    run(rule)
    for (t, (a, e)) in zip(actual, expected).enumerated() {
        for i in a.indices where !(abs(a[i] - e[i]) <= 1e-12 + 1e-11 * abs(e[i])) {
            Issue.record("\(name): step \(t + 1), element \(i): \(a[i]), expected \(e[i])")
        }
    }
}

@Test func float64StateSavesAndLoadsAsFloat64() throws {
    let parameter = Parameter(Tensor([0.5, -1, 2] as [Double], shape: [3]))
    let optimizer = Optimizer(NAdam(lr: 0.01), parameters: [parameter])
    parameter.grad = Tensor([0.25, 1, -0.5] as [Double], shape: [3])
    optimizer.step()
    let saved = optimizer.stateDict()
    #expect(saved.metadata.format == OptimizerMetadata.currentFormat)
    #expect(saved.tensors.values.allSatisfy { $0.dtype == .float64 })
    let restored = Optimizer(NAdam(lr: 0.01), parameters: [Parameter(parameter.detachedValue)])
    try restored.load(stateDict: saved)
    #expect(restored.state(group: 0, index: 0) == optimizer.state(group: 0, index: 0))
    // A float32 parameter does not take float64 state.
    #expect(
        throws: OptimizerStateError.tensorMismatch(
            key: "state.0.exp_avg", expectedShape: [3], expectedDType: "float32", foundShape: [3],
            foundDType: "float64")
    ) {
        try Optimizer(NAdam(lr: 0.01), parameters: [Parameter(Tensor.zeros([3]))]).load(stateDict: saved)
    }
}

import Foundation
import Testing
import TrainKitCore
import TrainKitTestSupport

@testable import TrainKitOptim

/// Adamax, NAdam and RAdam (not in optim.json): against a float64 loop written from the "Algorithm" blocks of
/// PyTorch's docs, and against PyTorch's own numbers (TorchExtraReference.swift).

/// Float64 reference of one optimizer over `steps` steps of `TorchExtraReference.gradient`, straight from the
/// documented formulas (not from TrainKit's kernels). Returns the parameters after each step.
enum DocumentedReference {
    static func gradients(_ t: Int, _ n: Int) -> [Double] {
        (0..<n).map { Double(TorchExtraReference.gradient(step: t, index: $0)) }
    }

    /// Adamax: m = β1 m + (1−β1) g;  u = max(β2 u, |g| + ε);  θ −= γ m / ((1 − β1ᵗ) u).
    static func adamax(_ rule: Adamax, params: [Double], steps: Int) -> [[Double]] {
        var theta = params
        var m = zeros(params)
        var u = zeros(params)
        var out: [[Double]] = []
        for t in 1...steps {
            let g0 = gradients(t, params.count)
            for i in theta.indices {
                let g = g0[i] + rule.weightDecay * theta[i]
                m[i] = rule.beta1 * m[i] + (1 - rule.beta1) * g
                u[i] = max(rule.beta2 * u[i], abs(g) + rule.eps)
                theta[i] -= rule.lr * m[i] / ((1 - pow(rule.beta1, Double(t))) * u[i])
            }
            out.append(theta)
        }
        return out
    }

    /// NAdam: μₜ = β1(1 − ½·0.96^{tψ});  m, v as Adam;
    /// θ −= γ [ (1−μₜ) g / (1 − Πᵢ≤ₜ μᵢ) + μₜ₊₁ m / (1 − Πᵢ≤ₜ₊₁ μᵢ) ] / (sqrt(v / (1−β2ᵗ)) + ε).
    static func nadam(_ rule: NAdam, params: [Double], steps: Int) -> [[Double]] {
        var theta = params
        var m = zeros(params)
        var v = zeros(params)
        var out: [[Double]] = []
        var product = 1.0
        for t in 1...steps {
            let g0 = gradients(t, params.count)
            let td = Double(t)
            let mu = rule.beta1 * (1 - 0.5 * pow(0.96, td * rule.momentumDecay))
            let muNext = rule.beta1 * (1 - 0.5 * pow(0.96, (td + 1) * rule.momentumDecay))
            product *= mu
            for i in theta.indices {
                var g = g0[i]
                if rule.decoupledWeightDecay {
                    theta[i] -= rule.lr * rule.weightDecay * theta[i]
                } else {
                    g += rule.weightDecay * theta[i]
                }
                m[i] = rule.beta1 * m[i] + (1 - rule.beta1) * g
                v[i] = rule.beta2 * v[i] + (1 - rule.beta2) * g * g
                let mHat = muNext * m[i] / (1 - product * muNext) + (1 - mu) * g / (1 - product)
                let vHat = v[i] / (1 - pow(rule.beta2, td))
                theta[i] -= rule.lr * mHat / (vHat.squareRoot() + rule.eps)
            }
            out.append(theta)
        }
        return out
    }

    /// RAdam: m̂ = m/(1−β1ᵗ);  ρₜ = ρ∞ − 2tβ2ᵗ/(1−β2ᵗ);  ρₜ > 5: θ −= γ m̂ rₜ lₜ with
    /// lₜ = sqrt(1−β2ᵗ)/(sqrt(v)+ε), rₜ = sqrt((ρₜ−4)(ρₜ−2)ρ∞/((ρ∞−4)(ρ∞−2)ρₜ));  else θ −= γ m̂.
    static func radam(_ rule: RAdam, params: [Double], steps: Int) -> [[Double]] {
        var theta = params
        var m = zeros(params)
        var v = zeros(params)
        var out: [[Double]] = []
        let rhoInf = 2 / (1 - rule.beta2) - 1
        for t in 1...steps {
            let g0 = gradients(t, params.count)
            let td = Double(t)
            let rho = rhoInf - 2 * td * pow(rule.beta2, td) / (1 - pow(rule.beta2, td))
            for i in theta.indices {
                var g = g0[i]
                if rule.decoupledWeightDecay {
                    theta[i] -= rule.lr * rule.weightDecay * theta[i]
                } else {
                    g += rule.weightDecay * theta[i]
                }
                m[i] = rule.beta1 * m[i] + (1 - rule.beta1) * g
                v[i] = rule.beta2 * v[i] + (1 - rule.beta2) * g * g
                let mHat = m[i] / (1 - pow(rule.beta1, td))
                if rho > 5 {
                    let l = (1 - pow(rule.beta2, td)).squareRoot() / (v[i].squareRoot() + rule.eps)
                    let r = ((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho)).squareRoot()
                    theta[i] -= rule.lr * mHat * r * l
                } else {
                    theta[i] -= rule.lr * mHat
                }
            }
            out.append(theta)
        }
        return out
    }

    static func zeros(_ like: [Double]) -> [Double] { [Double](repeating: 0, count: like.count) }
}

/// TrainKit's parameters after each step of `rule` on the reference inputs.
func trainKitTrajectory<Rule: UpdateRule>(_ rule: Rule, steps: Int = TorchExtraReference.steps) -> [[Float]] {
    let parameter = Parameter(Tensor(TorchExtraReference.params, shape: [TorchExtraReference.params.count]))
    let optimizer = Optimizer(rule, parameters: [parameter])
    var out: [[Float]] = []
    for t in 1...steps {
        let g = (0..<parameter.count).map { TorchExtraReference.gradient(step: t, index: $0) }
        parameter.grad = Tensor(g, shape: parameter.shape)
        optimizer.step()
        out.append(parameter.detachedValue.toArray())
    }
    return out
}

/// The first step and element where `actual` and `expected` differ by more than `atol + rtol·|expected|`.
func trajectoryFailure(_ actual: [[Float]], _ expected: [[Double]], rtol: Double, atol: Double) -> String? {
    guard actual.count == expected.count else { return "\(actual.count) steps, expected \(expected.count)" }
    for (t, (a, e)) in zip(actual, expected).enumerated() {
        guard a.count == e.count else { return "step \(t + 1): \(a.count) elements, expected \(e.count)" }
        for i in a.indices where !(abs(Double(a[i]) - e[i]) <= atol + rtol * abs(e[i])) {
            return "step \(t + 1), element \(i): \(a[i]), expected \(e[i])"
        }
    }
    return nil
}

let extraRules: [(String, any UpdateRule)] = [
    ("adamax/default", Adamax(lr: 0.05)),
    ("adamax/weight_decay", Adamax(lr: 0.02, betas: (0.8, 0.99), eps: 1e-6, weightDecay: 0.1)),
    ("nadam/default", NAdam(lr: 0.05)),
    ("nadam/weight_decay", NAdam(lr: 0.02, betas: (0.85, 0.995), weightDecay: 0.05, momentumDecay: 0.01)),
    ("nadam/decoupled", NAdam(lr: 0.02, weightDecay: 0.05, decoupledWeightDecay: true)),
    ("radam/default", RAdam(lr: 0.05)),
    ("radam/weight_decay", RAdam(lr: 0.02, betas: (0.9, 0.99), weightDecay: 0.05)),
    ("radam/decoupled", RAdam(lr: 0.02, weightDecay: 0.05, decoupledWeightDecay: true)),
]

@Test(arguments: extraRules.indices)
func extraOptimizerMatchesDocumentedFormulaInFloat64(_ index: Int) {
    let (name, rule) = extraRules[index]
    let params = TorchExtraReference.params.map(Double.init)
    let steps = 12  // RAdam (β2 = 0.999) switches to the rectified update at step 6
    guard let expected = DocumentedReference.trajectory(rule, params: params, steps: steps) else {
        Issue.record("\(name): no reference")
        return
    }
    // float32 against float64: the fixture tolerance of optimizers.
    if let failure = trajectoryFailure(trainKitTrajectory(rule, steps: steps), expected, rtol: 1e-5, atol: 1e-6) {
        Issue.record("\(name): \(failure)")
    }
}

@Test func extraOptimizersMatchPyTorch() {
    #expect(TorchExtraReference.cases.count == 14)
    for c in TorchExtraReference.cases {
        // Same float32 operations in the same order as torch's CPU kernels: agreement to a few ulps.
        if let failure = trajectoryFailure(trainKitTrajectory(c.rule), c.trajectory, rtol: 1e-6, atol: 1e-7) {
            Issue.record("\(c.name): \(failure)")
        }
    }
}

@Test func radamUsesPlainMomentumUntilVarianceIsTractable() {
    // ρₜ ≤ 5 for t ≤ 5 with β2 = 0.999, so the first steps are θ −= γ m̂: with a constant gradient g, m̂ = g.
    let parameter = Parameter(Tensor([1, -1] as [Float], shape: [2]))
    let optimizer = Optimizer(RAdam(lr: 0.1), parameters: [parameter])
    for _ in 0..<5 {
        parameter.grad = Tensor([0.5, -2] as [Float], shape: [2])
        optimizer.step()
    }
    let value = parameter.detachedValue.toArray()
    #expect(abs(value[0] - (1 - 5 * 0.1 * 0.5)) < 1e-5)
    #expect(abs(value[1] - (-1 + 5 * 0.1 * 2)) < 1e-5)
}

import TrainKit

/// Fits the `linear` model kind on the training rows, without gradient-descent epochs:
///
/// - regression: ridge regression, `min_{w,b} (1/n) Σ (y − xᵀw − b)² + λ‖w‖²`, solved exactly from the normal
///   equations `(AᵀA/n + Λ) θ = Aᵀy/n` with `A = [X 1]`, `Λ = diag(λ, …, λ, 0)` (Cholesky);
/// - classification: softmax (multinomial logistic) regression, `min_{W,b} (1/n) Σ CE(softmax(Wx + b), y) + λ‖W‖²`
///   (two classes are two logits, the same model as logistic regression), minimized by ``LBFGS``.
///
/// The intercept is never penalized. `λ` is chosen from ``lambdas`` by `folds`-fold cross-validation on the
/// training rows (folds from a permutation seeded with the run's seed; the score is the held-out mean squared
/// error or cross-entropy), then the model is refitted on all training rows with that `λ`. Regression targets
/// are fitted on the spec's standardized scale (`(y − mean)/std`, what ``TargetScale`` undoes). Every step is
/// sequential arithmetic in `Double`: the same data and seed give the same weights.
struct LinearFit {
    static let lambdas: [Double] = [1e-4, 1e-3, 1e-2, 1e-1, 1]
    var folds = 3
    var seed: UInt64

    /// The result: weights `[outputs][features]`, biases `[outputs]`, the chosen `λ`, the CV score of every
    /// `λ`, and the training loss (the unpenalized mean loss on all training rows).
    struct Fitted {
        var weight: [[Double]]
        var bias: [Double]
        var lambda: Double
        var scores: [Double]
        var trainLoss: Double
    }

    /// - Parameters:
    ///   - x: `n` rows of `f` features, row-major.
    ///   - y: the targets on the fitted scale (regression) or class indices as `Double` (classification).
    ///   - classes: the class count, or nil for regression.
    func fit(x: [Double], rows n: Int, features f: Int, y: [Double], classes: Int?) -> Fitted {
        let order = Tensor.permutation(n, key: RandomKey(seed: seed))
        let k = Swift.max(2, Swift.min(folds, n))
        var foldOf = [Int](repeating: 0, count: n)
        for (position, row) in order.enumerated() { foldOf[row] = position % k }
        let problem = Problem(x: x, n: n, f: f, y: y, classes: classes)
        var scores = [Double](repeating: 0, count: Self.lambdas.count)
        if n >= 2 * k {
            for fold in 0..<k {
                let trainRows = (0..<n).filter { foldOf[$0] != fold }, heldRows = (0..<n).filter { foldOf[$0] == fold }
                var warm: [Double]? = nil
                // Largest λ first: each solution warm-starts the next (smaller) λ.
                for (index, lambda) in Self.lambdas.enumerated().reversed() {
                    let theta = problem.solve(rows: trainRows, lambda: lambda, start: warm)
                    warm = theta
                    scores[index] += problem.loss(theta, rows: heldRows) * Double(heldRows.count) / Double(n)
                }
            }
        }
        // Ties (or too few rows to cross-validate) go to the larger λ.
        var best = Self.lambdas.count - 1
        for index in Self.lambdas.indices.reversed() where scores[index] < scores[best] - 1e-12 { best = index }
        let all = Array(0..<n)
        let theta = problem.solve(rows: all, lambda: Self.lambdas[best], start: nil)
        let outputs = classes ?? 1
        let weight = (0..<outputs).map { c in (0..<f).map { j in theta[j * outputs + c] } }
        let bias = (0..<outputs).map { c in theta[f * outputs + c] }
        return Fitted(weight: weight, bias: bias, lambda: Self.lambdas[best], scores: scores,
                      trainLoss: problem.loss(theta, rows: all))
    }

    /// Parameters `θ` are `[(f + 1) · outputs]`: `θ[j·outputs + c]` is feature `j`'s weight for output `c`,
    /// the last `outputs` entries are the biases.
    struct Problem {
        let x: [Double], n: Int, f: Int, y: [Double], classes: Int?
        var outputs: Int { classes ?? 1 }

        func solve(rows: [Int], lambda: Double, start: [Double]?) -> [Double] {
            if classes == nil { return ridge(rows: rows, lambda: lambda) }
            let objective = { (theta: [Double]) -> (value: Double, gradient: [Double]) in
                var (value, gradient) = self.crossEntropy(theta, rows: rows)
                for j in 0..<(self.f * self.outputs) {
                    value += lambda * theta[j] * theta[j]
                    gradient[j] += 2 * lambda * theta[j]
                }
                return (value, gradient)
            }
            return LBFGS(maxIterations: 150, tolerance: 1e-5)
                .minimize(objective, from: start ?? [Double](repeating: 0, count: (f + 1) * outputs))
        }

        /// The unpenalized mean loss: squared error or cross-entropy.
        func loss(_ theta: [Double], rows: [Int]) -> Double {
            guard classes == nil else { return crossEntropy(theta, rows: rows).value }
            var total = 0.0
            for r in rows {
                var p = theta[f]
                for j in 0..<f { p += x[r * f + j] * theta[j] }
                total += (y[r] - p) * (y[r] - p)
            }
            return total / Double(Swift.max(rows.count, 1))
        }

        /// Mean cross-entropy of softmax(Wx + b) and its gradient with respect to θ:
        /// `P = softmax(X W + b)`, `∂/∂W = Xᵀ(P − Y)/n`, `∂/∂b = Σ_rows (P − Y)/n` (`Y` one-hot), computed with
        /// float64 tensor products (`rows` selects the rows of `x`). The products run on the `cpu` device whatever
        /// the default device: the fit is a small host-side solve (like the scalers' statistics) whose numbers come
        /// back to Swift arrays every L-BFGS iteration.
        func crossEntropy(_ theta: [Double], rows: [Int]) -> (value: Double, gradient: [Double]) {
            let c = outputs, m = rows.count
            let all = Tensor(x, shape: [n, f], device: .cpu)
            let xs = m == n ? all : all.indexSelect(0, Tensor(rows, device: .cpu))       // [m, f]
            let w = Tensor(Array(theta[0..<(f * c)]), shape: [f, c], device: .cpu)
            let b = Tensor(Array(theta[(f * c)...]), shape: [1, c], device: .cpu)
            let logits = xs.matmul(w) + b                                                 // [m, c]
            // Softmax, loss and bias gradient as sequential loops (no parallel reduction: the same sums in the
            // same order whatever the thread count); the two products are per-element dot products.
            var residual = logits.toArray(as: Double.self)
            let scale = 1 / Double(Swift.max(m, 1))
            var value = 0.0
            var gradB = [Double](repeating: 0, count: c)
            for r in 0..<m {
                let row = r * c
                var top = -Double.infinity
                for k in 0..<c { top = Swift.max(top, residual[row + k]) }
                var sum = 0.0
                for k in 0..<c { residual[row + k] = Foundation.exp(residual[row + k] - top); sum += residual[row + k] }
                let label = Int(y[rows[r]])
                value -= Foundation.log(residual[row + label] / sum)
                for k in 0..<c {
                    residual[row + k] = (residual[row + k] / sum - (k == label ? 1 : 0)) * scale
                    gradB[k] += residual[row + k]
                }
            }
            let gradW = xs.transpose(0, 1).contiguous().matmul(Tensor(residual, shape: [m, c], device: .cpu))  // [f, c]
            return (value * scale, gradW.toArray(as: Double.self) + gradB)
        }

        /// Ridge from the normal equations with the intercept unpenalized (Cholesky of the `(f+1)²` system).
        func ridge(rows: [Int], lambda: Double) -> [Double] {
            let m = f + 1
            var a = [Double](repeating: 0, count: m * m), b = [Double](repeating: 0, count: m)
            var row = [Double](repeating: 1, count: m)
            for r in rows {
                for j in 0..<f { row[j] = x[r * f + j] }
                for i in 0..<m {
                    b[i] += row[i] * y[r]
                    for j in i..<m { a[i * m + j] += row[i] * row[j] }
                }
            }
            let scale = 1 / Double(Swift.max(rows.count, 1))
            for i in 0..<m {
                b[i] *= scale
                for j in i..<m { a[i * m + j] *= scale; a[j * m + i] = a[i * m + j] }
                a[i * m + i] += (i < f ? lambda : 0) + 1e-10
            }
            return Self.choleskySolve(a, b, m)
        }

        /// Solves `A z = b` for a symmetric positive definite `m × m` `A` (row-major).
        static func choleskySolve(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
            var l = [Double](repeating: 0, count: m * m)
            for i in 0..<m {
                for j in 0...i {
                    var s = a[i * m + j]
                    for k in 0..<j { s -= l[i * m + k] * l[j * m + k] }
                    l[i * m + j] = i == j ? Swift.max(s, 1e-300).squareRoot() : s / l[j * m + j]
                }
            }
            var z = b
            for i in 0..<m {
                for k in 0..<i { z[i] -= l[i * m + k] * z[k] }
                z[i] /= l[i * m + i]
            }
            for i in stride(from: m - 1, through: 0, by: -1) {
                for k in (i + 1)..<m { z[i] -= l[k * m + i] * z[k] }
                z[i] /= l[i * m + i]
            }
            return z
        }
    }
}

import Foundation

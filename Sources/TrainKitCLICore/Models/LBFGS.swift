/// Limited-memory BFGS (Nocedal & Wright, *Numerical Optimization*, Algorithm 7.4 with the two-loop recursion
/// 7.5) for a smooth function of a `[Double]` vector, with a backtracking Armijo line search
/// (`f(x + t·d) ≤ f(x) + 10⁻⁴ · t · ∇fᵀd`, `t` halved from 1).
///
/// Deterministic: plain sequential loops, no randomness. Used by the `linear` model kind (``LinearFit``).
struct LBFGS {
    /// Pairs `(s, y)` kept.
    var memory = 10
    var maxIterations = 200
    /// Stops when `max |∇f| ≤ tolerance`.
    var tolerance = 1e-6

    /// Minimizes `f` from `x`; `f` returns the value and the gradient. Returns the last iterate.
    func minimize(_ f: ([Double]) -> (value: Double, gradient: [Double]), from start: [Double]) -> [Double] {
        var x = start
        var (value, gradient) = f(x)
        var history: [(s: [Double], y: [Double], rho: Double)] = []
        for _ in 0..<maxIterations {
            if gradient.map(abs).max() ?? 0 <= tolerance { break }
            // Two-loop recursion: d = -H ∇f.
            var q = gradient
            var alphas: [Double] = []
            for (s, y, rho) in history.reversed() {
                let a = rho * dot(s, q)
                alphas.append(a)
                for i in q.indices { q[i] -= a * y[i] }
            }
            if let last = history.last {
                let gamma = dot(last.s, last.y) / dot(last.y, last.y)
                for i in q.indices { q[i] *= gamma }
            }
            for ((s, y, rho), a) in zip(history, alphas.reversed()) {
                let b = rho * dot(y, q)
                for i in q.indices { q[i] += s[i] * (a - b) }
            }
            var direction = q.map { -$0 }
            var slope = dot(gradient, direction)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                history.removeAll()
                direction = gradient.map { -$0 }
                slope = dot(gradient, direction)
            }
            var step = history.isEmpty ? min(1, 1 / (gradient.map(abs).max() ?? 1)) : 1.0
            var accepted = false
            for _ in 0..<40 {
                let candidate = zip(x, direction).map { $0 + step * $1 }
                let (v, g) = f(candidate)
                if v.isFinite && v <= value + 1e-4 * step * slope {
                    let s = zip(candidate, x).map { $0 - $1 }, y = zip(g, gradient).map { $0 - $1 }
                    let sy = dot(s, y)
                    if sy > 1e-12 {
                        history.append((s, y, 1 / sy))
                        if history.count > memory { history.removeFirst() }
                    }
                    let improvement = value - v
                    (x, value, gradient) = (candidate, v, g)
                    accepted = true
                    if improvement <= 1e-12 * max(1, abs(value)) { return x }
                    break
                }
                step /= 2
            }
            if !accepted { break }
        }
        return x
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var total = 0.0
        for i in a.indices { total += a[i] * b[i] }
        return total
    }
}

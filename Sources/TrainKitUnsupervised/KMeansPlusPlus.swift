import Foundation
import TrainKitCore

/// Seeding of k-means centres.
enum KMeansSeeding {
    /// Greedy k-means++ (Arthur & Vassilvitskii, with scikit-learn's greedy refinement): the first centre
    /// is a uniformly drawn row; each next one is the best of `2 + ⌊ln k⌋` candidates drawn with probability
    /// `D(x)² / Σ D²` (`D` = distance to the nearest chosen centre), best meaning the lowest potential
    /// `Σ_x min(D(x)², ‖x - candidate‖²)`. Returns `[k, d]` row-major centres.
    static func plusPlus(_ x: DataMatrix, k: Int, generator: inout KeyedGenerator) -> [Double] {
        plusPlusIndices(x, k: k, generator: &generator).flatMap { x.row($0) }
    }

    /// The rows k-means++ picks (see ``plusPlus(_:k:generator:)``).
    static func plusPlusIndices(_ x: DataMatrix, k: Int, generator: inout KeyedGenerator) -> [Int] {
        let (n, d) = (x.rows, x.cols)
        let trials = 2 + Int(log(Double(k)))
        let first = Int.random(in: 0..<n, using: &generator)
        var chosenRows = [first]
        let firstRow = Array(x.row(first))
        let norms = x.rowSquaredNorms
        var closest = (0..<n).map { x.squaredDistance(row: $0, firstRow, 0) }
        var potential = closest.reduce(0, +)
        for _ in 1..<max(k, 1) {
            // Cumulative sum of D² for the inverse-CDF draws (searchsorted, left side, clipped).
            var cumulative = [Double](repeating: 0, count: n)
            var running = 0.0
            for i in 0..<n { running += closest[i]; cumulative[i] = running }
            let candidates: [Int] = (0..<trials).map { _ in
                let r = Double.random(in: 0..<1, using: &generator) * potential
                var lo = 0, hi = n
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] < r { lo = mid + 1 } else { hi = mid }
                }
                return min(lo, n - 1)
            }
            // Squared distances to every candidate at once: ‖x‖² + ‖y‖² - 2 x·y through one GEMM.
            let candidateRows = candidates.flatMap { x.row($0) }.transposedMatrix(rows: trials, cols: d)
            let dots = HostProducts.multiply(x.source, candidateRows, (d, trials))  // in the data's dtype
            var best: (potential: Double, index: Int, distances: [Double])? = nil
            for (t, candidate) in candidates.enumerated() {
                var distances = closest
                var pot = 0.0
                for i in 0..<n {
                    let s = max(norms[i] + norms[candidate] - 2 * dots[i * trials + t], 0)
                    distances[i] = min(distances[i], s)
                    pot += distances[i]
                }
                if best == nil || pot < best!.potential { best = (pot, candidate, distances) }
            }
            let chosen = best!
            potential = chosen.potential
            closest = chosen.distances
            chosenRows.append(chosen.index)
        }
        return chosenRows
    }

    /// `k` distinct rows drawn uniformly (a random permutation's first `k`).
    static func random(_ x: DataMatrix, k: Int, generator: inout KeyedGenerator) -> [Double] {
        var order = Array(0..<x.rows)
        order.shuffle(using: &generator)
        return order.prefix(k).flatMap { Array(x.row($0)) }
    }
}

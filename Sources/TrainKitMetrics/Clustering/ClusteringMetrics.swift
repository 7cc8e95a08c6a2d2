import Foundation
import TrainKitCore

/// Why a clustering metric cannot be computed.
public enum ClusteringMetricError: Error, Equatable, CustomStringConvertible {
    /// The two labelings (or the data and its labels) have different lengths.
    case lengthMismatch(metric: String, Int, Int)
    /// Silhouette needs `2 ≤ clusters ≤ samples - 1`.
    case badClusterCount(metric: String, clusters: Int, samples: Int)
    /// The data holds NaN or infinity, or is not `[samples, features]`.
    case badData(metric: String, String)

    public var description: String {
        switch self {
        case .lengthMismatch(let m, let a, let b): "\(m): the label vectors have \(a) and \(b) entries"
        case .badClusterCount(let m, let c, let n): "\(m): needs 2 to samples - 1 clusters, got \(c) clusters for \(n) samples"
        case .badData(let m, let what): "\(m): \(what)"
        }
    }
}

/// Scores of a clustering (scikit-learn's `adjusted_rand_score`, `normalized_mutual_info_score` with the
/// arithmetic mean, `silhouette_score`). Labels are integer tensors (any values; only equality matters).
public enum ClusteringMetrics {
    /// The contingency table of two labelings: `n_ij` = samples in true class i and predicted cluster j.
    static func contingency(_ a: Tensor, _ b: Tensor, metric: String) throws -> [[Double]] {
        let x = a.toArray(as: Int64.self), y = b.toArray(as: Int64.self)
        guard x.count == y.count else { throw ClusteringMetricError.lengthMismatch(metric: metric, x.count, y.count) }
        let rows = Dictionary(uniqueKeysWithValues: Set(x).sorted().enumerated().map { ($1, $0) })
        let cols = Dictionary(uniqueKeysWithValues: Set(y).sorted().enumerated().map { ($1, $0) })
        var table = [[Double]](repeating: [Double](repeating: 0, count: cols.count), count: rows.count)
        for (u, v) in zip(x, y) { table[rows[u]!][cols[v]!] += 1 }
        return table
    }

    /// Adjusted Rand index: the Rand index (pairs of samples on which the labelings agree) corrected for
    /// chance, `ARI = 2(tp·tn - fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))` over the pair confusion
    /// counts; 1 for identical partitions (also when both put everything together or everything apart),
    /// about 0 for independent ones, symmetric.
    public static func adjustedRandIndex(_ labelsTrue: Tensor, _ labelsPred: Tensor) throws -> Double {
        let table = try contingency(labelsTrue, labelsPred, metric: "adjusted_rand")
        let n = table.reduce(0) { $0 + $1.reduce(0, +) }
        let rowSums = table.map { $0.reduce(0, +) }
        let colSums = (0..<(table.first?.count ?? 0)).map { j in table.reduce(0) { $0 + $1[j] } }
        let sumSquares = table.reduce(0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }
        var c01 = 0.0, c10 = 0.0
        for (i, row) in table.enumerated() {
            for (j, value) in row.enumerated() {
                c01 += value * colSums[j]
                c10 += value * rowSums[i]
            }
        }
        let tp = sumSquares - n, fp = c01 - sumSquares, fn = c10 - sumSquares
        let tn = n * n - fp - fn - sumSquares
        if fn == 0 && fp == 0 { return 1 }
        return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
    }

    /// Normalized mutual information `MI(U, V) / ((H(U) + H(V)) / 2)` with natural logarithms,
    /// `MI = Σ_ij (n_ij/N) ln(N n_ij / (a_i b_j))`; 1 when both labelings are one single cluster, 0 when MI is 0.
    public static func normalizedMutualInformation(_ labelsTrue: Tensor, _ labelsPred: Tensor) throws -> Double {
        let table = try contingency(labelsTrue, labelsPred, metric: "normalized_mutual_info")
        let rows = table.count, cols = table.first?.count ?? 0
        if (rows == 1 && cols == 1) || (rows == 0 && cols == 0) { return 1 }
        let n = table.reduce(0) { $0 + $1.reduce(0, +) }
        let a = table.map { $0.reduce(0, +) }
        let b = (0..<cols).map { j in table.reduce(0) { $0 + $1[j] } }
        var mi = 0.0
        for i in 0..<rows {
            for j in 0..<cols where table[i][j] > 0 {
                mi += table[i][j] / n * log(n * table[i][j] / (a[i] * b[j]))
            }
        }
        mi = max(mi, 0)
        if mi == 0 { return 0 }
        func entropy(_ counts: [Double]) -> Double { -counts.reduce(0) { $0 + ($1 > 0 ? $1 / n * log($1 / n) : 0) } }
        return mi / ((entropy(a) + entropy(b)) / 2)
    }

    /// Mean silhouette coefficient with Euclidean distances: per sample `s = (b - a) / max(a, b)`, `a` the mean
    /// distance to the other members of its cluster, `b` the smallest mean distance to another cluster
    /// (`s = 0` for a sample alone in its cluster). `sampleSize` scores a seeded random subset (distances
    /// still to that subset only, as scikit-learn). O(n²·d) through GEMM in row blocks.
    public static func silhouetteScore(_ x: Tensor, labels: Tensor, sampleSize: Int? = nil, seed: UInt64 = 0) throws -> Double {
        let metric = "silhouette"
        guard x.rank == 2, x.dtype.isFloatingPoint else {
            throw ClusteringMetricError.badData(metric: metric, "needs a float tensor [samples, features], got shape \(x.shape)")
        }
        var values = x.toArray(as: Double.self)
        var label = labels.toArray(as: Int64.self)
        var n = x.shape[0]
        let d = x.shape[1]
        guard label.count == n else { throw ClusteringMetricError.lengthMismatch(metric: metric, n, label.count) }
        guard values.allSatisfy(\.isFinite) else { throw ClusteringMetricError.badData(metric: metric, "the data holds NaN or infinity") }
        if let size = sampleSize, size < n {
            var generator = KeyedGenerator(seed: seed)
            var order = Array(0..<n)
            order.shuffle(using: &generator)
            let chosen = order.prefix(max(size, 0))
            values = chosen.flatMap { values[($0 * d)..<(($0 + 1) * d)] }
            label = chosen.map { label[$0] }
            n = chosen.count
        }
        let ids = Dictionary(uniqueKeysWithValues: Set(label).sorted().enumerated().map { ($1, $0) })
        let k = ids.count
        guard k >= 2, k <= n - 1 else { throw ClusteringMetricError.badClusterCount(metric: metric, clusters: k, samples: n) }
        let cluster = label.map { ids[$0]! }
        var sizes = [Double](repeating: 0, count: k)
        for c in cluster { sizes[c] += 1 }
        let all = Tensor(values, shape: [n, d])
        let norms = (0..<n).map { i in (0..<d).reduce(0.0) { $0 + values[i * d + $1] * values[i * d + $1] } }
        var total = 0.0
        let block = 512
        for start in stride(from: 0, to: n, by: block) {
            let rows = min(block, n - start)
            let products = noGrad { all.narrow(0, start: start, length: rows).mm(all.T) }.toArray(as: Double.self)
            for r in 0..<rows {
                let i = start + r
                var sums = [Double](repeating: 0, count: k)
                for j in 0..<n where j != i {
                    sums[cluster[j]] += max(norms[i] + norms[j] - 2 * products[r * n + j], 0).squareRoot()
                }
                let own = cluster[i]
                if sizes[own] <= 1 { continue }
                let a = sums[own] / (sizes[own] - 1)
                var b = Double.infinity
                for c in 0..<k where c != own { b = min(b, sums[c] / sizes[c]) }
                let denominator = max(a, b)
                if denominator > 0 { total += (b - a) / denominator }
            }
        }
        return total / Double(n)
    }
}

import TrainKitCore

/// Lloyd's k-means iteration (scikit-learn's `_kmeans_single_lloyd`).
enum KMeansLloyd {
    /// Index of the nearest centre for every row (first of ties), distances through GEMM.
    static func assign(_ x: DataMatrix, centers: [Double], k: Int, rowNorms: [Double]? = nil) -> [Int] {
        let distances = x.squaredDistances(to: centers, count: k, rowNorms: rowNorms)
        return (0..<x.rows).map { i in
            var best = 0
            var bestDistance = distances[i * k]
            for c in 1..<max(k, 1) where distances[i * k + c] < bestDistance {
                best = c
                bestDistance = distances[i * k + c]
            }
            return best
        }
    }

    /// `Σ_i ‖x_i - c_{label_i}‖²`, computed from the differences (not the expanded form).
    static func inertia(_ x: DataMatrix, centers: [Double], labels: [Int]) -> Double {
        var total = 0.0
        for i in 0..<x.rows { total += x.squaredDistance(row: i, centers, labels[i]) }
        return total
    }

    /// Means of the assigned points; an empty cluster takes the point farthest from its centre (moved out of
    /// its own cluster, as scikit-learn's `_relocate_empty_clusters_dense`).
    static func updateCenters(_ x: DataMatrix, old: [Double], labels: [Int], k: Int) -> [Double] {
        let d = x.cols
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Double](repeating: 0, count: k)
        x.values.withUnsafeBufferPointer { xv in
            sums.withUnsafeMutableBufferPointer { sv in
                for i in 0..<x.rows {
                    let c = labels[i]
                    counts[c] += 1
                    let row = xv.baseAddress! + i * d, sum = sv.baseAddress! + c * d
                    for j in 0..<d { sum[j] += row[j] }
                }
            }
        }
        let empty = (0..<k).filter { counts[$0] == 0 }
        if !empty.isEmpty {
            let distances = (0..<x.rows).map { x.squaredDistance(row: $0, old, labels[$0]) }
            let far = (0..<x.rows).sorted { distances[$0] > distances[$1] }
            for (slot, cluster) in empty.enumerated() where slot < far.count {
                let i = far[slot], from = labels[i]
                for j in 0..<d {
                    sums[from * d + j] -= x.values[i * d + j]
                    sums[cluster * d + j] = x.values[i * d + j]
                }
                counts[from] -= 1
                counts[cluster] = 1
            }
        }
        for c in 0..<k where counts[c] > 0 {
            let inverse = 1 / counts[c]
            for j in 0..<d { sums[c * d + j] *= inverse }
        }
        return sums
    }

    /// Squared total shift `Σ_j ‖new_j - old_j‖²`.
    static func shift(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    static func run(_ x: DataMatrix, centers start: [Double], k: Int, maxIter: Int, tolerance: Double) -> KMeansRun {
        var centers = start
        var labels: [Int] = []
        var previous = [Int](repeating: -1, count: x.rows)
        var strict = false
        var iterations = 0
        let norms = x.rowSquaredNorms
        for i in 0..<maxIter {
            labels = assign(x, centers: centers, k: k, rowNorms: norms)
            let updated = updateCenters(x, old: centers, labels: labels, k: k)
            let moved = shift(updated, centers)
            centers = updated
            iterations = i + 1
            if labels == previous { strict = true; break }
            if moved <= tolerance { break }
            previous = labels
        }
        if !strict { labels = assign(x, centers: centers, k: k, rowNorms: norms) }
        return KMeansRun(centers: centers, labels: labels, inertia: inertia(x, centers: centers, labels: labels),
                         nIter: iterations)
    }
}
